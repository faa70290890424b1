"""`tf.function` in a TF1 graph, and `tf.CriticalSection`: a traced body run by one call op.

Calling a `tf.function` in graph mode traces the Python function once per signature (the
dtypes and shapes of its tensor arguments, the values of the others) into a Context of kind
"function" (framework/control_flow_context.py) and adds a `StatefulPartitionedCall` op that runs
the traced ops as a sub-plan, as TF's call op runs its function graph. As in TF, the body's
stateful ops run in program order, each after the one before, and every one runs whether its
result is returned or not; a variable made while tracing is made outside the body. Gradients go
through the call op as through a cond's branch. Eagerly, the function runs eagerly (the same
values as TF's traced run).

A CriticalSection runs what `execute` traces under a lock of its own, per session: two runs
of it never overlap.
"""
import inspect
import re
import threading

from minitf.control_flow.cond import backprop, branch_runner, out_dtypes, out_shapes, zeros_for
from minitf.control_flow.while_loop import _loop_var, _loop_var_like
from minitf.framework import nest
from minitf.framework.api import name_scope
from minitf.framework.constant_op import convert_to_tensor
from minitf.framework.control_flow_context import Context, recomputable
from minitf.framework.graph import get_default_graph
from minitf.framework.graph_keys import GraphKeys
from minitf.framework.ops import Operation, Tensor
from minitf.framework.registry import register_op
from minitf.gradients import gradients
from minitf.ops import array_ops

__all__ = ["function", "CriticalSection", "wrap_function", "nondifferentiable_batch_function"]


@register_op("StatefulPartitionedCall", shape=out_shapes, dtype=out_dtypes, outputs="n",
             stateful=True, ref_inputs="attr")
def _call(state, op, *inputs, **attrs):  # (bound by _bind_call)
    raise AssertionError("StatefulPartitionedCall runs through its bound kernel")


@_call.specialize
def _bind_call(op, state):
    index = {t: i for i, t in enumerate(op._inputs)}
    body = op._attrs["body"]
    index.update((t, i) for i, t in enumerate(body.args))  # (the arguments come first)
    runner = branch_runner(body, state, index)
    lock = op._attrs["lock"]
    gradient = op._attrs["gradient"]
    if lock is not None:  # a CriticalSection's: one run at a time, per session
        with _LOCKS_GUARD:
            mutex = state.setdefault(("critical_section", lock), threading.RLock())

        def kernel(*inputs):
            with mutex:
                return runner(inputs, inputs[-1] if gradient else None)
        return kernel
    return lambda *inputs: runner(inputs, inputs[-1] if gradient else None)


_LOCKS_GUARD = threading.Lock()


def _pure(body):
    """Whether the body has no stateful op (its arguments aside)."""
    args = set(body.args)
    return not body.effects and all(recomputable(op) or op._outputs[0] in args
                                    for op in body.ops)


def _call_name(body):
    """TF's call op: PartitionedCall for a body without stateful ops."""
    return "PartitionedCall" if _pure(body) else "StatefulPartitionedCall"


def _make_call(graph, body, args, name, lock=None, gradient=None, output_shapes=None,
               batch=False):
    caps = [t for t in body.captures if t not in args]
    inputs = list(args) + caps + ([gradient] if gradient is not None else [])
    refs = tuple(len(args) + i for i, t in enumerate(caps) if body.captures[t])
    with graph.control_dependencies(list(body.control_captures)):
        outs = _call.apply(inputs, name=name, body=body, lock=lock, batch=batch,
                           gradient=gradient is not None,
                           Tout=[t.dtype.base_dtype for t in body.outputs],
                           output_shapes=output_shapes or [t._shape for t in body.outputs],
                           ref_inputs=refs,
                           _pure=_pure(body))
    return outs


def _trace(graph, fn, structure, tensors, scope):
    """The body Context of `fn` called on `structure` (its tensors as arguments), its ops
    under the name scope `scope` (TF keeps them in a function graph of that name)."""
    body = Context(graph, "function")
    body.effects = []
    with graph._control_flow(body), graph.name_scope(scope):
        body.args = [_loop_var_like(t, t._shape, "input") for t in tensors]
        body.ordered = True
        packed = _replace_tensors(structure, body.args)
        result = fn(*packed[0], **packed[1])
        leaves = nest.flatten(result) if result is not None else []
        body.outputs = [_as_output(v, body) for v in leaves]
    for t in body.outputs:
        if not body.holds(t._op):
            body.captures.setdefault(t, t._op._opdef.read_at_use)
    body.structure = result
    return body


