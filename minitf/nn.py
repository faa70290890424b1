"""`tf.nn`: neural-network ops."""
from minitf.ops.elementwise_ops import softsign  # noqa: F401
from minitf.ops.nn_ops import *  # noqa: F403
from minitf.ops.norm_ops import l2_normalize, moments  # noqa: F401
from minitf.ops.sort_ops import top_k  # noqa: F401
from minitf.partitioned import embedding_lookup  # noqa: F401
