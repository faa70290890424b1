"""Docs where users look (issue 14): `help(tf.X)` shows a TF-style docstring for every public
callable of the covered modules, and their `>>>` examples are true (each runs here).

Coverage grows module by module: add a module to COVERED_MODULES once its docstrings are done.
"""
import doctest
import importlib
import inspect
import re

import numpy as np
import pytest

import minitf as tf

# The modules whose public callables and `>>>` examples are checked.
COVERED_MODULES = (
    "minitf.initializers", "minitf.regularizers", "minitf.constraints", "minitf.partitioned",
    "minitf.variables", "minitf.variable_ops", "minitf.layers.core", "minitf.layers.base",
    "minitf.layers.normalization",
    "minitf.losses", "minitf.ops.losses_util", "minitf.metrics",
    "minitf.metrics_util", "minitf.metrics_thresholds", "minitf.metrics_topk",
    "minitf.ops.topk_metric_ops",
    "minitf.variable_scope", "minitf.template", "minitf.framework.interrupts",
    "minitf.train.optimizer", "minitf.train.gradient_descent", "minitf.train.momentum",
    "minitf.train.adam", "minitf.train.training_ops", "minitf.train.training_util",
    "minitf.train.saver", "minitf.train.checkpoint_utils", "minitf.train.learning_rate_decay",
    "minitf.train.moving_averages",
    "minitf.train.adagrad", "minitf.train.adagrad_da", "minitf.train.proximal",
    "minitf.train.rmsprop", "minitf.train.adadelta", "minitf.train.ftrl",
    "minitf.train.session_run_hook", "minitf.train.basic_session_run_hooks",
    "minitf.train.checkpoint_saver_hook", "minitf.train.step_util", "minitf.train.coordinator",
    "minitf.train.session_manager", "minitf.train.session_wrappers",
    "minitf.train.monitored_session", "minitf.train.training_session", "minitf.train.scaffold",
    "minitf.train.checkpoint_management", "minitf.train.basic_loops",
    "minitf.train.object_checkpoint", "minitf.train.restore_status", "minitf.train.trackable_view",
    "minitf.train.checkpoint_manager", "minitf.framework.trackable_pb",
    "minitf.checkpoint", "minitf.checkpoint.state", "minitf.checkpoint.npz",
    "minitf.checkpoint.bundle", "minitf.checkpoint.table", "minitf.checkpoint.wire",
    "minitf.checkpoint.snappy", "minitf.checkpoint.bundle_writer",
    "minitf.checkpoint.table_writer", "minitf.framework.saver_pb",
    "minitf.framework.api", "minitf.framework.constant_op", "minitf.framework.default_stack",
    "minitf.framework.device", "minitf.framework.dtypes", "minitf.framework.errors",
    "minitf.framework.graph", "minitf.framework.graph_keys", "minitf.framework.indexed_slices",
    "minitf.framework.ops", "minitf.framework.random_seed", "minitf.framework.registry",
    "minitf.framework.tensor_shape",
    "minitf.ops._shared", "minitf.ops.array_ops", "minitf.ops.control_flow_ops",
    "minitf.ops.io_ops", "minitf.ops.linalg_ops", "minitf.ops.manip_ops", "minitf.ops.math_ops",
    "minitf.ops.nn_ops", "minitf.ops.random_ops", "minitf.ops.slicing", "minitf.ops.state_ops",
    "minitf.ops.random_more_ops", "minitf.ops.random_gamma_ops", "minitf.ops.random_gamma_grad",
    "minitf.ops.random_index_shuffle",
    "minitf.ops.elementwise_ops", "minitf.ops.special_math_ops", "minitf.ops.complex_ops",
    "minitf.ops.bitwise_ops", "minitf.bitwise",
    "minitf.ops.tensor_operators", "minitf.ops.reduction_ops",
    "minitf.ops.scan_ops", "minitf.ops.segment_ops", "minitf.ops.norm_ops", "minitf.ops.clip_ops",
    "minitf.session", "minitf.plan", "minitf.gradients", "minitf.nn", "minitf.math",
    "minitf.random", "minitf.linalg", "minitf.compat",
    "minitf.control_flow.cond", "minitf.control_flow.while_loop",
    "minitf.control_flow.tensor_array", "minitf.control_flow.functional",
    "minitf.control_flow.function",
    "minitf.framework.nest",
    "minitf.framework.eager", "minitf.framework.tape", "minitf.backprop",
    "minitf.eager_variable_store", "minitf.v2_compat", "minitf.contrib", "minitf.contrib.eager",
    "minitf.custom_gradient", "minitf.ops.debug_ops", "minitf.ops.script_ops",
    "minitf.ops.sequence_ops", "minitf.ops.sort_ops", "minitf.ops.gather_scatter_ops",
    "minitf.ops.matrix_ops", "minitf.ops.shape_ops", "minitf.ops.partition_ops",
    "minitf.ops.batch_matmul_ops", "minitf.ops.linalg_solve_ops", "minitf.ops.linalg_decomp_ops",
    "minitf.ops.scatter_ops",
    "minitf.data.dataset_ops", "minitf.data.iterator_ops", "minitf.data.readers",
    "minitf.data.experimental", "minitf.data.function_ops",
    "minitf.ops.check_ops", "minitf.ops.check_shape_ops", "minitf.ops.assert_shapes_ops",
    "minitf.ops.print_ops",
    "minitf.debugging",
    "minitf.ops.fft_ops", "minitf.ops.rfft_ops", "minitf.ops.spectral_ops", "minitf.signal",
    "minitf.spectral", "minitf.ops.misc_math_ops", "minitf.ops.misc_array_ops",
    "minitf.ops.misc_index_ops", "minitf.ops.approx_topk_ops",
    "minitf.ops.space_batch_ops", "minitf.ops.quantize_ops", "minitf.ops.fake_quant_ops",
    "minitf.compat_names", "minitf.module", "minitf.framework.versions",
    "minitf.framework.tensor_util", "minitf.framework.type_spec", "minitf.ops.compat_ops",
    "minitf.ops.session_ops",
    "minitf.ops.linalg_lu_ops", "minitf.ops.linalg_extra_ops", "minitf.ops.linalg_tridiagonal_ops",
    "minitf.linear_operator", "minitf.linear_operator.linear_operator",
    "minitf.linear_operator.matrix", "minitf.linear_operator.wrappers",
    "minitf.linear_operator.diag", "minitf.linear_operator.identity",
    "minitf.linear_operator.products",
    "minitf.linear_operator.structured", "minitf.linear_operator.block_lower_triangular",
    "minitf.linear_operator.circulant",
    "minitf.rnn_cell", "minitf.rnn",
    "minitf.ops.nn_more_ops", "minitf.ops.nn_loss_ops", "minitf.ops.nn_norm_ops",
    "minitf.ops.conv_ops", "minitf.ops.conv_composite_ops", "minitf.ops.conv3d_ops",
    "minitf.ops.depthwise_conv_ops", "minitf.ops.pool_ops", "minitf.ops.pool3d_ops",
    "minitf.framework.sparse_tensor", "minitf.ops.sparse_ops", "minitf.ops.sparse_composite_ops",
    "minitf.embedding_sparse", "minitf.sparse",
    "minitf.ops.candidate_sampling_ops", "minitf.ops._range_samplers", "minitf.sampled_losses",
    "minitf.layers.conv_utils", "minitf.layers.convolutional",
    "minitf.layers.convolutional_transpose", "minitf.layers.convolutional_separable",
    "minitf.layers.pooling",
    "minitf.ops.pool_argmax_ops", "minitf.ops.nn_extra_ops", "minitf.ops.conv_generic_ops",
    "minitf.ops.morphology_ops", "minitf.ops.fractional_pool_ops", "minitf.ctc_labels",
    "minitf.ctc", "minitf.ops.ctc_ops",
    "minitf.ops.nn_stats_ops",
    "minitf.rnn_raw", "minitf.ops.quantized_nn_ops",
    "minitf.ops.stateless_random_ops", "minitf.ops.stateless_random_dists",
    "minitf.ops.binomial_sampler", "minitf.ops.truncated_normal_sampler",
    "minitf.random_generator", "minitf.ops.stateful_random_ops",
    "minitf.app", "minitf.flags", "minitf.gfile", "minitf.tf_logging",
    "minitf.framework.proto", "minitf.framework.proto_fields", "minitf.framework.proto_scalars",
    "minitf.framework.proto_containers", "minitf.framework.proto_wire",
    "minitf.framework.proto_text", "minitf.framework.config_pb", "minitf.framework.example_pb",
    "minitf._blas_threads", "minitf.test_util", "minitf.test_asserts", "minitf.test",
    "minitf.gradient_checker", "minitf.io", "minitf.train.cluster_spec",
    "minitf.train.device_setter", "minitf.train.warm_starting", "minitf.ops.sdca_ops",
    "minitf.train.checkpoint_ops",
    "minitf.model_analyzer", "minitf.contrib.slim", "minitf.contrib.slim.model_analyzer",
    "minitf.contrib.framework", "minitf.contrib.framework.arg_scope",
    "minitf.contrib.framework.variables", "minitf.contrib.layers",
    "minitf.contrib.layers.initializers", "minitf.contrib.layers.utils",
    "minitf.contrib.layers.convolutional", "minitf.contrib.layers.layers",
    "minitf.contrib.layers.normalization", "minitf.contrib.layers.optimizers",
    "minitf.contrib.layers.summaries", "minitf.contrib.layers.encoders",
    "minitf.contrib.seq2seq", "minitf.contrib.seq2seq.loss", "minitf.contrib.seq2seq.decoder",
    "minitf.contrib.seq2seq.helper", "minitf.contrib.seq2seq.basic_decoder",
    "minitf.contrib.seq2seq.attention_mechanism", "minitf.contrib.seq2seq.attention_wrapper",
    "minitf.contrib.seq2seq.beam_search_ops", "minitf.contrib.seq2seq.beam_search_decoder",
    "minitf.contrib.rnn.core_rnn_cell", "minitf.contrib.legacy_seq2seq",
    "minitf.contrib.legacy_seq2seq.decoders", "minitf.contrib.legacy_seq2seq.attention",
    "minitf.contrib.legacy_seq2seq.models", "minitf.contrib.legacy_seq2seq.loss",
    "minitf.contrib.legacy_seq2seq.buckets",
    "minitf.viz", "minitf.viz.dot", "minitf.viz.cli",
    "minitf.framework.tensor_pb", "minitf.framework.graph_pb", "minitf.framework.attr_values",
    "minitf.framework.importer", "minitf.ops.tf_grad_ops",
    "minitf.framework.graph_to_def", "minitf.framework.tf_op_signatures",
    "minitf.train.graph_io",
    "minitf.framework.summary_pb", "minitf.summary_ops", "minitf.summary_media",
    "minitf.summary_events", "minitf.summary_writer", "minitf.train.summary_saver_hook",
    "minitf.framework.meta_graph_pb", "minitf.framework.variable_pb", "minitf.train.meta_graph",
    "minitf.train.meta_graph_import",
    "minitf.framework.function_pb", "minitf.framework.function_library",
    "minitf.control_flow.function_import",
    "minitf.plan_tracing", "minitf.timeline", "minitf.framework.step_stats_pb",
    "minitf.train.profiler_hook", "minitf.train.supervisor",
    "minitf.contrib.rnn", "minitf.contrib.rnn.lstm_ops", "minitf.contrib.rnn.gru_ops",
    "minitf.contrib.rnn.rnn", "minitf.contrib.rnn.layer_norm_cells",
    "minitf.contrib.rnn.wrappers", "minitf.contrib.rnn.gated_cells", "minitf.contrib.rnn._base",
    "minitf.contrib.training", "minitf.contrib.training.hparam",
    "minitf.contrib.training.hparam_pb", "minitf.contrib.opt",
    "minitf.contrib.opt.weight_decay_optimizers", "minitf.contrib.opt.lazy_adam_optimizer",
    "minitf.contrib.opt.sign_optimizers",
    "minitf.contrib.training.training", "minitf.contrib.training.evaluation",
    "minitf.contrib.slim.learning", "minitf.contrib.slim.evaluation",
    "minitf.contrib.crf", "minitf.contrib.crf.crf", "minitf.contrib.crf.crf_decode",
    "minitf.contrib.losses", "minitf.contrib.losses.loss_ops", "minitf.contrib.metrics",
    "minitf.contrib.metrics.metric_ops", "minitf.contrib.metrics.classification",
    "minitf.contrib.metrics.concat_ops", "minitf.contrib.metrics.correlation_ops",
)

