"""The save and restore ops TF's `tf.train.Saver` builds into the graph (its BulkSaverBuilder,
V2 checkpoints), with TF's names, types, inputs and devices, for the SaverDef to name.

minitf's `Saver.save` and `Saver.restore` do not run them (they move values directly); they are
there for TF, which imports a `.meta` file's SaverDef and runs them, and for TF1 code that runs
`saver_def.save_tensor_name` or `restore_op_name` itself. Unsharded, for variables `a`, `b`:

    save/filename/input (Const "model") -> save/filename, save/Const (PlaceholderWithDefault)
    save/SaveV2 (+ tensor_names, shape_and_slices Consts) -> save/control_dependency (Identity)
    save/RestoreV2 (on the CPU) -> save/Assign, save/Assign_1 (or save/Identity and
        save/AssignVariableOp for a resource variable) -> save/restore_all (NoOp)

Sharded, one SaveV2 per device to `<prefix>_temp/part-0000i-of-0000n` (ShardedFilename), merged
by MergeV2Checkpoints (the save tensor is its Identity), and one `restore_shard` per device.
The ops are made in one pass over the variables, in TF's order (sorted checkpoint names).
"""
import os

from minitf.framework import dtypes
from minitf.framework.api import control_dependencies, device, name_scope
from minitf.framework.constant_op import constant
from minitf.framework.device import _parse, _to_string, canonical_name
from minitf.ops import io_ops, state_ops
from minitf.ops._shared import identity
from minitf.ops.array_ops import _placeholder_with_default
from minitf.ops.control_flow_ops import no_op
from minitf.variables import ResourceVariable

__all__ = ["build_save_graph"]


class _Spec:
    """One saved tensor: a variable (or a slice of a partitioned one) under its checkpoint name.
    """

    __slots__ = ("name", "slice", "var", "resource")

    def __init__(self, name, var, info):
        self.name, self.var = name, var
        self.slice = info.spec if info is not None else ""
        self.resource = isinstance(var, ResourceVariable)

    def tensor(self):
        """The tensor saved; a resource slice's is read anew each time, as TF's closure does."""
        var = self.var
        if not self.resource:
            return var._snapshot if self.slice else var._variable  # TF: v:0, or p/part_0/read
        if not self.slice:
            return var._graph_element
        with device(var.device):
            with name_scope("Read"):
                value = state_ops._read_variable.apply(
                    [var._handle], name="ReadVariableOp", shape=var._shape, dtype=var.dtype)
            value = identity(value)
            with device("/device:CPU:0"):  # TF copies a variable's value to the CPU to save it
                return identity(value)

    def device(self):
        """The canonical device of the saved tensor (without making a resource slice's read)."""
        if self.resource:
            return canonical_name(self.var._graph_element.device if not self.slice
                                  else self.var.device)
        return canonical_name(self.tensor().device)


def _specs(saveables):
    return [_Spec(name, var, info) for name in sorted(saveables) for var, info in saveables[name]]


def build_save_graph(saveables, name=None, filename=None, sharded=False, reshape=False):
    """Builds TF's save and restore ops of `saveables` in the default graph.

    Args:
      saveables: {checkpoint name: [(variable, SaveSliceInfo or None)]}, as the Saver holds
        them.
      name: the name scope (default "save", made unique: "save_1", ...).
      filename: the default of the filename placeholder (default "model").
      sharded: one save per device, merged.
      reshape: restore through a Reshape to each variable's shape.

    Returns:
      (the filename tensor, the save tensor, the restore op).
    """
    specs = _specs(saveables)
    with name_scope(name, "save"):
        with name_scope("filename") as scope:
            default = constant(filename or "model", dtype=dtypes.string, name="input")
            prefix = _placeholder_with_default.apply([default], name=scope, shape=())
        # (TF keeps the name "Const" for backwards compatibility)
        prefix = _placeholder_with_default.apply([prefix], name="Const", shape=())
        if not sharded:
            return (prefix, _save_ops(prefix, specs),
                    _restore_ops(prefix, specs, reshape, "restore_all"))
        per_device = {}
        for spec in specs:
            per_device.setdefault(spec.device(), []).append(spec)
        per_device = sorted(per_device.items())
        save = _sharded_save_ops(prefix, per_device)
        shards = []
        for dev, group in per_device:
            with device(dev):
                shards.append(_restore_ops(prefix, group, reshape, "restore_shard"))
        return prefix, save, _group(shards, "restore_all")


