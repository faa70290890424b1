"""Quantization: quantize (QuantizeV2), dequantize (Dequantize) and quantized_concat
(QuantizedConcat); the fake-quantization ops are in ops/fake_quant_ops.py, which shares the
rules here.

A quantized tensor (qint8, quint8, qint16, quint16, qint32) holds its integer codes, as TF's do.
The kernels repeat the float32 steps of TF's CPU kernels in the same order (and in float64 where
TF computes in double), so codes and values are TF's to the bit.
"""
import collections

import numpy as np

from minitf.framework import dtypes as _dtypes, errors
from minitf.framework.constant_op import constant_value
from minitf.framework.ops import Tensor
from minitf.framework.registry import register_op
from minitf.ops._shared import fmt, no_gradient

__all__ = ["quantize", "quantize_v2", "dequantize", "quantized_concat", "QUANTIZED_DTYPES"]

QUANTIZED_DTYPES = _dtypes.QUANTIZED_DTYPES
_F32 = np.float32


# -- shared rules ----------------------------------------------------------------------------------
def _float32_inputs(op_type, names):
    """A dtype rule: every input named in `names` must be float32 (TF's TypeError)."""
    def rule(*inputs, **attrs):
        for name, t in zip(names, inputs):
            if t.dtype.base_dtype != _dtypes.float32:
                raise TypeError(f"Input '{name}' of '{op_type}' Op has type "
                                f"{t.dtype.base_dtype.name} that does not match expected type "
                                "of float32.")
        return _dtypes.float32
    return rule


def _rank_error(op_type, inputs, text):
    shapes = ", ".join(fmt(t._shape) for t in inputs)
    return ValueError(f"{text} for '{op_type}' with input shapes: {shapes}.")


def _with_rank(t, rank, op_type, inputs, at_least=False):
    shape = t._shape
    if shape is not None and (len(shape) < rank if at_least else len(shape) != rank):
        raise _rank_error(op_type, inputs, f"Shape must be {'at least ' if at_least else ''}"
                          f"rank {rank} but is rank {len(shape)}")
    return shape


def _merge_dims(a, b, op_type, inputs):
    if a is not None and b is not None and a != b:
        raise _rank_error(op_type, inputs, f"Dimensions must be equal, but are {a} and {b}")
    return a if b is None else b


def _merge_shapes(a, b, op_type, inputs):
    if a is None or b is None:
        return b if a is None else a
    if len(a) != len(b):
        raise _rank_error(op_type, inputs, f"Shapes must be equal rank, but are {len(a)} and "
                          f"{len(b)}")
    for i, (x, y) in enumerate(zip(a, b)):
        if x is not None and y is not None and x != y:
            raise _rank_error(op_type, inputs, f"Dimension {i} in both shapes must be equal, "
                              f"but are {x} and {y}. Shapes are {fmt(a)} and {fmt(b)}.")
    return tuple(y if x is None else x for x, y in zip(a, b))


def _round_away(x):
    """std::round: halves away from zero (exact: float32 values are exact in float64)."""
    x = np.asarray(x, np.float64)
    return np.copysign(np.floor(np.abs(x) + 0.5), x)


# -- quantize, dequantize, quantized_concat --------------------------------------------------------
QuantizeV2 = collections.namedtuple("QuantizeV2", ["output", "output_min", "output_max"])
QuantizedConcat = collections.namedtuple("QuantizedConcat",
                                         ["output", "output_min", "output_max"])
_MODES = ("MIN_COMBINED", "MIN_FIRST", "SCALED")
_ROUND_MODES = ("HALF_AWAY_FROM_ZERO", "HALF_TO_EVEN")
_QUANTIZED = (_dtypes.qint8, _dtypes.quint8, _dtypes.qint32, _dtypes.qint16, _dtypes.quint16)


def _to_codes(values, storage):
    """Whole float values as the codes a C cast makes: out of int32's range (or NaN), x86 gives
    INT_MIN; a narrower type keeps the low bits."""
    v = np.asarray(values, np.float64)
    fits = np.abs(v) < 2.0 ** 31
    return np.where(fits, np.where(fits, v, 0).astype(np.int64), -2**31).astype(storage)


def _per_axis(value, axis, ndim):
    """A range input as float32, shaped to broadcast along `axis` (a scalar for -1)."""
    value = np.asarray(value, _F32)
    return value.reshape(()) if axis == -1 else value.reshape((-1,) + (1,) * (ndim - axis - 1))


