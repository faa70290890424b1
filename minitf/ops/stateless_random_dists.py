"""Stateless categorical, gamma and Poisson samples: StatelessMultinomial, StatelessRandomGammaV3
(with its alpha gradient) and StatelessRandomPoisson.

Each runs the stateful op's algorithm (`random_more_ops`, `random_gamma_ops`) from the counter
TF derives from the seed (`stateless_random_ops.key_counter`), so the values are TensorFlow's.
"""
import numpy as np

from minitf.framework import dtypes
from minitf.framework.api import control_dependencies, name_scope
from minitf.framework.constant_op import constant_value, convert_to_tensor
from minitf.framework.errors import InvalidArgumentError
from minitf.framework.registry import register_op
from minitf.ops import (
    binomial_sampler,
    manip_ops,
    math_ops,
    random_gamma_ops,
    random_more_ops,
    sequence_ops,
    shape_ops,
    truncated_normal_sampler,
)
from minitf.ops._shared import fmt, shape as _shape, shape_tensor, shape_value
from minitf.ops.array_ops import fill, rank
from minitf.ops.stateless_random_ops import (
    check_alg,
    fixed_stream,
    kernel_stream,
    key_counter_alg,
    seed_shape_check,
    seeded_kernel,
)

__all__ = ["stateless_multinomial", "stateless_categorical", "stateless_random_gamma",
           "stateless_random_poisson", "stateless_random_binomial",
           "stateless_parameterized_truncated_normal"]


# -- StatelessMultinomial --------------------------------------------------------------------------
def _multinomial_shape(logits, num_samples, seed, **attrs):
    shape = logits._shape
    where = (f"for 'StatelessMultinomial' with input shapes: {fmt(shape)}, "
             f"{fmt(num_samples._shape)}, {fmt(seed._shape)}.")
    if shape is not None and len(shape) != 2:
        raise ValueError(f"Shape must be rank 2 but is rank {len(shape)} {where}")
    if num_samples._shape not in (None, ()):
        raise ValueError(f"Shape must be rank 0 but is rank {len(num_samples._shape)} {where}")
    seed_shape_check("StatelessMultinomial", seed)
    n = constant_value(num_samples)
    return (None if shape is None else shape[0], None if n is None else int(n))


@register_op("StatelessMultinomial", shape=_multinomial_shape, differentiable=False,
             dtype=lambda logits, num_samples, seed, **attrs: attrs["output_dtype"])
def _stateless_multinomial(logits, num_samples, seed, *, output_dtype):
    return seeded_kernel(random_more_ops._multinomial, kernel_stream(seed), logits, num_samples,
                   output_dtype=output_dtype)


def _categorical(logits, num_samples, dtype, seed):
    logits = convert_to_tensor(logits, name="logits")
    dtype = dtypes.as_dtype(dtype) if dtype else dtypes.int64
    return _stateless_multinomial.apply([logits, num_samples, seed], name="StatelessMultinomial",
                                        output_dtype=dtype)


def stateless_categorical(logits, num_samples, seed, dtype=dtypes.int64, name=None):
    """Draws deterministic pseudorandom samples from categorical distributions.

    Args:
      logits: a [batch, classes] Tensor: unnormalized log-probabilities of each row.
      num_samples: an int scalar: samples per row.
      seed: a shape [2] int32 or int64 tensor.
      dtype: the samples' type: int32 or int64 (the default).
      name: a name for the operation (default "stateless_categorical").

    Returns:
      A [batch, num_samples] Tensor of class indices (TensorFlow's own for the same seed).

    Raises:
      ValueError: `logits` is not 2-D.

    >>> s = tf.random.stateless_categorical([[0.0, 0.0, 50.0]], 3, seed=[1, 2])
    >>> with tf.Session() as sess:
    ...     sess.run(s).tolist()
    [[2, 2, 2]]
    """
    with name_scope(name, "stateless_categorical", [logits, seed]):
        return _categorical(logits, num_samples, dtype, seed)


def stateless_multinomial(logits, num_samples, seed, output_dtype=dtypes.int64, name=None):
    """Draws deterministic pseudorandom samples from categorical distributions.

    The older name of `stateless_categorical`.

    Args:
      logits: a [batch, classes] Tensor: unnormalized log-probabilities of each row.
      num_samples: an int scalar: samples per row.
      seed: a shape [2] int32 or int64 tensor.
      output_dtype: the samples' type: int32 or int64 (the default).
      name: a name for the operation (default "stateless_multinomial").

    Returns:
      A [batch, num_samples] Tensor of class indices.
    """
    with name_scope(name, "stateless_multinomial", [logits, seed]):
        return _categorical(logits, num_samples, output_dtype, seed)


# -- the gamma and Poisson ops: `shape` is the whole output shape ----------------------------------
def _samples_prefix(shape, params):
    # the sample dimensions: `shape` must end with the parameters' shape
    shape = tuple(int(n) for n in np.asarray(shape).reshape(-1))
    k = np.ndim(params)
    if len(shape) < k or shape[len(shape) - k:] != np.shape(params):
        raise InvalidArgumentError(None, None, "Shape passed in must end with broadcasted shape.")
    return np.array(shape[:len(shape) - k], np.int64)


