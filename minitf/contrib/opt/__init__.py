"""`tf.contrib.opt` (TF 1.15), in part: `AdamWOptimizer`, `MomentumWOptimizer`,
`DecoupledWeightDecayExtension` and `extend_with_decoupled_weight_decay` (decoupled weight
decay), `LazyAdamOptimizer`, `AddSignOptimizer` and `PowerSignOptimizer`."""
from minitf.contrib.opt.lazy_adam_optimizer import LazyAdamOptimizer
from minitf.contrib.opt.sign_optimizers import AddSignOptimizer, PowerSignOptimizer
from minitf.contrib.opt.weight_decay_optimizers import (
    AdamWOptimizer,
    DecoupledWeightDecayExtension,
    MomentumWOptimizer,
    extend_with_decoupled_weight_decay,
)

__all__ = ["AdamWOptimizer", "MomentumWOptimizer", "DecoupledWeightDecayExtension",
           "extend_with_decoupled_weight_decay", "LazyAdamOptimizer", "AddSignOptimizer",
           "PowerSignOptimizer"]
