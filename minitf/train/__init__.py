"""`tf.train`: optimizers, the global step and checkpoints."""
from minitf.train.adadelta import AdadeltaOptimizer
from minitf.train.adagrad import AdagradOptimizer
from minitf.train.adagrad_da import AdagradDAOptimizer
from minitf.train.adam import AdamOptimizer
from minitf.train.checkpoint_utils import (
    NewCheckpointReader,
    init_from_checkpoint,
    list_variables,
    load_checkpoint,
    load_variable,
)
from minitf.train.ftrl import FtrlOptimizer
from minitf.train.gradient_descent import GradientDescentOptimizer
from minitf.train.learning_rate_decay import (
    cosine_decay,
    cosine_decay_restarts,
    exponential_decay,
    inverse_time_decay,
    linear_cosine_decay,
    natural_exp_decay,
    noisy_linear_cosine_decay,
    piecewise_constant,
    polynomial_decay,
)
from minitf.train.momentum import MomentumOptimizer
from minitf.train.moving_averages import ExponentialMovingAverage
from minitf.train.optimizer import Optimizer
from minitf.train.proximal import (
    ProximalAdagradOptimizer,
    ProximalGradientDescentOptimizer,
)
from minitf.train.rmsprop import RMSPropOptimizer
from minitf.train.saver import (
    Saver,
    checkpoint_exists,
    get_checkpoint_state,
    latest_checkpoint,
    update_checkpoint_state,
)
from minitf.train.training_util import (
    create_global_step,
    get_global_step,
    get_or_create_global_step,
    global_step,
)

__all__ = ["Optimizer", "GradientDescentOptimizer", "MomentumOptimizer", "AdamOptimizer",
           "RMSPropOptimizer", "AdadeltaOptimizer", "FtrlOptimizer",
           "AdagradOptimizer", "AdagradDAOptimizer", "ProximalAdagradOptimizer",
           "ProximalGradientDescentOptimizer",
           "get_global_step", "get_or_create_global_step", "create_global_step", "global_step",
           "Saver", "latest_checkpoint", "get_checkpoint_state", "update_checkpoint_state",
           "checkpoint_exists", "load_checkpoint", "list_variables", "load_variable",
           "init_from_checkpoint", "NewCheckpointReader",
           "exponential_decay", "piecewise_constant", "polynomial_decay", "natural_exp_decay",
           "inverse_time_decay", "cosine_decay", "cosine_decay_restarts", "linear_cosine_decay",
           "noisy_linear_cosine_decay", "ExponentialMovingAverage"]
