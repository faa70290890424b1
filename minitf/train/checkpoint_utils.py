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
    """A checkpoint's tensors by name (TF's `py_checkpoint_reader`)."""

    def __init__(self, prefix):
        self._prefix = prefix
        self._reader = checkpoint.open_checkpoint(prefix)

    def has_tensor(self, name):
        return name in self._reader.names()

    def get_tensor(self, name):
        """The value of tensor `name` (a NumPy scalar for a scalar, as TF's; NotFoundError if
        absent)."""
        value = self._reader.tensor(name)
        return value[()] if value.ndim == 0 else value

    def get_variable_to_shape_map(self):
        return {n: list(self._reader.shape(n)) for n in self._reader.names()}

    def get_variable_to_dtype_map(self):
        return {n: self._reader.dtype(n) for n in self._reader.names()}

    def debug_string(self):
        return "".join(f"{n} ({self._reader.dtype(n).name}) {list(self._reader.shape(n))}\n"
                       for n in self._reader.names()).encode()


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
    """A CheckpointReader of the checkpoint (a prefix, or a directory's latest)."""
    return CheckpointReader(_prefix_of(ckpt_dir_or_file))


def list_variables(ckpt_dir_or_file):
    """[(name, shape)] of every tensor in the checkpoint, sorted by name."""
    shapes = load_checkpoint(ckpt_dir_or_file).get_variable_to_shape_map()
    return [(name, shapes[name]) for name in sorted(shapes)]


def load_variable(ckpt_dir_or_file, name):
    """The value of tensor `name` (a trailing ":0" is dropped) in the checkpoint."""
    if name.endswith(":0"):
        name = name[:-2]
    return load_checkpoint(ckpt_dir_or_file).get_tensor(name)


def init_from_checkpoint(ckpt_dir_or_file, assignment_map):
    """Makes variables' initializers load their values from a checkpoint (read when they run).

    `assignment_map` (a dict, or a list of pairs) maps checkpoint names to current variables,
    by TF1's rules: `'ckpt/scope/': 'scope/'` (every variable under `scope/` from the same name
    under `ckpt/scope/`; `'/'` is the root on either side), `'ckpt/name': 'scope/var'`,
    `'ckpt/name': variable`, or `'ckpt/name': [parts of a partitioned variable]` (or the
    partitioned variable's name). Every mapping is checked before any initializer changes.

    Raises:
      ValueError: a tensor is missing from the checkpoint, a shape differs, a name maps to no
        variable, or a scope maps to a name that is not a scope.
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
    """[(checkpoint name, variable or list of parts)] for one entry of the assignment map."""
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
    var.op  # a deferred variable builds its ops first: its initializer is replaced below
    graph = var.graph
    with graph.as_default(), graph.control_dependencies(None), device(var.device), \
            graph.name_scope(None):
        value = io_ops.restore_tensor(prefix, tensor_name, var.shape.as_list(),
                                      var.dtype.base_dtype, offset)
        opdef = (state_ops._assign_variable if isinstance(var, ResourceVariable)
                 else state_ops._assign)
        init = opdef.apply([var._variable, value], name=var.op.name + "/Assign")
    var._initializer_op = init if isinstance(var, ResourceVariable) else init.op
    var._initial_value = value

