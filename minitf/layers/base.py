"""`tf.layers.Layer`: TF1's layer object, whose variables live in a variable scope of its own.

The first call opens `variable_scope(name, default_name=<the class's snake-case name>)` (so
unnamed layers count up, `dense`, `dense_1`, ..., with the functions of tf.layers), builds the
variables there (`build`) and computes (`call`); later calls re-enter that scope with reuse, so
a layer object shares its variables across calls, as TF1's does.
"""
import re

from minitf.framework.api import name_scope
from minitf.framework.constant_op import convert_to_tensor
from minitf.framework.graph import get_default_graph
from minitf.framework.graph_keys import GraphKeys
from minitf.variable_scope import get_variable, variable_scope

__all__ = ["Layer", "InputSpec"]


def _snake(name):
    return re.sub(r"(?<=[a-z0-9])([A-Z])|(?<=[A-Z])([A-Z][a-z])", r"_\1\2", name).lower()


class InputSpec:
    """What a layer accepts: `ndim`, `min_ndim`, `max_ndim`, `axes` ({axis: size}), `dtype`.

    Args:
      dtype: the dtype (None: any).
      shape: the shape (None: any).
      ndim: the rank (None: any).
      max_ndim: the largest rank.
      min_ndim: the smallest rank.
      axes: {axis: size}.
    """

    def __init__(self, dtype=None, shape=None, ndim=None, max_ndim=None, min_ndim=None,
                 axes=None):
        self.dtype, self.shape = dtype, shape
        self.ndim = len(shape) if shape is not None else ndim
        self.max_ndim, self.min_ndim, self.axes = max_ndim, min_ndim, axes or {}


class Layer:
    """The base of tf.layers' classes: variables made in the layer's scope on first call.

    Subclasses define `build(input_shape)` (making variables with `add_weight`) and
    `call(inputs, ...)`.

    Args:
      trainable: whether its variables go into TRAINABLE_VARIABLES.
      name: its scope name (default: the class's snake-case name, made unique).
      dtype: the dtype of its variables (default: the first input's).
      **kwargs: `_reuse`, reuse the variables of an earlier layer of the same name (the
        functions' `reuse`).
    """

    def __init__(self, trainable=True, name=None, dtype=None, **kwargs):
        self.trainable = trainable
        self.built = False
        self._name_arg, self._base_name = name, _snake(type(self).__name__)
        self._reuse = kwargs.pop("_reuse", None)
        self._scope = None
        self.dtype = dtype
        self._trainable_weights, self._non_trainable_weights = [], []
        self._losses, self._updates = [], []
        self.input_spec = None

    @property
    def name(self):
        """The layer's name: its scope's, once called."""
        return self._scope.name if self._scope is not None else (
            self._name_arg or self._base_name)

    @property
    def scope_name(self):
        """The name of the layer's variable scope (after the first call)."""
        if self._scope is None:
            raise ValueError(f"No name available for layer scope because the layer "
                             f"\"{self.name}\" has not been used yet. The scope name is "
                             "determined the first time the layer instance is called.")
        return self._scope.name

    trainable_weights = property(lambda self: list(self._trainable_weights) if self.trainable
                                 else [], doc="The trainable variables.")
    trainable_variables = trainable_weights
    non_trainable_weights = property(
        lambda self: list(self._non_trainable_weights) + (
            [] if self.trainable else list(self._trainable_weights)),
        doc="The other variables.")
    non_trainable_variables = non_trainable_weights
    weights = property(lambda self: self.trainable_weights + self.non_trainable_weights,
                       doc="All its variables.")
    variables = weights
    losses = property(lambda self: list(self._losses), doc="Its regularization losses.")
    updates = property(lambda self: list(self._updates), doc="Its update ops (batch norm's).")

    def add_weight(self, name, shape, dtype=None, initializer=None, regularizer=None,
                   trainable=True, constraint=None, **kwargs):
        """Makes a variable in the layer's scope (`get_variable`) and tracks it.

        Args:
          name: its name within the scope.
          shape: its shape.
          dtype: its dtype (default the layer's).
          initializer, regularizer, constraint: as get_variable's.
          trainable: whether it is trained (and the layer is).
          **kwargs: accepted (TF's partitioner, use_resource, synchronization, ...).

        Returns:
          The variable.
        """
        trainable = trainable and self.trainable
        before = len(get_default_graph().get_collection(GraphKeys.REGULARIZATION_LOSSES))
        variable = get_variable(name, shape, dtype=dtype or self.dtype, initializer=initializer,
                                regularizer=regularizer, trainable=trainable,
                                constraint=constraint,
                                **{k: v for k, v in kwargs.items()
                                   if k in ("partitioner", "use_resource", "synchronization",
                                            "aggregation")})
        losses = get_default_graph().get_collection(GraphKeys.REGULARIZATION_LOSSES)[before:]
        self._losses.extend(losses)
        (self._trainable_weights if trainable else self._non_trainable_weights).append(variable)
        return variable

    def add_loss(self, losses, inputs=None):
        """Adds loss tensors to the layer (and to REGULARIZATION_LOSSES, as TF1).

        Args:
          losses: a Tensor or list of Tensors.
          inputs: accepted for TF's signature.
        """
        losses = losses if isinstance(losses, (list, tuple)) else [losses]
        for loss in losses:
            self._losses.append(loss)
            get_default_graph().add_to_collection(GraphKeys.REGULARIZATION_LOSSES, loss)

    def add_update(self, updates, inputs=None):
        """Adds update ops to the layer (and to UPDATE_OPS, as TF1).

        Args:
          updates: an op or tensor, or a list of them.
          inputs: accepted for TF's signature.
        """
        updates = updates if isinstance(updates, (list, tuple)) else [updates]
        for update in updates:
            self._updates.append(update)
            get_default_graph().add_to_collection(GraphKeys.UPDATE_OPS, update)

    def build(self, input_shape):
        """Makes the layer's variables; `input_shape` is the first input's TensorShape.

        Args:
          input_shape: a TensorShape.
        """
        self.built = True

    def call(self, inputs, **kwargs):
        """Computes the outputs (the identity here).

        Args:
          inputs: the input Tensor(s).
          **kwargs: the call's other arguments.
        """
        return inputs

    def __call__(self, inputs, *args, **kwargs):
        """Builds the layer on its first call, then computes `call(inputs, ...)`.

        Args:
          inputs: the input Tensor (or structure).
          *args, **kwargs: passed to `call` (e.g. `training`).

        Returns:
          The outputs.
        """
        first = inputs[0] if isinstance(inputs, (list, tuple)) else inputs
        first = convert_to_tensor(first)
        if self.dtype is None:
            self.dtype = first.dtype.base_dtype
        if self._scope is None:
            with variable_scope(self._name_arg, default_name=self._base_name,
                                reuse=self._reuse) as scope:
                self._scope = scope
                if not self.built:
                    self.build(first.shape)
                    self.built = True
                return self.call(inputs, *args, **kwargs)
        with variable_scope(self._scope, reuse=True, auxiliary_name_scope=False), \
                name_scope(self._scope.original_name_scope):
            return self.call(inputs, *args, **kwargs)

    apply = __call__
