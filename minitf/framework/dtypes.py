"""DType: TF's element types as singleton objects, their `_ref` variants, and `as_dtype`."""
import builtins

import numpy as np

__all__ = ["DType", "as_dtype", "float16", "half", "float32", "float64", "double", "int8", "int16",
           "int32", "int64", "uint8", "uint16", "uint32", "uint64", "bool", "string", "complex64",
           "complex128", "resource", "bfloat16", "qint8", "quint8", "qint16", "quint16", "qint32",
           "variant", "QUANTIZED_DTYPES"]

_REF_OFFSET = 100  # TF numbers a ref dtype as its base enum + 100


class DType:
    """The element type of a tensor (`tf.float32`, ...), or its reference variant.

    There is one DType object per type, made when minitf is imported: use `tf.float32`,
    `tf.int64`, ... or `tf.as_dtype(...)` rather than the constructor. A DType compares equal
    to its name and NumPy type (`tf.float32 == "float32" == np.float32`). The `_ref` variant
    (`float32_ref`) is the type of a reference variable's output; `base_dtype` strips it.

    Args:
      enum: TF's DataType number (a `_ref` variant's is the base number + 100).
      name: the type's name, e.g. "float32".
      np_type: the NumPy type of its values (object for strings and resources; for a type
        minitf only names, such as bfloat16, the message a use of it raises).

    >>> tf.float32.is_floating, tf.float32.size, tf.float32.as_numpy_dtype
    (True, 4, <class 'numpy.float32'>)
    >>> tf.as_dtype("double") is tf.float64
    True
    """

    __slots__ = ("_enum", "_name", "_np")

    def __init__(self, enum, name, np_type):
        self._enum, self._name, self._np = enum, name, np_type

    name = property(lambda self: self._name, doc="The type's name, e.g. 'float32'.")
    as_datatype_enum = property(lambda self: self._enum, doc="TF's DataType number.")
    as_numpy_dtype = property(lambda self: _numpy(self), doc="The NumPy type (object for "
                              "string); TypeError for a type minitf only names (bfloat16).")
    is_numpy_compatible = property(lambda self: not isinstance(self._np, str),
                                   doc="False for the types minitf only names (bfloat16, ...).")
    _is_ref_dtype = property(lambda self: self._enum > _REF_OFFSET)
    is_ref_dtype = _is_ref_dtype
    base_dtype = property(lambda self: _BY_ENUM[self._enum % _REF_OFFSET],
                          doc="This type without `_ref` (itself when not a reference type).")
    _as_ref = property(lambda self: self if self._is_ref_dtype else _BY_ENUM[
        self._enum + _REF_OFFSET])
    as_ref = _as_ref

    @property
    def is_floating(self):
        """Whether this is a floating-point type (float16/32/64, bfloat16)."""
        return self._np in (np.float16, np.float32, np.float64) or self._name == "bfloat16"

    @property
    def is_integer(self):
        """Whether this is a (signed or unsigned) integer type (not a quantized one)."""
        return self._np in _INTEGERS and not self.is_quantized

    @property
    def is_quantized(self):
        """Whether this is a quantized type (qint8, quint8, qint16, quint16, qint32)."""
        return self._enum % _REF_OFFSET in _QUANTIZED_ENUMS

    @property
    def is_complex(self):
        """Whether this is complex64 or complex128."""
        return self._np in (np.complex64, np.complex128)

    @property
    def is_bool(self):
        """Whether this is bool."""
        return self._np is np.bool_

    @property
    def is_unsigned(self):
        """Whether this is an unsigned integer type."""
        return self._np in (np.uint8, np.uint16, np.uint32, np.uint64) and not self.is_quantized

    @property
    def real_dtype(self):
        """The type of the real part: float32 for complex64, float64 for complex128, else the
        base type."""
        base = self.base_dtype
        return {complex64: float32, complex128: float64}.get(base, base)

    @property
    def size(self):
        """The size of one element in bytes (1 for strings and resources)."""
        return 1 if self._np is object else np.dtype(_numpy(self)).itemsize

    @property
    def min(self):
        """The smallest value of a float, integer or bool type (TypeError for others)."""
        return self._limits()[0]

    @property
    def max(self):
        """The largest value of a float, integer or bool type (TypeError for others)."""
        return self._limits()[1]

    def _limits(self):
        if self.is_floating:
            info = np.finfo(self._np)
            return info.min, info.max
        if self.is_integer:
            info = np.iinfo(self._np)
            return info.min, info.max
        if self.is_bool:
            return False, True
        raise TypeError(f"Cannot find minimum/maximum value for {self._name}.")

    def is_compatible_with(self, other):
        """Returns whether a value of type `other` can be used where this type is expected.

        True when `other` is this type or its `_ref` variant (a reference type is compatible
        only with itself).

        Args:
          other: a DType, or anything `as_dtype` takes.

        Returns:
          A bool.

        Raises:
          TypeError: `other` names no type.
        """
        other = as_dtype(other)
        return self._enum in (other._enum, other.base_dtype._enum)

    def __eq__(self, other):
        if other is None:
            return False
        if isinstance(other, DType):
            return self._enum == other._enum
        try:
            return self._enum == as_dtype(other)._enum
        except TypeError:
            return False

    def __ne__(self, other):
        return not self.__eq__(other)

    def __hash__(self):
        return self._enum

    def __reduce__(self):
        return as_dtype, (self._name,)

    def __repr__(self):
        return "tf." + self._name

    def __str__(self):
        return f"<dtype: '{self._name}'>"


