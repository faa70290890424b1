"""`tf.losses`: the regularization losses get_variable collects."""
from minitf.framework.graph import get_default_graph
from minitf.framework.graph_keys import GraphKeys

__all__ = ["get_regularization_losses", "get_regularization_loss"]


def get_regularization_losses(scope=None):
    """Returns the regularization losses collected in the default graph.

    `get_variable` (with a `regularizer`, its own or its scope's), `tf.layers.dense` and
    `tf.regularizers.apply_regularization` add them to the REGULARIZATION_LOSSES collection.

    Args:
      scope: if given, only the losses whose name matches this regex from the start.

    Returns:
      A list of scalar Tensors, in the order they were added.
    """
    return get_default_graph().get_collection(GraphKeys.REGULARIZATION_LOSSES, scope)


def get_regularization_loss(scope=None, name="total_regularization_loss"):
    """Returns the sum of the regularization losses, ready to add to a model's loss.

    Args:
      scope: if given, only the losses whose name matches this regex from the start.
      name: the name of the sum, or of the 0.0 constant (a single loss is returned as it is).

    Returns:
      A scalar Tensor: the sum of `get_regularization_losses(scope)`, or a 0.0 constant when
      there are none.

    >>> with tf.variable_scope("dense", regularizer=tf.regularizers.l1(0.1)):
    ...     w = tf.get_variable("w", initializer=[1.0, -2.0])
    ...     b = tf.get_variable("b", initializer=[4.0])
    >>> total = tf.losses.get_regularization_loss()
    >>> print(total.name)
    total_regularization_loss:0
    >>> with tf.Session() as sess:
    ...     sess.run(tf.global_variables_initializer())
    ...     print(round(float(sess.run(total)), 6))
    0.7
    """
    from minitf.framework.constant_op import constant
    from minitf.ops.math_ops import add_n

    losses = get_regularization_losses(scope)
    if losses:
        return add_n(losses, name=name)
    return constant(0.0, name=name)
