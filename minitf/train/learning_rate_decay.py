"""TF1's learning-rate schedules (`tf.train.exponential_decay`, ...): each a scalar tensor of the
global step, built under TF's name scope (`ExponentialDecay`, `PolynomialDecay`, ...).

The step is cast to the learning rate's dtype (float32 for a Python float), as TF does, so the
schedules run in that precision; run one after assigning the global step to see its value.
"""
import math

from minitf.control_flow.cond import case, cond
from minitf.framework import dtypes
from minitf.framework.api import name_scope
from minitf.framework.constant_op import convert_to_tensor
from minitf.ops import elementwise_ops, math_ops, random_ops
from minitf.ops.sequence_ops import where_v2

__all__ = ["exponential_decay", "piecewise_constant", "piecewise_constant_decay",
           "polynomial_decay", "natural_exp_decay",
           "inverse_time_decay", "cosine_decay", "cosine_decay_restarts", "linear_cosine_decay",
           "noisy_linear_cosine_decay"]


def _start(learning_rate, global_step, *numbers):
    """Converts the learning rate and casts the step and `numbers` to its dtype, as TF does."""
    lr = convert_to_tensor(learning_rate, name="initial_learning_rate")
    dtype = lr.dtype.base_dtype
    casts = [math_ops.cast(n, dtype) for n in numbers]
    step = math_ops.cast(global_step, dtype)
    return lr, dtype, step, casts


def exponential_decay(learning_rate, global_step, decay_steps, decay_rate, staircase=False,
                      name=None):
    """Applies exponential decay to the learning rate.

    Returns `learning_rate * decay_rate ^ (global_step / decay_steps)`, the exponent floored
    with `staircase` (the rate then drops every `decay_steps` steps).

    Args:
      learning_rate: a scalar float Tensor or number: the initial learning rate.
      global_step: a scalar integer Tensor (the global step); must not be None.
      decay_steps: a positive number: the steps per decay period.
      decay_rate: a number: the decay per period.
      staircase: whether to decay in whole periods.
      name: the name scope (default "ExponentialDecay"); the result op takes its name.

    Returns:
      A scalar Tensor of the learning rate's dtype.

    Raises:
      ValueError: `global_step` is None ("None values not supported.", as TF).

    >>> step = tf.train.get_or_create_global_step()
    >>> lr = tf.train.exponential_decay(0.1, step, 10, 0.5, staircase=True)
    >>> print(lr.name)
    ExponentialDecay:0
    """
    with name_scope(name or "ExponentialDecay") as scope:
        lr, _, step, (steps, rate) = _start(learning_rate, global_step, decay_steps, decay_rate)
        p = step / steps
        if staircase:
            p = math_ops.floor(p)
        return math_ops.multiply(lr, math_ops.pow(rate, p), name=scope)


def natural_exp_decay(learning_rate, global_step, decay_steps, decay_rate, staircase=False,
                      name=None):
    """Applies natural exponential decay to the learning rate.

    Returns `learning_rate * exp(-decay_rate * global_step / decay_steps)` (the exponent's
    `global_step / decay_steps` floored with `staircase`): `exponential_decay` with the rate
    `exp(-decay_rate)`, so its ops sit under `ExponentialDecay` as TF's do.

    Args:
      learning_rate: a scalar float Tensor or number: the initial learning rate.
      global_step: a scalar integer Tensor (the global step); must not be None.
      decay_steps: a positive number: the steps per decay period.
      decay_rate: a number: the decay rate.
      staircase: whether to decay in whole periods.
      name: the name scope (default "ExponentialDecay").

    Returns:
      A scalar Tensor of the learning rate's dtype.

    Raises:
      ValueError: `global_step` is None.
    """
    rate = elementwise_ops.exp(elementwise_ops.negative(decay_rate))
    return exponential_decay(learning_rate, global_step, decay_steps, rate, staircase, name)


