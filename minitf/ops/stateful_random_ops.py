"""The ops of `tf.random.Generator` (minitf/random_generator.py): RngReadAndSkip, which reads a
Philox state variable and moves its counter on, and StatefulRandomBinomial.

A Philox state is int64 [3]: the 128-bit counter (two words, low first) and the key.
"""
import weakref

import numpy as np

from minitf.framework import dtypes
from minitf.framework.errors import InvalidArgumentError
from minitf.framework.registry import register_op
from minitf.ops import binomial_sampler, state_ops
from minitf.ops._shared import shape_value
from minitf.ops.stateless_random_ops import AUTO_SELECT, PHILOX, FixedStream

__all__ = []

_STATE_SIZE = 3
_M64 = 2**64 - 1


# -- RngReadAndSkip --------------------------------------------------------------------------------
@register_op("RngReadAndSkip", shape=lambda resource, alg, delta: (_STATE_SIZE,),
             dtype=lambda resource, alg, delta: dtypes.int64, stateful=True,
             differentiable=False)
def _read_and_skip(state, op, resource, alg, delta):
    if int(alg) not in (PHILOX, AUTO_SELECT):
        raise InvalidArgumentError(None, op, f"Unsupported algorithm id: {int(alg)}")
    with state_ops.variable_lock(state, resource):
        old = state.get(resource)
        if old is None:
            raise state_ops._uninitialized(op, resource)
        words = old.view(np.uint64)
        counter = int(words[0]) | int(words[1]) << 64
        counter = (counter + int(delta) * 256) & (2**128 - 1)  # 256 blocks per output
        new = np.array([counter & _M64, counter >> 64, int(words[2])], np.uint64)
        _store(state, resource, new.view(np.int64))
    return np.array(old, np.int64)


_OWNED = weakref.WeakValueDictionary()  # id -> the state arrays the RNG kernels stored


def _store(state, resource, words):
    state[resource] = stored = state_ops._stored(words, np.int64)
    _OWNED[id(stored)] = stored


def _owned(value):
    return _OWNED.get(id(value)) is value


# -- StatefulRandomBinomial ------------------------------------------------------------------------
def _binomial_shape(resource, algorithm, shape, counts, probs, **attrs):
    return shape_value(shape)


@register_op("StatefulRandomBinomial", shape=_binomial_shape, stateful=True,
             differentiable=False, dtype=lambda *inputs, dtype: dtype)
def _stateful_binomial(state, op, resource, algorithm, shape, counts, probs, *, dtype):
    if int(algorithm) != PHILOX:
        raise InvalidArgumentError(None, op, f"Unsupported algorithm id: {int(algorithm)}")
    with state_ops.variable_lock(state, resource):
        old = state.get(resource)
        if old is None:
            raise state_ops._uninitialized(op, resource)
        words = old.view(np.uint64)
        counter = int(words[0]) | int(words[1]) << 64
        stream = FixedStream(int(words[2]), counter)
        both = np.broadcast_shapes(np.shape(counts), np.shape(probs))
        dims = [int(d) for d in np.asarray(shape).reshape(-1)]
        batches = int(np.prod(both, dtype=np.int64))
        per = int(np.prod(dims[:len(dims) - len(both)], dtype=np.int64))
        skip = batches * 2 * 100 * (per + 3) // 4 * 256  # TF's reservation, in blocks
        new = np.array([(counter + skip) & _M64, ((counter + skip) >> 64) & _M64, int(words[2])],
                       np.uint64)
        # TF's kernel writes the moved state into the buffer it read before making the
        # variable's buffer its own: in a graph, where that buffer is still the initial
        # value's, the first run after an assign loses its update
        lost = not (_owned(old) or op._graph._eager)
        _store(state, resource, np.array(old) if lost else new.view(np.int64))
    return binomial_sampler.binomial(stream, counter, shape, counts, probs,
                                     dtype.as_numpy_dtype)
