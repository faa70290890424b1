"""`tf.contrib.seq2seq.BasicDecoder` (TF 1.15): one cell step, an optional output layer (its
variables `decoder/dense/...` under `dynamic_decode`), then the helper's sample and next
inputs."""
import collections

import minitf as tf
from minitf.contrib.seq2seq.decoder import Decoder
from minitf.contrib.seq2seq.helper import Helper
from minitf.layers.base import Layer

__all__ = ["BasicDecoderOutput", "BasicDecoder"]


class BasicDecoderOutput(collections.namedtuple("BasicDecoderOutput",
                                                ("rnn_output", "sample_id"))):
    """A `BasicDecoder` step's outputs: the cell's (projected) output and the sample id."""

    __slots__ = ()


def check_cell(cell):
    """Raises TypeError unless `cell` looks like an RNNCell (TF's assert_like_rnncell)."""
    needed = ("output_size", "state_size", "zero_state")
    if not (all(hasattr(cell, a) for a in needed) and callable(cell)):
        raise TypeError(f"The argument 'cell' ({cell}) is not an RNNCell: 'output_size' "
                        "property is missing, 'state_size' property is missing, either "
                        "'zero_state' or 'get_initial_state' method is required, is not "
                        "callable.")


def layer_output_size(layer, size):
    """The per-entry output shape of `layer` applied to outputs of `size` (TF's
    compute_output_shape with the batch dimension dropped)."""
    def one(s):
        shape = tf.TensorShape([None]).concatenate(tf.TensorShape(s))
        if hasattr(layer, "compute_output_shape"):
            return tf.TensorShape(layer.compute_output_shape(shape))[1:]
        return shape[1:-1].concatenate([layer.units])
    return tf.nest.map_structure(one, size)


class BasicDecoder(Decoder):
    """The basic sampling decoder: a cell, a `Helper` and an optional output layer.

    Args:
      cell: an `RNNCell`.
      helper: a `Helper`.
      initial_state: the cell's initial state.
      output_layer: an optional `tf.layers.Layer` (e.g. `Dense(vocab)`) applied to the cell's
        outputs before sampling.

    Raises:
      TypeError: `cell`, `helper` or `output_layer` has the wrong type.
    """

    def __init__(self, cell, helper, initial_state, output_layer=None):
        check_cell(cell)
        if not isinstance(helper, Helper):
            raise TypeError(f"helper must be a Helper, received: {type(helper)}")
        if output_layer is not None and not isinstance(output_layer, Layer):
            raise TypeError(f"output_layer must be a Layer, received: {type(output_layer)}")
        self._cell, self._helper = cell, helper
        self._initial_state, self._output_layer = initial_state, output_layer

    batch_size = property(lambda self: self._helper.batch_size, doc="The helper's batch size.")

    def _rnn_output_size(self):
        size = self._cell.output_size
        if self._output_layer is None:
            return size
        return layer_output_size(self._output_layer, size)

    @property
    def output_size(self):
        """`BasicDecoderOutput` of the (projected) output size and the sample ids' shape."""
        return BasicDecoderOutput(self._rnn_output_size(), self._helper.sample_ids_shape)

    @property
    def output_dtype(self):
        """`BasicDecoderOutput` of the state's dtype and the sample ids' dtype."""
        dtype = tf.nest.flatten(self._initial_state)[0].dtype
        return BasicDecoderOutput(tf.nest.map_structure(lambda _: dtype,
                                                        self._rnn_output_size()),
                                  self._helper.sample_ids_dtype)

    def initialize(self, name=None):
        """Returns `(finished, first_inputs, initial_state)`.

        Args:
          name: a name scope for the ops.
        """
        return tuple(self._helper.initialize()) + (self._initial_state,)

    def step(self, time, inputs, state, name=None):
        """Runs the cell, the output layer and the helper for one step.

        Args:
          time: the int32 step number.
          inputs: the step's inputs.
          state: the cell's state.
          name: a name scope (default "BasicDecoderStep").

        Returns:
          `(BasicDecoderOutput, next_state, next_inputs, finished)`.
        """
        with tf.name_scope(name, "BasicDecoderStep", (time, inputs, state)):
            cell_outputs, cell_state = self._cell(inputs, state)
            if self._output_layer is not None:
                cell_outputs = self._output_layer(cell_outputs)
            sample_ids = self._helper.sample(time=time, outputs=cell_outputs, state=cell_state)
            finished, next_inputs, next_state = self._helper.next_inputs(
                time=time, outputs=cell_outputs, state=cell_state, sample_ids=sample_ids)
        return BasicDecoderOutput(cell_outputs, sample_ids), next_state, next_inputs, finished
