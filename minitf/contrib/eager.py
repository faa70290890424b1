"""`tf.contrib.eager`: where TF1 kept its eager-execution tools."""
from minitf.backprop import GradientTape
from minitf.eager_variable_store import EagerVariableStore
from minitf.framework.eager import enable_eager_execution, executing_eagerly
from minitf.variables import ResourceVariable as Variable

in_eager_mode = executing_eagerly

__all__ = ["EagerVariableStore", "GradientTape", "Variable", "enable_eager_execution",
           "executing_eagerly", "in_eager_mode"]
