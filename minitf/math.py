"""`tf.math`: element-wise and reduction math ops."""
from minitf.ops.manip_ops import unsorted_segment_sum  # noqa: F401
from minitf.ops.math_ops import *  # noqa: F403
from minitf.ops.nn_ops import log_softmax, softmax, softplus  # noqa: F401