def _full_shape(shape, *rest, **attrs):
    if shape._shape is not None and len(shape._shape) != 1:
        raise ValueError(f"Shape must be rank 1 but is rank {len(shape._shape)}")
    return shape_value(shape)


@register_op("StatelessRandomGammaV3", shape=_full_shape,
             dtype=lambda shape, key, counter, alg, alpha: alpha._dtype)
def _gamma_v3(shape, key, counter, alg, alpha):
    check_alg(alg)
    prefix = _samples_prefix(shape, alpha)
    return seeded_kernel(random_gamma_ops._random_gamma, fixed_stream(key, counter), prefix, alpha)


@_gamma_v3.gradient
def _gamma_v3_grad(op, grad):
    # implicit reparameterization, as RandomGamma's: d sample / d alpha, summed over samples
    shape, alpha, sample = op.inputs[0], op.inputs[4], op.outputs[0]
    with control_dependencies([grad]):
        n = math_ops.subtract(_shape(shape)[0], rank(alpha))
        ones = fill(manip_ops.expand_dims(n, 0), 1)
        alpha_b = manip_ops.reshape(alpha, manip_ops.concat([ones, _shape(alpha)], 0))
        partial = random_gamma_ops._gamma_sample_der.apply([alpha_b, sample],
                                                           name="RandomGammaGrad")
        total = math_ops.reduce_sum(math_ops.multiply(grad, partial), axis=sequence_ops.range(n))
        return None, None, None, None, total


def stateless_random_gamma(shape, seed, alpha, beta=None, dtype=dtypes.float32, name=None):
    """Outputs deterministic pseudorandom values from gamma distributions.

    `alpha` (concentration) and `beta` (rate) broadcast together, and `shape` must end with
    their broadcast shape. The samples are differentiable with respect to `alpha` (implicit
    reparameterization) and `beta`; the values are TensorFlow's for the same seed.

    Args:
      shape: the output shape: a list of ints or a 1-D integer tensor.
      seed: a shape [2] int32 or int64 tensor.
      alpha: the concentrations, a Tensor of `dtype` (or convertible to it).
      beta: the rates (default 1): the samples are divided by it.
      dtype: float16, float32 (the default) or float64.
      name: a name for the operation (default "stateless_random_gamma").

    Returns:
      A Tensor of `shape` and `dtype`.

    Raises:
      minitf.errors.InvalidArgumentError: at run time, `shape` does not end with the broadcast
        shape of `alpha` and `beta`.
    """
    dtype = dtypes.as_dtype(dtype)
    with name_scope(name, "stateless_random_gamma", [shape, seed, alpha, beta]):
        shape = shape_tensor(shape, name="shape")
        alpha = convert_to_tensor(alpha, dtype=dtype, name="alpha")
        beta = convert_to_tensor(1 if beta is None else beta, name="beta", dtype=dtype)
        both = shape_ops.broadcast_dynamic_shape(_static_shape(alpha, "Shape_1"),
                                                 _static_shape(beta, "Shape_2"))
        alpha_b = manip_ops.broadcast_to(alpha, both)
        key, counter, alg = key_counter_alg(seed, "auto_select")
        rnd = _gamma_v3.apply([shape, key, counter, alg, alpha_b], name="StatelessRandomGammaV3")
        tiny = np.finfo(dtype.as_numpy_dtype).tiny
        result = math_ops.maximum(tiny, math_ops.truediv(rnd, beta))
        dims = shape_value(shape)
        if dims is not None:
            result.set_shape(dims)
        return result


def _static_shape(t, name):
    # a known shape is a Const, as TF's array_ops.shape makes it
    if t._shape is not None and None not in t._shape:
        return convert_to_tensor(np.array(t._shape, np.int32), name=name)
    return _shape(t, name=name)


@register_op("StatelessRandomPoisson", shape=_full_shape, differentiable=False,
             dtype=lambda shape, seed, lam, **attrs: attrs["dtype"])
def _poisson(shape, seed, lam, *, dtype):
    prefix = _samples_prefix(shape, lam)
    return seeded_kernel(random_gamma_ops._random_poisson, kernel_stream(seed), prefix, lam,
                   dtype=dtype)


def stateless_random_poisson(shape, seed, lam, dtype=dtypes.int32, name=None):
    """Outputs deterministic pseudorandom values from Poisson distributions.

    Args:
      shape: the output shape: a list of ints or a 1-D integer tensor; it must end with the
        shape of `lam`.
      seed: a shape [2] int32 or int64 tensor.
      lam: the rates: a Tensor of float16, float32, float64, int32 or int64.
      dtype: the samples' type: float16, float32, float64, int32 (the default) or int64.
      name: a name for the operation (default "stateless_random_poisson").

    Returns:
      A Tensor of `shape` and `dtype` (TensorFlow's own values for the same seed).

    Raises:
      minitf.errors.InvalidArgumentError: at run time, `shape` does not end with `lam`'s shape.
    """
    with name_scope(name, "stateless_random_poisson", [shape, seed, lam]):
        shape = shape_tensor(shape, name="shape")
        lam = lam if hasattr(lam, "op") else np.asarray(lam, np.float32)
        return _poisson.apply([shape, seed, lam], name="StatelessRandomPoisson",
                              dtype=dtypes.as_dtype(dtype))