def inverse_time_decay(learning_rate, global_step, decay_steps, decay_rate, staircase=False,
                       name=None):
    """Applies inverse time decay to the learning rate.

    Returns `learning_rate / (1 + decay_rate * global_step / decay_steps)`, the quotient
    floored with `staircase`.

    Args:
      learning_rate: a scalar float Tensor or number: the initial learning rate.
      global_step: a scalar integer Tensor (the global step); must not be None.
      decay_steps: a positive number: the steps per decay period.
      decay_rate: a number: the decay rate.
      staircase: whether to decay in whole periods.
      name: the name scope (default "InverseTimeDecay").

    Returns:
      A scalar Tensor of the learning rate's dtype.

    Raises:
      ValueError: `global_step` is None.
    """
    with name_scope(name or "InverseTimeDecay") as scope:
        lr, dtype, step, (steps, rate) = _start(learning_rate, global_step, decay_steps,
                                                decay_rate)
        p = step / steps
        if staircase:
            p = math_ops.floor(p)
        one = math_ops.cast(convert_to_tensor(1, dtypes.int32, name="Const"), dtype)
        denom = math_ops.add(one, math_ops.multiply(rate, p, name="Mul"), name="Add")
        return math_ops.truediv(lr, denom, name=scope)


def polynomial_decay(learning_rate, global_step, decay_steps, end_learning_rate=0.0001,
                     power=1.0, cycle=False, name=None):
    """Applies polynomial decay to the learning rate.

    Returns `(learning_rate - end_learning_rate) * (1 - step / decay_steps) ^ power +
    end_learning_rate`, the step capped at `decay_steps`; with `cycle`, `decay_steps` is
    instead multiplied by `ceil(step / decay_steps)` (1 at step 0), so the decay restarts.

    Args:
      learning_rate: a scalar float Tensor or number: the initial learning rate.
      global_step: a scalar integer Tensor (the global step); must not be None.
      decay_steps: a positive number: the steps to decay over.
      end_learning_rate: the final learning rate.
      power: the polynomial's power.
      cycle: whether to restart the decay after `decay_steps`.
      name: the name scope (default "PolynomialDecay").

    Returns:
      A scalar Tensor of the learning rate's dtype.

    Raises:
      ValueError: `global_step` is None.
    """
    with name_scope(name or "PolynomialDecay") as scope:
        lr, dtype, _, (end, pw) = _start(learning_rate, 0, end_learning_rate, power)
        step = math_ops.cast(global_step, dtype)
        steps = math_ops.cast(decay_steps, dtype)
        if cycle:
            mult = where_v2(math_ops.equal(step, 0), 1.0, math_ops.ceil(step / steps))
            steps = math_ops.multiply(steps, mult, name="Mul")
        else:
            step = math_ops.minimum(step, steps)
        p = step / steps
        scale = math_ops.pow(1 - p, pw)
        return math_ops.add(math_ops.multiply(lr - end, scale, name="Mul"), end, name=scope)


def cosine_decay(learning_rate, global_step, decay_steps, alpha=0.0, name=None):
    """Applies cosine decay to the learning rate.

    Returns `learning_rate * ((1 - alpha) * 0.5 * (1 + cos(pi * s / decay_steps)) + alpha)`,
    `s` the step capped at `decay_steps`.

    Args:
      learning_rate: a scalar float Tensor or number: the initial learning rate.
      global_step: a scalar integer Tensor (the global step); must not be None.
      decay_steps: the steps to decay over.
      alpha: the floor, as a fraction of `learning_rate`.
      name: the name scope (default "CosineDecay").

    Returns:
      A scalar Tensor of the learning rate's dtype (TF leaves it unnamed: `CosineDecay/Mul_3`).

    Raises:
      ValueError: `global_step` is None.
    """
    with name_scope(name or "CosineDecay"):
        lr, dtype, step, (steps,) = _start(learning_rate, global_step, decay_steps)
        done = math_ops.minimum(step, steps) / steps
        cosine = _half_cosine(done, dtype)
        decayed = (1 - alpha) * cosine + alpha
        return math_ops.multiply(lr, decayed)


def _half_cosine(fraction, dtype, factor=None):
    """0.5 * (1 + cos(pi * fraction)), times `factor` if given."""
    pi = convert_to_tensor(math.pi, dtype, name="Const")
    cos = elementwise_ops.cos(pi * fraction)
    return 0.5 * (1.0 + cos) if factor is None else 0.5 * factor * (1.0 + cos)


