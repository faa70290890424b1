"""`tf.bitwise`: bitwise and, or, xor, invert and shifts of integer tensors."""
from minitf.ops.bitwise_ops import *  # noqa: F403