@register_op("StatelessRandomBinomial", shape=_full_shape, differentiable=False,
             dtype=lambda shape, seed, counts, probs, **attrs: attrs["dtype"])
def _binomial(shape, seed, counts, probs, *, dtype):
    stream = kernel_stream(seed)
    return binomial_sampler.binomial(stream, stream.counter, shape, counts, probs,
                                     dtype.as_numpy_dtype)


def stateless_random_binomial(shape, seed, counts, probs, output_dtype=dtypes.int32, name=None):
    """Outputs deterministic pseudorandom values from binomial distributions.

    `counts` and `probs` broadcast together, and `shape` must end with their broadcast shape.

    Args:
      shape: the output shape: a list of ints or a 1-D integer tensor.
      seed: a shape [2] int32 or int64 tensor.
      counts: the numbers of trials: float16, float32 or float64.
      probs: the success probabilities, of `counts`' type (float32 for Python numbers).
      output_dtype: the samples' type: float16, float32, float64, int32 (the default) or int64.
      name: a name for the operation (default "stateless_random_binomial").

    Returns:
      A Tensor of `shape` and `output_dtype` (TensorFlow's own values for the same seed).

    Raises:
      minitf.errors.InvalidArgumentError: at run time, `shape` does not end with the broadcast
        shape of `counts` and `probs`.

    >>> b = tf.random.stateless_binomial([2, 2], seed=[1, 2], counts=[10.0, 20.0], probs=0.0)
    >>> with tf.Session() as sess:
    ...     sess.run(b).tolist()
    [[0, 0], [0, 0]]
    """
    with name_scope(name, "stateless_random_binomial", [shape, seed, counts, probs]):
        shape = shape_tensor(shape, name="shape")
        probs = convert_to_tensor(
            probs, name="probs", dtype=None if hasattr(probs, "dtype") else dtypes.float32)
        counts = convert_to_tensor(
            counts, name="counts", dtype=None if hasattr(counts, "dtype") else probs.dtype)
        return _binomial.apply([shape, seed, counts, probs], name="StatelessRandomBinomial",
                               dtype=dtypes.as_dtype(output_dtype))


@register_op("StatelessParameterizedTruncatedNormal", shape=_full_shape, differentiable=False,
             dtype=lambda shape, seed, means, *rest: means._dtype)
def _parameterized_truncated_normal(shape, seed, means, stddevs, minvals, maxvals):
    return truncated_normal_sampler.parameterized_truncated_normal(
        kernel_stream(seed), shape, means, stddevs, minvals, maxvals)


def stateless_parameterized_truncated_normal(shape, seed, means=0.0, stddevs=1.0, minvals=-2.0,
                                             maxvals=2.0, name=None):
    """Outputs deterministic pseudorandom values from truncated normal distributions.

    Each distribution is a normal one (`means`, `stddevs`) cut to [minvals, maxvals]; the four
    parameters broadcast together, and `shape` must end with their broadcast shape.

    Args:
      shape: the output shape: a list of ints or a 1-D integer tensor.
      seed: a shape [2] int32 or int64 tensor.
      means: the means (float16, float32 or float64; Python numbers are float32).
      stddevs: the standard deviations, positive.
      minvals: the lower bounds.
      maxvals: the upper bounds, each above its lower bound.
      name: a name for the operation (default "stateless_parameterized_truncated_normal").

    Returns:
      A Tensor of `shape` and the parameters' type (TensorFlow's values for the same seed).

    Raises:
      minitf.errors.InvalidArgumentError: at run time, a stddev that is not positive, bounds
        out of order, or `shape` not ending with the parameters' broadcast shape.

    >>> x = tf.random.stateless_parameterized_truncated_normal([100], [1, 2], minvals=-0.5,
    ...                                                        maxvals=0.5)
    >>> with tf.Session() as sess:
    ...     v = sess.run(x)
    >>> bool((abs(v) <= 0.5).all())
    True
    """
    with name_scope(name, "stateless_parameterized_truncated_normal",
                    [shape, means, stddevs, minvals, maxvals]):
        shape = shape_tensor(shape, name="shape")
        names = ("means", "stddevs", "minvals", "maxvals")
        params = [convert_to_tensor(v, name=n)
                  for v, n in zip((means, stddevs, minvals, maxvals), names)]
        for n, p in zip(names[1:], params[1:]):
            if p.dtype != params[0].dtype:
                raise TypeError(f"Input '{n}' of 'StatelessParameterizedTruncatedNormal' Op has "
                                f"type {p.dtype.name} that does not match type "
                                f"{params[0].dtype.name} of argument 'means'.")
        result = _parameterized_truncated_normal.apply(
            [shape, seed] + params, name="StatelessParameterizedTruncatedNormal")
        dims = shape_value(shape)
        if dims is not None:
            result.set_shape(dims)
        return result