# Where users find them: every public name of these namespaces whose object is defined in a
# covered module is checked, as is every name in a covered module's `__all__`.
NAMESPACES = {"tf": tf, "tf.train": tf.train, "tf.layers": tf.layers,
              "tf.initializers": tf.initializers, "tf.regularizers": tf.regularizers,
              "tf.constraints": tf.constraints, "tf.losses": tf.losses, "tf.nn": tf.nn,
              "tf.math": tf.math, "tf.random": tf.random, "tf.linalg": tf.linalg,
              "tf.errors": tf.errors, "tf.test": tf.test, "tf.io": tf.io,
              "tf.summary": tf.summary}

# These must show an example.
MAIN_ENTRY_POINTS = (
    "tf.Variable", "tf.global_variables_initializer", "tf.fixed_size_partitioner",
    "tf.PartitionedVariable", "tf.nn.embedding_lookup", "tf.layers.dense", "tf.layers.dropout",
    "tf.constant_initializer", "tf.variance_scaling_initializer", "tf.regularizers.l2_regularizer",
    "tf.constraints.MaxNorm", "tf.losses.get_regularization_loss", "tf.train.Saver",
    "tf.train.latest_checkpoint", "tf.train.list_variables", "tf.train.load_variable",
    "tf.train.init_from_checkpoint", "tf.train.NewCheckpointReader",
    "tf.train.GradientDescentOptimizer", "tf.train.MomentumOptimizer", "tf.train.AdamOptimizer",
    "tf.train.Optimizer.minimize", "tf.train.get_or_create_global_step",
    "tf.VariableScope", "tf.get_variable_scope",
    "tf.constant", "tf.placeholder", "tf.Session", "tf.Session.run", "tf.Graph", "tf.name_scope",
    "tf.control_dependencies", "tf.matmul", "tf.reduce_sum", "tf.reshape", "tf.concat",
    "tf.gather", "tf.gradients", "tf.nn.relu", "tf.nn.softmax_cross_entropy_with_logits_v2",
    "tf.nn.sparse_softmax_cross_entropy_with_logits", "tf.random_normal", "tf.cast", "tf.where",
    "tf.one_hot", "tf.device",
)

