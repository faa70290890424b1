"""`tf.TensorArray`'s ops: a list of tensors written and read by index (TF1's semantics).

In a graph, a TensorArray is a handle (the `TensorArray` op's first output: a _Store made
afresh for each run) and a flow, a float32 scalar that orders its reads and writes. Each index
is written once; by default (`clear_after_read=True`) it is read once. Gradients go through a
gradient array per source (`TensorArrayGradV3`), whose writes to one index add up, and whose
unwritten elements read as zeros of the forward element's shape. The Python class is in
ops/tensor_array.py.
"""
import numpy as np

from minitf.framework import dtypes, errors
from minitf.framework.registry import register_op

__all__ = []

_FLOW = np.float32(0.0)  # (a flow's value: it only orders the array's ops)


class _Store:
    """One run's array: element values by index, which were read (cleared), its gradients."""

    def __init__(self, op, size, dynamic, clear, element_shape, dtype, forward=None,
                 identical=False):
        self.op, self.dynamic, self.clear, self.identical = op, dynamic, clear, identical
        self.values = [None] * int(size)
        self.cleared = [False] * int(size)
        self.shapes = [None] * int(size)  # of the values written (a gradient's zeros)
        self.element_shape, self.dtype = element_shape, dtype
        self.forward = forward  # (a gradient array: its writes add up)
        self.grads = {}

    def fail(self, text):
        return errors.InvalidArgumentError(None, self.op, f"TensorArray {self.op.name}: {text}")

    def _grow(self, index, verb):
        if index < 0 or (index >= len(self.values) and not self.dynamic):
            tail = ("array is not resizeable and size is" if index >= 0 and verb == "write"
                    else "array size is")
            raise self.fail(f"Tried to {verb} {'to' if verb == 'write' else 'from'} index "
                            f"{index} but {tail}: {len(self.values)}")
        more = index + 1 - len(self.values)
        if more > 0:
            self.values += [None] * more
            self.cleared += [False] * more
            self.shapes += [None] * more

    def write(self, index, value):
        index = int(index)
        self._grow(index, "write")
        value = np.asarray(value, self.dtype)
        if self.identical and self.element_shape is None:
            self.element_shape = value.shape  # (TF: the first write fixes the shape)
        if self.identical and value.shape != self.element_shape:
            raise self.fail(f"Could not write to TensorArray index {index} because the value "
                            f"shape is {list(value.shape)} which is incompatible with the "
                            "TensorArray's inferred element shape: "
                            f"{list(self.element_shape)} (consider setting infer_shape=False).")
        old = self.values[index]
        if old is not None or self.cleared[index]:
            if self.forward is None:
                raise self.fail(f"Could not write to TensorArray index {index} because it has "
                                "already been written to.")
            value = value if old is None else old + value
        self.values[index], self.shapes[index] = value, value.shape

    def read(self, index):
        index = int(index)
        if not 0 <= index < len(self.values):
            raise self.fail(f"Tried to read from index {index} but array size is: "
                            f"{len(self.values)}")
        value = self.values[index]
        if value is not None:
            if self.clear:
                self.values[index], self.cleared[index] = None, True
            return value
        if self.cleared[index]:
            raise self.fail(f"Could not read index {index} twice because it was cleared after "
                            "a previous read (perhaps try setting clear_after_read = false?).")
        shape = self.element_shape
        if self.forward is not None and index < len(self.forward.shapes):
            shape = self.forward.shapes[index] or shape
        if shape is None:
            raise self.fail(f"Could not read from TensorArray index {index} because it has not "
                            "yet been written to.")
        return np.zeros(shape, self.dtype)  # (TF: zeros when the element's shape is known)

    def grad(self, source):
        store = self.grads.get(source)
        if store is None:
            store = self.grads[source] = _Store(self.op, len(self.values), self.dynamic, False,
                                                self.element_shape, self.dtype, forward=self)
        return store


def _flow(*inputs, **attrs):
    return dtypes.float32


def _scalar(*inputs, **attrs):
    return ()


def _known(shape):
    return None if shape is None or None in shape else tuple(shape)


@register_op("TensorArrayV3", shape=lambda size, **a: [(2,), ()],
             dtype=lambda size, **a: [dtypes.resource, dtypes.float32], outputs="n",
             stateful=True, differentiable=False)
def _create(state, op, size, *, dtype, element_shape, dynamic_size, clear_after_read,
            identical_element_shapes, tensor_array_name):
    if np.ndim(size) != 0 or size < 0:
        raise errors.InvalidArgumentError(None, op, f"Size should be >= 0, got {size}")
    store = _Store(op, size, dynamic_size, clear_after_read, _known(element_shape),
                   dtype.as_numpy_dtype, identical=identical_element_shapes)
    return [store, _FLOW]


