"""Const: the op that holds a value, `constant()`, and `convert_to_tensor` (which turns Python and
NumPy values, and objects with a registered conversion such as Variables, into Tensors).

Conversions that need ops register themselves from above: ops/manip_ops.py packs a list holding
tensors (TF's autopacking) and densifies IndexedSlices."""
import numpy as np

from minitf.framework import dtypes as _dtypes
from minitf.framework.graph import get_default_graph
from minitf.framework.ops import Tensor
from minitf.framework.registry import register_op

_conversion_functions = []  # (base_type, fn(value, dtype, name, as_ref) -> Tensor)


def _const_shape(*, value, dtype):
    return value.shape


def _const_dtype(*, value, dtype):
    return dtype


@register_op("Const", shape=_const_shape, dtype=_const_dtype, differentiable=False)
def _const(*, value, dtype):
    return value  # read-only: a kernel or a caller cannot change the constant in place


def _to_array(value, dtype, shape, verify_shape):
    if dtype is None:
        dtype = _dtypes.infer_dtype(value)
    else:
        dtype = _dtypes.as_dtype(dtype).base_dtype
        _check_compatible(value, dtype)
    try:
        arr = np.array(value, dtype=dtype.as_numpy_dtype)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"Failed to convert {value!r} to a {dtype.name} constant: {exc}") from None
    if dtype == _dtypes.string:  # TF's strings are bytes: `sess.run(tf.constant("a"))` is b"a"
        arr = _as_bytes(arr)
    if shape is not None:
        arr = _fit_shape(arr, tuple(int(d) for d in shape), verify_shape)
    arr.setflags(write=False)
    return arr, dtype


def _as_bytes(arr):
    flat = [v.encode() if isinstance(v, str) else v for v in arr.ravel()]
    out = np.empty(arr.shape, dtype=object)
    out.ravel()[:] = flat
    return out


def _check_compatible(value, dtype):
    # TF refuses to narrow a Python/NumPy float into an integer or bool constant, and a Python
    # int into a bool one, and makes strings of nothing but strings (NumPy arrays are cast).
    flat = np.asarray(value, dtype=object).ravel() if isinstance(value, (list, tuple)) else [value]
    for v in flat:
        bad = ((dtype.is_integer or dtype.is_bool) and isinstance(v, (float, np.floating))) or (
            not dtype.is_complex and isinstance(v, (complex, np.complexfloating))) or (
            dtype.is_bool and isinstance(v, int) and not isinstance(v, bool)) or (
            dtype == _dtypes.string and not isinstance(v, (str, bytes, np.ndarray)))
        if bad:
            raise TypeError(f"Expected {dtype.name}, but got {v!r} of type "
                            f"'{type(v).__name__}'.")


def _fit_shape(arr, shape, verify_shape):
    size = int(np.prod(shape, dtype=np.int64))
    if arr.shape == shape:
        return arr
    if verify_shape:
        raise TypeError(f"Expected Tensor's shape: {shape}, but got {arr.shape}.")
    if arr.size > size:
        raise ValueError(f"Too many elements provided. Takes at most {size}, but got "
                         f"{arr.size}.")
    flat = arr.ravel()
    if arr.size < size:  # TF1 fills the rest with the last element given
        flat = np.concatenate([flat, np.repeat(flat[-1:], size - arr.size)])
    return flat.reshape(shape)


