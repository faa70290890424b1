"""Reading checkpoints (minitf's or TensorFlow's) by name: `load_checkpoint`, `list_variables`,
`load_variable`, and `init_from_checkpoint`, which makes variables' initializers load from one."""
import os

from minitf import checkpoint
from minitf.checkpoint import state
from minitf.framework.api import device
from minitf.ops import io_ops, state_ops
from minitf.variable_scope import _get_default_variable_store
from minitf.variables import ResourceVariable, Variable


class CheckpointReader:
    """Reads the tensors of a checkpoint by name (`tf.train.NewCheckpointReader`).

    The checkpoint may be minitf's or TensorFlow 1's (V2 format); no graph or session is
    needed. `tf.train.load_checkpoint` makes one from a directory too.

    >>> import tempfile
    >>> v = tf.Variable([[1.0, 2.0]], name="v")
    >>> with tempfile.TemporaryDirectory() as d, tf.Session() as sess:
    ...     sess.run(v.initializer)
    ...     reader = tf.train.NewCheckpointReader(tf.train.Saver().save(sess, d + "/ckpt"))
    ...     print(reader.get_variable_to_shape_map(), reader.get_tensor("v"))
    {'v': [1, 2]} [[1. 2.]]
    """

    def __init__(self, prefix):
        """Opens the checkpoint at `prefix`.

        Args:
          prefix: the checkpoint's prefix (as `Saver.save` returns it).

        Raises:
          minitf.errors.NotFoundError: there is no checkpoint at `prefix`.
          minitf.errors.DataLossError: its files are corrupted.
        """
        self._prefix = prefix
        self._reader = checkpoint.open_checkpoint(prefix)

    def has_tensor(self, name):
        """Returns whether the checkpoint holds a tensor named `name`.

        Args:
          name: the tensor's name in the checkpoint.
        """
        return name in self._reader.names()

    def get_tensor(self, name):
        """Returns the value of a tensor of the checkpoint.

        Args:
          name: the tensor's name in the checkpoint (a variable's op name, e.g. `scope/w`).

        Returns:
          A NumPy array, or a NumPy scalar for a scalar tensor (as TF's reader).

        Raises:
          minitf.errors.NotFoundError: the checkpoint has no tensor `name`.
          minitf.errors.UnimplementedError: its dtype is one minitf cannot hold (bfloat16, ...).
          minitf.errors.DataLossError: its data is corrupted.
        """
        value = self._reader.tensor(name)
        return value[()] if value.ndim == 0 else value

    def get_variable_to_shape_map(self):
        """Returns a dict from each tensor's name to its shape (a list of ints)."""
        return {n: list(self._reader.shape(n)) for n in self._reader.names()}

    def get_variable_to_dtype_map(self):
        """Returns a dict from each tensor's name to its DType."""
        return {n: self._reader.dtype(n) for n in self._reader.names()}

    def debug_string(self):
        """Returns bytes listing each tensor as a line `name (dtype) [shape]`."""
        return b"".join(_raw(n) + f" ({self._reader.dtype(n).name}) "
                        f"{list(self._reader.shape(n))}\n".encode()
                        for n in self._reader.names())


def _raw(name):
    # a name's bytes as the checkpoint holds them (names() decodes with surrogateescape); a lone
    # surrogate no bytes stand for (a manifest's JSON may hold one) is shown escaped
    try:
        return name.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        return name.encode("utf-8", "backslashreplace")


NewCheckpointReader = CheckpointReader


def _prefix_of(ckpt_dir_or_file):
    path = os.fspath(ckpt_dir_or_file)
    if os.path.isdir(path):
        found = state.latest_checkpoint(path)
        if found is None:
            raise ValueError(f"Couldn't find 'checkpoint' file or checkpoints in given "
                             f"directory {path}")
        return found
    return path


def load_checkpoint(ckpt_dir_or_file):
    """Returns a CheckpointReader of a checkpoint.

    Args:
      ckpt_dir_or_file: a checkpoint's prefix, or a directory (its latest checkpoint).

    Returns:
      A CheckpointReader.

    Raises:
      ValueError: a directory without a checkpoint.
      minitf.errors.NotFoundError: no checkpoint at the prefix.
    """
    return CheckpointReader(_prefix_of(ckpt_dir_or_file))


