"""`tf.layers.BatchNormalization` and `tf.layers.batch_normalization` (TF1).

Variables `gamma`, `beta` (trainable), `moving_mean`, `moving_variance` in the layer's scope.
Training normalizes by the batch's moments and makes the moving-average updates
(`AssignMovingAvg`: `v -= (v - batch value) * (1 - momentum)`), which go to UPDATE_OPS for the
program to run with its train op, as TF1's; inference normalizes by the moving statistics. As
TF1's fused kernel (the default for 4-D inputs), the moving variance of a 4-D input is updated
with the batch variance corrected by n / (n - 1).
"""
from minitf.control_flow.cond import cond
from minitf.framework import dtypes
from minitf.framework.api import name_scope
from minitf.framework.constant_op import convert_to_tensor
from minitf.initializers import ones_initializer, zeros_initializer
from minitf.layers.base import Layer
from minitf.ops import array_ops, math_ops, norm_ops
from minitf.variable_ops import assign_sub

__all__ = ["BatchNormalization", "batch_normalization"]


class BatchNormalization(Layer):
    """Batch normalization (TF1's `tf.layers.BatchNormalization`).

    Args:
      axis: the feature axis (or list of axes) kept by the moments (default -1).
      momentum: the moving averages' momentum (default 0.99).
      epsilon: added to the variance (default 0.001).
      center: whether to add `beta`.
      scale: whether to multiply by `gamma`.
      beta_initializer: beta's initializer.
      gamma_initializer: gamma's initializer.
      moving_mean_initializer: the moving mean's initializer.
      moving_variance_initializer: the moving variance's initializer.
      beta_regularizer: beta's regularizer.
      gamma_regularizer: gamma's regularizer.
      beta_constraint: beta's constraint.
      gamma_constraint: gamma's constraint.
      renorm: must be False (batch renormalization is not built).
      fused: None, True or False: the variance correction of the fused kernel applies to 4-D
        inputs unless False.
      trainable: whether gamma and beta are trained.
      name: the layer's scope name.
      **kwargs: `Layer`'s other arguments (renorm_clipping, renorm_momentum,
        virtual_batch_size and adjustment are accepted when unused).
    """

    def __init__(self, axis=-1, momentum=0.99, epsilon=1e-3, center=True, scale=True,
                 beta_initializer=zeros_initializer(), gamma_initializer=ones_initializer(),
                 moving_mean_initializer=zeros_initializer(),
                 moving_variance_initializer=ones_initializer(), beta_regularizer=None,
                 gamma_regularizer=None, beta_constraint=None, gamma_constraint=None,
                 renorm=False, fused=None, trainable=True, name=None, **kwargs):
        for unused in ("renorm_clipping", "renorm_momentum", "virtual_batch_size",
                       "adjustment"):
            if kwargs.pop(unused, None) is not None:
                raise ValueError(f"minitf's BatchNormalization has no {unused}")
        if renorm:
            raise ValueError("minitf's BatchNormalization has no batch renormalization")
        super().__init__(trainable=trainable, name=name, **kwargs)
        self.axis, self.momentum, self.epsilon = axis, momentum, epsilon
        self.center, self.scale, self.fused = center, scale, fused
        self._inits = (beta_initializer, gamma_initializer, moving_mean_initializer,
                       moving_variance_initializer)
        self._regs = (beta_regularizer, gamma_regularizer)
        self._constraints = (beta_constraint, gamma_constraint)

    def build(self, input_shape):
        """Makes gamma, beta and the moving statistics, of the feature axes' sizes.

        Args:
          input_shape: the input's TensorShape (rank and feature dims known).

        Raises:
          ValueError: the rank or a feature dimension is unknown, or an axis is out of range.
        """
        rank = input_shape.ndims
        if rank is None:
            raise ValueError(f"Input has undefined rank: {input_shape}")
        axes = self.axis if isinstance(self.axis, (list, tuple)) else [self.axis]
        self._axes = sorted(a % rank if -rank <= a < rank else _bad_axis(a, rank)
                            for a in axes)
        dims = input_shape.as_list()
        shape = [dims[a] for a in self._axes]
        if None in shape:
            raise ValueError(f"Input has undefined `axis` dimension. Input shape: "
                             f"{input_shape}")
        param_dtype = dtypes.float32 if self.dtype in (dtypes.float16,) else self.dtype
        beta_init, gamma_init, mean_init, var_init = self._inits
        self.gamma = self.add_weight("gamma", shape, dtype=param_dtype, initializer=gamma_init,
                                     regularizer=self._regs[1],
                                     constraint=self._constraints[1]) if self.scale else None
        self.beta = self.add_weight("beta", shape, dtype=param_dtype, initializer=beta_init,
                                    regularizer=self._regs[0],
                                    constraint=self._constraints[0]) if self.center else None
        self.moving_mean = self.add_weight("moving_mean", shape, dtype=param_dtype,
                                           initializer=mean_init, trainable=False)
        self.moving_variance = self.add_weight("moving_variance", shape, dtype=param_dtype,
                                               initializer=var_init, trainable=False)
        self._rank = rank
        self.built = True

    def call(self, inputs, training=False):
        """Normalizes `inputs` by the batch's moments (training) or the moving ones.

        Args:
          inputs: a Tensor.
          training: a Python bool or a bool Tensor.
        """
        inputs = convert_to_tensor(inputs)
        reduce = [a for a in range(self._rank) if a not in self._axes]
        shape = [1] * self._rank
        for a in self._axes:
            shape[a] = inputs.shape.as_list()[a]
        if training is False:
            return self._normalize(inputs, self.moving_mean, self.moving_variance, shape)
        mean, variance = norm_ops.moments(inputs, reduce)
        if training is True:
            self._add_updates(inputs, mean, variance, reduce)
            return self._normalize(inputs, mean, variance, shape)
        training = convert_to_tensor(training)
        mean = cond(training, lambda: mean, lambda: self.moving_mean.value())
        variance = cond(training, lambda: variance, lambda: self.moving_variance.value())
        self._add_updates(inputs, mean, variance, reduce, training)
        return self._normalize(inputs, mean, variance, shape)

    def _normalize(self, inputs, mean, variance, shape):
        def expand(t):
            return None if t is None else array_ops.reshape(t, shape) if len(
                self._axes) > 1 or self._axes[0] != self._rank - 1 else t
        return _batch_norm(inputs, expand(mean), expand(variance), expand(self.beta),
                           expand(self.gamma), self.epsilon)

    def _add_updates(self, inputs, mean, variance, reduce, training=None):
        if self._rank == 4 and self.fused is not False:  # (the fused kernel's correction)
            n = math_ops.cast(math_ops.reduce_prod(array_ops.gather(array_ops.shape(inputs),
                                                                   reduce)), variance.dtype)
            variance = variance * n / math_ops.maximum(n - 1.0, 1.0)
        for variable, value, tag in ((self.moving_mean, mean, ""),
                                     (self.moving_variance, variance, "_1")):
            with name_scope(f"AssignMovingAvg{tag}") as scope:
                decay = convert_to_tensor(1.0 - self.momentum, variable.dtype.base_dtype)
                if training is not None:
                    decay = cond(training, lambda d=decay: d, lambda d=decay: d * 0.0)
                delta = (variable.value() - math_ops.cast(value, variable.dtype.base_dtype)
                         ) * decay
                update = assign_sub(variable, delta, name=scope)
                self.add_update(getattr(update, "op", update))  # (TF1: the assign ops)


