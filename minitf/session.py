"""Session: runs the ops a fetch needs with their NumPy kernels.

`run` looks up a compiled plan by (fetch structure, feed keys): a generated straight-line function
with one line per kernel call (minitf/plan.py). Only the first run of a given (fetches, feeds) walks
the graph; every later one is one call of that function. Per-session values (variables, random
streams) live in `Session._state`, so two sessions on one graph do not share them.
"""
import collections

import numpy as np

from minitf.framework.graph import get_default_graph
from minitf.framework.indexed_slices import IndexedSlices, IndexedSlicesValue
from minitf.framework.ops import Operation, Tensor, default_session, get_default_session
from minitf.plan import compile_plan

__all__ = ["Session", "InteractiveSession", "get_default_session"]


class Session:
    """A TF1 session over one graph (the default graph when `graph` is None)."""

    def __init__(self, target="", graph=None, config=None):
        self._graph = graph if graph is not None else get_default_graph()
        self._closed = False
        self._state = {}
        self._plans = {}
        self._context = None

    graph = property(lambda self: self._graph, doc="The graph this session runs.")
    sess_str = property(lambda self: "")

    def run(self, fetches, feed_dict=None, options=None, run_metadata=None):
        """Runs the ops needed for `fetches` and returns their values in the same structure.

        Args:
          fetches: a Tensor, Operation, tensor or op name, or a nested list/tuple/dict/namedtuple
            of them. An Operation's value is None.
          feed_dict: {Tensor or name: value} overriding those tensors for this run.
        Returns:
          NumPy values in the structure of `fetches`.
        Raises:
          RuntimeError: the session is closed.
          TypeError, ValueError: a fetch or feed is not of this graph, or a feed value does not
            fit the tensor's dtype or static shape.
          minitf.errors.InvalidArgumentError: a placeholder the fetches need was not fed.

        >>> x = tf.placeholder(tf.float32, [None], name="x")
        >>> with tf.Session() as sess:
        ...     sess.run({"double": x * 2.0}, {x: [1.0, 2.0]})
        {'double': array([2., 4.], dtype=float32)}
        """
        if self._closed:
            raise RuntimeError("Attempted to use a closed Session.")
        feed_keys = tuple(feed_dict) if feed_dict else ()
        try:
            key = (_fetch_key(fetches), feed_keys)
            plan = self._plans.get(key)
        except TypeError:  # an unhashable fetch: let the compiler say what is wrong with it
            key, plan = None, None
        if plan is None:
            plan = _compile_plan(self, fetches, feed_keys)
            if key is not None:
                self._plans[key] = plan
        return plan.run(feed_dict.values() if feed_dict else ())

    def make_callable(self, fetches, feed_list=None, accept_options=False):
        """Returns `f(*feed_values)` that runs `fetches` with `feed_list` fed positionally."""
        feed_list = tuple(feed_list or ())
        plan = _compile_plan(self, fetches, feed_list)

        def call(*feed_values):
            if self._closed:
                raise RuntimeError("Attempted to use a closed Session.")
            if len(feed_values) != len(feed_list):
                raise TypeError(f"This callable takes {len(feed_list)} feed values, got "
                                f"{len(feed_values)}.")
            return plan.run(feed_values)
        return call

    def close(self):
        """Frees this session's values; running it afterwards raises RuntimeError."""
        self._closed = True
        self._state.clear()
        self._plans.clear()

    def as_default(self):
        """Context manager making this session the default for `eval()` and `run()`."""
        return default_session(self)

    def __enter__(self):
        self._context = (self._graph.as_default(), self.as_default())
        for ctx in self._context:
            ctx.__enter__()
        return self

    def __exit__(self, *exc):
        for ctx in reversed(self._context):
            ctx.__exit__(*exc)
        self._context = None
        self.close()
        return False


class InteractiveSession(Session):
    """A Session that installs itself as the default session when created (for shells)."""

    def __init__(self, target="", graph=None, config=None):
        super().__init__(target, graph, config)
        self._default = self.as_default()
        self._default.__enter__()

    def close(self):
        if self._default is not None:
            self._default.__exit__(None, None, None)
            self._default = None
        super().close()


def _compile_plan(session, fetches, feed_keys):
    graph = session._graph
    flat, rebuild = _flatten(fetches)
    targets = [_fetch_target(graph, f) for f in flat]
    fed = {}
    for key in feed_keys:
        t = _feed_target(graph, key)
        if t in fed:  # TF silently keeps the last of the two values
            raise ValueError(f"Tensor {t.name} is fed twice in one feed_dict (by name and by "
                             "tensor); feed it once.")
        fed[t] = _feed_checker(graph, t)
    return compile_plan(session._state, targets, fed, rebuild)