def cosine_decay_restarts(learning_rate, global_step, first_decay_steps, t_mul=2.0, m_mul=1.0,
                          alpha=0.0, name=None):
    """Applies cosine decay with warm restarts (SGDR) to the learning rate.

    The first period lasts `first_decay_steps`, each next one `t_mul` times longer, and each
    restart starts `m_mul` times lower; within a period the rate follows `cosine_decay`.

    Args:
      learning_rate: a scalar float Tensor or number: the initial learning rate.
      global_step: a scalar integer Tensor (the global step); must not be None.
      first_decay_steps: the first period's length in steps.
      t_mul: the factor by which each period is longer than the last.
      m_mul: the factor by which each restart's rate is lower than the last.
      alpha: the floor, as a fraction of `learning_rate`.
      name: the name scope (default "SGDRDecay").

    Returns:
      A scalar Tensor of the learning rate's dtype.

    Raises:
      ValueError: `global_step` is None.
    """
    with name_scope(name or "SGDRDecay") as scope:
        lr, dtype, step, (first, a, tm, mm) = _start(learning_rate, global_step,
                                                     first_decay_steps, alpha, t_mul, m_mul)
        frac = step / first
        # (a run-time choice, as TF's: t_mul may be a tensor)
        i, frac = cond(math_ops.equal(tm, 1.0), lambda: _restart(frac, tm, True),
                       lambda: _restart(frac, tm, False))
        cosine = _half_cosine(frac, dtype, factor=math_ops.pow(mm, i, name="pow"))
        decayed = (1 - a) * cosine + a
        return math_ops.multiply(lr, decayed, name=scope)


def _restart(frac, t_mul, constant_periods):
    """The restart count and the fraction done of the current period (SGDR)."""
    if constant_periods:
        i = math_ops.floor(frac)
        return i, frac - i
    # Periods 1, t, t^2, ...: i restarts are done once frac >= (1 - t^i) / (1 - t).
    i = math_ops.floor(math_ops.log(1.0 - frac * (1.0 - t_mul)) / math_ops.log(t_mul))
    done = (1.0 - math_ops.pow(t_mul, i, name="pow")) / (1.0 - t_mul)
    return i, (frac - done) / math_ops.pow(t_mul, i, name="pow")


def linear_cosine_decay(learning_rate, global_step, decay_steps, num_periods=0.5, alpha=0.0,
                        beta=0.001, name=None):
    """Applies linear cosine decay to the learning rate.

    Returns `learning_rate * ((alpha + (decay_steps - s) / decay_steps) * 0.5 * (1 +
    cos(pi * 2 * num_periods * s / decay_steps)) + beta)`, `s` the step capped at
    `decay_steps`.

    Args:
      learning_rate: a scalar float Tensor or number: the initial learning rate.
      global_step: a scalar integer Tensor (the global step); must not be None.
      decay_steps: the steps to decay over.
      num_periods: the cosine's periods over `decay_steps`.
      alpha: added to the linear part.
      beta: added to the product.
      name: the name scope (default "LinearCosineDecay").

    Returns:
      A scalar Tensor of the learning rate's dtype.

    Raises:
      ValueError: `global_step` is None.
    """
    with name_scope(name or "LinearCosineDecay") as scope:
        return _linear_cosine(learning_rate, global_step, decay_steps, num_periods, alpha,
                              beta, scope, None)


def noisy_linear_cosine_decay(learning_rate, global_step, decay_steps, initial_variance=1.0,
                              variance_decay=0.55, num_periods=0.5, alpha=0.0, beta=0.001,
                              name=None):
    """Applies noisy linear cosine decay to the learning rate.

    As `linear_cosine_decay`, with normal noise of variance `initial_variance / (1 + s) ^
    variance_decay` added to the linear part; each run draws new noise (seeded by the graph
    seed).

    Args:
      learning_rate: a scalar float Tensor or number: the initial learning rate.
      global_step: a scalar integer Tensor (the global step); must not be None.
      decay_steps: the steps to decay over.
      initial_variance: the noise's initial variance.
      variance_decay: the power of the variance's decay.
      num_periods: the cosine's periods over `decay_steps`.
      alpha: added to the linear part.
      beta: added to the product.
      name: the name scope (default "NoisyLinearCosineDecay").

    Returns:
      A scalar Tensor of the learning rate's dtype.

    Raises:
      ValueError: `global_step` is None.
    """
    with name_scope(name or "NoisyLinearCosineDecay") as scope:
        return _linear_cosine(learning_rate, global_step, decay_steps, num_periods, alpha,
                              beta, scope, (initial_variance, variance_decay))