_COVERED = frozenset(COVERED_MODULES)


def _covered(obj):
    return (inspect.isclass(obj) or inspect.isfunction(obj)) and obj.__module__ in _COVERED


def _public_objects():
    """{dotted name users reach it by: object}, each object once (classes' methods included)."""
    found, seen = {}, set()

    def add(name, obj):
        if id(obj) not in seen:
            seen.add(id(obj))
            found[name] = obj

    for prefix, namespace in NAMESPACES.items():
        for name in sorted(dir(namespace)):
            if not name.startswith("_") and _covered(getattr(namespace, name)):
                add(f"{prefix}.{name}", getattr(namespace, name))
    for module_name in COVERED_MODULES:
        module = importlib.import_module(module_name)
        for name in getattr(module, "__all__", ()):
            if _covered(getattr(module, name)):
                add(f"{module_name}.{name}", getattr(module, name))
    classes = [(name, obj) for name, obj in found.items() if inspect.isclass(obj)]
    for inherited in (False, True):  # a method is named after the class defining it
        for name, cls in classes:
            for attr, member in inspect.getmembers(cls):
                function = getattr(member, "__func__", member)  # classmethods
                if (not attr.startswith("_") and _covered(function)
                        and inherited != (attr in vars(cls))):
                    add(f"{name}.{attr}", function)
    return found


