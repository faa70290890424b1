"""`tf.regularizers`: callables `weights -> scalar loss Tensor` (or None for no loss).

Two conventions live side by side, as in TF:
  TF1 layers (`l1_regularizer`, `l2_regularizer`, ...): l2 is `scale * l2_loss(w)` = scale *
    sum(w**2) / 2; a scale of 0 gives a regularizer returning None (no loss is added).
  Keras (`l1`, `l2`, `l1_l2`, `L1L2`): l2 is `l2 * sum(w**2)`, with no halving.
Any callable works as a regularizer.
"""
import numbers

from minitf.framework.api import name_scope
from minitf.framework.constant_op import convert_to_tensor
from minitf.ops import math_ops, nn_ops

__all__ = ["l1_regularizer", "l2_regularizer", "l1_l2_regularizer", "sum_regularizer",
           "apply_regularization", "L1L2", "l1", "l2", "l1_l2"]


def _check_scale(scale):
    if isinstance(scale, numbers.Integral):
        raise ValueError(f"scale cannot be an integer: {scale}")
    if isinstance(scale, numbers.Real) and scale < 0.0:
        raise ValueError(f"Setting a scale less than 0 on a regularizer: {scale:g}")
    return isinstance(scale, numbers.Real) and scale == 0.0


def _scaled(default_name, penalty, scale, scope):
    if _check_scale(scale):
        return lambda _: None  # TF: a scale of 0 disables the regularizer

    def regularizer(weights, name=None):
        with name_scope(scope, default_name, [weights]) as name:
            my_scale = convert_to_tensor(scale, dtype=weights.dtype.base_dtype, name="scale")
            return math_ops.multiply(my_scale, penalty(weights), name=name)
    return regularizer


def l1_regularizer(scale, scope=None):
    """Returns a regularizer computing `scale * sum(|w|)` (TF1 layers).

    Args:
      scale: a non-negative float (or a scalar Tensor); 0.0 disables the regularizer.
      scope: the name scope of its ops (default "l1_regularizer").

    Returns:
      A function `weights -> scalar Tensor`; for a scale of 0.0, one returning None.

    Raises:
      ValueError: `scale` is an integer or negative.
    """
    return _scaled("l1_regularizer", lambda w: math_ops.reduce_sum(math_ops.abs(w)), scale, scope)


def l2_regularizer(scale, scope=None):
    """Returns a regularizer computing `scale * sum(w**2) / 2` (TF1 layers).

    That is `scale * tf.nn.l2_loss(w)`; Keras' `tf.regularizers.l2` does not halve.

    Args:
      scale: a non-negative float (or a scalar Tensor); 0.0 disables the regularizer.
      scope: the name scope of its ops (default "l2_regularizer").

    Returns:
      A function `weights -> scalar Tensor`; for a scale of 0.0, one returning None.

    Raises:
      ValueError: `scale` is an integer or negative.

    >>> reg = tf.regularizers.l2_regularizer(0.5)
    >>> with tf.variable_scope("layer", regularizer=reg):
    ...     w = tf.get_variable("w", initializer=[[1.0, -2.0], [3.0, 0.0]])
    >>> with tf.Session() as sess:
    ...     sess.run(w.initializer)
    ...     print(sess.run(tf.losses.get_regularization_loss()))
    3.5
    """
    return _scaled("l2_regularizer", nn_ops.l2_loss, scale, scope)


def l1_l2_regularizer(scale_l1=1.0, scale_l2=1.0, scope=None):
    """Returns a regularizer adding `l1_regularizer(scale_l1)` and `l2_regularizer(scale_l2)`.

    Args:
      scale_l1: the l1 scale, a non-negative float; 0.0 leaves only the l2 term.
      scale_l2: the l2 scale, a non-negative float; 0.0 leaves only the l1 term.
      scope: the name scope of its ops.

    Returns:
      A function `weights -> scalar Tensor` (returning None when both scales are 0.0).

    Raises:
      ValueError: a scale is an integer or negative.
    """
    if _check_scale(scale_l1):
        return l2_regularizer(scale_l2, scope)
    if _check_scale(scale_l2):
        return l1_regularizer(scale_l1, scope)
    with name_scope(scope, "l1_l2_regularizer") as scope:
        return sum_regularizer([l1_regularizer(scale_l1), l2_regularizer(scale_l2)], scope)


