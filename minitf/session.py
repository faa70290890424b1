"""Session: runs the ops a fetch needs with their NumPy kernels.

`run` looks up a compiled plan by (fetch structure, feed keys): a generated straight-line function
with one line per kernel call (minitf/plan.py). Only the first run of a given (fetches, feeds) walks
the graph; every later one is one call of that function. Per-session values (variables, random
streams) live in `Session._state`, so two sessions on one graph do not share them.
"""
import collections

import numpy as np

from minitf import _blas_threads, plan_tracing
from minitf.framework import dtypes
from minitf.framework.config_pb import ConfigProto
from minitf.framework.graph import get_default_graph
from minitf.framework.indexed_slices import IndexedSlices, IndexedSlicesValue
from minitf.framework.ops import Operation, Tensor, default_session, get_default_session
from minitf.framework.sparse_tensor import SparseTensor, SparseTensorValue
from minitf.plan import compile_plan

__all__ = ["Session", "InteractiveSession", "get_default_session"]


class Session:
    """A TF1 session: runs the ops of one graph and holds their state between runs.

    `run` computes the values of fetched tensors with NumPy. The session holds the values of
    variables and the state of random ops, so two sessions on one graph are independent.
    `with tf.Session() as sess:` makes it the default session and its graph the default graph
    inside the block, and closes it at the end.

    Args:
      target: accepted for TF's signature; minitf runs in process (ignored).
      graph: the Graph to run (default: the default graph when the session is made).
      config: a ConfigProto. Its `intra_op_parallelism_threads` (when > 0) sets the BLAS
        threads: process-wide, so the last session made with one wins. Without it, the
        first Session of the process sets 1 BLAS thread unless the user chose a count
        otherwise (OPENBLAS_NUM_THREADS, OMP_NUM_THREADS, ..., threadpoolctl): small
        matrix products are fastest on one thread (minitf/_blas_threads.py). Its
        `inter_op_parallelism_threads` is accepted (minitf runs ops in order); the rest is
        accepted and ignored.

    Raises:
      TypeError: `config` is not a ConfigProto.

    >>> a = tf.constant(3.0)
    >>> b = tf.constant(4.0)
    >>> with tf.Session() as sess:
    ...     print(sess.run(a * b))
    ...     print(sess.run([a, b]))
    12.0
    [np.float32(3.0), np.float32(4.0)]
    """

    def __init__(self, target="", graph=None, config=None):
        if config is not None and not isinstance(config, ConfigProto):
            raise TypeError("Argument `config` must be a tf.ConfigProto, but got "
                            f'"{type(config).__name__}"')
        _blas_threads.session_threads(
            0 if config is None else config.intra_op_parallelism_threads)
        self._graph = graph if graph is not None else get_default_graph()
        if self._graph._eager:
            raise RuntimeError(
                "A Session cannot run eager code: ops run as they are made when eager execution "
                "is enabled. Build the graph inside `with tf.Graph().as_default():` to run it "
                "in a Session.")
        self._closed = False
        self._state = {}
        self._plans = {}
        self._context = None

    graph = property(lambda self: self._graph, doc="The graph this session runs.")
    sess_str = property(lambda self: "", doc="The target string: always '' in minitf.")

    def run(self, fetches, feed_dict=None, options=None, run_metadata=None):
        """Runs the ops needed for `fetches` and returns their values in the same structure.

        Each run computes only the ops the fetches need, each once. The first run of a given
        (fetch structure, feed keys) compiles a plan that later runs reuse. A run that changes
        state (a training step, an initializer) is applied whole: a Ctrl-C arriving during it
        raises KeyboardInterrupt once it has finished, as with TF's C++ step.

        Args:
          fetches: a Tensor, Operation, tensor or op name, IndexedSlices, SparseTensor, or a
            nested list/tuple/dict/namedtuple of them. An Operation's value is None;
            IndexedSlices give an IndexedSlicesValue, a SparseTensor a SparseTensorValue.
          feed_dict: {Tensor or tensor name: value} replacing those tensors' values in this
            run (placeholders, usually). A value is converted to the tensor's dtype and
            checked against its static shape. A SparseTensor key takes a SparseTensorValue
            or an (indices, values, dense_shape) tuple.
          options: a RunOptions, or None. With `trace_level` above NO_TRACE the run is traced:
            its ops run one by one, unfused, and `run_metadata.step_stats` gets a NodeExecStats
            per node run (minitf/plan_tracing.py); with `output_partition_graphs`,
            `run_metadata.partition_graphs` gets the GraphDef of the ops run. Its other fields
            are accepted.
          run_metadata: a RunMetadata that a traced run replaces with what it recorded, or
            None.

        Returns:
          NumPy values in the structure of `fetches` (arrays the caller owns).

        Raises:
          RuntimeError: the session is closed.
          TypeError: a fetch is of a type that is no graph element, a feed key is not a
            tensor of this graph, or a feed value is a Tensor.
          ValueError: a fetch is not of this graph or names nothing in it, a tensor is fed
            twice (by name and by tensor) or may not be fed, or a feed value does not fit its
            tensor's static shape or would lose information in its dtype (a float for an
            integer tensor).
          minitf.errors.InvalidArgumentError: a placeholder the fetches need was not fed, or a
            kernel failed (a bad index or shape at run time).
          minitf.errors.FailedPreconditionError: an uninitialized variable was read.

        >>> x = tf.placeholder(tf.float32, [None], name="x")
        >>> with tf.Session() as sess:
        ...     sess.run({"double": x * 2.0}, {x: [1.0, 2.0]})
        {'double': array([2., 4.], dtype=float32)}
        """
        if self._closed:
            raise RuntimeError("Attempted to use a closed Session.")
        if options is not None and plan_tracing.wants_trace(options):
            return self._run_traced(fetches, feed_dict, options, run_metadata)
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

    def _run_traced(self, fetches, feed_dict, options, run_metadata):
        # a traced plan of its own, cached beside the untraced one under a longer key
        feed_keys = tuple(feed_dict) if feed_dict else ()
        try:
            key = (_fetch_key(fetches), feed_keys, "traced")
            plan = self._plans.get(key)
        except TypeError:
            key, plan = None, None
        if plan is None:
            plan = _compile_plan(self, fetches, feed_keys, traced=True)
            if key is not None:
                self._plans[key] = plan
        if run_metadata is not None:
            run_metadata.Clear()  # (TF's run replaces it whole)
        return plan.run(feed_dict.values() if feed_dict else (), options, run_metadata)

    def make_callable(self, fetches, feed_list=None, accept_options=False):
        """Returns a function that runs `fetches` with the tensors of `feed_list` fed.

        The plan is compiled once, here; each call of the function runs it, as
        `run(fetches, dict(zip(feed_list, feed_values)))` would.

        Args:
          fetches: what to fetch, as for `run`.
          feed_list: the tensors (or names) to feed, in the order the function takes their
            values.
          accept_options: if True, the function also takes keyword arguments `options` (a
            RunOptions) and `run_metadata` (a RunMetadata), as `run` does.

        Returns:
          A function `f(*feed_values)` returning the values of `fetches`. It raises TypeError
          for a wrong number of values and RuntimeError once the session is closed.

        Raises:
          TypeError, ValueError: a fetch or feed is invalid, as for `run`.
        """
        feed_list = tuple(feed_list or ())
        plan = _compile_plan(self, fetches, feed_list)

        def call(*feed_values):
            if self._closed:
                raise RuntimeError("Attempted to use a closed Session.")
            if len(feed_values) != len(feed_list):
                raise TypeError(f"This callable takes {len(feed_list)} feed values, got "
                                f"{len(feed_values)}.")
            return plan.run(feed_values)
        if not accept_options:
            return call

        def call_with_options(*feed_values, options=None, run_metadata=None):
            if options is None or not plan_tracing.wants_trace(options):
                return call(*feed_values)
            if len(feed_values) != len(feed_list):
                raise TypeError(f"This callable takes {len(feed_list)} feed values, got "
                                f"{len(feed_values)}.")
            return self.run(fetches, dict(zip(feed_list, feed_values)), options, run_metadata)
        return call_with_options

    def close(self):
        """Closes the session: frees its values (variables, random state) and compiled plans.

        Running it afterwards raises RuntimeError; closing it again does nothing.
        """
        self._closed = True
        self._state.clear()
        self._plans.clear()

    def as_default(self):
        """Returns a context manager that makes this session the default session.

        Inside, `Tensor.eval()` and `Operation.run()` use it. Unlike `with sess:`, leaving the
        block does not close the session, and the default graph is not changed.
        """
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
    """A Session that makes itself the default session when it is made, for shells.

    `t.eval()` then works without a `with` block, until `close()`.

    Args:
      target: accepted for TF's signature; ignored.
      graph: the Graph to run (default: the default graph).
      config: accepted for TF's signature; ignored.
    """

    def __init__(self, target="", graph=None, config=None):
        super().__init__(target, graph, config)
        self._default = self.as_default()
        self._default.__enter__()

    def close(self):
        """Closes the session, and stops it being the default session."""
        if self._default is not None:
            self._default.__exit__(None, None, None)
            self._default = None
        super().close()


