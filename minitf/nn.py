"""`tf.nn`: neural-network ops."""
from minitf.ops.nn_ops import *  # noqa: F403
from minitf.partitioned import embedding_lookup  # noqa: F401