_INTEGERS = (np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16, np.uint32, np.uint64)
_BASE = [(19, "float16", np.float16), (1, "float32", np.float32), (2, "float64", np.float64),
         (6, "int8", np.int8), (5, "int16", np.int16), (3, "int32", np.int32),
         (9, "int64", np.int64), (4, "uint8", np.uint8), (17, "uint16", np.uint16),
         (10, "bool", np.bool_), (7, "string", object), (8, "complex64", np.complex64),
         (18, "complex128", np.complex128), (20, "resource", object), (22, "uint32", np.uint32),
         (23, "uint64", np.uint64)]
# A quantized tensor's values are its integer codes, held (and fetched, as TF fetches them) as
# arrays of the NumPy integer type of the same width
_QUANTIZED = [(11, "qint8", np.int8), (12, "quint8", np.uint8), (15, "qint16", np.int16),
              (16, "quint16", np.uint16), (13, "qint32", np.int32)]
_QUANTIZED_ENUMS = frozenset(e for e, _, _ in _QUANTIZED)
# TF types minitf names (a checkpoint's dtype map, say) but holds no values of: their NumPy type
# is a string NumPy rejects, so using one for a value fails loudly instead of guessing a type
_NAMED_ONLY = [(14, "bfloat16"), (21, "variant")]
_BY_ENUM = {}
for _enum, _name, _np in _BASE + _QUANTIZED + [(e, n, f"{n} (minitf holds no {n} values)")
                                               for e, n in _NAMED_ONLY]:
    _BY_ENUM[_enum] = DType(_enum, _name, _np)
    _BY_ENUM[_enum + _REF_OFFSET] = DType(_enum + _REF_OFFSET, _name + "_ref", _np)

float16 = half = _BY_ENUM[19]
float32 = _BY_ENUM[1]
float64 = double = _BY_ENUM[2]
int8, int16, int32, int64 = _BY_ENUM[6], _BY_ENUM[5], _BY_ENUM[3], _BY_ENUM[9]
uint8, uint16, uint32, uint64 = _BY_ENUM[4], _BY_ENUM[17], _BY_ENUM[22], _BY_ENUM[23]
bool = _BY_ENUM[10]
string = _BY_ENUM[7]
complex64, complex128 = _BY_ENUM[8], _BY_ENUM[18]
resource = _BY_ENUM[20]  # the dtype of a resource variable's handle
bfloat16, variant = _BY_ENUM[14], _BY_ENUM[21]
qint8, quint8, qint16, quint16, qint32 = (_BY_ENUM[e] for e in (11, 12, 15, 16, 13))
QUANTIZED_DTYPES = frozenset(d for d in _BY_ENUM.values() if d.is_quantized)

_BY_NAME = {d.name: d for d in _BY_ENUM.values()}
_BY_NAME.update({"half": float16, "float": float32, "double": float64})
_BY_NUMPY = {np.dtype(np_type): _BY_ENUM[enum] for enum, _, np_type in _BASE
             if np_type is not object}
_BY_NUMPY[np.dtype(object)] = string
_BY_PYTHON = {float: float32, builtins.bool: bool, object: string, np.str_: string,
              np.bytes_: string}


def _numpy(dtype):
    if isinstance(dtype._np, str):
        raise TypeError(f"minitf cannot hold {dtype.name} values (it names the type only).")
    return dtype._np


def as_dtype(type_value):
    """Converts a type name, NumPy type or DataType number into a DType.

    Args:
      type_value: a DType (returned as it is), a name ("float32", "float", "double", "half",
        "int64_ref", ...), a NumPy dtype or scalar type, Python's float or bool, or TF's
        DataType number.

    Returns:
      The DType.

    Raises:
      TypeError: `type_value` names no TF type.
    """
    if isinstance(type_value, DType):
        return type_value
    found = None
    if isinstance(type_value, str):
        found = _BY_NAME.get(type_value)
    elif isinstance(type_value, int) and not isinstance(type_value, builtins.bool):
        found = _BY_ENUM.get(type_value)
    elif isinstance(type_value, np.dtype):
        found = string if type_value.kind in "OSU" else _BY_NUMPY.get(type_value)
    elif isinstance(type_value, type):  # Python's float and bool, NumPy scalar types
        found = _BY_PYTHON.get(type_value)
        if found is None and issubclass(type_value, np.generic):
            found = _BY_NUMPY.get(np.dtype(type_value))
    if found is None:
        raise TypeError(f"Cannot convert the argument `type_value`: {type_value!r} to a "
                        "TensorFlow DType.")
    return found


def tf_type_name(dtype):
    """The name TF's runtime messages use: float for float32, double for float64, half..."""
    return {"float16": "half", "float32": "float", "float64": "double"}.get(dtype.name,
                                                                             dtype.name)


def infer_dtype(value):
    """The DType `tf.constant(value)` gives when no dtype is named (Python floats are float32,
    ints int32 unless they need int64, NumPy values keep theirs)."""
    if isinstance(value, (np.ndarray, np.generic)):
        return string if value.dtype.kind in "OSU" else _BY_NUMPY[value.dtype]
    if value is None:
        raise ValueError("None values not supported.")
    arr = np.asarray(value)
    kind = arr.dtype.kind
    if kind == "f" or arr.size == 0:
        return float32
    if kind in "iu":
        return int32 if arr.size == 0 or (
            arr.min() >= -2**31 and arr.max() < 2**31) else int64
    if kind == "b":
        return bool
    if kind == "c":
        return complex128
    if kind in "SU":
        return string
    raise TypeError(f"Failed to convert elements of {value!r} to Tensor: cannot infer a dtype "
                    f"from {arr.dtype}.")
