"""`tf.train`: optimizers and the global step."""
from minitf.train.adam import AdamOptimizer
from minitf.train.gradient_descent import GradientDescentOptimizer
from minitf.train.momentum import MomentumOptimizer
from minitf.train.optimizer import Optimizer
from minitf.train.training_util import (create_global_step, get_global_step,
                                        get_or_create_global_step, global_step)

__all__ = ["Optimizer", "GradientDescentOptimizer", "MomentumOptimizer", "AdamOptimizer",
           "get_global_step", "get_or_create_global_step", "create_global_step", "global_step"]
