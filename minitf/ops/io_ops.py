"""The op reading one tensor (or a slice of it) from a checkpoint when it runs: what
`train.init_from_checkpoint` makes variables' initializers assign from."""
from minitf import checkpoint
from minitf.framework.errors import InvalidArgumentError
from minitf.framework.registry import register_op


def _restore_shape(*, prefix, tensor_name, offset, shape, dtype):
    return tuple(shape)


def _restore_dtype(*, prefix, tensor_name, offset, shape, dtype):
    return dtype


@register_op("RestoreV2", shape=_restore_shape, dtype=_restore_dtype, stateful=True,
             differentiable=False)
def _restore(state, op, *, prefix, tensor_name, offset, shape, dtype):
    # read at run time, as TF's RestoreV2: the checkpoint may be rewritten after the graph
    reader = checkpoint.open_checkpoint(prefix)
    try:
        have = reader.dtype(tensor_name)
        if have != dtype:
            raise InvalidArgumentError(
                None, op, f"tensor_name = {tensor_name}; expected dtype {dtype.name} does not "
                f"equal original dtype {have.name}")
        value = reader.tensor(tensor_name)
    finally:
        reader.close()
    if offset is not None:
        value = value[tuple(slice(o, o + n) for o, n in zip(offset, shape))]
    if value.shape != tuple(shape):
        raise InvalidArgumentError(
            None, op, f"{tensor_name} in {prefix} has shape {list(value.shape)}, not "
            f"{list(shape)}")
    return value


def restore_tensor(prefix, tensor_name, shape, dtype, offset=None, name="checkpoint_initializer"):
    """A tensor holding checkpoint tensor `tensor_name` (its slice at `offset` of `shape`)."""
    return _restore.apply([], name=name, prefix=prefix, tensor_name=tensor_name,
                          offset=None if offset is None else tuple(offset),
                          shape=tuple(shape), dtype=dtype)