def constant(value, dtype=None, shape=None, name="Const", verify_shape=False):
    """Creates a constant tensor from a Python or NumPy value.

    The value is copied into a read-only array held by a `Const` op; every run yields it.

    Args:
      value: a Python scalar, a (nested) list or tuple, or a NumPy array or scalar.
      dtype: the element type. When None it is inferred as TF does: Python floats give
        float32, ints int32 (int64 if one does not fit), bools bool, strings string, and NumPy
        values keep their dtype.
      shape: optional shape of the result. A value of that many elements is reshaped to it; a
        shorter one is filled up with its last element (a scalar fills the whole tensor).
      name: a name for the operation (default "Const").
      verify_shape: if True, `value`'s own shape must equal `shape`.

    Returns:
      A constant Tensor.

    Raises:
      TypeError: `value` cannot be converted to `dtype` (a float for an integer or bool dtype,
        say), or `verify_shape` is True and the shapes differ.
      ValueError: `value` is None (with no `dtype`), or has more elements than `shape` holds,
        or `name` is "" outside any name scope (TF's invalid node name).

    >>> c = tf.constant([[1.0, 2.0], [3.0, 4.0]], name="c")
    >>> c
    <tf.Tensor 'c:0' shape=(2, 2) dtype=float32>
    >>> with tf.Session() as sess:
    ...     print(sess.run(tf.constant(7, shape=[2, 3])))
    [[7 7 7]
     [7 7 7]]
    """
    arr, dtype = _to_array(value, dtype, shape, verify_shape)
    if name == "" and not get_default_graph().get_name_scope():
        raise ValueError("`` is not a valid node name. Accepted names conform to Regex "
                         "/^[A-Za-z0-9.][A-Za-z0-9_.\\/>-]*$/")
    return _const.apply([], name=name, value=arr, dtype=dtype)


def register_tensor_conversion_function(base_type, conversion_func, priority=100):
    """Registers a function that converts objects of `base_type` to Tensors.

    `convert_to_tensor` (and so every op taking a tensor) calls
    `conversion_func(value, dtype=None, name=None, as_ref=False)` for a value of `base_type`,
    trying registered functions by priority, lowest first. A function that returns
    NotImplemented passes the value on to the next one, as in TF.

    Args:
      base_type: a type or a tuple of types.
      conversion_func: the function; it returns a Tensor of `dtype` (when given) or
        NotImplemented.
      priority: the order among the functions for one value; lower is tried first.
    """
    _conversion_functions.append((priority, base_type, conversion_func))
    _conversion_functions.sort(key=lambda entry: entry[0])


def convert_to_tensor(value, dtype=None, name=None, preferred_dtype=None, as_ref=False):
    """Converts `value` to a Tensor.

    A Tensor is returned as it is; an object of a registered type (a Variable, a list holding
    tensors, IndexedSlices) goes through its conversion function; anything else becomes a new
    `constant`.

    Args:
      value: a Tensor, a registered object, or a Python or NumPy value.
      dtype: the element type the result must have (None: keep or infer it).
      name: a name for a new op (default "Const" for a constant).
      preferred_dtype: the type to try when `dtype` is None, falling back to inference when
        the value does not fit it.
      as_ref: ask a variable for its reference (what `tf.gradients` differentiates by), not
        its value.

    Returns:
      A Tensor.

    Raises:
      TypeError: the value cannot be converted to `dtype`.
      ValueError: `value` is a Tensor of another dtype than `dtype`, or is None (with no
        `dtype`).
    """
    if isinstance(value, Tensor):
        if dtype is not None and not _dtypes.as_dtype(dtype).is_compatible_with(value.dtype):
            raise ValueError(f"Tensor conversion requested dtype {_dtypes.as_dtype(dtype).name} "
                             f"for Tensor with dtype {value.dtype.name}: {value!r}")
        return value
    for _, base_type, fn in _conversion_functions:
        if isinstance(value, base_type):
            tensor = fn(value, dtype=dtype, name=name, as_ref=as_ref)
            if tensor is not NotImplemented:
                return tensor
    if dtype is None and preferred_dtype is not None:
        try:
            return constant(value, preferred_dtype, name=name or "Const")
        except (TypeError, ValueError):
            pass
    return constant(value, dtype, name=name or "Const")


def _contains_tensor(values):
    return any(isinstance(v, Tensor) or hasattr(v, "_as_graph_element") or (
        isinstance(v, (list, tuple)) and _contains_tensor(v)) for v in values)


def constant_value(tensor):
    """The value of `tensor` if it is known while building the graph (a Const, or any eager
    tensor), else None."""
    if isinstance(tensor, Tensor):
        op = tensor._op
        if op is None:
            return tensor._value
        if op._opdef is _const:
            return op._attrs["value"]
    return None
