"""TF's hyperparameter message (tensorflow/contrib/training/python/training/hparam.proto):
`HParamDef`, a map from names to one value or list each (the oneof `kind`), with TF's field
names and numbers, so its bytes and text are TF's.

>>> from minitf.contrib.training.hparam_pb import HParamDef
>>> d = HParamDef()
>>> d.hparam["lr"].float_value = 0.5
>>> d.hparam["lr"].WhichOneof("kind")
'float_value'
>>> HParamDef.FromString(d.SerializeToString()) == d
True
"""
from minitf.framework.proto import Field, MapField, Message

__all__ = ["HParamDef"]

_PACKAGE = "tensorflow"


class HParamDef(Message):
    """Named hyperparameters (`hparam_pb2.HParamDef`): `hparam` maps a name to an HParamType."""

    class BytesList(Message):
        """A list of byte strings."""

        value = Field(1, "bytes", repeated=True)

    class FloatList(Message):
        """A list of float32 values."""

        value = Field(1, "float", repeated=True)

    class Int64List(Message):
        """A list of int64 values."""

        value = Field(1, "int64", repeated=True)

    class BoolList(Message):
        """A list of bools."""

        value = Field(1, "bool", repeated=True)

    class HParamType(Message):
        """One hyperparameter's value: a scalar or a list (the oneof `kind`)."""

        int64_value = Field(1, "int64", oneof="kind")
        float_value = Field(2, "float", oneof="kind")
        bytes_value = Field(3, "bytes", oneof="kind")
        bool_value = Field(7, "bool", oneof="kind")
        int64_list = Field(4, "HParamDef.Int64List", oneof="kind")
        float_list = Field(5, "HParamDef.FloatList", oneof="kind")
        bytes_list = Field(6, "HParamDef.BytesList", oneof="kind")
        bool_list = Field(8, "HParamDef.BoolList", oneof="kind")

    hparam = MapField(1, "string", HParamType)
