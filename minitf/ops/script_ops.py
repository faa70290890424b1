"""Python functions as ops: `py_func`, `numpy_function` and `py_function` (issue 17, item 6).

The op calls the function on its inputs' NumPy values each time it runs, in the running
thread; its outputs take the dtypes given (`Tout`) and unknown shapes, as TF's. It is stateful,
so a plan never folds it, and has no gradient (TF's PyFunc has none either).
"""
import numpy as np

from minitf.framework import dtypes, errors
from minitf.framework.eager import EagerTensor
from minitf.framework.registry import register_op

__all__ = ["py_func", "numpy_function", "py_function"]


def _shapes(*inputs, func, Tout, single):  # (Tout: TF's attr name)
    return [None] * len(Tout)


def _types(*inputs, func, Tout, single):
    return list(Tout)


def _call(state, op, *inputs, func, Tout, single):
    if op._opdef is _eager_py_func:  # (py_function's function takes eager tensors)
        inputs = [EagerTensor(v, t.dtype.base_dtype) for v, t in zip(inputs, op._inputs)]
    results = func(*inputs)
    results = [results] if single else list(results)
    if len(results) != len(Tout):
        raise errors.InvalidArgumentError(
            None, op, f"{op.name}: the function returned {len(results)} values, Tout lists "
            f"{len(Tout)}")
    return [_as(value, dtype, op) for value, dtype in zip(results, Tout)]


_py_func = register_op("PyFunc", shape=_shapes, dtype=_types, outputs="n", stateful=True,
                       differentiable=False)(_call)
_eager_py_func = register_op("EagerPyFunc", shape=_shapes, dtype=_types, outputs="n",
                             stateful=True, differentiable=False)(_call)


def _as(value, dtype, op):
    value = np.asarray(value)
    if value.dtype != dtype.as_numpy_dtype and not (dtype == dtypes.string
                                                   and value.dtype.kind in "OSU"):
        raise errors.InvalidArgumentError(
            None, op, f"{op.name}: the function returned a {value.dtype} value where Tout says "
            f"{dtype.name}")
    return value


def py_func(func, inp, Tout, stateful=True, name=None):
    """Wraps a Python function of NumPy arrays as an op (TF1's `tf.py_func`).

    Args:
      func: called with the NumPy values of `inp`; returns one array (when `Tout` is one
        dtype) or a list of them, of exactly the dtypes of `Tout`.
      inp: a list of Tensors (or values).
      Tout: a DType, or a list of them.
      stateful: accepted for TF's signature (the function always runs when the op does).
      name: a name for the operation (default "PyFunc").

    Returns:
      A Tensor, or a list of them (as `Tout`), of unknown shape.

    Raises:
      minitf.errors.InvalidArgumentError: at run time, the function returned another number
        of values or another dtype.

    >>> y = tf.py_func(lambda v: v * 2, [tf.constant([1.0, 2.0])], tf.float32)
    >>> with tf.Session() as sess:
    ...     print(sess.run(y))
    [2. 4.]
    """
    return _wrap(_py_func, func, inp, Tout, name or "PyFunc")


def _wrap(opdef, func, inp, Tout, name):
    single = not isinstance(Tout, (list, tuple))
    types = [dtypes.as_dtype(t) for t in ([Tout] if single else Tout)]
    outs = opdef.apply(list(inp), name=name, func=func, Tout=tuple(types), single=single)
    return outs[0] if single else outs


def numpy_function(func, inp, Tout, name=None):
    """Wraps a Python function of NumPy arrays as an op: `py_func` (TF's newer name).

    Args:
      func, inp, Tout, name: as in `py_func`.

    Returns:
      A Tensor, or a list of them.
    """
    return py_func(func, inp, Tout, name=name)


def py_function(func, inp, Tout, name=None):
    """Wraps a Python function of eager tensors as an op (`tf.py_function`, op EagerPyFunc).

    The function gets eager tensors (`.numpy()`, operators, minitf ops on them) and may
    return eager tensors or NumPy values of the dtypes of `Tout`.

    Args:
      func, inp, Tout, name: as in `py_func` (name's default: "EagerPyFunc").

    Returns:
      A Tensor, or a list of them.
    """
    return _wrap(_eager_py_func, func, inp, Tout, name or "EagerPyFunc")
