"""minitf: TensorFlow 1's graph-mode API on NumPy, with Cython name and variable-store kernels.

`import minitf as tf` and write TF1 code; `tf.compat.v1` is this same namespace.
"""
from minitf._kernels import kernel_backend
from minitf.framework import errors
from minitf.framework.constant_op import (constant, convert_to_tensor,
                                          register_tensor_conversion_function)
from minitf.framework.device import DeviceSpec
from minitf.framework.dtypes import *  # noqa: F401,F403  (the DType objects and as_dtype)
from minitf.framework.graph import Graph, get_default_graph, reset_default_graph
from minitf.framework.graph_keys import GraphKeys
from minitf.framework.ops import Operation, Tensor
from minitf.framework.random_seed import set_random_seed
from minitf.framework.tensor_shape import Dimension, TensorShape
from minitf.framework.api import (add_to_collection, add_to_collections, control_dependencies,
                                  device, get_collection, get_collection_ref, name_scope)
from minitf.ops.array_ops import *  # noqa: F401,F403
from minitf.ops.control_flow_ops import *  # noqa: F401,F403
from minitf.ops.math_ops import *  # noqa: F401,F403
from minitf.ops.random_ops import *  # noqa: F401,F403
from minitf.ops import tensor_operators as _tensor_operators  # noqa: F401  (binds x + y, ...)
from minitf.session import InteractiveSession, Session, get_default_session
from minitf.initializers import (constant_initializer, glorot_normal_initializer,
                                 glorot_uniform_initializer, ones_initializer,
                                 orthogonal_initializer, random_normal_initializer,
                                 random_uniform_initializer, truncated_normal_initializer,
                                 uniform_unit_scaling_initializer, variance_scaling_initializer,
                                 zeros_initializer)
from minitf.ops.linalg_ops import eye, matrix_diag_part, qr
from minitf.variables import *  # noqa: F401,F403
from minitf.variable_scope import *  # noqa: F401,F403
from minitf.framework.indexed_slices import IndexedSlices
from minitf.gradients import gradients
from minitf.partitioned import (PartitionedVariable, fixed_size_partitioner,
                                min_max_variable_partitioner, variable_axis_size_partitioner)
from minitf import (constraints, initializers, linalg, losses, math, nn, random,  # noqa: E402
                    regularizers)  # sub-namespaces tf.initializers, tf.math, tf.nn, ...
from minitf import layers, train  # noqa: E402
from minitf import compat  # noqa: E402  (tf.compat.v1 is this module)

__version__ = "0.1.0"
