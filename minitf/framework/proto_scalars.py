"""The scalar kinds of proto.py's fields: how each checks and converts a value set on a
message, with the errors protobuf's upb implementation raises (TypeError for a wrong type,
ValueError for an integer out of range), and its default."""
import operator

import numpy as np

__all__ = ["SCALARS"]


def _int_checker(lo, hi):
    def check(field, value):
        if isinstance(value, bool):
            raise TypeError(f"Field {field.full_name}: Expected an int, got a boolean.")
        value = operator.index(value)
        if not lo <= value < hi:
            raise ValueError(f"Value out of range: {value}")
        return value
    return check


def _check_bool(field, value):
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    return bool(operator.index(value))


def _check_double(field, value):
    if isinstance(value, (str, bytes)) or not hasattr(value, "__float__"):
        raise TypeError(f"must be real number, not {type(value).__name__}")
    return float(value)


def _check_float(field, value):
    with np.errstate(over="ignore"):  # past float32's range: inf, as upb stores it
        return float(np.float32(_check_double(field, value)))


def _check_string(field, value):
    if isinstance(value, bytes):
        return value.decode("utf-8")
    if not isinstance(value, str):
        raise TypeError("bad argument type for built-in operation")
    return value


def _check_bytes(field, value):
    if not isinstance(value, bytes):
        raise TypeError(f"expected bytes, {type(value).__name__} found")
    return value


_I32, _I64 = _int_checker(-1 << 31, 1 << 31), _int_checker(-1 << 63, 1 << 63)
_U32, _U64 = _int_checker(0, 1 << 32), _int_checker(0, 1 << 64)
# kind -> (checker, default)
SCALARS = {"int32": (_I32, 0), "int64": (_I64, 0), "uint32": (_U32, 0), "uint64": (_U64, 0),
           "sint32": (_I32, 0), "sint64": (_I64, 0), "fixed32": (_U32, 0), "fixed64": (_U64, 0),
           "sfixed32": (_I32, 0), "sfixed64": (_I64, 0), "bool": (_check_bool, False),
           "float": (_check_float, 0.0), "double": (_check_double, 0.0),
           "string": (_check_string, ""), "bytes": (_check_bytes, b"")}