def sum_regularizer(regularizer_list, scope=None):
    """Returns a regularizer adding up the losses of several regularizers.

    Args:
      regularizer_list: regularizers; None entries are skipped, as are the None losses they
        return.
      scope: the name scope of its ops (default "sum_regularizer").

    Returns:
      A function `weights -> scalar Tensor or None`, or None when `regularizer_list` holds no
      regularizer.
    """
    regularizer_list = [r for r in regularizer_list if r]
    if not regularizer_list:
        return None

    def regularizer(weights):
        with name_scope(scope, "sum_regularizer", [weights]) as name:
            losses = [loss for loss in (r(weights) for r in regularizer_list) if loss is not None]
            return None if not losses else math_ops.add_n(losses, name=name)
    return regularizer


def apply_regularization(regularizer, weights_list=None):
    """Returns the sum of a regularizer applied to each of several weights.

    Each weight's (not None) penalty is also added to the REGULARIZATION_LOSSES collection.

    Args:
      regularizer: a function `weights -> scalar Tensor or None`.
      weights_list: the weights to regularize (default: the WEIGHTS collection).

    Returns:
      A scalar Tensor: the sum, named "get_regularization_penalty" (a single penalty is
      returned as it is; 0.0 when every penalty is None).

    Raises:
      ValueError: there are no weights.
    """
    from minitf.framework.graph import get_default_graph
    from minitf.framework.graph_keys import GraphKeys

    graph = get_default_graph()
    if weights_list is None:
        weights_list = graph.get_collection(GraphKeys.WEIGHTS)
    if not weights_list:
        raise ValueError("No weights to regularize.")
    with name_scope("get_regularization_penalty", values=weights_list) as scope:
        penalties = [p for p in (regularizer(w) for w in weights_list) if p is not None]
        for p in penalties:
            graph.add_to_collection(GraphKeys.REGULARIZATION_LOSSES, p)
        if not penalties:
            return convert_to_tensor(0.0, name=scope)
        return math_ops.add_n(penalties, name=scope)


class L1L2:
    """A Keras regularizer computing `l1 * sum(|w|) + l2 * sum(w**2)`.

    Called on a weight tensor, it returns a scalar Tensor (0.0 when both factors are 0).

    Args:
      l1: the l1 factor, non-negative.
      l2: the l2 factor, non-negative.

    Raises:
      ValueError: a factor is negative.
    """

    def __init__(self, l1=0.0, l2=0.0):
        if l1 < 0 or l2 < 0:
            raise ValueError(f"Regularization factors must be non-negative, got l1={l1}, l2={l2}")
        self.l1, self.l2 = float(l1), float(l2)

    def __call__(self, x):
        total = None
        if self.l1:
            total = math_ops.reduce_sum(math_ops.abs(x)) * self.l1
        if self.l2:
            term = math_ops.reduce_sum(math_ops.square(x)) * self.l2
            total = term if total is None else total + term
        return total if total is not None else convert_to_tensor(0.0, dtype=x.dtype.base_dtype)

    def get_config(self):
        """Returns the factors as a dict `{"l1": ..., "l2": ...}`."""
        return {"l1": self.l1, "l2": self.l2}


def l1(l=0.01):  # noqa: E741  (Keras' argument name)
    """Returns a Keras regularizer computing `l * sum(|w|)`.

    Args:
      l: the factor, non-negative.

    Returns:
      An `L1L2` regularizer.

    Raises:
      ValueError: `l` is negative.
    """
    return L1L2(l1=l)


def l2(l=0.01):  # noqa: E741
    """Returns a Keras regularizer computing `l * sum(w**2)` (no halving, unlike l2_regularizer).

    Args:
      l: the factor, non-negative.

    Returns:
      An `L1L2` regularizer.

    Raises:
      ValueError: `l` is negative.

    >>> with tf.Session() as sess:
    ...     print(sess.run(tf.regularizers.l2(0.5)(tf.constant([1.0, -2.0, 3.0]))))
    7.0
    """
    return L1L2(l2=l)


def l1_l2(l1=0.01, l2=0.01):
    """Returns a Keras regularizer computing `l1 * sum(|w|) + l2 * sum(w**2)`.

    Args:
      l1: the l1 factor, non-negative.
      l2: the l2 factor, non-negative.

    Returns:
      An `L1L2` regularizer.

    Raises:
      ValueError: a factor is negative.
    """
    return L1L2(l1=l1, l2=l2)
