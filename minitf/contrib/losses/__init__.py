"""`tf.contrib.losses` (TF 1.15, deprecated there for `tf.losses`): the old argument order
(`predictions` or `logits` first), float32 math, and one weighting rule, the weighted sum over
the count of elements with a nonzero weight (`compute_weighted_loss`)."""
from minitf.contrib.losses.loss_ops import (
    absolute_difference,
    add_loss,
    compute_weighted_loss,
    cosine_distance,
    get_losses,
    get_regularization_losses,
    get_total_loss,
    hinge_loss,
    log_loss,
    mean_pairwise_squared_error,
    mean_squared_error,
    sigmoid_cross_entropy,
    softmax_cross_entropy,
    sparse_softmax_cross_entropy,
)

__all__ = ["absolute_difference", "add_loss", "cosine_distance", "compute_weighted_loss",
           "get_losses", "get_regularization_losses", "get_total_loss", "hinge_loss",
           "log_loss", "mean_pairwise_squared_error", "mean_squared_error",
           "sigmoid_cross_entropy", "softmax_cross_entropy", "sparse_softmax_cross_entropy"]
