"""`tf.random.Generator`: a random number generator whose state is a variable.

A Philox generator's state is an int64 [3] resource variable: the 128-bit counter (two words,
low first) and the key. Each draw runs RngReadAndSkip, which returns the state and moves the
counter on by 256 blocks per output element, then a stateless V2 op on that key and counter:
TensorFlow's numbers for the same state.
"""
import os

import numpy as np

from minitf.framework import dtypes
from minitf.framework.api import name_scope
from minitf.framework.constant_op import convert_to_tensor
from minitf.ops._shared import zeros_like
from minitf.ops.manip_ops import stack, unstack
from minitf.ops.math_ops import add, cast, multiply, subtract
from minitf.ops.misc_array_ops import bitcast
from minitf.ops.reduction_ops import reduce_prod
from minitf.ops.stateful_random_ops import _read_and_skip, _stateful_binomial
from minitf.ops.stateless_random_ops import (
    AUTO_SELECT,
    PHILOX,
    THREEFRY,
    _alg_value,
    _full_int_v2,
    _normal_v2,
    _truncated_normal_v2,
    _uniform_int_v2,
    _uniform_v2,
)

__all__ = ["Algorithm", "Generator", "create_rng_state", "get_global_generator",
           "set_global_generator"]

_STATE_SIZE = 3  # Philox: a 2-word counter, then the key
_M64 = 2**64 - 1


class Algorithm:
    """The RNG algorithms (TF's enum: `Algorithm.PHILOX.value` is 1)."""

    class _Member:
        def __init__(self, name, value):
            self.name, self.value = name, value

        def __repr__(self):
            return f"<Algorithm.{self.name}: {self.value}>"

    PHILOX = _Member("PHILOX", PHILOX)
    THREEFRY = _Member("THREEFRY", THREEFRY)
    AUTO_SELECT = _Member("AUTO_SELECT", AUTO_SELECT)


def _alg_int(alg):
    # (a Generator's default is Philox itself; the stateless ops' is auto-select)
    return PHILOX if alg is None else _alg_value(alg)


def _check_alg(alg):
    if alg not in (PHILOX, AUTO_SELECT):
        raise ValueError(f"Algorithm {alg} is not supported: only Philox (1) is, on the CPU.")
    return alg


def _state_words(seed):
    # TF's _make_1d_state: an int is cut into 64-bit words, low first; an array is cast to
    # int64, cut to 3 words, and zero-padded in front
    if isinstance(seed, (int, np.integer)):
        seed = [(int(seed) >> (64 * i)) & _M64 for i in range(_STATE_SIZE)]
    words = [w - 2**64 if isinstance(w, int) and w >= 2**63 else w
             for w in np.asarray(seed).reshape(-1).tolist()]
    words = np.asarray(words).astype(np.int64).reshape(-1)[:_STATE_SIZE]
    return np.concatenate([np.zeros(_STATE_SIZE - words.size, np.int64), words])


def create_rng_state(seed, alg):
    """Creates an RNG state from an integer or a vector of integers.

    Args:
      seed: a Python int (cut into 64-bit words, lowest first) or a 1-D array of ints.
      alg: the algorithm: "philox", an `Algorithm` or its number.

    Returns:
      An int64 [3] Tensor: the Philox counter (2 words) and key.

    >>> with tf.Session() as sess:
    ...     sess.run(tf.random.create_rng_state(1, "philox")).tolist()
    [1, 0, 0]
    """
    _check_alg(_alg_int(alg))
    return convert_to_tensor(_state_words(seed), dtype=dtypes.int64)