def _save_ops(prefix, specs):
    tensors = [spec.tensor() for spec in specs]
    save = io_ops.save_v2(prefix, [s.name for s in specs], [s.slice for s in specs], tensors)
    with name_scope("control_dependency") as scope:  # TF's with_dependencies
        graph = prefix.graph
        with graph.colocate_with(prefix.op), graph.control_dependencies([save]):
            return identity(prefix, name=scope)


def _restore_ops(prefix, specs, reshape, name):
    with device("cpu:0"):
        restored = io_ops.restore_v2(prefix, [s.name for s in specs], [s.slice for s in specs],
                                     [s.var.dtype.base_dtype for s in specs])
    return _group([_assign(spec, value, reshape) for spec, value in zip(specs, restored)], name)


def _assign(spec, value, reshape):
    var = spec.var
    if reshape:
        from minitf.ops.manip_ops import reshape as reshape_op  # (a heavier import)
        with name_scope("Reshape") as scope:
            shape = constant(spec.tensor().shape.as_list(), dtype=dtypes.int32, name="shape")
            value = reshape_op(value, shape, name=scope)
    if spec.resource:
        place = var._graph_element.device if not spec.slice else var.device
        with device(place):  # TF copies the value to the variable's device first
            value = identity(value)
            return state_ops._assign_variable.apply([var._handle, value],
                                                    name="AssignVariableOp")
    with device(var.device):  # (TF: colocated with the variable)
        return state_ops._assign.apply(
            [var._variable, value], name="Assign", use_locking=True,
            validate_shape=not reshape and var.shape.is_fully_defined()).op


def _group(ops, name):
    """TF's `group`: one NoOp after `ops`, through one NoOp per device when they differ."""
    by_device = {}
    for op in ops:
        by_device.setdefault(op.device, []).append(op)
    with name_scope(name) as scope:
        if len(by_device) == 1:
            ((dev, deps),) = by_device.items()
            with device(dev), control_dependencies(deps):
                return no_op(name=scope)
        firsts = []
        for dev in sorted(by_device):
            with device(dev), control_dependencies(by_device[dev]):
                firsts.append(no_op())
        with control_dependencies(firsts):
            return no_op(name=scope)


def _cpu0(dev):
    """The CPU of the machine of device `dev` (TF's set_cpu0)."""
    job, replica, task, _, _ = _parse(dev)
    return _to_string((job, replica, task, "CPU", 0))


def _sharded_save_ops(prefix, per_device):
    from minitf.ops import manip_ops  # (a heavier import, for sharded savers only)

    with device("CPU"):  # "<prefix>_temp/part", or "<prefix>.part" on S3 (TF's suffix)
        on_s3 = io_ops._static_regex_full_match.apply([prefix], name="StaticRegexFullMatch",
                                                      pattern="^s3://.*")
        suffix = manip_ops.where(on_s3, constant(".part"),
                                 constant(os.path.normpath("_temp/part")))
        temp = io_ops._string_join.apply([prefix, suffix], name="StringJoin", separator="")
    count = constant(len(per_device), dtype=dtypes.int32, name="num_shards")
    saves, prefixes = [], []
    for shard, (dev, specs) in enumerate(per_device):
        with device(_cpu0(dev)):
            with name_scope("ShardedFilename") as scope:
                index = constant(shard, dtype=dtypes.int32, name="shard")
                part = io_ops._sharded_filename.apply([temp, index, count], name=scope)
            prefixes.append(part)
            saves.append(_save_ops(part, specs))
    with device(_cpu0(per_device[-1][0])):
        with control_dependencies([s.op for s in saves]):
            with name_scope("MergeV2Checkpoints") as scope:
                parts = manip_ops.stack(prefixes, name="checkpoint_prefixes")
        # (outside the control scope: TF leaves out the control inputs its input has)
        merge = io_ops._merge.apply([parts, prefix], name=scope, delete_old_dirs=True)
        with control_dependencies([s.op for s in saves] + [merge]):
            return identity(prefix)