def _quantize_eigen(x, low, high, storage):
    # TF's QUANTIZE_WITH_EIGEN: MIN_FIRST quantization, and the second half of requantizing
    lowest, highest = np.iinfo(storage).min, np.iinfo(storage).max
    steps = 2.0 ** (8 * np.dtype(storage).itemsize)
    with np.errstate(divide="ignore"):
        scale = np.where(high == low, _F32(0), _F32((steps - 1.0) / np.float64(high - low)))
    scale = scale.astype(_F32)
    min_scaled = _round_away(low * scale).astype(_F32)
    v = _round_away(x * scale).astype(_F32) - (min_scaled - _F32(lowest))
    v = np.minimum(np.maximum(v, max(_F32(lowest), _F32(-2.147483648e9))),
                   min(_F32(highest), _F32(2.14748352e9)))
    return _to_codes(v, storage)


def _dequantize_eigen(codes, low, high, storage):
    # TF's DEQUANTIZE_WITH_EIGEN: MIN_FIRST dequantization, the first half of requantizing
    steps = 2.0 ** (8 * np.dtype(storage).itemsize)
    scale = _F32(np.float64(high - low) / (steps - 1.0))
    with np.errstate(divide="ignore", invalid="ignore"):
        rounded = np.where(high == low, low, _round_away(low / scale).astype(_F32) * scale)
    lowest = _F32(np.iinfo(storage).min)
    return ((rounded - lowest * scale) + codes.astype(_F32) * scale).astype(_F32)


def _min_combined(x, low, high, storage, round_mode, narrow_range):
    lowest, highest = np.iinfo(storage).min, np.iinfo(storage).max
    scale = _F32(np.float64(highest - lowest) / np.float64(high - low))
    v = (np.maximum(np.minimum(x, high), low) - low) * scale
    if lowest < 0:  # signed: shifted down by half the range, rounded half away from zero
        return _to_codes(_round_away(v - _F32((highest - lowest + 1) / 2.0)), storage), low, high
    return _to_codes(np.floor(v + _F32(0.5)), storage), low, high


def _scaled(x, low, high, storage, round_mode, narrow_range):
    info = np.iinfo(storage)
    out_min, out_max = _F32(info.min + int(narrow_range)), _F32(info.max)
    with np.errstate(divide="ignore", invalid="ignore"):
        from_min = np.where(out_min * low > 0, out_min / low, np.finfo(_F32).max)
        from_max = np.where(out_max * high > 0, out_max / high, np.finfo(_F32).max)
    scale = np.minimum(from_min, from_max).astype(_F32)
    low, high = (out_min / scale).astype(_F32), (out_max / scale).astype(_F32)
    v = np.maximum(np.minimum(x, high), low) * scale
    codes = np.rint(v) if round_mode == "HALF_TO_EVEN" else _round_away(v)
    return _to_codes(codes, storage), low, high


def _min_first(x, low, high, storage, round_mode, narrow_range):
    return _quantize_eigen(x, low, high, storage), low, high


_QUANTIZERS = {"MIN_COMBINED": _min_combined, "SCALED": _scaled, "MIN_FIRST": _min_first}


def _minmax_shape(op_type, x, min_range, max_range, axis):
    """The static shape of the per-slice ranges (TF's rule: max_range's, merged with `x`'s
    dimension `axis` when there is one)."""
    inputs = (x, min_range, max_range)
    rank = 0 if axis == -1 else 1
    _with_rank(min_range, rank, op_type, inputs)
    minmax = _with_rank(max_range, rank, op_type, inputs)
    if axis == -1:
        return ()
    shape = _with_rank(x, axis + 1, op_type, inputs, at_least=True)
    depth = minmax[0] if minmax is not None else None
    _merge_dims(depth, None if shape is None else shape[axis], op_type, inputs)
    return (depth,)


def _quantize_shape(input, min_range, max_range, **attrs):
    minmax = _minmax_shape("QuantizeV2", input, min_range, max_range, attrs["axis"])
    return [input._shape, minmax, minmax]


def _quantize_dtype(input, min_range, max_range, *, T, **attrs):
    _float32_inputs("QuantizeV2", ["input", "min_range", "max_range"])(
        input, min_range, max_range)
    return [T, _dtypes.float32, _dtypes.float32]


