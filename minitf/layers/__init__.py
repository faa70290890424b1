"""`tf.layers` (TF1): layers as classes (`tf.layers.Dense`, ...) and as functions
(`tf.layers.dense`, ...), their variables made in variable scopes of their own."""
from minitf.layers.base import InputSpec, Layer  # noqa: F401
from minitf.layers.core import Dense, Dropout, Flatten, dense, dropout, flatten  # noqa: F401
from minitf.layers.normalization import BatchNormalization, batch_normalization  # noqa: F401