def _compile_plan(session, fetches, feed_keys, traced=False):
    graph = session._graph
    flat, rebuild = _flatten(fetches)
    targets = [_fetch_target(graph, f) for f in flat]
    feed_keys, sparse = _split_sparse_feeds(feed_keys)
    fed = {}
    for key in feed_keys:
        t = _feed_target(graph, key)
        if t in fed:  # TF silently keeps the last of the two values
            raise ValueError(f"Tensor {t.name} is fed twice in one feed_dict (by name and by "
                             "tensor); feed it once.")
        fed[t] = _feed_checker(graph, t)
    if traced:
        plan = plan_tracing.TracedPlan(session._state, targets, fed, rebuild)
    else:
        plan = compile_plan(session._state, targets, fed, rebuild)
    return plan if sparse is None else _SparseFeedPlan(plan, sparse)


def _split_sparse_feeds(feed_keys):
    """(the feed keys with each SparseTensor replaced by its indices, values and dense_shape,
    which keys were sparse (None when none was))."""
    sparse = [isinstance(k, SparseTensor) for k in feed_keys]
    if not any(sparse):
        return feed_keys, None
    keys = [t for k, s in zip(feed_keys, sparse)
            for t in ((k.indices, k.values, k.dense_shape) if s else (k,))]
    return tuple(keys), sparse


