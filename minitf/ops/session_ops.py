"""Tensors kept in a session between runs (`tf.get_session_handle`, `tf.get_session_tensor`,
`tf.delete_session_tensor`): GetSessionHandle stores a value in the running Session's state and
yields a TensorHandle; GetSessionTensor reads a value back by its handle string; and
DeleteSessionTensor drops it.
"""
import itertools

import numpy as np

from minitf.framework import dtypes as _dtypes, errors
from minitf.framework.graph import get_default_graph
from minitf.framework.ops import Tensor
from minitf.framework.registry import register_op
from minitf.ops.array_ops import placeholder

__all__ = ["TensorHandle", "get_session_handle", "get_session_tensor", "delete_session_tensor"]

_DEVICE = "/job:localhost/replica:0/task:0/device:CPU:0"
_STORE = "session_tensors"  # the state key of a session's {handle string: value}
_IDS = "session_tensor_ids"  # the state key of its counter of handles
_DEAD = "session_tensors_dropped"  # the state key of its dropped handles not yet deleted
_DEAD_HANDLES_THRESHOLD = 10


class TensorHandle:
    """The handle of a tensor value kept in a session.

    `sess.run` returns one for a `tf.get_session_handle` tensor. Feed `handle` (or the
    TensorHandle) to the placeholder of `tf.get_session_tensor` to use the value in a later run.

    The value lives until `delete()`, or until the TensorHandle is dropped (as in TF, dropped
    handles' values are deleted ten at a time); `get_raw_handle()` hands its life over to the
    caller, who deletes it with `tf.delete_session_tensor`.

    Args:
      handle: the handle string.
      dtype: the kept value's DType.
      store: the session's kept values, by handle string.
      dead: the session's dropped handles whose values are not deleted yet.
      graph: the Graph of the handle's op.
    """

    def __init__(self, handle, dtype, store, dead, graph):
        self._handle = handle
        self._dtype = dtype
        self._store = store
        self._dead = dead  # the session's dropped handles not yet deleted
        self._graph = graph
        self._auto_gc_enabled = True

    handle = property(lambda self: self._handle, doc="The handle string.")

    def __str__(self):
        return self._handle

    def __array__(self, dtype=None, copy=None):  # (fed to a string placeholder)
        return np.array(self._handle.encode(), dtype=object)

    def eval(self):
        """Returns the value the handle names.

        Raises:
          TypeError: the handle was deleted or handed over (`get_raw_handle`).
        """
        self._check_live()
        _subgraph(self._graph, "reader:" + self._handle.split(";")[0],
                  lambda: get_session_tensor(self._handle, self._dtype))
        return _lookup(self._store, self._handle, None)

    def delete(self):
        """Deletes the value from the session.

        Raises:
          TypeError: the handle was deleted or handed over already.
        """
        self._check_live()
        self._auto_gc_enabled = False
        _subgraph(self._graph, "deleter:0", lambda: delete_session_tensor(self._handle))
        self._store.pop(self._handle, None)

    def get_raw_handle(self):
        """Returns the handle string; the value is no longer deleted with this object."""
        self._auto_gc_enabled = False
        return self._handle

    def _check_live(self):
        if not self._auto_gc_enabled:
            raise TypeError(f"Persistent tensor {self._handle} may have already been deleted.")

    def __del__(self):
        # TF deletes dropped handles' values ten at a time, when the tenth is dropped
        if self._auto_gc_enabled:
            self._dead.append(self._handle)
            if len(self._dead) == _DEAD_HANDLES_THRESHOLD:
                for i, handle in enumerate(self._dead):
                    _subgraph(self._graph, f"deleter:{i}",
                              lambda handle=handle: delete_session_tensor(handle))
                    self._store.pop(handle, None)
                self._dead.clear()


def _subgraph(graph, key, build):
    # TF builds (once per graph and key) the ops that read or delete a handle's value; they are
    # made here too, so the names of later ops are TF's. The value is read from the store.
    made = graph._layer_state.setdefault("session_handle_ops", {})
    if key not in made and not graph.finalized:
        with graph.as_default():
            made[key] = build()


def _lookup(store, handle, op):
    try:
        return store[handle]
    except KeyError:
        raise errors.InvalidArgumentError(
            None, op, f"The tensor with handle '{handle}' is not in the session store.") from None


