"""`tf.TensorArray`: a list of tensors written and read by index, as TF1 programs use it in
`while_loop` bodies (its ops are in ops/tensor_array_ops.py).

A graph TensorArray is a handle and a flow; `write`, `scatter`, `unstack` and `split` return a
new TensorArray (same handle, new flow) to use from then on, as in TF1. The static element shape
is learned from the writes (`infer_shape=True`) and shared by every TensorArray of the handle.
In eager mode a TensorArray is a Python list of tensors, as TF's eager one.
"""
from minitf.framework import dtypes, errors, tensor_shape
from minitf.framework.api import name_scope
from minitf.framework.constant_op import constant_value, convert_to_tensor
from minitf.framework.graph import get_default_graph
from minitf.framework.type_spec import TypeSpec
from minitf.ops import _shared, array_ops, manip_ops, sequence_ops, tensor_array_ops as _ops

__all__ = ["TensorArray", "TensorArraySpec"]


class TensorArray:
    """A list of tensors of one dtype, by index, for loops: `tf.TensorArray`.

    Args:
      dtype: the elements' dtype.
      size: the number of elements (an int32 scalar); with `dynamic_size`, the initial one.
      dynamic_size: whether writes past the end grow the array.
      clear_after_read: whether an element is cleared when read, so read only once (TF1's
        default True; stack and gather read too).
      tensor_array_name: accepted for TF's signature.
      handle, flow: an existing array's handle and flow (what while_loop passes).
      infer_shape: whether all elements have one shape, fixed by the first write.
      element_shape: the elements' static shape, if known.
      colocate_with_first_write_call: accepted for TF's signature.
      name: a name for the ops (default "TensorArray").

    Raises:
      ValueError: neither `size` nor `handle` is given, or both are.

    >>> ta = tf.TensorArray(tf.float32, size=2).write(0, [1.0, 2.0]).write(1, [3.0, 4.0])
    >>> stacked = ta.stack()
    >>> stacked.shape
    TensorShape([Dimension(2), Dimension(2)])
    >>> with tf.Session() as sess:
    ...     print(sess.run(stacked))
    [[1. 2.]
     [3. 4.]]
    """

    def __new__(cls, *args, **kwargs):
        if cls is TensorArray and get_default_graph()._eager:
            return super().__new__(_EagerTensorArray)
        return super().__new__(cls)

    def __init__(self, dtype, size=None, dynamic_size=None, clear_after_read=None,
                 tensor_array_name=None, handle=None, flow=None, infer_shape=True,
                 element_shape=None, colocate_with_first_write_call=True, name=None):
        self._dtype = dtypes.as_dtype(dtype).base_dtype
        if (size is None) == (handle is None):
            raise ValueError("Cannot construct with both size and handle" if size is not None
                             else "Size must be provided if handle is not provided")
        self._infer_shape = infer_shape
        shape = tensor_shape.as_shape(element_shape) if element_shape is not None else (
            tensor_shape.TensorShape(None))
        self._shape_cell = [shape]  # (shared with the arrays of this handle)
        self._dynamic_size = bool(dynamic_size)
        self._static_size = None  # (when known and fixed: stack's first dimension)
        if handle is not None:
            self._handle, self._flow = handle, flow
            return
        with name_scope(name, "TensorArray", [size]) as scope:
            size = convert_to_tensor(size, dtypes.int32, name="size")
            known = constant_value(size)
            if known is not None and not self._dynamic_size:
                self._static_size = int(known)
            self._handle, self._flow = _ops._create.apply(
                [size], name=scope,
                dtype=self._dtype, element_shape=shape._as_tuple(),
                dynamic_size=self._dynamic_size,
                clear_after_read=True if clear_after_read is None else clear_after_read,
                identical_element_shapes=infer_shape, tensor_array_name=tensor_array_name or "")

    handle = property(lambda self: self._handle, doc="The array's handle (a resource Tensor).")
    flow = property(lambda self: self._flow, doc="The flow scalar that orders its ops.")
    dtype = property(lambda self: self._dtype, doc="The elements' dtype.")
    dynamic_size = property(lambda self: self._dynamic_size, doc="Whether writes grow it.")

    @property
    def element_shape(self):
        """The elements' static TensorShape, as far as known."""
        return self._shape_cell[0]

    @property
    def _type_spec(self):
        return TensorArraySpec(self.element_shape, self._dtype, self._dynamic_size,
                               self._infer_shape)

    def _with_flow(self, flow):
        out = TensorArray.__new__(TensorArray)
        out.__dict__.update(self.__dict__)
        out._flow = flow
        return out

    def _merge_shape(self, shape):
        if self._infer_shape:
            merged = self._shape_cell[0].merge_with(shape)  # ValueError if incompatible
            self._shape_cell[0] = merged

    def identity(self):
        """Returns a TensorArray whose flow is an identity of this one's."""
        return self._with_flow(_shared.identity(self._flow))

    def grad(self, source, flow=None, name=None):
        """Returns the gradient array of this one for the gradients named `source`.

        Args:
          source: the gradients' name (their name scope's first part, e.g. "gradients").
          flow: the flow to order it by (default this array's).
          name: a name scope (default "TensorArrayGrad").
        """
        with name_scope(name, "TensorArrayGrad", [self._handle]):
            handle, flow = _ops._grad_array.apply(
                [self._handle, self._flow if flow is None else flow], source=source)
        out = TensorArray(self._dtype, handle=handle, flow=flow, infer_shape=self._infer_shape)
        out._shape_cell = self._shape_cell
        return out

    def read(self, index, name=None):
        """Returns element `index`.

        Args:
          index: an int32 scalar.
          name: a name for the operation (default "TensorArrayReadV3").

        Raises:
          minitf.errors.InvalidArgumentError: at run time, the index is out of range, was read
            before (with `clear_after_read`) or was never written and its shape is unknown.
        """
        shape = self._shape_cell[0]._as_tuple()
        return _ops._read.apply([self._handle, index, self._flow],
                                name=name or "TensorArrayReadV3", dtype=self._dtype,
                                element_shape=shape)

    def write(self, index, value, name=None):
        """Returns the array with `value` written at `index` (each index is written once).

        Args:
          index: an int32 scalar.
          value: a Tensor (or value) of the array's dtype.
          name: a name scope (default "TensorArrayWrite").

        Raises:
          ValueError: `value`'s shape differs from the elements' (with `infer_shape`).
          minitf.errors.InvalidArgumentError: at run time, the index was written before or is
            past the end of an array that does not grow.
        """
        with name_scope(name, "TensorArrayWrite", [self._handle, index, value]):
            value = convert_to_tensor(value, self._dtype, name="value")
            self._merge_shape(value.shape)
            return self._with_flow(_ops._write.apply([self._handle, index, value, self._flow]))

    def gather(self, indices, name=None):
        """Returns the elements at `indices`, stacked.

        Args:
          indices: a 1-D int32 Tensor (or list).
          name: a name for the operation (default "TensorArrayGatherV3").
        """
        return _ops._gather.apply([self._handle, convert_to_tensor(indices, dtypes.int32),
                                   self._flow], name=name or "TensorArrayGatherV3",
                                  dtype=self._dtype,
                                  element_shape=self._shape_cell[0]._as_tuple())

    def stack(self, name=None):
        """Returns all the elements stacked along a new first axis.

        Args:
          name: a name scope (default "TensorArrayStack").
        """
        with name_scope(name, "TensorArrayStack", [self._handle]):
            value = self.gather(sequence_ops.range(0, self.size()), name="TensorArrayGatherV3")
            if self._static_size is not None and value._shape is not None:
                value._shape = (self._static_size,) + value._shape[1:]
            return value

    def scatter(self, indices, value, name=None):
        """Returns the array with `value[i]` written at `indices[i]`.

        Args:
          indices: a 1-D int32 Tensor (or list).
          value: a Tensor whose first dimension has one row per index.
          name: a name scope (default "TensorArrayScatter").
        """
        with name_scope(name, "TensorArrayScatter", [self._handle, value, indices]):
            value = convert_to_tensor(value, self._dtype, name="value")
            if value.shape.ndims:
                self._merge_shape(value.shape[1:])
            return self._with_flow(_ops._scatter.apply(
                [self._handle, convert_to_tensor(indices, dtypes.int32), value, self._flow]))

    def unstack(self, value, name=None):
        """Returns the array with the rows of `value` written at 0, 1, ...

        Args:
          value: a Tensor (or value) of rank 1 or more.
          name: a name scope (default "TensorArrayUnstack").
        """
        with name_scope(name, "TensorArrayUnstack", [self._handle, value]):
            value = convert_to_tensor(value, self._dtype, name="value")
            indices = sequence_ops.range(0, _shared.shape_of(value)[0])
            return self.scatter(indices, value, name=name)

    def concat(self, name=None):
        """Returns all the elements joined along their first axis.

        Args:
          name: a name for the operation (default "TensorArrayConcatV3").
        """
        rest = self._shape_cell[0]
        rest = None if rest.ndims is None else rest[1:]._as_tuple()
        value, _ = _ops._concat.apply([self._handle, self._flow],
                                      name=name or "TensorArrayConcatV3", dtype=self._dtype,
                                      element_shape_except0=rest)
        return value

    def split(self, value, lengths, name=None):
        """Returns the array with `value` split on its first axis, written at 0, 1, ...

        Args:
          value: a Tensor (or value) of rank 1 or more.
          lengths: the pieces' lengths (int64), summing to `value`'s first dimension.
          name: a name scope (default "TensorArraySplit").
        """
        with name_scope(name, "TensorArraySplit", [self._handle, value, lengths]):
            value = convert_to_tensor(value, self._dtype, name="value")
            lengths = convert_to_tensor(lengths, dtypes.int64, name="lengths")
            return self._with_flow(_ops._split.apply([self._handle, value, lengths,
                                                      self._flow]))

    def size(self, name=None):
        """Returns the number of elements (an int32 scalar).

        Args:
          name: a name for the operation (default "TensorArraySizeV3").
        """
        return _ops._size.apply([self._handle, self._flow], name=name or "TensorArraySizeV3")

    def close(self, name=None):
        """Returns an op that empties the array.

        Args:
          name: a name for the operation (default "TensorArrayCloseV3").
        """
        return _ops._close.apply([self._handle], name=name or "TensorArrayCloseV3")


