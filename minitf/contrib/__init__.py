"""`tf.contrib`: the parts of TF1's contrib that minitf has (`tf.contrib.eager`, and
`tf.contrib.slim` with its `model_analyzer`)."""
from minitf.contrib import eager, slim

__all__ = ["eager", "slim"]