def _handle_string(value):
    value = value.item() if isinstance(value, np.ndarray) else value
    if isinstance(value, TensorHandle):
        return value.handle
    return value.decode() if isinstance(value, bytes) else str(value)


# -- the ops --------------------------------------------------------------------------------------
@register_op("GetSessionHandle", shape=lambda value: (), dtype=lambda value: _dtypes.string,
             stateful=True, differentiable=False)
def _get_session_handle(state, op, value):
    ids = state.get(_IDS)
    if ids is None:
        ids = state.setdefault(_IDS, itertools.count())
    handle = f"{op.name};{next(ids)};{_DEVICE}"
    store = state.setdefault(_STORE, {})
    store[handle] = np.array(value)  # (a copy: the kept value must not change)
    return TensorHandle(handle, op.inputs[0].dtype, store, state.setdefault(_DEAD, []),
                        op.graph)


@register_op("GetSessionTensor", shape=lambda handle, *, dtype: None,
             dtype=lambda handle, *, dtype: dtype, stateful=True, differentiable=False)
def _get_session_tensor(state, op, handle, *, dtype):
    value = _lookup(state.get(_STORE, {}), _handle_string(handle), op)
    if value.dtype != dtype.as_numpy_dtype:
        raise errors.InternalError(
            None, op, f"Output 0 of type {_c_name(_dtypes.as_dtype(value.dtype))} does not "
            f"match declared output type {_c_name(dtype)} for node {{{{node {op.name}}}}}")
    return value


def _c_name(dtype):  # TF's C++ name of a dtype, as its messages print it
    return {"float32": "float", "float64": "double", "float16": "half"}.get(dtype.name,
                                                                           dtype.name)


@register_op("DeleteSessionTensor", shape=None, outputs=0, stateful=True, differentiable=False)
def _delete_session_tensor(state, op, handle):
    name = _handle_string(handle)
    _lookup(state.get(_STORE, {}), name, op)
    del state[_STORE][name]


def get_session_handle(data, name=None):
    """Returns a tensor that, when run, keeps `data`'s value in the session.

    `sess.run` of it returns a TensorHandle; feed its `handle` to the placeholder of
    `tf.get_session_tensor` to use the value in later runs without fetching it.

    Args:
      data: a Tensor.
      name: a name for the op (default "GetSessionHandle").

    Returns:
      A string scalar Tensor (placed with `data`).

    Raises:
      TypeError: `data` is not a Tensor.
      minitf.errors.FailedPreconditionError: in eager mode (there is no session).

    >>> c = tf.constant(10.0) * 5.0
    >>> with tf.Session() as sess:
    ...     handle = sess.run(tf.get_session_handle(c))
    ...     p, t = tf.get_session_tensor(handle.handle, tf.float32)
    ...     print(sess.run(t + 1.0, feed_dict={p: handle.handle}))
    51.0
    """
    if not isinstance(data, Tensor):
        raise TypeError("`data` must be of type Tensor.")
    if data._op is None:
        raise errors.FailedPreconditionError(
            None, None, "GetSessionHandle called on null session state [Op:GetSessionHandle]: "
            "a value is kept in a Session, which eager execution has not")
    with get_default_graph().colocate_with(data):
        return _get_session_handle.apply([data], name=name or "GetSessionHandle")


def get_session_tensor(handle, dtype, name=None):
    """Returns a placeholder for a handle string and the tensor of the value it names.

    Args:
      handle: the handle string of a kept value (decides the device, as in TF).
      dtype: the value's dtype.
      name: a name for the op (default "GetSessionTensor").

    Returns:
      A pair (placeholder to feed the handle to, Tensor of the value).
    """
    holder = placeholder(_dtypes.string)
    tensor = _get_session_tensor.apply([holder], name=name or "GetSessionTensor",
                                       dtype=_dtypes.as_dtype(dtype))
    return holder, tensor


def delete_session_tensor(handle, name=None):
    """Returns a placeholder for a handle string and an op deleting the value it names.

    Args:
      handle: the handle string of a kept value.
      name: a name for the op (default "DeleteSessionTensor").

    Returns:
      A pair (placeholder to feed the handle to, the deleting Operation).
    """
    holder = placeholder(_dtypes.string)
    deleter = _delete_session_tensor.apply([holder], name=name or "DeleteSessionTensor")
    return holder, deleter