def list_variables(ckpt_dir_or_file):
    """Lists the tensors of a checkpoint.

    Args:
      ckpt_dir_or_file: a checkpoint's prefix, or a directory (its latest checkpoint).

    Returns:
      A list of `(name, shape)` pairs, sorted by name; a shape is a list of ints.

    Raises:
      ValueError: a directory without a checkpoint.
      minitf.errors.NotFoundError: no checkpoint at the prefix.

    >>> import tempfile
    >>> w = tf.get_variable("dense/kernel", [3, 2])
    >>> step = tf.train.get_or_create_global_step()
    >>> with tempfile.TemporaryDirectory() as d, tf.Session() as sess:
    ...     sess.run(tf.global_variables_initializer())
    ...     _ = tf.train.Saver().save(sess, d + "/model.ckpt", global_step=100)
    ...     print(tf.train.list_variables(d))
    [('dense/kernel', [3, 2]), ('global_step', [])]
    """
    shapes = load_checkpoint(ckpt_dir_or_file).get_variable_to_shape_map()
    return [(name, shapes[name]) for name in sorted(shapes)]


def load_variable(ckpt_dir_or_file, name):
    """Returns the value of one tensor of a checkpoint.

    Args:
      ckpt_dir_or_file: a checkpoint's prefix, or a directory (its latest checkpoint).
      name: the tensor's name; a trailing ":0" is dropped, so a variable's name works.

    Returns:
      A NumPy array, or a NumPy scalar for a scalar tensor.

    Raises:
      ValueError: a directory without a checkpoint.
      minitf.errors.NotFoundError: no checkpoint at the prefix, or no tensor `name` in it.

    >>> import tempfile
    >>> step = tf.train.get_or_create_global_step()
    >>> with tempfile.TemporaryDirectory() as d, tf.Session() as sess:
    ...     step.load(42, sess)
    ...     _ = tf.train.Saver().save(sess, d + "/model.ckpt")
    ...     print(tf.train.load_variable(d, step.name))
    42
    """
    if name.endswith(":0"):
        name = name[:-2]
    return load_checkpoint(ckpt_dir_or_file).get_tensor(name)


def init_from_checkpoint(ckpt_dir_or_file, assignment_map):
    """Makes variables' initializers load their values from a checkpoint.

    The initializers read the checkpoint when they run (e.g. in
    `global_variables_initializer()`), so use this before running them. `assignment_map`
    follows TF1's rules, its names and scopes naming variables made with `get_variable`:
    `'ckpt/scope/': 'scope/'` maps every variable under `scope/` to the tensor of the same
    name under `ckpt/scope/` (`'/'` is the root on either side); `'ckpt/name': 'scope/var'`,
    `'ckpt/name': variable` and `'ckpt/name': [parts]` map one tensor to one variable, which
    may be a partitioned variable (by name, or the list of its parts). Every mapping is
    checked before any initializer changes.

    Args:
      ckpt_dir_or_file: a checkpoint's prefix, or a directory (its latest checkpoint).
      assignment_map: a dict (or a list of pairs) from checkpoint names or scopes to
        variables, variable names or scopes, as above.

    Raises:
      ValueError: a directory without a checkpoint, a tensor missing from the checkpoint, a
        shape that differs, a name that maps to no variable, or a scope mapped to a name
        that is not a scope.
      minitf.errors.NotFoundError: no checkpoint at the prefix.

    >>> import tempfile
    >>> old = tf.Variable([1.0, 2.0], name="old/w")
    >>> with tf.variable_scope("new"):
    ...     w = tf.get_variable("w", [2])
    >>> with tempfile.TemporaryDirectory() as d:
    ...     with tf.Session() as sess:
    ...         sess.run(old.initializer)
    ...         _ = tf.train.Saver([old]).save(sess, d + "/model.ckpt")
    ...     tf.train.init_from_checkpoint(d, {"old/": "new/"})
    ...     with tf.Session() as sess:
    ...         sess.run(w.initializer)
    ...         print(sess.run(w))
    [1. 2.]
    """
    prefix = _prefix_of(ckpt_dir_or_file)
    shapes = CheckpointReader(prefix).get_variable_to_shape_map()
    pairs = assignment_map.items() if hasattr(assignment_map, "items") else assignment_map
    plan = []
    for tensor_name, target in sorted(pairs, key=lambda pair: pair[0]):
        plan.extend(_resolve(tensor_name, target, shapes, ckpt_dir_or_file))
    for tensor_name, target in plan:
        _set_initializer(target, prefix, tensor_name)