def _fetch_target(graph, fetch):
    if fetch is None:
        raise TypeError('Argument `fetch` = None has invalid type "NoneType". Cannot be None')
    if not (isinstance(fetch, (Tensor, Operation, str)) or hasattr(fetch, "_as_graph_element")):
        raise TypeError(f"Argument `fetch` = {fetch!r} has invalid type "
                        f'"{type(fetch).__name__}" must be a string or Tensor. (Can not convert '
                        f"a {type(fetch).__name__} into a Tensor or Operation.)")
    try:
        return graph.as_graph_element(fetch, allow_tensor=True, allow_operation=True)
    except (TypeError, ValueError, KeyError) as exc:
        raise ValueError(f"Argument `fetch` = {fetch} cannot be interpreted as a Tensor. "
                         f"({exc.args[0] if exc.args else exc})") from None


def _feed_target(graph, key):
    try:
        t = graph.as_graph_element(key, allow_tensor=True, allow_operation=False)
    except (TypeError, ValueError, KeyError) as exc:
        raise TypeError(f"Cannot interpret feed_dict key as Tensor: "
                        f"{exc.args[0] if exc.args else exc}") from None
    if not graph.is_feedable(t):
        raise ValueError(f"Tensor {t} may not be fed.")
    return t


def _feed_checker(graph, tensor):
    """A function checking and converting one feed value for `tensor`."""
    dtype, shape = tensor.dtype.base_dtype, tensor._shape
    np_dtype = np.dtype(dtype.as_numpy_dtype)
    rank = None if shape is None else len(shape)
    known = () if shape is None else tuple((i, d) for i, d in enumerate(shape) if d is not None)

    def check(value):
        if value.__class__ is np.ndarray:
            arr = value
        elif isinstance(value, Tensor):
            raise TypeError("The value of a feed cannot be a tf.Tensor object. Acceptable feed "
                            "values include Python scalars, strings, lists, numpy ndarrays, or "
                            f"TensorHandles. (fed for {tensor.name})")
        else:
            arr = np.asarray(value)
        if arr.dtype != np_dtype:
            arr = _cast_feed(arr, np_dtype, dtype, tensor)
        actual = arr.shape
        if rank is not None and (len(actual) != rank or any(actual[i] != d for i, d in known)):
            raise ValueError(f"Cannot feed value of shape {arr.shape!r} for Tensor "
                             f"{tensor.name}, which has shape {_shape_str(shape)}")
        return arr
    return check


def _cast_feed(arr, np_dtype, dtype, tensor):
    lossy = (arr.dtype.kind in "fc" and np_dtype.kind in "iub") or (
        arr.dtype.kind == "c" and np_dtype.kind == "f") or (
        arr.dtype.kind in "USO" and np_dtype.kind != "O") or (
        arr.dtype.kind in "iubfc" and np_dtype.kind == "O")
    if lossy:
        raise ValueError(f"Cannot feed value of dtype {arr.dtype.name} for Tensor "
                         f"{tensor.name}, which has dtype {dtype.name}")
    if np_dtype.kind in "iu" and arr.size and arr.dtype.kind in "iu":
        info = np.iinfo(np_dtype)
        if arr.min() < info.min or arr.max() > info.max:
            raise ValueError(f"Cannot feed value out of range for dtype {dtype.name} to Tensor "
                             f"{tensor.name}")
    return arr.astype(np_dtype)


def _shape_str(shape):
    return "(" + ", ".join("?" if d is None else str(d) for d in shape) + \
        ("," if len(shape) == 1 else "") + ")"


# -- fetch structures ------------------------------------------------------------------------------
def _fetch_key(fetches):
    cls = fetches.__class__
    if cls is list:
        return ("l",) + tuple(_fetch_key(f) for f in fetches)
    if cls is dict or isinstance(fetches, collections.abc.Mapping):
        return (cls,) + tuple((k, _fetch_key(v)) for k, v in fetches.items())
    if isinstance(fetches, tuple):
        return (cls,) + tuple(_fetch_key(f) for f in fetches)
    return fetches


def _flatten(fetches):
    """(flat list of leaves, rebuild(flat values) -> the structure of `fetches`)."""
    if isinstance(fetches, (list, tuple)):
        parts = [_flatten(f) for f in fetches]
        leaves = [leaf for p in parts for leaf in p[0]]
        sizes = [len(p[0]) for p in parts]
        make = type(fetches)._make if hasattr(fetches, "_fields") else type(fetches)
        return leaves, lambda vals: make(_rebuild_parts(parts, sizes, vals))
    if isinstance(fetches, IndexedSlices):
        parts = [fetches.values, fetches.indices, fetches.dense_shape]
        leaves, rebuild = _flatten([p for p in parts if p is not None])
        return leaves, lambda vals: IndexedSlicesValue(*rebuild(vals), *[None][:parts.count(None)])
    if isinstance(fetches, collections.abc.Mapping):
        keys = list(fetches)
        leaves, rebuild = _flatten([fetches[k] for k in keys])
        cls = type(fetches)
        return leaves, lambda vals: cls(zip(keys, rebuild(vals)))
    return [fetches], lambda vals: vals[0]


def _rebuild_parts(parts, sizes, vals):
    out, i = [], 0
    for (_, rebuild), n in zip(parts, sizes):
        out.append(rebuild(vals[i:i + n]))
        i += n
    return out
