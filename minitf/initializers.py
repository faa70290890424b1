"""Initializers (`tf.initializers`, and TF1's `tf.*_initializer` names): callables
`(shape, dtype=None, partition_info=None) -> Tensor` making a variable's initial value.

Random ones are seeded like every random op (graph seed + op seed), so the same seeds give the
same values in every process. For a part of a partitioned variable, fans come from the full
shape, and Constant and Identity hand out the part's slice of the full value.
"""
import importlib
import math

import numpy as np

from minitf.framework import dtypes
from minitf.framework.constant_op import constant as _constant
from minitf.ops import array_ops as _array_ops, linalg_ops as _linalg, random_ops as _random
from minitf.ops.math_ops import multiply as _multiply, sign as _sign
from minitf.ops.slicing import slice as _slice

__all__ = ["Initializer", "Zeros", "Ones", "Constant", "RandomNormal", "TruncatedNormal",
           "RandomUniform", "UniformUnitScaling", "VarianceScaling", "GlorotUniform",
           "GlorotNormal", "Orthogonal", "Identity", "zeros_initializer", "ones_initializer",
           "constant_initializer", "random_normal_initializer", "truncated_normal_initializer",
           "random_uniform_initializer", "uniform_unit_scaling_initializer",
           "variance_scaling_initializer", "glorot_uniform_initializer",
           "glorot_normal_initializer", "orthogonal_initializer", "identity_initializer",
           "he_normal", "he_uniform", "lecun_normal", "lecun_uniform"]

_TRUNCATED_STDDEV = 0.87962566103423978  # stddev of a unit normal truncated to [-2, 2]


class Initializer:
    """Base class of the initializers.

    An initializer is called as `init(shape, dtype=None, partition_info=None)` and returns a
    Tensor of `shape` holding the initial value; `dtype` (default: the initializer's own)
    overrides the dtype given to the constructor, and `partition_info` (set by `get_variable`
    for a part of a partitioned variable) places the part in the full variable.
    `get_variable` calls it inside the variable's `Initializer` name scope.
    """

    _config = ()

    def get_config(self):
        """Returns the constructor arguments of this initializer.

        Returns:
          A dict from argument name to value; `from_config` rebuilds the initializer from it.

        >>> tf.random_uniform_initializer(-1.0, 1.0, seed=3).get_config()
        {'minval': -1.0, 'maxval': 1.0, 'seed': 3, 'dtype': 'float32'}
        """
        # the dtype by name, as TF (so that the config is plain data)
        return {k: getattr(self, k).name if k == "dtype" else getattr(self, k)
                for k in self._config}

    @classmethod
    def from_config(cls, config):
        """Makes an initializer from the output of `get_config`.

        Args:
          config: a dict of constructor arguments; its `dtype` may be a DType or its name.

        Returns:
          An instance of this class.
        """
        config = dict(config)
        if "dtype" in config:
            config["dtype"] = dtypes.as_dtype(config["dtype"])
        return cls(**config)

    def _dtype(self, dtype):
        return dtypes.as_dtype(self.dtype if dtype is None else dtype).base_dtype

    def _deferrable(self, dtype):
        # Whether a call for a fully defined shape and `dtype` surely succeeds, so get_variable
        # may build the variable's ops later (see Variable._deferred).
        return False


def _numbers(*values):
    return all(isinstance(v, (int, float, np.integer, np.floating)) for v in values)


def _float(dtype):
    if not dtype.is_floating:
        raise ValueError(f"Expected float dtype, got {dtype.name}")
    return dtype


def _sampled(dtype, uniform=False):
    # a call's dtype, refused as TF refuses it: TF converts the initializer's float parameters
    # to the dtype (TypeError), but its uniform sampler turns down bool and string first
    if dtype.is_floating:
        return dtype
    error = ValueError if uniform and not dtype.is_integer else TypeError
    raise error(f"Expected float dtype, got {dtype.name}: this initializer makes floats")