@register_op("QuantizeV2", shape=_quantize_shape, dtype=_quantize_dtype, outputs="n")
def _quantize(input, min_range, max_range, *, T, mode, round_mode, narrow_range, axis,
              ensure_minimum_range):
    if round_mode == "HALF_TO_EVEN" and mode != "SCALED":
        raise errors.InvalidArgumentError(None, None, "Round mode 'HALF_TO_EVEN' only supported "
                                          f"for mode 'SCALED', but mode is '{mode}'.")
    if axis != -1 and mode == "MIN_FIRST":
        raise errors.UnimplementedError(
            None, None, "MIN_FIRST mode is not implemented for Quantize with axis != -1.")
    lo, hi = _per_axis(min_range, axis, input.ndim), _per_axis(max_range, axis, input.ndim)
    if (hi < lo).any():
        raise errors.InvalidArgumentError(
            None, None, "input_max_range must be larger than input_min_range.")
    # ranges too close together are pulled apart, and always include 0.0
    low = np.minimum(_F32(0), lo)
    eps = np.maximum(_F32(1), np.maximum(np.abs(lo), np.abs(hi))) * _F32(ensure_minimum_range)
    high = np.maximum(_F32(0), np.maximum(hi, low + eps))
    codes, low, high = _QUANTIZERS[mode](input, low, high, T.as_numpy_dtype, round_mode,
                                         narrow_range)
    shape = () if axis == -1 else (-1,)
    return [codes, np.asarray(low, _F32).reshape(shape), np.asarray(high, _F32).reshape(shape)]


no_gradient(_quantize)


def _dequantize_shape(input, min_range, max_range, **attrs):
    _minmax_shape("Dequantize", input, min_range, max_range, attrs["axis"])
    return input._shape


def _dequantize_dtype(input, min_range, max_range, *, dtype, **attrs):
    if input.dtype.base_dtype not in _QUANTIZED:
        raise TypeError(f"Value passed to parameter 'input' has DataType "
                        f"{input.dtype.base_dtype.name} not in list of allowed values: qint8, "
                        "quint8, qint32, qint16, quint16")
    dtype.as_numpy_dtype  # (bfloat16 is TF's other choice: minitf cannot hold its values)
    return dtype


@register_op("Dequantize", shape=_dequantize_shape, dtype=_dequantize_dtype)
def _dequantize(input, min_range, max_range, *, mode, narrow_range, axis, dtype):
    if axis != -1 and mode == "MIN_FIRST":
        raise errors.UnimplementedError(
            None, None, "MIN_FIRST mode is not implemented for Dequantize with axis != -1.")
    lo, hi = _per_axis(min_range, axis, input.ndim), _per_axis(max_range, axis, input.ndim)
    lowest, highest = (_F32(v) for v in (np.iinfo(input.dtype).min, np.iinfo(input.dtype).max))
    codes = input.astype(_F32)
    if mode == "MIN_FIRST":
        return _dequantize_eigen(input, lo, hi, input.dtype)
    if mode == "SCALED":
        out_min = lowest + _F32(narrow_range)
        scale = hi / highest if lowest == 0 else np.maximum(lo / out_min, hi / highest)
        return (codes * scale).astype(_F32)
    half = _F32(0) if lowest == 0 else (highest - lowest + _F32(1)) / _F32(2)
    return (((codes + half) * ((hi - lo) / (highest - lowest))) + lo).astype(_F32)


no_gradient(_dequantize)


def _concat_shape(concat_dim, *inputs, n):
    for t in inputs[n:]:
        _with_rank(t, 0, "QuantizedConcat", (concat_dim,) + inputs)
    all_shapes = [v._shape for v in inputs[:n]]
    shapes = [shape for shape in all_shapes if shape is not None]
    if not shapes:
        return [None, (), ()]
    rank, dim = len(shapes[0]), _const_int(concat_dim)
    if dim is not None and dim >= rank:
        raise _rank_error("QuantizedConcat", (concat_dim,) + inputs,
                          f"Shape must be at least rank {dim + 1} but is rank {rank}")
    if dim is None or dim < 0:  # (the kernel refuses a negative one)
        return [(None,) * rank, (), ()]
    # each dimension is any input's known size, the concatenated one their sum
    out = [next((shape[i] for shape in shapes if shape[i] is not None), None)
           for i in range(rank)]
    sizes = [None if shape is None else shape[dim] for shape in all_shapes]
    out[dim] = None if None in sizes else sum(sizes)
    return [tuple(out), (), ()]


def _const_int(t):
    value = constant_value(t)
    return None if value is None else int(value)


@register_op("QuantizedConcat", shape=_concat_shape, outputs="n",
             dtype=lambda concat_dim, *inputs, n: [inputs[0].dtype.base_dtype, _dtypes.float32,
                                                   _dtypes.float32])
