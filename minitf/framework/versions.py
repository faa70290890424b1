"""Version constants of the TF1 namespace (`tf.VERSION`, `tf.GRAPH_DEF_VERSION`, ...).

minitf speaks TensorFlow 1's API, so `VERSION` says 1.15 (the last TF1 release): programs that
test `tf.VERSION` (or `LooseVersion`/`packaging` parses of it) take their TF1 paths. The local
part `+minitf` keeps it a valid PEP 440 version while saying what runs. The GraphDef versions
are those of the reference TensorFlow whose op semantics minitf follows (2.21). The build
constants describe minitf's own build: its compiled kernels are C (Cython), not C++.
"""
import platform

__all__ = ["VERSION", "GIT_VERSION", "COMPILER_VERSION", "CXX11_ABI_FLAG", "CXX_VERSION",
           "MONOLITHIC_BUILD", "GRAPH_DEF_VERSION", "GRAPH_DEF_VERSION_MIN_CONSUMER",
           "GRAPH_DEF_VERSION_MIN_PRODUCER"]

VERSION = "1.15.0+minitf"
GIT_VERSION = "unknown"  # what TF reports when built outside a git checkout
COMPILER_VERSION = platform.python_compiler()  # the compiler that builds the C extensions
CXX11_ABI_FLAG = 0  # no C++ code
CXX_VERSION = 0  # no C++ code (TF: the __cplusplus value of its build)
MONOLITHIC_BUILD = 0
GRAPH_DEF_VERSION = 2474
GRAPH_DEF_VERSION_MIN_CONSUMER = 0
GRAPH_DEF_VERSION_MIN_PRODUCER = 0