class TensorArraySpec(TypeSpec):
    """Describes a TensorArray: its elements' shape and dtype, and how it grows.

    Args:
      element_shape: the elements' static shape (None: unknown).
      dtype: the elements' dtype (default float32).
      dynamic_size: whether writes past the end grow it.
      infer_shape: whether all elements have one shape.

    >>> tf.TensorArraySpec([2], tf.float32)
    TensorArraySpec(TensorShape([Dimension(2)]), tf.float32, False, True)
    """

    value_type = TensorArray

    def __init__(self, element_shape=None, dtype=dtypes.float32, dynamic_size=False,
                 infer_shape=True):
        self._element_shape = tensor_shape.as_shape(element_shape)
        self._dtype = dtypes.as_dtype(dtype)
        self._dynamic_size, self._infer_shape = dynamic_size, infer_shape

    element_shape = property(lambda self: self._element_shape, doc="The elements' shape.")
    dtype = property(lambda self: self._dtype, doc="The elements' dtype.")
    dynamic_size = property(lambda self: self._dynamic_size, doc="Whether it grows.")

    def _serialize(self):
        return (self._element_shape, self._dtype, self._dynamic_size, self._infer_shape)

    @staticmethod
    def from_value(value):
        """Returns the spec of the TensorArray `value`.

        Args:
          value: a TensorArray.

        Raises:
          TypeError: `value` is not a TensorArray.
        """
        if not isinstance(value, TensorArray):
            raise TypeError(f"Expected value to be a TensorArray, but saw: {type(value)}")
        return value._type_spec