def _linear_cosine(learning_rate, global_step, decay_steps, num_periods, alpha, beta, scope,
                   noise):
    lr, dtype, step, (steps, periods, a, b) = _start(learning_rate, global_step, decay_steps,
                                                     num_periods, alpha, beta)
    step = math_ops.minimum(step, steps)
    linear = (steps - step) / steps
    if noise is not None:
        initial, decay = (math_ops.cast(n, dtype) for n in noise)
        std = math_ops.sqrt(initial / math_ops.pow(1.0 + step, decay))
        linear = linear + random_ops.random_normal([], stddev=std, dtype=dtype)
    fraction = 2.0 * periods * (step / steps)
    cosine = _half_cosine(fraction, dtype)
    return math_ops.multiply(lr, (a + linear) * cosine + b, name=scope)


def piecewise_constant(x, boundaries, values, name=None):
    """Piecewise constant from boundaries and interval values.

    Returns `values[0]` while `x <= boundaries[0]`, `values[i]` while `boundaries[i-1] < x <=
    boundaries[i]`, and `values[-1]` past the last boundary.

    Args:
      x: a scalar Tensor (typically the global step).
      boundaries: a list of numbers or Tensors of `x`'s dtype (Python ints are promoted to
        int64 for an int64 `x`), increasing.
      values: a list of numbers or Tensors, one more than `boundaries`, all of one dtype.
      name: the name scope (default "PiecewiseConstant").

    Returns:
      A scalar Tensor of the values' dtype.

    Raises:
      ValueError: the lengths do not match, a boundary's dtype is not `x`'s, or the values'
        dtypes differ.

    >>> step = tf.train.get_or_create_global_step()
    >>> lr = tf.train.piecewise_constant(step, [5, 10], [1.0, 0.5, 0.1])
    >>> print(lr.name, lr.dtype.name)
    PiecewiseConstant/case/cond/Merge:0 float32
    """
    if len(boundaries) != len(values) - 1:
        raise ValueError("The length of boundaries should be 1 less than the length of values")
    boundaries = [convert_to_tensor(b) for b in boundaries]
    values = [convert_to_tensor(v) for v in values]
    x = convert_to_tensor(x)
    boundaries = [_boundary(b, x.dtype.base_dtype) for b in boundaries]
    first = values[0].dtype.base_dtype
    for v in values[1:]:
        if v.dtype.base_dtype != first:
            raise ValueError(f"Values must have elements all with the same dtype ({first} vs "
                             f"{v.dtype.base_dtype}).")
    with name_scope(name or "PiecewiseConstant"):
        pairs = [(math_ops.less_equal(x, boundaries[0]), lambda: values[0]),
                 (math_ops.greater(x, boundaries[-1]), lambda: values[-1])]
        for low, high, v in zip(boundaries[:-1], boundaries[1:], values[1:-1]):
            pred = math_ops.logical_and(math_ops.greater(x, low), math_ops.less_equal(x, high))
            pairs.append((pred, lambda v=v: v))
        return case(pairs, lambda: values[0], exclusive=True)


piecewise_constant_decay = piecewise_constant  # TF1 exports the schedule under both names


def _boundary(b, x_dtype):
    """Casts an int32 boundary to an int64 `x`'s dtype (lossless); rejects other mismatches."""
    if b.dtype.base_dtype == x_dtype:
        return b
    if b.dtype.base_dtype == dtypes.int32 and x_dtype == dtypes.int64:
        return math_ops.cast(b, x_dtype)
    raise ValueError(f"Boundaries ({b.dtype.base_dtype}) must have the same dtype as x "
                     f"({x_dtype}).")
