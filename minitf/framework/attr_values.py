"""Python values to TF's AttrValue messages and back, by TF's attr kinds ("int", "type",
"list(shape)", ...): what graph_to_def.py writes into NodeDefs and an importer reads back.

>>> from minitf.framework import attr_values
>>> print(attr_values.to_attr_value("list(int)", (1, 2)), end="")
list {
  i: 1
  i: 2
}
>>> attr_values.from_attr_value(attr_values.to_attr_value("type", tf.float32))
tf.float32
"""
import numpy as np

from minitf.framework import dtypes as _dtypes, tensor_shape as _tensor_shape
from minitf.framework.graph_pb import AttrValue, NameAttrList
from minitf.framework.tensor_pb import DataType, TensorShapeProto

__all__ = ["to_attr_value", "from_attr_value", "shape_proto", "dtype_enum"]


def dtype_enum(value):
    """Returns TF's DataType number of a DType, NumPy dtype, dtype name or DataType name.

    Args:
      value: the dtype (`tf.float32`, `np.float32`, "float32", "DT_FLOAT" or 1).

    Raises:
      TypeError: `value` names no dtype.
    """
    if isinstance(value, str) and value.startswith("DT_"):
        return DataType.Value(value)
    if isinstance(value, str) and value in ("resource", "variant"):
        return DataType.Value("DT_" + value.upper())
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        return int(value)
    return _dtypes.as_dtype(value).as_datatype_enum


def shape_proto(shape):
    """Returns the TensorShapeProto of a shape (set in its parent even when it is a scalar's).

    Args:
      shape: a tuple or list of dims (None or -1 for an unknown one), a TensorShape, or None
        for an unknown rank.
    """
    if isinstance(shape, _tensor_shape.TensorShape):
        shape = shape._as_tuple()
    proto = TensorShapeProto()
    if shape is None:
        proto.unknown_rank = True
    for d in shape or ():
        d = _tensor_shape.dimension_value(d)
        proto.dim.add(size=-1 if d is None else int(d))
    return proto


def _tensor_proto(value):
    from minitf.framework.tensor_util import make_tensor_proto
    return make_tensor_proto(value)


def _func(value):
    name = value if isinstance(value, str) else getattr(value, "__name__", type(value).__name__)
    return NameAttrList(name=name)


def _as_bytes(value):
    if isinstance(value, bytes):
        return value
    if isinstance(value, str):
        return value.encode()
    raise TypeError(f"Expected a string, got {value!r}")


def _as_int(value):
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"Expected an int, got {value!r}")
    return int(value)


def _as_bool(value):
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"Expected a bool, got {value!r}")
    return bool(value)


def _as_float(value):
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.number)):
        raise TypeError(f"Expected a float, got {value!r}")
    return float(value)


# kind -> (AttrValue / ListValue field, converter of one value)
_SCALARS = {"string": ("s", _as_bytes), "int": ("i", _as_int), "float": ("f", _as_float),
            "bool": ("b", _as_bool), "type": ("type", dtype_enum), "shape": ("shape", shape_proto),
            "tensor": ("tensor", _tensor_proto), "func": ("func", _func)}


def to_attr_value(kind, value):
    """Returns the AttrValue of a Python value as TF's attr kind `kind` holds it.

    Args:
      kind: TF's attr type: "string", "int", "float", "bool", "type", "shape", "tensor",
        "func", or "list(...)" of one of them.
      value: the value (a list's may be a tuple, a NumPy array or, for list(int), one int).

    Raises:
      TypeError, ValueError: the value does not fit `kind`.
    """
    out = AttrValue()
    if kind.startswith("list("):
        field, convert = _SCALARS[kind[5:-1]]
        if isinstance(value, (int, np.integer)) and field == "i":
            value = [value]
        items = [convert(v) for v in (np.asarray(value).tolist() if isinstance(
            value, np.ndarray) else value)]
        target = getattr(out.list, field)
        if field in ("shape", "tensor", "func"):
            for item in items:
                target.add().CopyFrom(item)
        else:
            target.extend(items)
        out.list.SetInParent()
        return out
    field, convert = _SCALARS[kind]
    item = convert(value)
    if field in ("shape", "tensor", "func"):
        getattr(out, field).CopyFrom(item)
        getattr(out, field).SetInParent()
    else:
        setattr(out, field, item)
    return out


def kind_of(value):
    """Returns the attr kind of a plain Python value (for attrs no op signature declares), or
    None when the value is no TF attr type (a callable, a context, ...).

    Args:
      value: the value.
    """
    if isinstance(value, (bool, np.bool_)):
        return "bool"
    if isinstance(value, (int, np.integer)):
        return "int"
    if isinstance(value, (float, np.floating)):
        return "float"
    if isinstance(value, (str, bytes)):
        return "string"
    if isinstance(value, _dtypes.DType):
        return "type"
    if isinstance(value, _tensor_shape.TensorShape):
        return "shape"
    if isinstance(value, np.ndarray):
        return "tensor"
    if isinstance(value, (list, tuple)) and value:
        kinds = {kind_of(v) for v in value}
        if len(kinds) == 1 and kinds <= {"bool", "int", "float", "string", "type", "shape"}:
            return f"list({kinds.pop()})"
    return None


def from_attr_value(attr):
    """Returns the Python value of an AttrValue (the inverse of `to_attr_value`).

    The value is bytes, an int, float or bool, a DType, a shape tuple (None for an unknown
    rank), a NumPy array, a function's name, or a list of them.

    Args:
      attr: an AttrValue.
    """
    field = attr.WhichOneof("value")
    if field == "list":
        for name in ("s", "i", "f", "b", "type", "shape", "tensor", "func"):
            items = getattr(attr.list, name)
            if len(items):
                return [_from_field(name, v) for v in items]
        return []
    return None if field is None else _from_field(field, getattr(attr, field))


def _from_field(field, value):
    if field == "type":
        return _dtypes.as_dtype(value)
    if field == "shape":
        return None if value.unknown_rank else tuple(
            None if d.size < 0 else d.size for d in value.dim)
    if field == "tensor":
        from minitf.framework.tensor_util import make_ndarray
        return make_ndarray(value)
    if field == "func":
        return value.name
    return value
