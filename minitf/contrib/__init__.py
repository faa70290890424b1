"""`tf.contrib`: the parts of TF1's contrib that minitf has (`tf.contrib.eager`)."""
from minitf.contrib import eager

__all__ = ["eager"]
