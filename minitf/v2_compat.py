"""TF's switches between TF1 and TF2 behaviour: `tf.enable_v2_behavior()` and
`tf.disable_v2_behavior()`, which TF1 programs call first to say which one they are."""
from minitf.framework.eager import disable_eager_execution, enable_eager_execution
from minitf.variables import disable_resource_variables, enable_resource_variables

__all__ = ["enable_v2_behavior", "disable_v2_behavior"]


def enable_v2_behavior():
    """Turns on the TF2 behaviours minitf has: eager execution and resource variables.

    Call it at the start of the program (as `tf.enable_eager_execution`). TF2's `==` on
    tensors (element-wise) is not among them: minitf's tensors compare by identity, as TF1's.

    Raises:
      ValueError: graph ops were already made in the default graph.
    """
    enable_eager_execution()
    enable_resource_variables()


def disable_v2_behavior():
    """Turns TF1 behaviour back on: graph mode and ref variables (minitf's defaults).

    TF1 programs run under TF2 often begin with `tf.disable_v2_behavior()`; under minitf it
    keeps (or restores) graph mode with ref variables.
    """
    disable_eager_execution()
    disable_resource_variables()
