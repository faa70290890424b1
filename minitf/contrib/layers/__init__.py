"""`tf.contrib.layers` (TF 1.15): slim-style layer functions (`fully_connected`, `conv2d`,
`batch_norm`, ...) that make model variables with TF's names, their initializers and
regularizers, `optimize_loss` and the summary helpers. Every layer function takes
`arg_scope` defaults (`tf.contrib.framework.arg_scope`)."""
from minitf.contrib.layers.convolutional import (
    conv1d,
    conv2d,
    conv2d_transpose,
    conv3d,
    convolution,
    convolution1d,
    convolution2d,
    convolution2d_transpose,
    convolution3d,
    fully_connected,
    separable_conv2d,
    separable_convolution2d,
)
from minitf.contrib.layers.encoders import embed_sequence
from minitf.contrib.layers.initializers import (
    variance_scaling_initializer,
    xavier_initializer,
    xavier_initializer_conv2d,
)
from minitf.contrib.layers.layers import (
    avg_pool2d,
    dropout,
    flatten,
    linear,
    max_pool2d,
    one_hot_encoding,
    relu6_layer as relu6,
    relu_layer as relu,
    repeat,
    stack,
)
from minitf.contrib.layers.normalization import batch_norm, layer_norm
from minitf.contrib.layers.optimizers import (
    OPTIMIZER_CLS_NAMES,
    OPTIMIZER_SUMMARIES,
    optimize_loss,
)
from minitf.contrib.layers.summaries import (
    summarize_activation,
    summarize_activations,
    summarize_collection,
    summarize_tensor,
    summarize_tensors,
)
from minitf.regularizers import (
    apply_regularization,
    l1_l2_regularizer,
    l1_regularizer,
    l2_regularizer,
    sum_regularizer,
)

__all__ = [
    "apply_regularization", "l1_l2_regularizer", "l1_regularizer", "l2_regularizer",
    "sum_regularizer", "variance_scaling_initializer", "xavier_initializer",
    "xavier_initializer_conv2d", "conv1d", "conv2d", "conv2d_transpose", "conv3d",
    "convolution", "convolution1d", "convolution2d", "convolution2d_transpose",
    "convolution3d", "fully_connected", "separable_conv2d", "separable_convolution2d",
    "embed_sequence", "avg_pool2d", "dropout", "flatten", "linear", "relu", "relu6",
    "max_pool2d", "one_hot_encoding", "repeat", "stack", "batch_norm", "layer_norm",
    "OPTIMIZER_CLS_NAMES", "OPTIMIZER_SUMMARIES", "optimize_loss", "summarize_activation",
    "summarize_activations", "summarize_collection", "summarize_tensor", "summarize_tensors",
]
