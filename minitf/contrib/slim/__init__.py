"""`tf.contrib.slim` (TF 1.15): the names of `tf.contrib.framework` (arg_scope, the variable
helpers) and `tf.contrib.layers` (the layers, initializers, regularizers), as slim
re-exports them, and `model_analyzer` (`slim.model_analyzer.analyze_vars`). Slim's training
loops, losses, data and evaluation modules are not built."""
from minitf.contrib import framework as _framework, layers as _layers
from minitf.contrib.framework import *  # noqa: F403
from minitf.contrib.layers import *  # noqa: F403
from minitf.contrib.slim import model_analyzer  # noqa: F401

__all__ = sorted(set(_framework.__all__) | set(_layers.__all__) | {"model_analyzer"})
