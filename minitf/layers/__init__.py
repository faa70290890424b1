"""`tf.layers` (TF1): layers as classes (`tf.layers.Dense`, ...) and as functions
(`tf.layers.dense`, ...), their variables made in variable scopes of their own."""
from minitf.layers.base import InputSpec, Layer  # noqa: F401
from minitf.layers.convolutional import Conv1D, Conv2D, Conv3D, conv1d, conv2d, conv3d  # noqa: F401
from minitf.layers.convolutional_separable import (  # noqa: F401
    SeparableConv1D,
    SeparableConv2D,
    separable_conv1d,
    separable_conv2d,
)
from minitf.layers.convolutional_transpose import (  # noqa: F401
    Conv2DTranspose,
    Conv3DTranspose,
    conv2d_transpose,
    conv3d_transpose,
)
from minitf.layers.core import Dense, Dropout, Flatten, dense, dropout, flatten  # noqa: F401
from minitf.layers.normalization import BatchNormalization, batch_normalization  # noqa: F401
from minitf.layers.pooling import (  # noqa: F401
    AveragePooling1D,
    AveragePooling2D,
    AveragePooling3D,
    MaxPooling1D,
    MaxPooling2D,
    MaxPooling3D,
    average_pooling1d,
    average_pooling2d,
    average_pooling3d,
    max_pooling1d,
    max_pooling2d,
    max_pooling3d,
)
