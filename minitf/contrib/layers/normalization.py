"""`tf.contrib.layers.batch_norm` and `layer_norm` (TF 1.15).

batch_norm makes model variables `beta` (center=True), `gamma` (scale=False by default!),
`moving_mean` and `moving_variance` in `variable_scope(scope, "BatchNorm")`. Its two paths
are TF's: a rank-2 input, or `updates_collections` other than UPDATE_OPS, goes through
`tf.nn.fused_batch_norm` (a rank-2 input reshaped to [-1, 1, 1, C]), whose training variance
is corrected by n / (n - 1) for the moving average; otherwise tf.layers' BatchNormalization
is built in the scope (momentum = decay). The moving-average updates
(`v -= (v - batch value) * (1 - decay)`) go to `updates_collections`, or run with the output
when it is None.
"""
from minitf.contrib.framework.arg_scope import add_arg_scope
from minitf.contrib.framework.variables import model_variable
from minitf.contrib.layers import utils
from minitf.framework import dtypes
from minitf.framework.api import control_dependencies, name_scope
from minitf.framework.constant_op import constant, convert_to_tensor
from minitf.framework.graph import get_default_graph
from minitf.framework.graph_keys import GraphKeys
from minitf.initializers import ones_initializer, zeros_initializer
from minitf.layers.normalization import BatchNormalization
from minitf.ops import array_ops, manip_ops, nn_norm_ops, norm_ops
from minitf.variable_ops import assign_sub
from minitf.variable_scope import variable_scope

__all__ = ["batch_norm", "layer_norm"]

_PARAMS = (("beta", zeros_initializer), ("gamma", ones_initializer),
           ("moving_mean", zeros_initializer), ("moving_variance", ones_initializer))


@add_arg_scope
def batch_norm(inputs, decay=0.999, center=True, scale=False, epsilon=0.001, activation_fn=None,
               param_initializers=None, param_regularizers=None,
               updates_collections=GraphKeys.UPDATE_OPS, is_training=True, reuse=None,
               variables_collections=None, outputs_collections=None, trainable=True,
               batch_weights=None, fused=None, data_format="NHWC",
               zero_debias_moving_mean=False, scope=None, renorm=False, renorm_clipping=None,
               renorm_decay=0.99, adjustment=None):
    """Adds batch normalization (Ioffe and Szegedy), usable as a layer's `normalizer_fn`.

    Training normalizes by the batch's moments over all axes but the channels' and makes the
    moving-average updates; inference normalizes by the moving statistics. Run the updates
    with the train op: `with tf.control_dependencies(tf.get_collection(
    tf.GraphKeys.UPDATE_OPS)):`, or pass `updates_collections=None` to run them in place.

    Args:
      inputs: a Tensor of rank >= 2, batch first.
      decay: the moving averages' decay.
      center: add the offset `beta`.
      scale: multiply by `gamma` (off by default: the next layer can scale).
      epsilon: added to the variance.
      activation_fn: applied to the output (None: linear).
      param_initializers: {"beta"|"gamma"|"moving_mean"|"moving_variance": initializer}.
      param_regularizers: {"beta"|"gamma": regularizer}.
      updates_collections: the collections of the update ops; None runs them in place.
      is_training: a Python bool or a bool Tensor.
      reuse: reuse the variables of the layer named `scope`.
      variables_collections: more collections for the variables (list or dict by name).
      outputs_collections: collections to add the output to.
      trainable: whether beta and gamma join TRAINABLE_VARIABLES.
      batch_weights: must be None (weighted moments are not built).
      fused: None or True uses the fused kernel where TF does; False does not.
      data_format: "NHWC" (channels last) or "NCHW".
      zero_debias_moving_mean: must be False.
      scope: the variable scope's name.
      renorm: must be False.
      renorm_clipping: unused without renorm.
      renorm_decay: unused without renorm.
      adjustment: must be None.

    Returns:
      The normalized Tensor.

    Raises:
      ValueError: `data_format` is invalid, or the rank or channel dimension is unknown.
      NotImplementedError: `batch_weights`, `renorm`, `adjustment` or
        `zero_debias_moving_mean` is used, or a rank other than 2 and 4 has
        `updates_collections` other than UPDATE_OPS.

    >>> x = tf.constant([[1.0, 2.0], [3.0, 6.0]])
    >>> y = tf.contrib.layers.batch_norm(x)
    >>> [v.op.name for v in tf.contrib.framework.get_model_variables()]
    ['BatchNorm/beta', 'BatchNorm/moving_mean', 'BatchNorm/moving_variance']
    >>> with tf.Session() as sess:
    ...     sess.run(tf.global_variables_initializer())
    ...     print(np.round(sess.run(y), 3))
    [[-1. -1.]
     [ 1.  1.]]
    """
    if (batch_weights is not None or renorm or adjustment is not None
            or zero_debias_moving_mean):
        raise NotImplementedError("minitf's contrib batch_norm has no batch_weights, renorm, "
                                  "adjustment or zero_debias_moving_mean")
    inputs = convert_to_tensor(inputs)
    rank = inputs.shape.ndims
    default_updates = updates_collections == GraphKeys.UPDATE_OPS
    if (fused is None or fused) and rank in (2, 4) and (rank == 2 or not default_updates):
        return _fused_batch_norm(inputs, decay, center, scale, epsilon, activation_fn,
                                 param_initializers or {}, param_regularizers or {},
                                 updates_collections, is_training, reuse,
                                 variables_collections, outputs_collections, trainable,
                                 data_format, scope)
    if data_format not in ("NCHW", "NHWC"):
        raise ValueError("data_format has to be either NCHW or NHWC.")
    if not default_updates:
        raise NotImplementedError("minitf's contrib batch_norm takes updates_collections other "
                                  "than UPDATE_OPS for inputs of rank 2 or 4 only")
    inits = {name: (param_initializers or {}).get(name, default())
             for name, default in _PARAMS}
    regs = param_regularizers or {}
    with variable_scope(scope, "BatchNorm", [inputs], reuse=reuse,
                        custom_getter=utils.variable_getter()) as sc:
        layer = BatchNormalization(
            axis=1 if data_format == "NCHW" else -1, momentum=decay, epsilon=epsilon,
            center=center, scale=scale, beta_initializer=inits["beta"],
            gamma_initializer=inits["gamma"], moving_mean_initializer=inits["moving_mean"],
            moving_variance_initializer=inits["moving_variance"],
            beta_regularizer=regs.get("beta"), gamma_regularizer=regs.get("gamma"),
            trainable=trainable, fused=fused)
        outputs = utils.apply_layer(layer, inputs, training=is_training)
        for name in ("moving_mean", "moving_variance", "beta", "gamma"):
            if getattr(layer, name) is not None:
                utils.add_variable_to_collections(getattr(layer, name), variables_collections,
                                                  name)
        return utils.finish(outputs, None, None, activation_fn, outputs_collections, sc.name)


