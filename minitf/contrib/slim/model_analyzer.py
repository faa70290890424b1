"""`tf.contrib.slim.model_analyzer`: slim's text reports on a graph's ops and variables."""
from minitf.model_analyzer import analyze_ops, analyze_vars, tensor_description

__all__ = ["analyze_ops", "analyze_vars", "tensor_description"]
