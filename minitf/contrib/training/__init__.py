"""`tf.contrib.training` (TF 1.15): `HParams`, the named and typed hyperparameters, and
`parse_values`, their "a=1,b=[1,2],c=hello" syntax. (The rest of contrib.training, its input
pipelines and training loops, is not here.)"""
from minitf.contrib.training.hparam import HParams, parse_values

__all__ = ["HParams", "parse_values"]
