"""Eager execution: ops that run as they are made, on NumPy, and return EagerTensors holding values.

TF1 builds graphs by default, and so does minitf. `tf.enable_eager_execution()` (at the start of a
program) makes it eager, `tf.disable_eager_execution()` goes back to graphs, `minitf.eager_mode()`
runs one block eagerly, and `with tf.Graph().as_default():` builds a graph inside eager code, as
in TF.

Eager mode is an EagerGraph as the default graph. It keeps what naming needs (name scopes,
variable scopes and their counters, devices) but no ops: `_create_op` runs the op's kernel at once
and returns EagerTensors. As in TF, names are scoped but never made unique (two variables may both
be `v:0`), control dependencies are moot (ops run in program order), and the values of variables
live in one process-wide state, as a Session's would, until the variable is deleted. An eager op
is offered to the recording GradientTapes (framework/tape.py).
"""
import contextlib

import numpy as np

from minitf._kernels import NameTable
from minitf.framework import errors, graph as _graph, tape
from minitf.framework.ops import Operation, Tensor

__all__ = ["EagerTensor", "EagerGraph", "executing_eagerly", "enable_eager_execution",
           "disable_eager_execution", "eager_mode"]

_CPU = "/job:localhost/replica:0/task:0/device:CPU:0"

try:  # np.errstate(all="ignore") costs ~0.7 µs a call; setting its context variable, ~0.08 µs
    from numpy._core import umath as _umath

    IGNORE_FP, FP_ERRSTATE = _umath._make_extobj(all="ignore"), _umath._extobj_contextvar
except (ImportError, AttributeError):  # another NumPy: the public, slower way
    IGNORE_FP = FP_ERRSTATE = None


def _no_attribute(what):
    def fail(self):
        raise AttributeError(f"Tensor.{what} is undefined when eager execution is enabled.")
    return property(fail)


class EagerTensor(Tensor):
    """A tensor with a value: what an op returns in eager mode.

    `numpy()` gives the value, `shape` and `dtype` describe it, and it works where a NumPy value
    does (`np.asarray(t)`, `float(t)`, `if t:`, `len(t)`, iteration). Python operators run ops
    eagerly (`t + 1` is another EagerTensor); `==` compares identity, as TF1's tensors do.
    Graph-only attributes (`name`, `op`, `graph`, `eval`) raise TF's errors. Ops make them;
    the constructor is minitf's own.

    Args:
      value: the NumPy value it holds.
      dtype: its DType.

    >>> with tf.eager_mode():
    ...     t = tf.constant([1.0, 2.0]) * 2.0
    >>> t
    <tf.Tensor: shape=(2,), dtype=float32, numpy=array([2., 4.], dtype=float32)>
    """

    __slots__ = ("_value",)

    def __init__(self, value, dtype):  # (no Tensor.__init__: no op, no consumers)
        self._op, self._value_index, self._name, self._consumers = None, 0, None, ()
        self._value, self._dtype, self._shape = value, dtype, np.shape(value)

    name = _no_attribute("name")
    op = _no_attribute("op")
    graph = _no_attribute("graph")
    device = property(lambda self: _CPU, doc="The device holding the value (the CPU).")

    def numpy(self):
        """Returns the value as a NumPy array, the caller's own to change.

        A rank-0 tensor gives a NumPy scalar.
        """
        value = self._value
        if not isinstance(value, np.ndarray):
            return value
        if value.ndim == 0:
            return value[()]
        return value if value.flags.writeable else value.copy()

    def eval(self, feed_dict=None, session=None):
        raise NotImplementedError("eval is not supported when eager execution is enabled, is "
                                  ".numpy() what you're looking for?")

    def consumers(self):
        raise AttributeError("Tensor.consumers is undefined when eager execution is enabled.")

    def _shape_str(self):
        return "(" + ", ".join(str(d) for d in self._shape) + ("," if len(self._shape) == 1
                                                                else "") + ")"

    def _text(self, as_repr):
        value = self.numpy()
        if isinstance(value, np.ndarray) and value.dtype == object:  # strings: TF's bytes
            value = np.vectorize(_bytes, otypes=[object])(value)
        elif isinstance(value, str):
            value = _bytes(value)
        # a scalar as TF shows it (`6.0`), not NumPy 2's repr (`np.float32(6.0)`)
        return repr(value) if as_repr and isinstance(value, (np.ndarray, bytes)) else str(value)

    def __repr__(self):
        return (f"<tf.Tensor: shape={self._shape_str()}, dtype={self._dtype.name}, "
                f"numpy={self._text(True)}>")

    def __str__(self):
        return (f"tf.Tensor({self._text(False)}, shape={self._shape_str()}, "
                f"dtype={self._dtype.name})")

    def __format__(self, spec):
        return format(self.numpy(), spec)

    def __array__(self, dtype=None, copy=None):
        value = np.asarray(self._value, dtype=dtype)
        return value.copy() if copy else value

    def __bool__(self):
        return bool(self._value)

    def __int__(self):
        return int(self._value)

    def __float__(self):
        return float(self._value)

    def __index__(self):
        if not self._dtype.is_integer:
            raise TypeError(f"Only integer tensors can be used as an index, not "
                            f"{self._dtype.name}: {self!r}")
        return int(self._value)

    def __len__(self):
        if not self._shape:
            raise TypeError("Scalar tensor has no `len()`")
        return self._shape[0]

    def __iter__(self):
        if not self._shape:
            raise TypeError("Cannot iterate over a scalar tensor.")
        dtype = self._dtype
        return (EagerTensor(row, dtype) for row in self._value)