class Zeros(Initializer):
    """Initializer that generates tensors of zeros (`tf.zeros_initializer`).

    Bool tensors get False and string tensors `b""`.

    Args:
      dtype: the default dtype of the values.

    >>> v = tf.get_variable("v", [2], dtype=tf.int32, initializer=tf.zeros_initializer())
    >>> with tf.Session() as sess:
    ...     sess.run(v.initializer)
    ...     print(sess.run(v))
    [0 0]
    """

    _config = ("dtype",)

    def __init__(self, dtype=dtypes.float32):
        self.dtype = dtypes.as_dtype(dtype)

    def __call__(self, shape, dtype=None, partition_info=None):
        dtype = self._dtype(dtype)
        if dtype == dtypes.string:
            return _constant(np.full(shape, b"", dtype=object), dtype=dtype)
        return _array_ops.zeros(shape, dtype)

    def _deferrable(self, dtype):
        dtype = self._dtype(dtype)
        return dtype.is_floating or dtype.is_integer or dtype.is_bool


class Ones(Initializer):
    """Initializer that generates tensors of ones (`tf.ones_initializer`).

    Args:
      dtype: the default dtype of the values.
    """

    _config = ("dtype",)

    def __init__(self, dtype=dtypes.float32):
        self.dtype = dtypes.as_dtype(dtype)

    def __call__(self, shape, dtype=None, partition_info=None):
        dtype = self._dtype(dtype)
        if dtype == dtypes.string:  # as TF: 1 is not a string
            raise TypeError("Expected string, but got 1 of type 'int'.")
        return _array_ops.ones(shape, dtype)

    _deferrable = Zeros._deferrable


class Constant(Initializer):
    """Initializer that generates tensors from a constant value (`tf.constant_initializer`).

    A scalar fills the whole shape. A list or array fills it in row-major order, its last value
    repeated when it is short (TF1). A part of a partitioned variable gets its slice of a value
    that fills the full shape.

    Args:
      value: a Python scalar, list or tuple of values, or a NumPy array.
      dtype: the default dtype of the values.
      verify_shape: if True, calling with a shape other than `value`'s raises TypeError; a
        call's own `verify_shape` argument, when not None, overrides it.

    Raises:
      TypeError: `value` is not a scalar, list, tuple or array.

    >>> init = tf.constant_initializer([1.0, 2.0])
    >>> with tf.Session() as sess:
    ...     print(sess.run(init([2, 3])))
    [[1. 2. 2.]
     [2. 2. 2.]]
    """

    _config = ("value", "dtype")  # (TF leaves verify_shape out)

    def __init__(self, value=0, dtype=dtypes.float32, verify_shape=False):
        if not (np.isscalar(value) or isinstance(value, (list, tuple, np.ndarray))):
            raise TypeError(f"Invalid type for initial value: {type(value).__name__} (expected "
                            "a Python scalar, list or tuple of values, or a numpy.ndarray).")
        self.value, self.dtype, self.verify_shape = value, dtypes.as_dtype(dtype), verify_shape

    def __call__(self, shape, dtype=None, partition_info=None, verify_shape=None):
        verify = self.verify_shape if verify_shape is None else verify_shape
        dtype = self._dtype(dtype)
        if partition_info is not None and np.size(self.value) == np.prod(
                partition_info.full_shape):
            full = np.reshape(np.asarray(self.value), partition_info.full_shape)
            index = tuple(slice(o, o + n) for o, n in zip(partition_info.var_offset, shape))
            return _constant(full[index], dtype=dtype)
        return _constant(self.value, dtype=dtype, shape=shape, verify_shape=verify)


class RandomNormal(Initializer):
    """Initializer that generates normally distributed tensors (`tf.random_normal_initializer`).

    Args:
      mean: the mean of the samples (a scalar).
      stddev: their standard deviation (a scalar).
      seed: the op seed; with the graph seed it makes the values repeatable.
      dtype: the default dtype, a floating type.

    Raises:
      ValueError: `dtype` is not a floating type.
    """

    _config = ("mean", "stddev", "seed", "dtype")

    def __init__(self, mean=0.0, stddev=1.0, seed=None, dtype=dtypes.float32):
        self.mean, self.stddev, self.seed = mean, stddev, seed
        self.dtype = _float(dtypes.as_dtype(dtype))

    def __call__(self, shape, dtype=None, partition_info=None):
        return _random.random_normal(shape, self.mean, self.stddev, _sampled(self._dtype(dtype)),
                             seed=self.seed)

    def _deferrable(self, dtype):
        return self._dtype(dtype).is_floating and _numbers(self.mean, self.stddev)