class _SparseFeedPlan:
    """A plan fed a SparseTensorValue (or an (indices, values, dense_shape) tuple) for each
    SparseTensor feed key: the three values go to its three tensors, as TF feeds them."""

    __slots__ = ("_plan", "_sparse")

    def __init__(self, plan, sparse):
        self._plan, self._sparse = plan, sparse

    def run(self, feed_values, *traced):  # (a traced plan's options and run_metadata)
        values = []
        for value, sparse in zip(feed_values, self._sparse):
            if not sparse:
                values.append(value)
            elif isinstance(value, (tuple, list)) and len(value) == 3:
                values.extend(value)
            else:
                raise TypeError(f"The value fed for a SparseTensor must be a SparseTensorValue "
                                f"or an (indices, values, dense_shape) tuple, got {value!r}")
        return self._plan.run(values, *traced)


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
    strings = dtype == dtypes.string

    def check(value):
        if value.__class__ is np.ndarray:
            arr = value
        elif isinstance(value, Tensor):
            raise TypeError("The value of a feed cannot be a tf.Tensor object. Acceptable feed "
                            "values include Python scalars, strings, lists, numpy ndarrays, or "
                            f"TensorHandles. (fed for {tensor.name})")
        else:
            arr = np.asarray(value)
        if strings:
            arr = _as_bytes(arr, tensor)
        elif arr.dtype != np_dtype:
            arr = _cast_feed(arr, np_dtype, dtype, tensor)
        flags = arr.flags  # (one flags object: each `arr.flags` makes a new one)
        if not flags.c_contiguous:  # one copy here, as TF's feed makes, rather than the
            arr = np.ascontiguousarray(arr)  # unfused kernels' and BLAS's copies at every use
        elif flags.writeable and (arr is value or not flags.owndata):
            # the caller's memory: read-only here, so no kernel writes into it and a fetch of
            # it (or of a view of it) is copied, as TF's fetches never share the feed's memory
            arr = arr.view()
            arr.setflags(write=False)
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


def _as_bytes(arr, tensor):
    """A string feed as TF holds it: an object array of bytes (text is UTF-8 encoded)."""
    if arr.dtype.kind not in "USO":
        raise ValueError(f"Cannot feed value of dtype {arr.dtype.name} for Tensor "
                         f"{tensor.name}, which has dtype string")
    out = np.empty(arr.shape, dtype=object)
    flat = out.reshape(-1)
    for i, item in enumerate(arr.reshape(-1).tolist()):
        if isinstance(item, str):
            item = item.encode("utf-8")
        elif not isinstance(item, bytes):
            raise TypeError(f"Cannot feed {type(item).__name__} {item!r} as a string for "
                            f"Tensor {tensor.name}")
        flat[i] = item
    return out


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
    if isinstance(fetches, SparseTensor):
        leaves, rebuild = _flatten([fetches.indices, fetches.values, fetches.dense_shape])
        return leaves, lambda vals: SparseTensorValue(*rebuild(vals))
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