@register_op("TensorArrayGradV3", shape=lambda handle, flow, *, source: [(2,), ()],
             dtype=lambda handle, flow, *, source: [dtypes.resource, dtypes.float32],
             outputs="n", stateful=True)
def _grad_array(state, op, handle, flow, *, source):
    return [handle.grad(source), _FLOW]


@_grad_array.gradient
def _grad_array_grad(op, *grads):
    raise LookupError(f"No gradient defined for operation '{op.name}' (op type: "
                      "TensorArrayGradV3): minitf has no second derivatives through TensorArrays")


@register_op("TensorArrayWriteV3", shape=_scalar, dtype=_flow, stateful=True)
def _write(state, op, handle, index, value, flow_in):
    handle.write(index, value)
    return _FLOW


@register_op("TensorArrayReadV3", shape=lambda h, i, f, *, dtype, element_shape: element_shape,
             dtype=lambda h, i, f, *, dtype, element_shape: dtype, stateful=True)
def _read(state, op, handle, index, flow_in, *, dtype, element_shape):
    return handle.read(index)


def _stacked_shape(h, indices, f, *, dtype, element_shape):
    n = indices._shape[0] if indices._shape else None
    return None if element_shape is None else (n,) + tuple(element_shape)


@register_op("TensorArrayGatherV3", shape=_stacked_shape,
             dtype=lambda h, i, f, *, dtype, element_shape: dtype, stateful=True)
def _gather(state, op, handle, indices, flow_in, *, dtype, element_shape):
    indices = np.asarray(indices).reshape(-1)
    if indices.size == 0:
        shape = handle.element_shape or _known(element_shape)
        if shape is None:
            raise errors.UnimplementedError(
                None, op, "TensorArray has size zero, but element shape <unknown> is not fully "
                "defined. Currently only static shapes are supported when packing zero-size "
                "TensorArrays.")
        return np.zeros((0,) + tuple(shape), handle.dtype)
    values = [handle.read(i) for i in indices]
    _same_shapes(handle, values, "pack")
    return np.stack(values)


def _same_shapes(handle, values, what):
    first = values[0].shape
    for i, v in enumerate(values):
        if v.shape != first:
            raise handle.fail(f"Could not {what} element {i} because its shape is "
                              f"{list(v.shape)} but the first element's is {list(first)}")


@register_op("TensorArrayScatterV3", shape=_scalar, dtype=_flow, stateful=True)
def _scatter(state, op, handle, indices, value, flow_in):
    indices = np.asarray(indices).reshape(-1)
    if len(indices) != np.shape(value)[0]:
        raise handle.fail(f"Expected len(indices) == values.shape[0], but saw: "
                          f"{len(indices)} vs. {np.shape(value)[0]}")
    for i, v in zip(indices, value):
        handle.write(i, v)
    return _FLOW


@register_op("TensorArrayConcatV3",
             shape=lambda h, f, *, dtype, element_shape_except0: [
                 None if element_shape_except0 is None else (None,) + tuple(
                     element_shape_except0), (None,)],
             dtype=lambda h, f, *, dtype, element_shape_except0: [dtype, dtypes.int64],
             outputs="n", stateful=True)
def _concat(state, op, handle, flow_in, *, dtype, element_shape_except0):
    values = [handle.read(i) for i in range(len(handle.values))]
    if not values:
        return [np.zeros((0,) + tuple(element_shape_except0 or ()), handle.dtype),
                np.zeros(0, np.int64)]
    return [np.concatenate(values), np.array([len(v) for v in values], np.int64)]


@register_op("TensorArraySplitV3", shape=_scalar, dtype=_flow, stateful=True)
def _split(state, op, handle, value, lengths, flow_in):
    lengths = np.asarray(lengths).reshape(-1)
    if lengths.sum() != np.shape(value)[0]:
        raise handle.fail(f"Expected sum of lengths to be equal to values.shape[0], but sum "
                          f"of lengths is {lengths.sum()} and value's shape is: "
                          f"{list(np.shape(value))}")
    for i, part in enumerate(np.split(value, np.cumsum(lengths)[:-1])):
        handle.write(i, part)
    return _FLOW


@register_op("TensorArraySizeV3", shape=_scalar, dtype=lambda h, f: dtypes.int32,
             stateful=True, differentiable=False)
def _size(state, op, handle, flow_in):
    return np.int32(len(handle.values))


@register_op("TensorArrayCloseV3", shape=None, outputs=0, stateful=True,
             differentiable=False)
def _close(state, op, handle):
    handle.values = [None] * len(handle.values)
