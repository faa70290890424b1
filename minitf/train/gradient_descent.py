"""Plain SGD: var -= learning_rate * grad (sparse: only the rows with a gradient)."""
from minitf.framework.constant_op import convert_to_tensor
from minitf.framework.indexed_slices import IndexedSlices
from minitf.ops import math_ops
from minitf.train import training_ops
from minitf.train.optimizer import Optimizer, _var_inputs

__all__ = ["GradientDescentOptimizer"]


class GradientDescentOptimizer(Optimizer):
    """var -= learning_rate * gradient. learning_rate: a float, a Tensor or a callable."""

    def __init__(self, learning_rate, use_locking=False, name="GradientDescent"):
        super().__init__(use_locking, name)
        self._learning_rate = learning_rate

    def _prepare(self):
        lr = self._learning_rate() if callable(self._learning_rate) else self._learning_rate
        self._lr = convert_to_tensor(lr, name="learning_rate")

    def _lr_for(self, var):
        return math_ops.cast(self._lr, var.dtype.base_dtype)

    def _apply_dense(self, grad, var):
        return training_ops.apply(training_ops.apply_gradient_descent_ops, var,
                                  [_var_inputs(var), self._lr_for(var), grad],
                                  "ApplyGradientDescent", use_locking=self._use_locking)

    def _apply_sparse_duplicate_indices(self, grad, var):
        return self._apply_sparse(grad, var)  # ScatterSub sums duplicates itself

    def _apply_sparse(self, grad, var):
        delta = IndexedSlices(grad.values * self._lr_for(var), grad.indices, grad.dense_shape)
        return training_ops.apply(training_ops.scatter_sub_ops, var,
                                  [_var_inputs(var), delta.indices, delta.values], "ScatterSub",
                                  use_locking=self._use_locking)
