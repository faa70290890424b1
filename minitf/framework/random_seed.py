"""Graph- and op-level random seeds, combined as TF1 does (`tf.set_random_seed`)."""
import contextlib
import random
import threading
import weakref

from minitf.framework.graph import get_default_graph

DEFAULT_GRAPH_SEED = 87654321
_MAXINT32 = 2**31 - 1

# per graph: how many ops took their op seed from it (TF's _graph_to_seed_dict), and in eager
# mode the Python RNG that deals op seeds out (TF's context._rng, reset by set_random_seed)
_op_seed_counts = weakref.WeakKeyDictionary()
_eager_rngs = weakref.WeakKeyDictionary()
_fixed = threading.local()  # seeds get_seed hands out next (see `fixed_seeds`)


def get_seed(op_seed):
    """The (graph seed, op seed) pair an op should use, as TF1's `random_seed.get_seed`.

    With a graph seed and no op seed, the op seed counts the graph's ops that took one so far
    (in eager mode it comes from a Python RNG seeded by `tf.set_random_seed`), so ops get
    distinct but reproducible streams; with neither, both are None (a fresh, non-deterministic
    stream). Seeds are taken modulo 2**31 - 1.
    """
    fixed = getattr(_fixed, "seeds", None)
    if fixed is not None:
        _fixed.seeds = None
        return fixed
    graph = get_default_graph()
    graph_seed = graph.seed
    if graph_seed is not None:
        if op_seed is None:
            op_seed = _next_op_seed(graph)
        seeds = (graph_seed % _MAXINT32, op_seed % _MAXINT32)
    elif op_seed is not None:
        seeds = (DEFAULT_GRAPH_SEED, op_seed % _MAXINT32)
    else:
        return None, None
    if seeds == (0, 0):  # TF reserves (0, 0) for "no seed"
        return 0, _MAXINT32
    return seeds


def _next_op_seed(graph):
    if graph._eager:
        rng = _eager_rngs.get(graph)
        if rng is None:
            rng = _eager_rngs[graph] = random.Random(graph.seed)
        return rng.randint(0, _MAXINT32)
    with graph._lock:
        count = _op_seed_counts.get(graph, 0)
        _op_seed_counts[graph] = count + 1
        return count


@contextlib.contextmanager
def fixed_seeds(seeds):
    """The next `get_seed` call in this thread returns `seeds`: a deferred variable's
    initializer builds its random op late, with the seeds it would have had when made."""
    _fixed.seeds = seeds
    try:
        yield
    finally:
        _fixed.seeds = None


def set_random_seed(seed):
    """Sets the graph-level random seed of the default graph.

    Random ops (and initializers) made afterwards without their own seed then take their op
    seed from the graph, so they draw different streams, yet the same values in every process
    and every new Session. An op given a `seed` combines it with the graph seed. The numbers
    are TensorFlow's for the same seeds (see `minitf.ops.philox`).

    In eager mode it also restarts the seeded random streams, so a program that sets the
    seed again draws the same numbers again (TF's eager rule).

    Args:
      seed: an int, or None to unset it.
    """
    graph = get_default_graph()
    graph.seed = seed
    if graph._eager:  # eager streams are kept by (op type, seeds): framework/eager.py
        _eager_rngs.pop(graph, None)
        for key in [k for k in graph._state if isinstance(k, tuple)]:
            del graph._state[key]