def _param(name, shape, initializer, regularizer, variables_collections, trainable):
    return model_variable(name, shape=shape, dtype=dtypes.float32, initializer=initializer,
                          regularizer=regularizer, trainable=trainable,
                          collections=utils.get_variable_collections(variables_collections,
                                                                     name))


def _assign_moving_average(variable, value, decay):
    with name_scope(None, "AssignMovingAvg", [variable, value]) as scope:
        delta = (variable.value() - value) * convert_to_tensor(1.0 - decay, dtypes.float32)
        return assign_sub(variable, delta, name=scope)


def _fused_batch_norm(inputs, decay, center, scale, epsilon, activation_fn, inits, regs,
                      updates_collections, is_training, reuse, variables_collections,
                      outputs_collections, trainable, data_format, scope):
    if data_format not in ("NCHW", "NHWC"):
        raise ValueError("data_format has to be either NCHW or NHWC.")
    with variable_scope(scope, "BatchNorm", [inputs], reuse=reuse) as sc:
        original = inputs
        if inputs.shape.ndims == 2:
            channels = inputs.shape.as_list()[-1]
            if channels is None:
                raise ValueError("`C` dimension must be known but is None")
            inputs = manip_ops.reshape(inputs, [-1, channels, 1, 1] if data_format == "NCHW"
                                       else [-1, 1, 1, channels])
        inputs_shape = inputs.shape
        params_shape = inputs_shape[-1:] if data_format == "NHWC" else inputs_shape[1:2]
        if not params_shape.is_fully_defined():
            raise ValueError(f"Inputs {inputs.name} has undefined `C` dimension "
                             f"{params_shape}.")
        shape = params_shape.as_list()
        beta = (_param("beta", shape, inits.get("beta", zeros_initializer()), regs.get("beta"),
                       variables_collections, trainable) if center
                else constant(0.0, dtypes.float32, shape=shape))
        gamma = (_param("gamma", shape, inits.get("gamma", ones_initializer()),
                        regs.get("gamma"), variables_collections, trainable) if scale
                 else constant(1.0, dtypes.float32, shape=shape))
        moving_mean = _param("moving_mean", shape, inits.get("moving_mean",
                                                             zeros_initializer()),
                             None, variables_collections, False)
        moving_variance = _param("moving_variance", shape,
                                 inits.get("moving_variance", ones_initializer()), None,
                                 variables_collections, False)

        def train():
            return nn_norm_ops.fused_batch_norm(inputs, gamma, beta, epsilon=epsilon,
                                                data_format=data_format)

        def infer():
            return nn_norm_ops.fused_batch_norm(inputs, gamma, beta, mean=moving_mean,
                                                variance=moving_variance, epsilon=epsilon,
                                                is_training=False, data_format=data_format)

        outputs, mean, variance = utils.smart_cond(is_training, train, infer)

        def updates():
            return (_assign_moving_average(moving_mean, mean, decay),
                    _assign_moving_average(moving_variance, variance, decay))

        if utils.static_bool(is_training) is not False:
            if updates_collections is None:
                def forced():
                    with control_dependencies(list(updates())):
                        return array_ops.identity(outputs)
                outputs = utils.smart_cond(is_training, forced,
                                           lambda: array_ops.identity(outputs))
            else:
                update_mean, update_variance = utils.smart_cond(
                    is_training, updates, lambda: (array_ops.identity(moving_mean),
                                                   array_ops.identity(moving_variance)))
                graph = get_default_graph()
                graph.add_to_collections(updates_collections, update_mean)
                graph.add_to_collections(updates_collections, update_variance)
        outputs.set_shape(inputs_shape)
        if original.shape.ndims == 2:
            outputs = manip_ops.reshape(outputs, array_ops.shape(original))
        return utils.finish(outputs, None, None, activation_fn, outputs_collections, sc.name)