class TruncatedNormal(RandomNormal):
    """Initializer that generates truncated normal tensors (`tf.truncated_normal_initializer`).

    Samples more than two standard deviations from the mean are drawn again.

    Args:
      mean: the mean of the untruncated distribution (a scalar).
      stddev: its standard deviation (a scalar).
      seed: the op seed; with the graph seed it makes the values repeatable.
      dtype: the default dtype, a floating type.

    Raises:
      ValueError: `dtype` is not a floating type.
    """

    def __call__(self, shape, dtype=None, partition_info=None):
        return _random.truncated_normal(shape, self.mean, self.stddev, _sampled(self._dtype(dtype)),
                                seed=self.seed)


class RandomUniform(Initializer):
    """Initializer that generates uniformly distributed tensors (`tf.random_uniform_initializer`).

    Args:
      minval: the lower bound of the range (included).
      maxval: the upper bound (excluded); None means 1 for floats and must be given for
        integer dtypes (calling raises ValueError otherwise).
      seed: the op seed; with the graph seed it makes the values repeatable.
      dtype: the default dtype.
    """

    _config = ("minval", "maxval", "seed", "dtype")

    def __init__(self, minval=0, maxval=None, seed=None, dtype=dtypes.float32):
        self.minval, self.maxval, self.seed = minval, maxval, seed
        self.dtype = dtypes.as_dtype(dtype)

    def __call__(self, shape, dtype=None, partition_info=None):
        return _random.random_uniform(shape, self.minval, self.maxval, self._dtype(dtype),
                              seed=self.seed)

    def _deferrable(self, dtype):
        return (self._dtype(dtype).is_floating
                and _numbers(self.minval, 1 if self.maxval is None else self.maxval))


def _full_shape(shape, partition_info):
    return list(shape if partition_info is None else partition_info.full_shape)


class UniformUnitScaling(Initializer):
    """Initializer keeping the scale of the input variance (`tf.uniform_unit_scaling_initializer`).

    Samples are uniform in `[-limit, limit)` with `limit = factor * sqrt(3 / input_size)` and
    `input_size` the product of the full shape's dimensions but the last (TF1).

    Args:
      factor: the multiplier of the limit.
      seed: the op seed; with the graph seed it makes the values repeatable.
      dtype: the default dtype, a floating type.

    Raises:
      ValueError: `dtype` is not a floating type.
    """

    _config = ("factor", "seed", "dtype")

    def __init__(self, factor=1.0, seed=None, dtype=dtypes.float32):
        self.factor, self.seed, self.dtype = factor, seed, _float(dtypes.as_dtype(dtype))

    def __call__(self, shape, dtype=None, partition_info=None):
        full = _full_shape(shape, partition_info)
        input_size = max(1.0, float(np.prod(full[:-1])))
        limit = math.sqrt(3 / input_size) * self.factor
        return _random.random_uniform(shape, -limit, limit, _sampled(self._dtype(dtype), True),
                                      seed=self.seed)

    def _deferrable(self, dtype):
        return self._dtype(dtype).is_floating and _numbers(self.factor)


def _fans(shape):
    # (fan_in, fan_out), conv kernels' receptive field included (TF's rule)
    if len(shape) < 1:
        return 1, 1
    if len(shape) == 1:
        return shape[0], shape[0]
    if len(shape) == 2:
        return shape[0], shape[1]
    field = int(np.prod(shape[:-2]))
    return shape[-2] * field, shape[-1] * field