# -- gradients: through a gradient array per gradient source ------------------------------------
def _source():
    return get_default_graph().get_name_scope().split("/")[0]


def _grad_array(op, flow, dtype):
    like = TensorArray(dtype, handle=op.inputs[0], flow=flow)
    return like.grad(_source(), flow)


@_ops._read.gradient
def _read_grad(op, grad):
    g = _grad_array(op, op.inputs[2], grad.dtype)
    return [None, None, g.write(op.inputs[1], grad).flow]


@_ops._write.gradient
def _write_grad(op, flow):
    value = op.inputs[2]
    g = _grad_array(op, flow, value.dtype)
    read = _ops._read.apply([g.handle, op.inputs[1], g.flow], dtype=value.dtype.base_dtype,
                            element_shape=value._shape)
    return [None, None, read, flow]


@_ops._gather.gradient
def _gather_grad(op, grad):
    g = _grad_array(op, op.inputs[2], grad.dtype)
    return [None, None, g.scatter(op.inputs[1], grad).flow]


@_ops._scatter.gradient
def _scatter_grad(op, flow):
    value = op.inputs[2]
    g = _grad_array(op, flow, value.dtype)
    gathered = _ops._gather.apply([g.handle, op.inputs[1], g.flow],
                                  dtype=value.dtype.base_dtype,
                                  element_shape=None if value._shape is None
                                  else value._shape[1:])
    return [None, None, gathered, flow]