def _bytes(value):
    return value.encode() if isinstance(value, str) else value


_STATE = {}  # the values of eager variables (by handle op), random streams: one for the process


class EagerGraph(_graph.Graph):
    """The default graph in eager mode: it keeps scopes, and runs each op as it is made."""

    _eager = True

    def __init__(self):
        super().__init__()
        self._names = NameTable(self._states, uniquify=False)
        self.unique_name = self._names.unique
        self._state = _STATE

    def _create_op(self, opdef, inputs, attrs, name, dtypes, shapes):
        name = self._names.open_scope(self._states.get().name_stack, name)[0]
        op = Operation(self, name, opdef, inputs, attrs, 0)
        if opdef.forwards_input:
            values = (inputs[0]._value,)
        elif opdef.outputs == 0 and not opdef.stateful:
            values = ()
        else:
            values = _run(op, opdef, [t._value for t in inputs])
        op._outputs = [EagerTensor(v, dt) for v, dt in zip(values, dtypes)]
        if self._overriding:
            op._gradient_override = self._gradient_override_for(opdef.type)
        if tape.active():
            tape.record(op)
        return op

    def control_dependencies(self, control_inputs):
        return contextlib.nullcontext()  # eager ops run in program order

    def _can_defer(self):
        return False

    def __repr__(self):
        return f"<minitf EagerGraph at {id(self):#x}>"


def _run(op, opdef, args):
    """Runs one op's kernel: its output values, or TF's error naming the op."""
    # the plain kernel: a specialized one is chosen for a plan that runs many times
    kernel, attrs = opdef.kernel, op._attrs
    if opdef.stateful:
        args = [_STATE, op, *args]
    token = FP_ERRSTATE.set(IGNORE_FP) if FP_ERRSTATE else None
    try:
        if token is None:
            with np.errstate(all="ignore"):
                result = kernel(*args, **attrs)
        else:
            result = kernel(*args, **attrs)
    except Exception as exc:
        translate = opdef.kernel_error
        error = exc if isinstance(exc, errors.OpError) else (
            translate(op, exc) if translate is not None else None)
        if error is not None:  # TF's text, and which op it was, as TF's eager errors end
            raise type(error)(None, op, f"{error.message} [Op:{opdef.type}]") from None
        raise errors.InvalidArgumentError(
            None, op, f"{type(exc).__name__}: {exc} [Op:{opdef.type}]") from exc
    finally:
        if token is not None:
            FP_ERRSTATE.reset(token)
    if opdef.outputs == 1:
        return (result,)
    return () if opdef.outputs == 0 else result


# -- switching modes -------------------------------------------------------------------------------
def executing_eagerly():
    """Returns whether ops run as they are made (eager mode) in this thread, here.

    False by default (TF1); True after `tf.enable_eager_execution()` or inside
    `minitf.eager_mode()`, except inside a `with graph.as_default():` block.
    """
    return _graph.get_default_graph()._eager


def enable_eager_execution(config=None, device_policy=None, execution_mode=None):
    """Makes the program eager: ops run as they are made and return values (EagerTensors).

    Call it at the start of the program, before any graph op is made (TF's rule). Variables
    are then resource variables, `get_variable` creates a new variable on every call unless a
    `tf.EagerVariableStore` or template is active, and gradients come from `tf.GradientTape`.
    `with tf.Graph().as_default():` still builds a graph.

    Args:
      config, device_policy, execution_mode: accepted for TF's signature; minitf runs every
        op on the CPU, synchronously.

    Raises:
      ValueError: graph ops were already made in the default graph, or it is called inside a
        `with graph.as_default():` block.
    """
    if executing_eagerly() and not _graph._default_graph_stack.stack:
        return
    default = _graph._global_default_graph
    if _graph._default_graph_stack.stack or (default is not None and default._ops):
        raise ValueError("tf.enable_eager_execution must be called at program startup.")
    _graph._global_default_graph = EagerGraph()


def disable_eager_execution():
    """Makes the program build graphs again (TF1's default); `tf.disable_v2_behavior()` does too.

    The global default graph becomes a new, empty Graph (a no-op when not eager).
    """
    if _graph._global_default_graph is not None and _graph._global_default_graph._eager:
        _graph._global_default_graph = _graph.Graph()


_block_graph = None  # the EagerGraph eager_mode() enters when the program is not eager


def eager_mode():
    """Returns a context manager that runs the ops made inside it eagerly.

    Whatever the program's mode (TF's internal `context.eager_mode()`); a `with
    graph.as_default():` block inside builds a graph again.

    >>> with tf.eager_mode():
    ...     print(tf.executing_eagerly(), (tf.constant(2.0) * 3.0).numpy())
    True 6.0
    """
    global _block_graph
    default = _graph._global_default_graph
    if default is not None and default._eager:
        return default.as_default()
    if _block_graph is None:
        _block_graph = EagerGraph()
    return _block_graph.as_default()