def _resolve(tensor_name, target, shapes, where):
    # [(checkpoint name, variable or list of parts)] for one entry of the assignment map
    store = _get_default_variable_store()
    var = target if _is_variables(target) else _lookup(store, target)
    if var is not None:
        if tensor_name not in shapes:
            raise ValueError(f"Tensor {tensor_name} is not found in {where} checkpoint "
                             f"{shapes}")
        full = var[0]._save_slice_info.full_shape if isinstance(var, list) else (
            var.shape.as_list())
        if list(full) != list(shapes[tensor_name]):
            raise ValueError(f"Shape of variable {_names(var)} ({full}) doesn't match with "
                             f"shape of tensor {tensor_name} ({shapes[tensor_name]}) from "
                             "checkpoint reader.")
        return [(tensor_name, var)]
    if not isinstance(target, str):
        raise ValueError(f"Assignment map target {target!r} is not a variable, a list of "
                         "partitions or a variable name.")
    scope = target[:target.rindex("/")] if "/" in target else ""
    if not tensor_name.endswith("/"):
        raise ValueError(f"Assignment map with scope only name {scope} should map to scope "
                         f"only {tensor_name}. Should be 'scope/': 'other_scope/'.")
    found = set()
    for name in store._store.names():
        if not scope or name.startswith(scope + "/"):
            found.add(name[:name.index("/part_")] if "/part_" in name else name)
    out = []
    for name in sorted(found):
        rest = name[len(scope):] if target == "/" else name[len(scope) + 1:]
        full = rest if tensor_name == "/" else tensor_name + rest
        full = full[:-1] if full.endswith("/") else full
        if full not in shapes:
            raise ValueError(f"Tensor {full} ({rest} in {tensor_name}) is not found in {where} "
                             "checkpoint")
        out.extend(_resolve(full, _lookup(store, name), shapes, where))
    return out


def _is_variables(x):
    return isinstance(x, Variable) or (isinstance(x, list) and x and all(
        isinstance(v, Variable) for v in x))


def _lookup(store, name):
    if not isinstance(name, str):
        return None
    var = store._store.get(name)
    if var is not None or store._store.get(f"{name}/part_0") is None:
        return var
    parts, i = [], 0
    while store._store.get(f"{name}/part_{i}") is not None:
        parts.append(store._store.get(f"{name}/part_{i}"))
        i += 1
    return parts


def _names(var):
    return ",".join(v.name for v in var) if isinstance(var, list) else var.name


def _set_initializer(target, prefix, tensor_name):
    if isinstance(target, list):
        full_name = target[0]._save_slice_info.full_name
        for part in target:
            info = part._save_slice_info
            if info.full_name != full_name:
                raise ValueError(f"Slices must all be from the same tensor: {full_name} != "
                                 f"{info.full_name}")
            _restore_into(part, prefix, tensor_name, info.var_offset)
    else:
        _restore_into(target, prefix, tensor_name, None)


def _restore_into(var, prefix, tensor_name, offset):
    var._holder  # a deferred variable builds its ops first: its initializer is replaced below
    graph = var.graph
    with graph.as_default(), graph.control_dependencies(None), device(var.device), \
            graph.name_scope(None):
        value = io_ops.restore_tensor(prefix, tensor_name, var.shape.as_list(),
                                      var.dtype.base_dtype, offset)
        opdef = (state_ops._assign_variable if isinstance(var, ResourceVariable)
                 else state_ops._assign)
        # (eager: the restore and the assignment run here, as in TF)
        init = opdef.apply([var._variable, value], name=var._op_name + "/Assign")
    var._initializer_op = init if isinstance(var, ResourceVariable) else init.op
    var._initial_value = value

