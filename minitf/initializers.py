"""Initializers: callables `(shape, dtype=None, partition_info=None) -> Tensor` that get_variable
calls inside the variable's `Initializer` name scope. Their ops are NumPy kernels run by the
Session and seeded like every random op (graph seed + op seed), so the same seeds give the same
values in every process and different variables get different streams.

For a part of a partitioned variable, `partition_info` gives the full shape: fans come from it,
and Constant and Identity hand out the part's slice of the full value, so a partitioned variable
is initialized like the unpartitioned one.
"""
import math

import numpy as np

from minitf.framework import dtypes
from minitf.framework.constant_op import constant as _constant
from minitf.ops import array_ops as _array_ops
from minitf.ops import linalg_ops as _linalg
from minitf.ops import random_ops as _random
from minitf.ops.math_ops import multiply as _multiply
from minitf.ops.math_ops import sign as _sign
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
    """Base class: `get_config()` returns the constructor arguments; `from_config` rebuilds."""

    _config = ()

    def get_config(self):
        return {k: getattr(self, k) for k in self._config}

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        if "dtype" in config:
            config["dtype"] = dtypes.as_dtype(config["dtype"])
        return cls(**config)

    def _dtype(self, dtype):
        return dtypes.as_dtype(self.dtype if dtype is None else dtype).base_dtype

    def _deferrable(self, dtype):
        """Whether calling this initializer for a fully defined shape and `dtype` surely
        succeeds, so get_variable may build its ops later (see Variable._deferred)."""
        return False


def _numbers(*values):
    return all(isinstance(v, (int, float, np.integer, np.floating)) for v in values)


def _float(dtype):
    if not dtype.is_floating:
        raise ValueError(f"Expected float dtype, got {dtype.name}")
    return dtype


class Zeros(Initializer):
    """All zeros (False for bool, b"" for string)."""

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
    """All ones."""

    _config = ("dtype",)

    def __init__(self, dtype=dtypes.float32):
        self.dtype = dtypes.as_dtype(dtype)

    def __call__(self, shape, dtype=None, partition_info=None):
        return _array_ops.ones(shape, self._dtype(dtype))

    _deferrable = Zeros._deferrable


class Constant(Initializer):
    """A scalar (broadcast), or a list/array filling the shape (TF1: the last value repeats when
    it is short; `verify_shape=True` demands the exact shape). A part of a partitioned variable
    gets its slice of a value that fills the full shape."""

    _config = ("value", "dtype", "verify_shape")

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
    """Normal samples with `mean` and `stddev`."""

    _config = ("mean", "stddev", "seed", "dtype")

    def __init__(self, mean=0.0, stddev=1.0, seed=None, dtype=dtypes.float32):
        self.mean, self.stddev, self.seed = mean, stddev, seed
        self.dtype = _float(dtypes.as_dtype(dtype))

    def __call__(self, shape, dtype=None, partition_info=None):
        return _random.random_normal(shape, self.mean, self.stddev, _float(self._dtype(dtype)),
                             seed=self.seed)

    def _deferrable(self, dtype):
        return self._dtype(dtype).is_floating and _numbers(self.mean, self.stddev)


class TruncatedNormal(RandomNormal):
    """Normal samples, re-drawn beyond two standard deviations."""

    def __call__(self, shape, dtype=None, partition_info=None):
        return _random.truncated_normal(shape, self.mean, self.stddev, _float(self._dtype(dtype)),
                                seed=self.seed)


class RandomUniform(Initializer):
    """Uniform samples in [minval, maxval) (maxval 1 for floats)."""

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
    """Uniform in ±sqrt(3 / input_size) * factor, input_size = prod(shape[:-1]) (TF1)."""

    _config = ("factor", "seed", "dtype")

    def __init__(self, factor=1.0, seed=None, dtype=dtypes.float32):
        self.factor, self.seed, self.dtype = factor, seed, _float(dtypes.as_dtype(dtype))

    def __call__(self, shape, dtype=None, partition_info=None):
        full = _full_shape(shape, partition_info)
        input_size = max(1.0, float(np.prod(full[:-1])))
        limit = math.sqrt(3 / input_size) * self.factor
        return _random.random_uniform(shape, -limit, limit, _float(self._dtype(dtype)),
                                      seed=self.seed)

    def _deferrable(self, dtype):
        return self._dtype(dtype).is_floating and _numbers(self.factor)


def _fans(shape):
    """(fan_in, fan_out) of a weight shape, with conv kernels' receptive field (TF's rule)."""
    if len(shape) < 1:
        return 1, 1
    if len(shape) == 1:
        return shape[0], shape[0]
    if len(shape) == 2:
        return shape[0], shape[1]
    field = int(np.prod(shape[:-2]))
    return shape[-2] * field, shape[-1] * field


class VarianceScaling(Initializer):
    """Samples scaled to the weight's fans: variance `scale / n` with n = fan_in, fan_out or
    their mean (`mode`), from a truncated normal (stddev corrected for the truncation), an
    untruncated normal or a uniform distribution."""

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
        dtype = _float(self._dtype(dtype))
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
    """Uniform in ±sqrt(6 / (fan_in + fan_out)) (Xavier): the default for float variables."""

    _config = ("seed", "dtype")

    def __init__(self, seed=None, dtype=dtypes.float32):
        super().__init__(1.0, "fan_avg", "uniform", seed, dtype)


class GlorotNormal(VarianceScaling):
    """Truncated normal with stddev sqrt(2 / (fan_in + fan_out)) (Xavier)."""

    _config = ("seed", "dtype")

    def __init__(self, seed=None, dtype=dtypes.float32):
        super().__init__(1.0, "fan_avg", "truncated_normal", seed, dtype)


def he_normal(seed=None):
    """VarianceScaling(2.0, fan_in, truncated_normal)."""
    return VarianceScaling(2.0, "fan_in", "truncated_normal", seed)


def he_uniform(seed=None):
    """VarianceScaling(2.0, fan_in, uniform)."""
    return VarianceScaling(2.0, "fan_in", "uniform", seed)


def lecun_normal(seed=None):
    """VarianceScaling(1.0, fan_in, truncated_normal)."""
    return VarianceScaling(1.0, "fan_in", "truncated_normal", seed)


def lecun_uniform(seed=None):
    """VarianceScaling(1.0, fan_in, uniform)."""
    return VarianceScaling(1.0, "fan_in", "uniform", seed)


class Orthogonal(Initializer):
    """A (semi-)orthogonal matrix times `gain`, for any shape flattened to 2-D
    (prod(shape[:-1]) x shape[-1])."""

    _config = ("gain", "seed", "dtype")

    def __init__(self, gain=1.0, seed=None, dtype=dtypes.float32):
        self.gain, self.seed, self.dtype = gain, seed, _float(dtypes.as_dtype(dtype))

    def __call__(self, shape, dtype=None, partition_info=None):
        dtype = _float(self._dtype(dtype))
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
    """The identity matrix times `gain` (2-D only); a part gets its slice of the full one."""

    _config = ("gain", "dtype")

    def __init__(self, gain=1.0, dtype=dtypes.float32):
        self.gain, self.dtype = gain, _float(dtypes.as_dtype(dtype))

    def __call__(self, shape, dtype=None, partition_info=None):
        full = _full_shape(shape, partition_info)
        if len(full) != 2:
            raise ValueError("Identity matrix initializer can only be used for 2D matrices.")
        value = _linalg.eye(*full, dtype=_float(self._dtype(dtype)))
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