@add_arg_scope
def layer_norm(inputs, center=True, scale=True, activation_fn=None, reuse=None,
               variables_collections=None, outputs_collections=None, trainable=True,
               begin_norm_axis=1, begin_params_axis=-1, scope=None):
    """Adds layer normalization (Ba et al.): each example normalized over its trailing axes.

    The moments are over axes `begin_norm_axis:`; model variables `beta` and `gamma` of
    shape `inputs.shape[begin_params_axis:]` live in `variable_scope(scope, "LayerNorm")`;
    the variance epsilon is 1e-12 (1e-3 for float16).

    Args:
      inputs: a Tensor of known rank.
      center: add `beta`.
      scale: multiply by `gamma`.
      activation_fn: applied to the output.
      reuse: reuse the variables of the layer named `scope`.
      variables_collections: more collections for the variables.
      outputs_collections: collections to add the output to.
      trainable: whether the variables join TRAINABLE_VARIABLES.
      begin_norm_axis: the first axis normalized over (negative counts from the end).
      begin_params_axis: the first axis of the parameters' shape.
      scope: the variable scope's name.

    Returns:
      The normalized Tensor.

    Raises:
      ValueError: the rank is unknown, an axis is out of range, or the parameters' shape is
        not fully defined.
    """
    with variable_scope(scope, "LayerNorm", [inputs], reuse=reuse) as sc:
        inputs = convert_to_tensor(inputs)
        shape, rank = inputs.shape, inputs.shape.ndims
        if rank is None:
            raise ValueError(f"Inputs {inputs.name} has undefined rank.")
        dtype = inputs.dtype.base_dtype
        if begin_norm_axis < 0:
            begin_norm_axis = rank + begin_norm_axis
        if begin_params_axis >= rank or begin_norm_axis >= rank:
            raise ValueError(f"begin_params_axis ({begin_params_axis}) and begin_norm_axis "
                             f"({begin_norm_axis}) must be < rank(inputs) ({rank})")
        params_shape = shape[begin_params_axis:]
        if not params_shape.is_fully_defined():
            raise ValueError(f"Inputs {inputs.name}: shape(inputs)[{begin_params_axis}:] is not "
                             f"fully defined: {shape}")
        beta = gamma = None
        for name, wanted, init in (("beta", center, zeros_initializer()),
                                   ("gamma", scale, ones_initializer())):
            if wanted:
                var = model_variable(name, shape=params_shape.as_list(), dtype=dtype,
                                     initializer=init, trainable=trainable,
                                     collections=utils.get_variable_collections(
                                         variables_collections, name))
                beta, gamma = (var, gamma) if name == "beta" else (beta, var)
        mean, variance = norm_ops.moments(inputs, list(range(begin_norm_axis, rank)),
                                          keep_dims=True)
        epsilon = 1e-12 if dtype != dtypes.float16 else 1e-3
        outputs = nn_norm_ops.batch_normalization(inputs, mean, variance, offset=beta,
                                                  scale=gamma, variance_epsilon=epsilon)
        outputs.set_shape(shape)
        return utils.finish(outputs, None, None, activation_fn, outputs_collections, sc.name)