@_ops._concat.gradient
def _concat_grad(op, grad, lengths_grad):
    g = _grad_array(op, op.inputs[1], grad.dtype)
    return [None, g.split(grad, op.outputs[1]).flow]


@_ops._split.gradient
def _split_grad(op, flow):
    value = op.inputs[1]
    g = _grad_array(op, flow, value.dtype)
    joined, _ = _ops._concat.apply([g.handle, g.flow], dtype=value.dtype.base_dtype,
                                   element_shape_except0=None if value._shape is None
                                   else value._shape[1:])
    return [None, joined, None, flow]


class _EagerTensorArray(TensorArray):
    """An eager TensorArray: a list of eager tensors (TF's eager one is too)."""

    def __init__(self, dtype, size=None, dynamic_size=None, clear_after_read=None,
                 tensor_array_name=None, handle=None, flow=None, infer_shape=True,
                 element_shape=None, colocate_with_first_write_call=True, name=None):
        self._dtype = dtypes.as_dtype(dtype).base_dtype
        self._items = [None] * int(convert_to_tensor(size)._value if size is not None else 0)
        self._dynamic_size = bool(dynamic_size)
        self._infer_shape = infer_shape
        self._shape_cell = [tensor_shape.as_shape(element_shape) if element_shape is not None
                            else tensor_shape.TensorShape(None)]
        self._handle = self._flow = None

    def _fail(self, text):
        return errors.InvalidArgumentError(None, None, f"TensorArray: {text}")

    def read(self, index, name=None):
        index = int(convert_to_tensor(index)._value)
        if not 0 <= index < len(self._items):
            raise self._fail(f"Tried to read from index {index} but array size is: "
                             f"{len(self._items)}")
        value = self._items[index]
        if value is None:
            shape = self._shape_cell[0]
            if not shape.is_fully_defined():
                raise self._fail(f"Could not read from TensorArray index {index} because it has "
                                 "not yet been written to.")
            return array_ops.zeros(shape.as_list(), self._dtype)
        return value

    def write(self, index, value, name=None):
        index = int(convert_to_tensor(index)._value)
        value = convert_to_tensor(value, self._dtype)
        if index >= len(self._items):
            if not self._dynamic_size:
                raise self._fail(f"Tried to write to index {index} but array is not resizeable "
                                 f"and size is: {len(self._items)}")
            self._items += [None] * (index + 1 - len(self._items))
        self._merge_shape(value.shape)
        self._items[index] = value
        return self

    def gather(self, indices, name=None):
        return manip_ops.stack([self.read(i) for i in convert_to_tensor(indices)._value])

    def stack(self, name=None):
        if not self._items:
            shape = self._shape_cell[0]
            return array_ops.zeros([0] + (shape.as_list() if shape.ndims else []), self._dtype)
        return manip_ops.stack([self.read(i) for i in range(len(self._items))])

    def scatter(self, indices, value, name=None):
        value = convert_to_tensor(value, self._dtype)
        for k, i in enumerate(convert_to_tensor(indices)._value):
            self.write(int(i), value[k])
        return self

    def unstack(self, value, name=None):
        value = convert_to_tensor(value, self._dtype)
        return self.scatter(list(range(int(value.shape[0]))), value)

    def concat(self, name=None):
        return manip_ops.concat([self.read(i) for i in range(len(self._items))], 0)

    def split(self, value, lengths, name=None):
        value = convert_to_tensor(value, self._dtype)
        sizes = [int(n) for n in convert_to_tensor(lengths)._value]
        for i, part in enumerate(manip_ops.split(value, sizes, axis=0) if sizes else []):
            self.write(i, part)
        return self

    def size(self, name=None):
        return convert_to_tensor(len(self._items), dtypes.int32)

    def identity(self):
        return self

    def close(self, name=None):
        self._items = []

    def grad(self, source, flow=None, name=None):
        raise NotImplementedError("TensorArray.grad is not needed eagerly: use a GradientTape")
