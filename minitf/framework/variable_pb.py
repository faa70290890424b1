"""TF's variable messages (tensorflow/core/framework/variable.proto): `VariableDef`, which
meta graphs keep in their variable collections, and `SaveSliceInfoDef`, with TF's field names
and numbers, so their bytes and text are TF's.

>>> from minitf.framework.variable_pb import VariableDef
>>> d = VariableDef(variable_name="b:0", initializer_name="b/Assign", trainable=True)
>>> d.SerializeToString()
b'\\n\\x03b:0\\x12\\x08b/Assign8\\x01'
"""
from minitf.framework.proto import Enum, Field, Message

__all__ = ["VariableDef", "SaveSliceInfoDef", "VariableSynchronization", "VariableAggregation"]

_PACKAGE = "tensorflow"

VariableSynchronization = Enum(VARIABLE_SYNCHRONIZATION_AUTO=0, VARIABLE_SYNCHRONIZATION_NONE=1,
                               VARIABLE_SYNCHRONIZATION_ON_WRITE=2,
                               VARIABLE_SYNCHRONIZATION_ON_READ=3)
VariableAggregation = Enum(VARIABLE_AGGREGATION_NONE=0, VARIABLE_AGGREGATION_SUM=1,
                           VARIABLE_AGGREGATION_MEAN=2,
                           VARIABLE_AGGREGATION_ONLY_FIRST_REPLICA=3)


class SaveSliceInfoDef(Message):
    """Where a partitioned variable's slice sits in the full variable."""

    full_name = Field(1, "string")
    full_shape = Field(2, "int64", repeated=True)
    var_offset = Field(3, "int64", repeated=True)
    var_shape = Field(4, "int64", repeated=True)


class VariableDef(Message):
    """A graph variable's names: the variable, its initial value, initializer and snapshot."""

    variable_name = Field(1, "string")
    initial_value_name = Field(6, "string")
    initializer_name = Field(2, "string")
    snapshot_name = Field(3, "string")
    save_slice_info_def = Field(4, SaveSliceInfoDef)
    is_resource = Field(5, "bool")
    trainable = Field(7, "bool")
    synchronization = Field(8, VariableSynchronization)
    aggregation = Field(9, VariableAggregation)
