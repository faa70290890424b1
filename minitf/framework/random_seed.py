"""Graph- and op-level random seeds, combined as TF1 does (`tf.set_random_seed`)."""
from minitf.framework.graph import get_default_graph

DEFAULT_GRAPH_SEED = 87654321
_MAXINT32 = 2**31 - 1


def get_seed(op_seed):
    """The (graph seed, op seed) pair an op should use, as TF1's `random_seed.get_seed`.

    With a graph seed and no op seed, the op seed is the graph's op count, so ops get distinct
    but reproducible streams; with neither, both are None (a fresh, non-deterministic stream).
    """
    graph = get_default_graph()
    graph_seed = graph.seed
    if graph_seed is not None:
        seeds = (graph_seed, graph._version if op_seed is None else op_seed)
    elif op_seed is not None:
        seeds = (DEFAULT_GRAPH_SEED, op_seed)
    else:
        return None, None
    if seeds == (0, 0):  # TF reserves (0, 0) for "no seed"
        return 0, _MAXINT32
    return seeds


def set_random_seed(seed):
    """Sets the graph-level random seed of the default graph.

    Random ops (and initializers) made afterwards without their own seed then take their op
    seed from the graph, so they draw different streams, yet the same values in every process
    and every new Session. An op given a `seed` combines it with the graph seed. NumPy makes
    the numbers: they differ from TensorFlow's for the same seeds.

    In eager mode it also restarts the seeded random streams, so a program that sets the
    seed again draws the same numbers again (TF's eager rule).

    Args:
      seed: an int, or None to unset it.
    """
    graph = get_default_graph()
    graph.seed = seed
    if graph._eager:  # eager streams are kept by (op type, seeds): framework/eager.py
        for key in [k for k in graph._state if isinstance(k, tuple)]:
            del graph._state[key]