class Generator:
    """A random number generator whose state is an int64 resource variable.

    Each draw moves the state on, so each run of a draw op gives new numbers; generators made
    from the same seed give the same sequence (TensorFlow's numbers).

    >>> g = tf.random.Generator.from_seed(1)
    >>> x = g.uniform([2])
    >>> with tf.Session() as sess:
    ...     sess.run(tf.global_variables_initializer())
    ...     bool((sess.run(x) != sess.run(x)).all())
    True
    """

    def __init__(self, copy_from=None, state=None, alg=None):
        """Makes a generator from another's state, or from `state` and `alg`.

        Args:
          copy_from: a Generator whose state the new one's variable starts at.
          state: the state: a variable (used as it is), a tensor or an array of 3 ints.
          alg: the algorithm: "philox", an `Algorithm` or its number.

        Raises:
          ValueError: an algorithm other than Philox (the only one on the CPU).
        """
        from minitf.variables import ResourceVariable, Variable
        if copy_from is not None:  # a new variable, starting at the other's state
            state, alg = copy_from.state.read_value(), copy_from.algorithm
        self._alg = _check_alg(_alg_int(alg))
        if isinstance(state, Variable):
            self._state_var = state
            return
        if not hasattr(state, "op"):
            state = _state_words(state)
        with name_scope("random_generator"):
            self._state_var = ResourceVariable(state, dtype=dtypes.int64, trainable=False,
                                               name="StateVar")

    @classmethod
    def from_seed(cls, seed, alg=None):
        """A generator whose state comes from `seed` (see `create_rng_state`).

        Args:
          seed: a Python int or a 1-D array of ints.
          alg: the algorithm (default Philox).

        Returns:
          A Generator.
        """
        return cls(state=_state_words(seed), alg=_check_alg(_alg_int(alg)))

    @classmethod
    def from_state(cls, state, alg):
        """A generator with the given state.

        Args:
          state: a variable, tensor or array of 3 ints.
          alg: the algorithm.

        Returns:
          A Generator.
        """
        return cls(state=state, alg=alg)

    @classmethod
    def from_key_counter(cls, key, counter, alg):
        """A generator from a key and a counter.

        Args:
          key: the Philox key, an int.
          counter: the Philox counter, 2 ints (low word first).
          alg: the algorithm.

        Returns:
          A Generator.
        """
        words = np.concatenate([np.asarray(counter, np.int64).reshape(-1),
                                np.asarray(key, np.int64).reshape(1)])
        return cls(state=words, alg=alg)

    @classmethod
    def from_non_deterministic_state(cls, alg=None):
        """A generator with a state from the operating system's randomness.

        Args:
          alg: the algorithm (default Philox).

        Returns:
          A Generator.
        """
        words = np.frombuffer(os.urandom(8 * _STATE_SIZE), np.int64).copy()
        return cls(state=words, alg=alg)

    state = property(lambda self: self._state_var, doc="The state variable.")
    algorithm = property(lambda self: self._alg, doc="The RNG algorithm's number.")
    key = property(lambda self: self._state_var[-1], doc="The key: the state's last word.")

    def reset(self, state):
        """Sets the state to `state`.

        Eagerly at once; in a graph the assign op is made but, as in TF, not returned.

        Args:
          state: 3 ints.
        """
        self._state_var.assign(np.asarray(state, np.int64))

    def reset_from_seed(self, seed):
        """Sets the state to the one `seed` gives (see `reset`).

        Args:
          seed: a Python int or a 1-D array of ints.
        """
        self._state_var.assign(_state_words(seed))

    def reset_from_key_counter(self, key, counter):
        """Sets the state from a key and a counter (see `reset`).

        Args:
          key: the Philox key, an int.
          counter: the Philox counter, 2 ints.
        """
        self._state_var.assign(np.concatenate([np.asarray(counter, np.int64).reshape(-1),
                                                      np.asarray(key, np.int64).reshape(1)]))

    def skip(self, delta):
        """Moves the state on as `delta` outputs would (256 Philox blocks each).

        Args:
          delta: the number of outputs, an int or int tensor.

        Returns:
          The int64 [3] state before the move (an RngReadAndSkip op).
        """
        return _read_and_skip.apply([self._state_var.handle, cast(self._alg, dtypes.int32),
                                     cast(delta, dtypes.uint64)], name="RngReadAndSkip")

    def _key_counter(self, shape):
        old = self.skip(reduce_prod(shape))
        counter = bitcast(old[:2], dtypes.uint64)
        key = bitcast(old[2:3], dtypes.uint64)
        return key, counter

    def _draw(self, opdef, shape, name=None, **attrs):
        key, counter = self._key_counter(shape)
        return opdef.apply([shape, key, counter, self._alg], name=name or opdef.type, **attrs)

    def normal(self, shape, mean=0.0, stddev=1.0, dtype=dtypes.float32, name=None):
        """Outputs normal values, new ones each run.

        Args:
          shape: the output shape.
          mean: the mean.
          stddev: the standard deviation.
          dtype: float16, float32 (the default) or float64.
          name: a name for the operation (default "stateful_normal").

        Returns:
          A Tensor of `shape` and `dtype`.
        """
        return self._scaled(_normal_v2, "stateful_normal", shape, mean, stddev, dtype, name)

    def truncated_normal(self, shape, mean=0.0, stddev=1.0, dtype=dtypes.float32, name=None):
        """Outputs normal values within two standard deviations of the mean.

        Args:
          shape: the output shape.
          mean: the mean.
          stddev: the standard deviation before truncation.
          dtype: float16, float32 (the default) or float64.
          name: a name for the operation (default "truncated_normal").

        Returns:
          A Tensor of `shape` and `dtype`.
        """
        return self._scaled(_truncated_normal_v2, "truncated_normal", shape, mean, stddev,
                            dtype, name)

    def _scaled(self, opdef, default, shape, mean, stddev, dtype, name):
        dtype = dtypes.as_dtype(dtype)
        with name_scope(name, default, [shape, mean, stddev]) as scope:
            shape = _shape_tensor(shape)
            mean = convert_to_tensor(mean, dtype=dtype, name="mean")
            stddev = convert_to_tensor(stddev, dtype=dtype, name="stddev")
            rnd = self._draw(opdef, shape, dtype=dtype)
            return add(multiply(rnd, stddev, name="mul"), mean, name=scope)

    def uniform(self, shape, minval=0, maxval=None, dtype=dtypes.float32, name=None):
        """Outputs uniform values in [minval, maxval).

        Integers need both bounds or neither (then they cover the whole range of `dtype`).

        Args:
          shape: the output shape.
          minval: the lower bound, included (default 0).
          maxval: the upper bound, excluded (default 1 for floats).
          dtype: a float or integer type (default float32).
          name: a name for the operation (default "stateful_uniform").

        Returns:
          A Tensor of `shape` and `dtype`.

        Raises:
          ValueError: an integer dtype with only one bound.
        """
        dtype = dtypes.as_dtype(dtype)
        if dtype.is_integer and (minval is None) != (maxval is None):
            raise ValueError(f"For integer dtype {dtype}, minval and maxval must be both "
                             f"`None` or both non-`None`; got minval={minval} and "
                             f"maxval={maxval}")
        if not dtype.is_integer and maxval is None:
            maxval = 1
        with name_scope(name, "stateful_uniform", [shape, minval, maxval]) as scope:
            shape = _shape_tensor(shape)
            if dtype.is_integer and minval is None:
                return self._draw(_full_int_v2, shape, name=scope, dtype=dtype)
            lo = convert_to_tensor(minval, dtype=dtype, name="min")
            hi = convert_to_tensor(maxval, dtype=dtype, name="max")
            if dtype.is_integer:
                key, counter = self._key_counter(shape)
                return _uniform_int_v2.apply([shape, key, counter, self._alg, lo, hi],
                                             name=scope)
            rnd = self._draw(_uniform_v2, shape, dtype=dtype)
            return add(multiply(rnd, subtract(hi, lo, name="sub"), name="mul"), lo, name=scope)

    def uniform_full_int(self, shape, dtype=dtypes.uint64, name=None):
        """Outputs integers over the whole range of `dtype`.

        Args:
          shape: the output shape.
          dtype: int32, int64, uint32 or uint64 (the default).
          name: a name for the operation (default "stateful_uniform_full_int").

        Returns:
          A Tensor of `shape` and `dtype`.
        """
        with name_scope(name, "stateful_uniform_full_int", [shape]) as scope:
            return self._draw(_full_int_v2, _shape_tensor(shape), name=scope,
                              dtype=dtypes.as_dtype(dtype))

    def binomial(self, shape, counts, probs, dtype=dtypes.int32, name=None):
        """Outputs binomial samples, new ones each run.

        Args:
          shape: the output shape: it must end with the broadcast shape of `counts` and
            `probs`.
          counts: the numbers of trials (float16, float32 or float64).
          probs: the success probabilities, of `counts`' type.
          dtype: the samples' type (default int32).
          name: a name for the operation (default "binomial").

        Returns:
          A Tensor of `shape` and `dtype`.
        """
        dtype = dtypes.as_dtype(dtype)
        with name_scope(name, "binomial", [shape, counts, probs]) as scope:
            counts = convert_to_tensor(counts, name="counts")
            probs = convert_to_tensor(probs, name="probs")
            shape = _shape_tensor(shape)
            return _stateful_binomial.apply(
                [self._state_var.handle, np.int64(self._alg), shape, counts, probs],
                name=scope, dtype=dtype)

    def make_seeds(self, count=1):
        """Makes new seeds for the stateless ops.

        Args:
          count: how many seeds.

        Returns:
          A [2, count] int64 Tensor: one seed per column.
        """
        keys = self.uniform_full_int([count], dtype=dtypes.int64)
        return stack([keys, zeros_like(keys)])

    def split(self, count=1):
        """Makes `count` new generators, each keyed by a number drawn from this one.

        Args:
          count: how many generators.

        Returns:
          A list of Generators.

        Raises:
          NotImplementedError: in graph mode, as TF's graph mode does.
        """
        from minitf.framework.api import get_default_graph
        if not get_default_graph()._eager:
            self.uniform_full_int([count], dtype=dtypes.int64)  # TF makes these ops, then fails
            with name_scope("random_generator"):  # (and takes this name)
                pass
            raise NotImplementedError("Generator.split is not supported in graph mode")
        keys = self.uniform_full_int([count], dtype=dtypes.int64)
        return [Generator(state=stack([convert_to_tensor(np.int64(0)),
                                       convert_to_tensor(np.int64(0)), k]), alg=self._alg)
                for k in unstack(keys, num=count)]


def _shape_tensor(shape):
    # an empty list is an int64 shape, as TF's Generator makes it
    dtype = dtypes.int64 if isinstance(shape, (list, tuple)) and not shape else None
    return convert_to_tensor(shape, dtype=dtype, name="shape")


_global = None


def get_global_generator():
    """Returns the global generator (made from the OS's randomness when first asked for)."""
    global _global
    if _global is None:
        from minitf.framework.api import init_scope
        with init_scope():
            _global = Generator.from_non_deterministic_state()
    return _global


def set_global_generator(generator):
    """Replaces the global generator (ops made with the old one keep using it).

    Args:
      generator: the new global Generator (None: make a new one when next asked for).
    """
    global _global
    _global = generator