PUBLIC = _public_objects()


def _doc_and_params(obj):
    """The docstrings to read (a class's and its __init__'s) and the parameters to document."""
    if inspect.isclass(obj):
        docs = [inspect.cleandoc(obj.__doc__ or "")]
        init = obj.__init__
        if init is object.__init__:
            return docs, []
        docs.append(inspect.getdoc(init) or "")
        signature = inspect.signature(init)
    else:
        docs = [inspect.getdoc(obj) or ""]
        signature = inspect.signature(obj)
    params = [p.name for p in signature.parameters.values()
              if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]
    method = inspect.isclass(obj) or "." in obj.__qualname__  # (a function's `cls` is an arg)
    if method and params and params[0] in ("self", "cls"):
        params = params[1:]
    return docs, params


def documented_args(doc):
    """The names an `Args:` section documents (`name: ...`, or `a, b: ...` for several)."""
    names, lines = set(), doc.splitlines()
    for i, line in enumerate(lines):
        if line.strip() != "Args:":
            continue
        header = len(line) - len(line.lstrip())
        entry_indent = None
        for entry in lines[i + 1:]:
            indent = len(entry) - len(entry.lstrip())
            if not entry.strip() or indent <= header:
                break
            entry_indent = indent if entry_indent is None else entry_indent
            match = re.match(r"([\w, ]+):", entry.strip())
            if indent == entry_indent and match:
                names.update(n.strip() for n in match.group(1).split(","))
    return names