def _quantized_concat(concat_dim, *inputs, n):
    values, mins, maxes = inputs[:n], inputs[n:2 * n], inputs[2 * n:]
    dim = int(concat_dim)
    if not 0 <= dim < values[0].ndim:
        raise errors.InvalidArgumentError(
            None, None, "ConcatOp : Expected concatenating dimensions in the range [0, "
            f"{values[0].ndim}), but got {dim}")
    ranges = [(_F32(lo), _F32(hi)) for lo, hi in zip(mins, maxes)]
    low = min(_F32(0), min(lo for lo, _ in ranges))
    high = max(hi for _, hi in ranges)
    if np.iinfo(values[0].dtype).min < 0:  # signed: a range symmetric about 0
        high = max(abs(low), abs(high))
        low = -high
    # each input requantized into the common range (unless it has it already)
    parts = [v if (lo, hi) == (low, high) else _quantize_eigen(
        _dequantize_eigen(v, lo, hi, v.dtype), low, high, v.dtype)
        for v, (lo, hi) in zip(values, ranges)]
    return [np.concatenate(parts, axis=dim), _F32(low), _F32(high)]


no_gradient(_quantized_concat)


def _check_attr(op_type, attr, value, allowed):
    if value not in allowed:
        names = ", ".join(f'"{a}"' for a in allowed)
        raise ValueError(f"Attr '{attr}' of '{op_type}' Op passed string '{value}' not in: "
                         f"{names}.")


def _axis_of(input, axis):
    """TF's axis: -1 for none; a negative one counted from the end of the known rank."""
    if axis is None:
        return -1
    if axis < 0:
        shape = input._shape if isinstance(input, Tensor) else np.shape(input)
        if shape is None:
            raise ValueError("input should have known rank to use negative axis.")
        axis %= len(shape)
    return int(axis)


def quantize_v2(input, min_range, max_range, T, mode="MIN_COMBINED", name=None,
                round_mode="HALF_AWAY_FROM_ZERO", narrow_range=False, axis=None,
                ensure_minimum_range=0.01):
    """Quantizes the float32 `input` into codes of the quantized type `T` (tf.quantize).

    The range [min_range, max_range] is widened to include 0.0 and to at least
    `ensure_minimum_range` times its largest magnitude (at least 1). MIN_COMBINED maps it
    linearly onto all of `T`'s codes; MIN_FIRST does so with the minimum rounded to a code;
    SCALED keeps 0.0 at code 0 and scales by the larger of the two ends (`narrow_range` leaves
    the lowest signed code unused), and may round halves to even.

    >>> q = tf.quantize([-1.0, 0.0, 0.5, 1.0], -1.0, 1.0, tf.qint8, mode="SCALED")
    >>> with tf.Session() as sess:
    ...     print(sess.run(q.output))
    [-127    0   64  127]

    Args:
      input: a float32 Tensor.
      min_range, max_range: float32 scalars, or with `axis` vectors of one range per slice.
      T: the quantized type: qint8, quint8, qint16, quint16 or qint32.
      mode: "MIN_COMBINED", "MIN_FIRST" or "SCALED".
      name: a name for the operation (default "QuantizeV2").
      round_mode: "HALF_AWAY_FROM_ZERO", or "HALF_TO_EVEN" (SCALED only).
      narrow_range: whether SCALED leaves the lowest code unused.
      axis: the dimension with one range per slice, or None.
      ensure_minimum_range: the least range, relative to the largest magnitude.

    Returns:
      The tuple (output, output_min, output_max): the codes, of `input`'s shape and type `T`,
      and the float32 range they stand for.

    Raises:
      TypeError: `input` or a range is not float32, or `T` is not a quantized type.
      ValueError: `mode` or `round_mode` is unknown, or the shapes do not fit.
      minitf.errors.InvalidArgumentError: at run time, max_range < min_range, or HALF_TO_EVEN
        without SCALED.
    """
    T = _dtypes.as_dtype(T).base_dtype
    if T not in _QUANTIZED:
        raise TypeError(f"Value passed to parameter 'T' has DataType {T.name} not in list of "
                        "allowed values: qint8, quint8, qint32, qint16, quint16")
    _check_attr("QuantizeV2", "mode", mode, _MODES)
    _check_attr("QuantizeV2", "round_mode", round_mode, _ROUND_MODES)
    return QuantizeV2(*_quantize.apply(
        [input, min_range, max_range], name=name or "QuantizeV2", T=T, mode=mode,
        round_mode=round_mode, narrow_range=bool(narrow_range), axis=_axis_of(input, axis),
        ensure_minimum_range=float(_F32(ensure_minimum_range))))