def _as_output(value, body):
    if isinstance(value, Operation):  # (TF: an op returned is run; its place holds None)
        body.effects.append(value)
        return None
    return convert_to_tensor(value)


def _replace_tensors(structure, new):
    it = iter(new)
    return nest.pack_sequence_as(structure, [next(it) if isinstance(v, Tensor) else v
                                             for v in nest.flatten(structure)])


class Function:
    """A Python function made a TF graph function: `tf.function(f)`.

    Args:
      python_function: the function.
      name: the call ops' name (default "StatefulPartitionedCall").
      input_signature: accepted for TF's signature (traces follow the arguments given).
    """

    def __init__(self, python_function, name=None, input_signature=None, batch=False):
        self._python_function = python_function
        self._name, self._batch = name, batch
        self._signature = inspect.signature(python_function)
        self._traces = {}  # (graph, key) -> body Context
        self._lock = threading.Lock()
        self.__doc__ = python_function.__doc__
        self.__name__ = getattr(python_function, "__name__", "function")

    python_function = property(lambda self: self._python_function,
                               doc="The Python function.")

    def __call__(self, *args, **kwargs):
        graph = get_default_graph()
        if graph._eager:
            return self._python_function(*args, **kwargs)
        bound = self._signature.bind(*args, **kwargs)
        bound.apply_defaults()
        structure = (list(bound.args), dict(bound.kwargs))
        tensors = [v for v in nest.flatten(structure) if isinstance(v, Tensor)]
        key = (graph, _key(structure))
        with self._lock:
            body = self._traces.get(key)
            if body is None:
                body = self._traces[key] = _trace(
                    graph, self._python_function, structure, tensors,
                    "inference_" + (re.sub(r"[^A-Za-z0-9_.]", "", self.__name__) or "function"))
        if self._batch:  # (TF: a BatchFunction op under "batch/", without a gradient)
            with name_scope("batch"):
                outs = _make_call(graph, body, tensors, "BatchFunction", batch=True)
        else:
            outs = _make_call(graph, body, tensors, self._name or _call_name(body))
        return _result(body, outs[:-1])


def _key(structure):
    parts = []
    for v in nest.flatten(structure):
        if isinstance(v, Tensor):
            parts.append(("tensor", v.dtype.base_dtype, v._shape))
        else:
            parts.append(("value", type(v), v if _hashable(v) else id(v)))
    return (repr(nest.map_structure(lambda _: 0, structure)), tuple(parts))


def _hashable(v):
    try:
        hash(v)
    except TypeError:
        return False
    return True


def _result(body, outs):
    if body.structure is None:
        return None
    it = iter(outs)
    return nest.pack_sequence_as(body.structure, [
        None if isinstance(v, Operation) else next(it) for v in nest.flatten(body.structure)])


def function(func=None, input_signature=None, autograph=True, jit_compile=None,
             reduce_retracing=False, experimental_implements=None,
             experimental_autograph_options=None, experimental_attributes=None,
             experimental_relax_shapes=None, experimental_compile=None,
             experimental_follow_type_hints=None):
    """Makes `func` a graph function: called in a graph, one op runs its traced body.

    The body is traced once per signature (the dtypes and shapes of the tensor arguments, the
    values of the others); its stateful ops run in program order, all of them, whether returned
    or not. Eagerly, `func` runs eagerly. Usable as a decorator with or without arguments.

    Args:
      func: the Python function.
      input_signature: accepted for TF's signature (traces follow the arguments given).
      autograph: accepted; minitf runs no AutoGraph (Python control flow runs while tracing).
      jit_compile: accepted (no XLA).
      reduce_retracing: accepted.
      experimental_implements: accepted.
      experimental_autograph_options: accepted.
      experimental_attributes: accepted.
      experimental_relax_shapes: accepted.
      experimental_compile: accepted.
      experimental_follow_type_hints: accepted.

    Returns:
      A callable `Function` (or a decorator, when `func` is None).

    >>> @tf.function
    ... def scale(x, k=2.0):
    ...     return x * k
    >>> y = scale(tf.constant(3.0))
    >>> y.name
    'PartitionedCall:0'
    >>> with tf.Session() as sess:
    ...     print(sess.run(y))
    6.0
    """
    if func is None:
        return lambda f: Function(f, input_signature=input_signature)
    return Function(func, input_signature=input_signature)


