"""`tf.io`: the file API (`tf.io.gfile`) and the I/O names minitf has."""
from minitf import gfile

__all__ = ["gfile"]
