"""`tf.contrib.slim`: of TF1's slim, only `model_analyzer` (`slim.model_analyzer.analyze_vars`)."""
from minitf.contrib.slim import model_analyzer

__all__ = ["model_analyzer"]
