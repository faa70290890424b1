"""`tf.contrib.slim` (TF 1.15): the names of `tf.contrib.framework` (arg_scope, the variable
helpers) and `tf.contrib.layers` (the layers, initializers, regularizers), as slim
re-exports them, `model_analyzer` (`slim.model_analyzer.analyze_vars`), `learning` (the
Supervisor training loop, `slim.learning.train`), `evaluation` (`slim.evaluation.evaluate_once`,
`evaluation_loop`), and `losses` and `metrics`, which are `tf.contrib.losses` and
`tf.contrib.metrics`. Slim's data and queues modules are not built."""
from minitf.contrib import framework as _framework, layers as _layers, losses, metrics  # noqa: F401
from minitf.contrib.framework import *  # noqa: F403
from minitf.contrib.layers import *  # noqa: F403
from minitf.contrib.slim import evaluation, learning, model_analyzer  # noqa: F401

__all__ = sorted(set(_framework.__all__) | set(_layers.__all__) | {"model_analyzer", "learning",
                                                                 "evaluation", "losses",
                                                                 "metrics"})