@pytest.mark.parametrize("name", sorted(PUBLIC))
def test_public_callable_has_a_summary_and_documents_every_argument(name):
    docs, params = _doc_and_params(PUBLIC[name])
    lines = docs[0].splitlines()
    assert lines and lines[0].strip(), f"{name} has no docstring"
    assert lines[0].rstrip().endswith("."), f"{name}: the summary line is not a sentence"
    assert len(lines) == 1 or not lines[1].strip(), f"{name}: the summary is not one line"
    documented = set().union(*(documented_args(doc) for doc in docs))
    missing = [p for p in params if p not in documented]
    assert not missing, f"{name}: `Args:` does not document {missing}"
    stale = sorted(documented - set(params))
    assert not stale, f"{name}: `Args:` documents {stale}, which are not parameters"


def _resolve(dotted):
    """The object `tf.a.b` names (a classmethod's function)."""
    obj = tf
    for part in dotted.split(".")[1:]:
        obj = getattr(obj, part)
    return getattr(obj, "__func__", obj)


def test_main_entry_points_show_an_example():
    collected = {id(obj) for obj in PUBLIC.values()}  # (under its first name if it has several)
    for name in MAIN_ENTRY_POINTS:
        obj = _resolve(name)
        assert id(obj) in collected, f"{name} is not collected: is its module in COVERED_MODULES?"
        docs, _ = _doc_and_params(obj)
        assert any(">>>" in doc for doc in docs), f"{name} shows no example"


def _doctests():
    finder = doctest.DocTestFinder(exclude_empty=True)
    tests = {}
    for module_name in COVERED_MODULES:
        for test in finder.find(importlib.import_module(module_name)):
            if test.examples:
                tests[test.name] = test
    return tests


DOCTESTS = _doctests()


def test_the_covered_modules_have_examples():
    assert len(DOCTESTS) >= len(MAIN_ENTRY_POINTS)


def test_every_example_shown_is_run():
    # doctest finds an object in the module its `__module__` names, by the name it is bound to
    # there: a function a factory makes (tf.nn.relu) must have the right `__module__`
    run = {id(test.docstring) for test in DOCTESTS.values()}
    shown = [name for name, obj in PUBLIC.items() if ">>>" in (obj.__doc__ or "")]
    missing = [name for name in shown if id(PUBLIC[name].__doc__) not in run]
    assert not missing, f"doctest does not run the examples of {missing}: check `__module__`"


@pytest.mark.parametrize("name", sorted(DOCTESTS))
def test_docstring_example_is_true(name):
    # conftest's autouse fixture gives each example a fresh default graph
    test = DOCTESTS[name]
    test.globs = {"tf": tf, "np": np}
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    report = []
    runner.run(test, out=report.append, clear_globs=True)
    assert runner.failures == 0, "".join(report)


@pytest.mark.parametrize("name", ["ScopeContext", "get_variable"])
def test_scope_kernels_document_every_argument(name):
    # tf.variable_scope and tf.get_variable are kernel objects; the twins' docstrings are equal
    # (tests/test_scope_paths.py), and the pure twin's signatures are Python's to read
    from minitf._pure import scopes

    docs, params = _doc_and_params(getattr(scopes, name))
    documented = set().union(*(documented_args(doc) for doc in docs))
    assert documented == set(params) and ">>>" in docs[0]