def _batch_norm(x, mean, variance, offset, scale, epsilon):
    """TF's `nn.batch_normalization` formula and op names (`batchnorm/add_1`)."""
    with name_scope("batchnorm"):
        inv = math_ops.rsqrt(variance + epsilon)
        if scale is not None:
            inv = inv * scale
        shift = offset - mean * inv if offset is not None else -mean * inv
        return x * math_ops.cast(inv, x.dtype.base_dtype) + math_ops.cast(shift,
                                                                          x.dtype.base_dtype)


def _bad_axis(axis, rank):
    raise ValueError(f"Invalid axis: {axis} for input of rank {rank}")


def batch_normalization(inputs, axis=-1, momentum=0.99, epsilon=1e-3, center=True,
                        scale=True, beta_initializer=zeros_initializer(),
                        gamma_initializer=ones_initializer(),
                        moving_mean_initializer=zeros_initializer(),
                        moving_variance_initializer=ones_initializer(),
                        beta_regularizer=None, gamma_regularizer=None, beta_constraint=None,
                        gamma_constraint=None, training=False, trainable=True, name=None,
                        reuse=None, renorm=False, renorm_clipping=None, renorm_momentum=0.99,
                        fused=None, virtual_batch_size=None, adjustment=None):
    """Functional interface of `BatchNormalization` (TF1's `tf.layers.batch_normalization`).

    Its moving-average updates go to UPDATE_OPS: run them with the train op
    (`with tf.control_dependencies(tf.get_collection(tf.GraphKeys.UPDATE_OPS)):`).

    Args:
      inputs: a Tensor.
      axis: the feature axis (or axes).
      momentum: the moving averages' momentum.
      epsilon: added to the variance.
      center: whether to add beta.
      scale: whether to multiply by gamma.
      beta_initializer: beta's initializer.
      gamma_initializer: gamma's initializer.
      moving_mean_initializer: the moving mean's initializer.
      moving_variance_initializer: the moving variance's initializer.
      beta_regularizer: beta's regularizer.
      gamma_regularizer: gamma's regularizer.
      beta_constraint: beta's constraint.
      gamma_constraint: gamma's constraint.
      training: a Python bool or a bool Tensor.
      trainable: whether gamma and beta are trained.
      name: the layer's scope name.
      reuse: whether to reuse an earlier layer's variables of the same name.
      renorm: must be False.
      renorm_clipping: must be None.
      renorm_momentum: accepted.
      fused: None, True or False (see BatchNormalization).
      virtual_batch_size: must be None.
      adjustment: must be None.

    Returns:
      The normalized Tensor.
    """
    layer = BatchNormalization(
        axis=axis, momentum=momentum, epsilon=epsilon, center=center, scale=scale,
        beta_initializer=beta_initializer, gamma_initializer=gamma_initializer,
        moving_mean_initializer=moving_mean_initializer,
        moving_variance_initializer=moving_variance_initializer,
        beta_regularizer=beta_regularizer, gamma_regularizer=gamma_regularizer,
        beta_constraint=beta_constraint, gamma_constraint=gamma_constraint, renorm=renorm,
        renorm_clipping=renorm_clipping, fused=fused, virtual_batch_size=virtual_batch_size,
        adjustment=adjustment, trainable=trainable, name=name, _reuse=reuse)
    return layer(inputs, training=training)

