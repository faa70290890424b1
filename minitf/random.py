"""`tf.random`: seeded random ops."""
from minitf.framework.random_seed import set_random_seed
from minitf.ops.random_ops import *  # noqa: F403
from minitf.ops.random_ops import normal, uniform  # noqa: F401

set_seed = set_random_seed
