"""Plain SGD: var -= learning_rate * grad (sparse: only the rows with a gradient)."""
from minitf.framework.constant_op import convert_to_tensor
from minitf.framework.indexed_slices import IndexedSlices
from minitf.ops import math_ops, scatter_ops
from minitf.train import training_ops
from minitf.train.optimizer import Optimizer, _var_inputs

__all__ = ["GradientDescentOptimizer"]


class GradientDescentOptimizer(Optimizer):
    """Optimizer that implements the gradient descent algorithm.

    Each step does `var -= learning_rate * gradient`; a sparse gradient updates only its rows.

    >>> w = tf.Variable([1.0, 2.0])
    >>> loss = tf.reduce_sum(w * w)  # its gradient is 2 * w
    >>> train = tf.train.GradientDescentOptimizer(0.25).minimize(loss)
    >>> with tf.Session() as sess:
    ...     sess.run(w.initializer)
    ...     sess.run(train)
    ...     print(sess.run(w))
    [0.5 1. ]
    """

    def __init__(self, learning_rate, use_locking=False, name="GradientDescent"):
        """Creates a gradient descent optimizer.

        Args:
          learning_rate: a float, a scalar Tensor, or a function of no arguments returning
            one (called when `apply_gradients` builds the update).
          use_locking: hold each variable's lock from reading it to writing it, so concurrent steps
            never lose an update (as TF); without, concurrent updates of one variable may race.
          name: the name scope of the update ops.
        """
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
        return training_ops.apply(scatter_ops.SCATTERS["Sub"], var,
                                  [_var_inputs(var), delta.indices, delta.values], "ScatterSub",
                                  use_locking=self._use_locking)