class VarianceScaling(Initializer):
    """Initializer adapting its scale to the shape of the weights (`variance_scaling_initializer`).

    Samples have variance `scale / n`, where `n` is the weight's fan-in, fan-out or their mean
    (`mode`; a conv kernel's fans include its receptive field). A truncated normal's stddev is
    corrected for the truncation; a uniform one draws from `[-limit, limit)`,
    `limit = sqrt(3 * scale / n)`.

    Args:
      scale: the scaling factor, a positive float.
      mode: "fan_in", "fan_out" or "fan_avg".
      distribution: "truncated_normal" (or its old name "normal"), "untruncated_normal" or
        "uniform".
      seed: the op seed; with the graph seed it makes the values repeatable.
      dtype: the default dtype, a floating type.

    Raises:
      ValueError: `scale` is not positive, `mode` or `distribution` is not one of the above, or
        `dtype` is not a floating type.

    >>> init = tf.variance_scaling_initializer(2.0, "fan_in", "uniform", seed=1)
    >>> with tf.Session() as sess:
    ...     w = sess.run(init([50, 10]))
    >>> bool(np.abs(w).max() <= np.sqrt(3 * 2.0 / 50))
    True
    """

    _config = ("scale", "mode", "distribution", "seed", "dtype")

    def __init__(self, scale=1.0, mode="fan_in", distribution="truncated_normal", seed=None,
                 dtype=dtypes.float32):
        if scale <= 0.0:
            raise ValueError("`scale` must be positive float.")
        if mode not in ("fan_in", "fan_out", "fan_avg"):
            raise ValueError(f"Invalid `mode` argument: {mode}")
        distribution = distribution.lower()
        if distribution == "normal":  # TF1's old name for the truncated normal
            distribution = "truncated_normal"
        if distribution not in ("uniform", "truncated_normal", "untruncated_normal"):
            raise ValueError(f"Invalid `distribution` argument: {distribution}")
        self.scale, self.mode, self.distribution = scale, mode, distribution
        self.seed, self.dtype = seed, _float(dtypes.as_dtype(dtype))

    def __call__(self, shape, dtype=None, partition_info=None):
        dtype = _sampled(self._dtype(dtype), self.distribution == "uniform")
        fan_in, fan_out = _fans(_full_shape(shape, partition_info))
        n = {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2.0}[self.mode]
        scale = self.scale / max(1.0, n)
        if self.distribution == "truncated_normal":
            return _random.truncated_normal(shape, 0.0, math.sqrt(scale) / _TRUNCATED_STDDEV,
                                            dtype, seed=self.seed)
        if self.distribution == "untruncated_normal":
            return _random.random_normal(shape, 0.0, math.sqrt(scale), dtype, seed=self.seed)
        limit = math.sqrt(3.0 * scale)
        return _random.random_uniform(shape, -limit, limit, dtype, seed=self.seed)

    def _deferrable(self, dtype):
        return self._dtype(dtype).is_floating


class GlorotUniform(VarianceScaling):
    """The Glorot (Xavier) uniform initializer (`tf.glorot_uniform_initializer`).

    Samples are uniform in `[-limit, limit)` with `limit = sqrt(6 / (fan_in + fan_out))`.
    `get_variable` uses it for float variables when no initializer is given.

    Args:
      seed: the op seed; with the graph seed it makes the values repeatable.
      dtype: the default dtype, a floating type.

    Raises:
      ValueError: `dtype` is not a floating type.
    """

    _config = ("seed", "dtype")

    def __init__(self, seed=None, dtype=dtypes.float32):
        super().__init__(1.0, "fan_avg", "uniform", seed, dtype)


class GlorotNormal(VarianceScaling):
    """The Glorot (Xavier) normal initializer (`tf.glorot_normal_initializer`).

    Samples come from a truncated normal with stddev `sqrt(2 / (fan_in + fan_out))` (corrected
    for the truncation).

    Args:
      seed: the op seed; with the graph seed it makes the values repeatable.
      dtype: the default dtype, a floating type.

    Raises:
      ValueError: `dtype` is not a floating type.
    """

    _config = ("seed", "dtype")

    def __init__(self, seed=None, dtype=dtypes.float32):
        super().__init__(1.0, "fan_avg", "truncated_normal", seed, dtype)


def he_normal(seed=None):
    """Returns the He normal initializer: `VarianceScaling(2.0, "fan_in", "truncated_normal")`.

    Args:
      seed: the op seed; with the graph seed it makes the values repeatable.

    Returns:
      A float32 VarianceScaling initializer.
    """
    return VarianceScaling(2.0, "fan_in", "truncated_normal", seed)


def he_uniform(seed=None):
    """Returns the He uniform initializer: `VarianceScaling(2.0, "fan_in", "uniform")`.

    Args:
      seed: the op seed; with the graph seed it makes the values repeatable.

    Returns:
      A float32 VarianceScaling initializer.
    """
    return VarianceScaling(2.0, "fan_in", "uniform", seed)


def lecun_normal(seed=None):
    """Returns the LeCun normal initializer: `VarianceScaling(1.0, "fan_in", "truncated_normal")`.

    Args:
      seed: the op seed; with the graph seed it makes the values repeatable.

    Returns:
      A float32 VarianceScaling initializer.
    """
    return VarianceScaling(1.0, "fan_in", "truncated_normal", seed)


def lecun_uniform(seed=None):
    """Returns the LeCun uniform initializer: `VarianceScaling(1.0, "fan_in", "uniform")`.

    Args:
      seed: the op seed; with the graph seed it makes the values repeatable.

    Returns:
      A float32 VarianceScaling initializer.
    """
    return VarianceScaling(1.0, "fan_in", "uniform", seed)