@_call.gradient
def _call_grad(op, *grads):
    """A call of the body's gradient, as a cond branch's."""
    if op._attrs["batch"]:
        raise LookupError(f"No gradient defined for operation '{op.name}' (op type: "
                          "BatchFunction): nondifferentiable_batch_function's calls have none")
    body, graph = op._attrs["body"], op._graph
    n_in = len(op._inputs) - (1 if op._attrs["gradient"] else 0)
    inner = {t: i for i, t in enumerate(body.args)}
    inner.update((t, i) for i, t in enumerate(op._inputs[len(body.args):n_in],
                                              len(body.args)))
    xs = [t for t in inner if backprop(t)]
    pairs = [(y, g) for y, g in zip(body.outputs, grads[:-1]) if backprop(y)]
    if not xs or not pairs:
        return [None] * len(op._inputs)
    g = Context(graph, "function", forward=body)
    # the forward arguments are the gradient call's arguments too (not values recorded by the
    # forward run), so a second derivative reaches the call's inputs
    g.args, g.effects = list(body.args), []
    with graph._control_flow(g):
        dxs = gradients([y for y, _ in pairs], xs, grad_ys=[gy for _, gy in pairs],
                        stop_gradients=xs)
        keep = [k for k, d in enumerate(dxs) if d is not None or (
            xs[k] in body.args and zeros_for(xs[k]) is not None)]
        g.outputs = [convert_to_tensor(dxs[k]) if dxs[k] is not None
                     else array_ops.zeros_like(xs[k]) for k in keep]
    g.close_gradient(g.outputs)
    outs = _make_call(graph, g, list(op._inputs[:len(body.args)]), _call_name(g),
                      gradient=op._outputs[-1], output_shapes=[xs[k]._shape for k in keep])
    result = [None] * len(op._inputs)
    for k, grad in zip(keep, outs[:-1]):
        result[inner[xs[k]]] = grad
    return result


class CriticalSection:
    """Runs functions' ops exclusively: no two runs of a CriticalSection's `execute` overlap.

    Args:
      name: a name (default "CriticalSection").
      shared_name, critical_section_def, import_scope: accepted for TF's signature.
    """

    def __init__(self, name=None, shared_name=None, critical_section_def=None,
                 import_scope=None):
        graph = get_default_graph()
        self._name = graph.unique_name(name or "CriticalSection") if not graph._eager else (
            name or "CriticalSection")
        self._lock = object()  # (keys the lock in each session's state)
        self._eager_lock = threading.RLock()

    name = property(lambda self: self._name, doc="The name.")

    def execute(self, fn, exclusive_resource_access=True, name=None):
        """Returns the results of `fn()`, whose ops run holding this section's lock.

        Args:
          fn: a function of no arguments returning tensors (a structure of them) or None.
          exclusive_resource_access: accepted for TF's signature.
          name: a name scope (default "critical_section_execute").

        Returns:
          What `fn` returns, as tensors computed under the lock.
        """
        graph = get_default_graph()
        if graph._eager:
            with self._eager_lock:
                return fn()
        with name_scope(name, "critical_section_execute", []):
            body = _trace(graph, lambda: fn(), ([], {}), [], "execute")
            outs = _make_call(graph, body, [], "StatefulPartitionedCall", lock=self._lock)
            return _result(body, outs[:-1])


