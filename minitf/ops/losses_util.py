"""The weighting and reduction behind every `tf.losses` loss (`compute_weighted_loss`)."""
from minitf.framework import dtypes
from minitf.framework.api import add_to_collection, name_scope
from minitf.framework.constant_op import convert_to_tensor
from minitf.framework.eager import executing_eagerly
from minitf.framework.graph_keys import GraphKeys
from minitf.ops._shared import ones_like, zeros_like
from minitf.ops.array_ops import rank, size
from minitf.ops.elementwise_ops import div_no_nan
from minitf.ops.manip_ops import where
from minitf.ops.math_ops import cast, equal, multiply
from minitf.ops.reduction_ops import reduce_sum
from minitf.ops.sequence_ops import range as _range


class Reduction:
    """How `compute_weighted_loss` reduces the weighted losses to the loss it returns.

    NONE keeps their shape; SUM adds them; MEAN divides that sum by the sum of the weights;
    SUM_OVER_BATCH_SIZE by the number of losses; SUM_BY_NONZERO_WEIGHTS (the default) by the
    number of losses whose weight is not 0.
    """

    NONE = "none"
    SUM = "weighted_sum"
    SUM_OVER_BATCH_SIZE = "weighted_sum_over_batch_size"
    MEAN = "weighted_mean"
    SUM_BY_NONZERO_WEIGHTS = "weighted_sum_by_nonzero_weights"
    SUM_OVER_NONZERO_WEIGHTS = SUM_BY_NONZERO_WEIGHTS

    @classmethod
    def all(cls):
        """Returns the tuple of the reduction names."""
        return (cls.NONE, cls.SUM, cls.MEAN, cls.SUM_OVER_BATCH_SIZE,
                cls.SUM_OVER_NONZERO_WEIGHTS, cls.SUM_BY_NONZERO_WEIGHTS)

    @classmethod
    def validate(cls, key):
        """Raises ValueError unless `key` is one of `all()`.

        Args:
          key: the reduction name to check.
        """
        if key not in cls.all():
            raise ValueError(f"Invalid Reduction Key {key}. Key should be one of {cls.all()}.")


def add_loss(loss, loss_collection=GraphKeys.LOSSES):
    """Adds `loss` to the `loss_collection` collection (nothing when executing eagerly).

    Args:
      loss: a Tensor.
      loss_collection: the collection's name; None or empty to add it nowhere.
    """
    if loss_collection and not executing_eagerly():
        add_to_collection(loss_collection, loss)

def num_elements(losses):
    """The number of losses, as a Tensor of their dtype."""
    with name_scope(None, "num_elements", [losses]) as scope:
        return cast(size(losses, name=scope), losses.dtype)


def num_present(losses, weights, per_batch=False):
    """Counts the losses whose weight is not 0.

    Args:
      losses: a Tensor of losses.
      weights: a Tensor (or Python float) broadcastable to `losses`.
      per_batch: whether to count per batch entry (a [batch, 1, ...] result) or in all.

    Returns:
      A float32 Tensor: the count, a scalar unless `per_batch`.
    """
    if isinstance(weights, float) and weights != 0.0:
        return num_elements(losses)
    with name_scope(None, "num_present", [losses, weights]) as scope:
        weights = cast(weights, dtypes.float32)
        present = where(equal(weights, 0.0), zeros_like(weights), ones_like(weights))
        present = multiply(present, ones_like(losses), name="broadcast_weights")
        if per_batch:
            return reduce_sum(present, axis=_range(1, rank(present)), keepdims=True,
                              name=scope)
        return reduce_sum(present, name=scope)


def _check_weights(losses, weights):
    """Raises ValueError when `weights` can not be broadcast to the losses' static shape."""
    lshape, wshape = losses.shape, weights.shape
    if wshape.ndims is None or lshape.ndims is None or wshape.ndims == 0:
        return
    if wshape.ndims > lshape.ndims or any(
            w is not None and l_ is not None and w not in (1, l_)
            for w, l_ in zip(wshape.as_list()[::-1], lshape.as_list()[::-1])):
        raise ValueError(f"weights can not be broadcast to values. values.rank={lshape.ndims}."
                         f" weights.rank={wshape.ndims}. values.shape={lshape}."
                         f" weights.shape={wshape}.")


def compute_weighted_loss(losses, weights=1.0, scope=None, loss_collection=GraphKeys.LOSSES,
                          reduction=Reduction.SUM_BY_NONZERO_WEIGHTS):
    """Weights `losses` and reduces them as `reduction` says, adding the result to a collection.

    Args:
      losses: a Tensor of losses.
      weights: a Tensor broadcastable to `losses` (rank 0 or that of `losses`).
      scope: the name scope (default "weighted_loss").
      loss_collection: the collection the loss is added to.
      reduction: a `Reduction` constant.

    Returns:
      The loss, of the losses' dtype: a scalar, or the losses' shape for Reduction.NONE.

    Raises:
      ValueError: for an unknown reduction, or weights that can not broadcast to `losses`.

    >>> loss = tf.losses.compute_weighted_loss([1.0, 2.0, 3.0], weights=[1.0, 0.0, 2.0])
    >>> with tf.Session() as sess:
    ...     print(sess.run(loss))
    3.5
    """
    Reduction.validate(reduction)
    with name_scope(scope, "weighted_loss", [losses, weights]):
        losses = convert_to_tensor(losses)
        input_dtype = losses.dtype
        losses = cast(losses, dtypes.float32)
        weights_t = cast(weights, dtypes.float32)
        _check_weights(losses, weights_t)
        weighted_losses = multiply(losses, weights_t)
        if reduction == Reduction.NONE:
            loss = weighted_losses
        else:
            loss = reduce_sum(weighted_losses)
            if reduction == Reduction.MEAN:
                denom = reduce_sum(multiply(ones_like(losses), weights_t))
                loss = div_no_nan(loss, denom, name="value")
            elif reduction == Reduction.SUM_BY_NONZERO_WEIGHTS:
                loss = div_no_nan(loss, num_present(losses, weights), name="value")
            elif reduction == Reduction.SUM_OVER_BATCH_SIZE:
                loss = div_no_nan(loss, num_elements(losses), name="value")
        loss = cast(loss, input_dtype)
        add_loss(loss, loss_collection)
        return loss