def quantize(input, min_range, max_range, T, mode="MIN_COMBINED",
             round_mode="HALF_AWAY_FROM_ZERO", name=None, narrow_range=False, axis=None,
             ensure_minimum_range=0.01):
    """Quantizes the float32 `input` into codes of the quantized type `T` (QuantizeV2).

    The same op as `quantize_v2`, whose documentation says how.

    Args:
      input: a float32 Tensor.
      min_range, max_range: float32 scalars, or with `axis` vectors of one range per slice.
      T: the quantized type: qint8, quint8, qint16, quint16 or qint32.
      mode: "MIN_COMBINED", "MIN_FIRST" or "SCALED".
      round_mode: "HALF_AWAY_FROM_ZERO", or "HALF_TO_EVEN" (SCALED only).
      name: a name for the operation (default "QuantizeV2").
      narrow_range, axis, ensure_minimum_range: as for `quantize_v2`.

    Returns:
      The tuple (output, output_min, output_max).

    Raises:
      TypeError, ValueError: as for `quantize_v2`.
    """
    return quantize_v2(input, min_range, max_range, T, mode=mode, name=name,
                       round_mode=round_mode, narrow_range=narrow_range, axis=axis,
                       ensure_minimum_range=ensure_minimum_range)


def dequantize(input, min_range, max_range, mode="MIN_COMBINED", name=None, axis=None,
               narrow_range=False, dtype=_dtypes.float32):
    """Turns the codes of a quantized tensor back into floats, by the rule of `mode`.

    >>> q = tf.quantize([-1.0, 0.0, 0.5, 1.0], -1.0, 1.0, tf.qint8, mode="SCALED")
    >>> d = tf.dequantize(q.output, q.output_min, q.output_max, mode="SCALED")
    >>> with tf.Session() as sess:
    ...     print(sess.run(d))
    [-1.        0.        0.503937  1.      ]

    Args:
      input: a Tensor of a quantized type (qint8, quint8, qint16, quint16, qint32).
      min_range, max_range: float32 scalars, or with `axis` vectors of one range per slice:
        the range the codes stand for.
      mode: "MIN_COMBINED", "MIN_FIRST" or "SCALED", as the codes were made.
      name: a name for the operation (default "Dequantize").
      axis: the dimension with one range per slice, or None.
      narrow_range: whether SCALED codes leave the lowest code unused.
      dtype: the output type, float32 (TF also allows bfloat16, which minitf cannot hold).

    Returns:
      A Tensor of `input`'s shape and type `dtype`.

    Raises:
      TypeError: `input` is not quantized, or `dtype` is not float32.
      ValueError: `mode` is unknown, or the shapes do not fit.
    """
    _check_attr("Dequantize", "mode", mode, _MODES)
    dtype = _dtypes.as_dtype(dtype).base_dtype
    if dtype not in (_dtypes.bfloat16, _dtypes.float32):
        raise TypeError(f"Value passed to parameter 'dtype' has DataType {dtype.name} not in "
                        "list of allowed values: bfloat16, float32")
    return _dequantize.apply([input, min_range, max_range], name=name or "Dequantize",
                             mode=mode, narrow_range=bool(narrow_range),
                             axis=_axis_of(input, axis), dtype=dtype)


def quantized_concat(concat_dim, values, input_mins, input_maxes, name=None):
    """Concatenates quantized tensors along `concat_dim`, requantizing them into one range.

    The output range runs from the least of `input_mins` (or 0.0, if less) to the largest of
    `input_maxes`, made symmetric about 0.0 for signed types.

    Args:
      concat_dim: a scalar int32, the dimension to concatenate along.
      values: a list of N Tensors of one quantized type (TF's kernels: quint8 and qint32).
      input_mins, input_maxes: lists of N float32 scalars, the ranges of `values`.
      name: a name for the operation (default "QuantizedConcat").

    Returns:
      The tuple (output, output_min, output_max).

    Raises:
      ValueError: the lists differ in length.
      minitf.errors.InvalidArgumentError: at run time, `concat_dim` is out of range.
    """
    values, input_mins, input_maxes = list(values), list(input_mins), list(input_maxes)
    n = len(values)
    if len(input_mins) != n or len(input_maxes) != n:
        raise ValueError(f"List argument 'input_mins' to 'quantized_concat' Op with length "
                         f"{len(input_mins)} must match length {n} of argument 'values'.")
    return QuantizedConcat(*_quantized_concat.apply(
        [concat_dim] + values + input_mins + input_maxes, name=name or "QuantizedConcat", n=n))