class Orthogonal(Initializer):
    """Initializer that generates an orthogonal matrix (`tf.orthogonal_initializer`).

    The shape is viewed as a `prod(shape[:-1])` by `shape[-1]` matrix, which gets orthonormal
    rows or columns (whichever are fewer), times `gain`. Calling with fewer than two dimensions
    raises ValueError.

    Args:
      gain: the multiplier of the matrix.
      seed: the op seed; with the graph seed it makes the values repeatable.
      dtype: the default dtype, a floating type.

    Raises:
      ValueError: `dtype` is not a floating type.

    >>> with tf.Session() as sess:
    ...     w = sess.run(tf.orthogonal_initializer(seed=1)([3, 5]))
    >>> np.allclose(w @ w.T, np.eye(3), atol=1e-5)
    True
    """

    _config = ("gain", "seed", "dtype")

    def __init__(self, gain=1.0, seed=None, dtype=dtypes.float32):
        self.gain, self.seed, self.dtype = gain, seed, _float(dtypes.as_dtype(dtype))

    def __call__(self, shape, dtype=None, partition_info=None):
        dtype = _sampled(self._dtype(dtype))
        if len(shape) < 2:
            raise ValueError("The tensor to initialize must be at least two-dimensional")
        rows, cols = int(np.prod(shape[:-1])), shape[-1]
        flat = (cols, rows) if rows < cols else (rows, cols)
        q, r = _linalg.qr(_random.random_normal(flat, dtype=dtype, seed=self.seed))
        q = _multiply(q, _sign(_linalg.matrix_diag_part(r)))  # a uniform draw over rotations
        if rows < cols:
            from minitf.ops.manip_ops import transpose

            q = transpose(q)
        return _multiply(_array_ops.reshape(q, shape), self.gain)


class Identity(Initializer):
    """Initializer that generates the identity matrix (`tf.initializers.identity`).

    Only for 2-D shapes (calling with another rank raises ValueError); a part of a partitioned
    variable gets its slice of the full identity matrix.

    Args:
      gain: the multiplier of the matrix.
      dtype: the default dtype, a floating type.

    Raises:
      ValueError: `dtype` is not a floating type.
    """

    _config = ("gain", "dtype")

    def __init__(self, gain=1.0, dtype=dtypes.float32):
        self.gain, self.dtype = gain, _float(dtypes.as_dtype(dtype))

    def __call__(self, shape, dtype=None, partition_info=None):
        full = _full_shape(shape, partition_info)
        if len(full) != 2:
            raise ValueError("Identity matrix initializer can only be used for 2D matrices.")
        value = _linalg.eye(*full, dtype=_sampled(self._dtype(dtype)))
        if partition_info is not None:
            value = _slice(value, partition_info.var_offset, list(shape))
        return _multiply(value, self.gain)


zeros_initializer = Zeros
ones_initializer = Ones
constant_initializer = Constant
random_normal_initializer = RandomNormal
truncated_normal_initializer = TruncatedNormal
random_uniform_initializer = RandomUniform
uniform_unit_scaling_initializer = UniformUnitScaling
variance_scaling_initializer = VarianceScaling
glorot_uniform_initializer = GlorotUniform
glorot_normal_initializer = GlorotNormal
orthogonal_initializer = Orthogonal
identity_initializer = Identity

# tf.initializers.* spellings
zeros, ones, constant = Zeros, Ones, Constant
random_normal, truncated_normal, random_uniform = RandomNormal, TruncatedNormal, RandomUniform
uniform_unit_scaling, variance_scaling = UniformUnitScaling, VarianceScaling
glorot_uniform, glorot_normal = GlorotUniform, GlorotNormal
orthogonal, identity = Orthogonal, Identity



# TF1's `tf.initializers` also names the initializer ops of variables and tables: the same
# functions as the top level's, looked up on first use because their modules import this one
_OP_ALIASES = {"global_variables": ("minitf.variable_ops", "global_variables_initializer"),
               "local_variables": ("minitf.variable_ops", "local_variables_initializer"),
               "variables": ("minitf.variable_ops", "variables_initializer"),
               "tables_initializer": ("minitf.compat_names", "tables_initializer")}


def __getattr__(name):
    if name not in _OP_ALIASES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module, attr = _OP_ALIASES[name]
    return getattr(importlib.import_module(module), attr)


def __dir__():
    return sorted(set(globals()) | set(_OP_ALIASES))