# -- TF1 graph code as a function: wrap_function ---------------------------------------------------
class WrappedFunction:
    """TF1 graph code traced into a function (`tf.wrap_function`): call it to add a call op.

    The variables the code makes are made in the graph, outside the body (as TF lifts them),
    and need initializing as any; `variables` lists them.

    Args:
      body: the traced Context.
      structured_outputs: what the code returned.
      variables: the variables made while tracing.
    """

    def __init__(self, body, structured_outputs, variables):
        self._body, self.structured_outputs = body, structured_outputs
        self.variables = variables
        self.trainable_variables = [v for v in variables if getattr(v, "trainable", True)]

    inputs = property(lambda self: list(self._body.args), doc="The argument tensors.")
    outputs = property(lambda self: list(self._body.outputs), doc="The output tensors.")
    graph = property(lambda self: self._body.graph, doc="The graph the body is in.")

    def __call__(self, *args):
        graph = get_default_graph()
        args = [convert_to_tensor(a) for a in args]
        if len(args) != len(self._body.args):
            raise TypeError(f"The function takes {len(self._body.args)} positional arguments "
                            f"but {len(args)} were given.")
        outs = _make_call(graph, self._body, args, _call_name(self._body))
        return _result(self._body, outs[:-1])

    def prune(self, feeds, fetches, name=None):
        """Returns a function computing `fetches` from `feeds` (tensors of the body).

        Args:
          feeds: a tensor or list of tensors of the body (its arguments, or inner ones).
          fetches: a tensor or (nested) structure of tensors of the body.
          name: accepted for TF's signature.
        """
        pruned = Context(self._body.graph, "function")
        pruned.ops, pruned.captures = self._body.ops, dict(self._body.captures)
        pruned.args = nest.flatten(feeds)
        pruned.outputs, pruned.effects = nest.flatten(fetches), []
        pruned.structure = fetches
        return WrappedFunction(pruned, fetches, [])


def wrap_function(fn, signature, name=None):
    """Traces TF1 graph code `fn` into a function of tensors of `signature`.

    Args:
      fn: a Python function building graph ops (it may make variables with `get_variable`).
      signature: a list of `tf.TensorSpec`s, one per argument.
      name: the name scope of the traced ops (default "wrapped_function").

    Returns:
      A `WrappedFunction`: call it with tensors to add a call op; `prune`, `variables`,
      `inputs`, `outputs`, `structured_outputs`.

    Raises:
      RuntimeError: in eager mode (build the graph with `with tf.Graph().as_default():`).
    """
    graph = get_default_graph()
    if graph._eager:
        raise RuntimeError("minitf's wrap_function traces into the default graph: call it in "
                           "graph mode (inside `with tf.Graph().as_default():`)")
    before = {id(v) for v in _all_variables(graph)}
    specs = list(signature or [])
    body = Context(graph, "function")
    body.effects = []
    with graph._control_flow(body), graph.name_scope(name or "wrapped_function"):
        body.args = [_loop_var_like_spec(s) for s in specs]
        body.ordered = True
        result = fn(*body.args)
        leaves = nest.flatten(result) if result is not None else []
        body.outputs = [_as_output(v, body) for v in leaves]
    for t in body.outputs:
        if not body.holds(t._op):
            body.captures.setdefault(t, t._op._opdef.read_at_use)
    body.structure = result
    made = [v for v in _all_variables(graph) if id(v) not in before]
    return WrappedFunction(body, result, made)


def _all_variables(graph):
    return (graph.get_collection(GraphKeys.GLOBAL_VARIABLES)
            + graph.get_collection(GraphKeys.LOCAL_VARIABLES))


def _loop_var_like_spec(spec):
    return _loop_var.apply([], name="Placeholder", shape=spec.shape._as_tuple(),
                           dtype=spec.dtype.base_dtype)


def nondifferentiable_batch_function(num_batch_threads, max_batch_size, batch_timeout_micros,
                                     allowed_batch_sizes=None, max_enqueued_batches=10,
                                     autograph=True, enable_large_batch_splitting=True):
    """Decorator: the function's calls, without a gradient (TF's `BatchFunction` op).

    TF merges concurrent calls' inputs along axis 0 into batches for its own threads and splits
    the results back: each call gets what the function gives for its own inputs. minitf runs
    each call at once (the same values: the batching is TF's scheduling).

    Args:
      num_batch_threads: the batching threads (accepted).
      max_batch_size: the largest batch (accepted).
      batch_timeout_micros: how long a batch waits to fill (accepted).
      allowed_batch_sizes: the batch sizes to pad to (accepted).
      max_enqueued_batches: the queue's length (accepted).
      autograph: accepted.
      enable_large_batch_splitting: accepted.

    Returns:
      A decorator making a `Function` whose call ops (`batch/BatchFunction`) have no gradient
      (LookupError, as TF's).
    """
    return lambda fn: Function(fn, batch=True)
