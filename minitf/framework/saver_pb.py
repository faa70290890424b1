"""TF's Saver configuration message (tensorflow/core/protobuf/saver.proto): `tf.train.SaverDef`,
with TF's field names and numbers and its CheckpointFormatVersion enum, so its bytes and text are
TF's.

>>> d = tf.train.SaverDef(max_to_keep=5, sharded=True, version=tf.train.SaverDef.V2)
>>> print(d, end="")
max_to_keep: 5
sharded: true
version: V2
>>> d.SerializeToString()
b' \\x05(\\x018\\x02'
"""
from minitf.framework.proto import Enum, Field, Message

__all__ = ["SaverDef"]

_PACKAGE = "tensorflow"


class SaverDef(Message):
    """How a Saver saves and restores (`tf.train.SaverDef`).

    It holds the Saver's graph names, how many checkpoints it keeps, and the checkpoint
    format: `SaverDef.V2` is TF's tensor bundle, V1 the deprecated table format.
    """

    CheckpointFormatVersion = Enum(LEGACY=0, V1=1, V2=2)
    filename_tensor_name = Field(1, "string")
    save_tensor_name = Field(2, "string")
    restore_op_name = Field(3, "string")
    max_to_keep = Field(4, "int32")
    sharded = Field(5, "bool")
    keep_checkpoint_every_n_hours = Field(6, "float")
    version = Field(7, CheckpointFormatVersion)
