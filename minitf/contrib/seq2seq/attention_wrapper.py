"""`tf.contrib.seq2seq.AttentionWrapper` (TF 1.15): a cell that attends over a memory after
each step of an inner cell, feeding the attention back into the next step's input.

Its scope is `attention_wrapper` (under `dynamic_decode`: `decoder/attention_wrapper/`), the
inner cell's variables below it, the attention layer's `attention_layer/kernel` beside them.
"""
import collections

import minitf as tf
from minitf.contrib.seq2seq.attention_mechanism import AttentionMechanism
from minitf.contrib.seq2seq.basic_decoder import check_cell, layer_output_size
from minitf.layers.core import Dense
from minitf.rnn_cell import RNNCell, _zeros

__all__ = ["AttentionWrapperState", "AttentionWrapper"]

_FIELDS = ("cell_state", "attention", "time", "alignments", "alignment_history",
           "attention_state")


class AttentionWrapperState(collections.namedtuple("AttentionWrapperState", _FIELDS)):
    """The state of an `AttentionWrapper`.

    Fields: `cell_state` (the inner cell's), `attention` (the last attention output), `time`
    (an int32 step counter), `alignments` (the last alignments, one per mechanism),
    `alignment_history` (TensorArrays of all alignments, if kept) and `attention_state` (the
    mechanisms' states).
    """

    __slots__ = ()

    def clone(self, **kwargs):
        """Returns a copy with the given fields replaced, keeping the old static shapes.

        Args:
          **kwargs: the fields to replace (e.g. `cell_state=encoder_state`).
        """
        def same_shape(old, new):
            if tf.is_tensor(old) and tf.is_tensor(new):
                new.set_shape(old.shape)
            return new
        return tf.nest.map_structure(same_shape, self, self._replace(**kwargs))


def _compute_attention(attention_mechanism, cell_output, attention_state, attention_layer):
    alignments, next_attention_state = attention_mechanism(cell_output, state=attention_state)
    context = tf.squeeze(tf.matmul(tf.expand_dims(alignments, 1), attention_mechanism.values),
                         [1])
    attention = context
    if attention_layer is not None:
        attention = attention_layer(tf.concat([cell_output, context], 1))
    return attention, alignments, next_attention_state


def _check_mechanisms(attention_mechanism):
    is_multi = isinstance(attention_mechanism, (list, tuple))
    mechanisms = tuple(attention_mechanism) if is_multi else (attention_mechanism,)
    for m in mechanisms:
        if not isinstance(m, AttentionMechanism):
            raise TypeError(("attention_mechanism must contain only instances of "
                             "AttentionMechanism, saw type: " if is_multi else
                             "attention_mechanism must be an AttentionMechanism saw type: ")
                            + type(m).__name__)
    return is_multi, mechanisms


def _layers(attention_layer_size, attention_layer, mechanisms, cell, dtype):
    """The attention layers (or None) and the attention's total size."""
    if attention_layer_size is not None and attention_layer is not None:
        raise ValueError("Only one of attention_layer_size and attention_layer should be set")
    if attention_layer_size is not None:
        sizes = tuple(attention_layer_size if isinstance(attention_layer_size, (list, tuple))
                      else (attention_layer_size,))
        if len(sizes) != len(mechanisms):
            raise ValueError("If provided, attention_layer_size must contain exactly one "
                             f"integer per attention_mechanism, saw: {len(sizes)} vs "
                             f"{len(mechanisms)}")
        layers = tuple(Dense(size, name="attention_layer", use_bias=False,
                             dtype=m.dtype or dtype) for size, m in zip(sizes, mechanisms))
        return layers, sum(sizes)
    if attention_layer is not None:
        layers = tuple(attention_layer if isinstance(attention_layer, (list, tuple))
                       else (attention_layer,))
        if len(layers) != len(mechanisms):
            raise ValueError("If provided, attention_layer must contain exactly one layer per "
                             f"attention_mechanism, saw: {len(layers)} vs {len(mechanisms)}")
        total = sum(layer_output_size(layer, cell.output_size + m.values.shape.as_list()[-1])
                    .as_list()[-1] for layer, m in zip(layers, mechanisms))
        return layers, total
    return None, sum(m.values.shape.as_list()[-1] for m in mechanisms)


class AttentionWrapper(RNNCell):
    """Wraps a cell with attention over one or more memories.

    A step runs `cell(cell_input_fn(inputs, previous attention), cell_state)`, scores its
    output against each mechanism's memory, reads the context (the alignments' weighted sum
    of the memory) and, with an attention layer, mixes `[cell_output, context]` through it.

    Args:
      cell: the inner `RNNCell`.
      attention_mechanism: an `AttentionMechanism`, or a list of them.
      attention_layer_size: the depth of the attention layer (a list with several
        mechanisms); None feeds the context itself as attention.
      alignment_history: whether to keep every step's alignments in TensorArrays.
      cell_input_fn: `(inputs, attention) -> cell inputs` (default: concat on the last axis).
      output_attention: output the attention (Luong) rather than the cell's output (Bahdanau).
      initial_cell_state: the inner cell's initial state for `zero_state`.
      name: the scope name (default "attention_wrapper").
      attention_layer: layers to use instead of `attention_layer_size`'s Dense ones.
      attention_fn: `(mechanism, cell_output, attention_state, attention_layer) ->
        (attention, alignments, next_attention_state)` to use instead of the default.

    Raises:
      TypeError: a mechanism is not an `AttentionMechanism`, or `cell_input_fn` is not
        callable.
      ValueError: both `attention_layer_size` and `attention_layer` are given, or their
        lengths do not match the mechanisms'.
    """

    _scope_name = "attention_wrapper"

    def __init__(self, cell, attention_mechanism, attention_layer_size=None,
                 alignment_history=False, cell_input_fn=None, output_attention=True,
                 initial_cell_state=None, name=None, attention_layer=None, attention_fn=None):
        super().__init__(name=name)
        check_cell(cell)
        self._is_multi, self._mechanisms = _check_mechanisms(attention_mechanism)
        if cell_input_fn is None:
            cell_input_fn = lambda inputs, attention: tf.concat([inputs, attention], -1)  # noqa: E731
        elif not callable(cell_input_fn):
            raise TypeError(f"cell_input_fn must be callable, saw type: "
                            f"{type(cell_input_fn).__name__}")
        self._cell, self._cell_input_fn = cell, cell_input_fn
        self._attention_layers, self._attention_layer_size = _layers(
            attention_layer_size, attention_layer, self._mechanisms, cell, tf.float32)
        self._attention_fn = attention_fn or _compute_attention
        self._output_attention, self._alignment_history = output_attention, alignment_history
        self._initial_cell_state = initial_cell_state

    _children = property(lambda self: [self._cell])

    def _item_or_tuple(self, seq):
        seq = tuple(seq)
        return seq if self._is_multi else seq[0]

    @property
    def output_size(self):
        """The attention's size if `output_attention`, else the inner cell's output size."""
        return self._attention_layer_size if self._output_attention else self._cell.output_size

    @property
    def state_size(self):
        """An `AttentionWrapperState` of sizes (`alignment_history` sizes `()` if not kept)."""
        return AttentionWrapperState(
            cell_state=self._cell.state_size, time=tf.TensorShape([]),
            attention=self._attention_layer_size,
            alignments=self._item_or_tuple(m.alignments_size for m in self._mechanisms),
            attention_state=self._item_or_tuple(m.state_size for m in self._mechanisms),
            alignment_history=self._item_or_tuple(
                m.alignments_size if self._alignment_history else () for m in self._mechanisms))

    def zero_state(self, batch_size, dtype):
        """Returns the initial `AttentionWrapperState` (the given `initial_cell_state`, if any).

        Args:
          batch_size: an int or a scalar int Tensor.
          dtype: the dtype of the state.
        """
        with tf.name_scope(type(self).__name__ + "ZeroState", values=[batch_size]):
            cell_state = self._initial_cell_state
            if cell_state is None:
                cell_state = self._cell.zero_state(batch_size, dtype)
            cell_state = tf.nest.map_structure(
                lambda s: tf.identity(s, name="checked_cell_state"), cell_state)
            alignments = [m.initial_alignments(batch_size, dtype) for m in self._mechanisms]
            return AttentionWrapperState(
                cell_state=cell_state, time=tf.zeros([], dtype=tf.int32),
                attention=_zeros(batch_size, self._attention_layer_size, dtype),
                alignments=self._item_or_tuple(alignments),
                attention_state=self._item_or_tuple(
                    m.initial_state(batch_size, dtype) for m in self._mechanisms),
                alignment_history=self._item_or_tuple(
                    tf.TensorArray(dtype, size=0, dynamic_size=True,
                                   element_shape=a.shape) if self._alignment_history else ()
                    for a in alignments))

    def call(self, inputs, state):
        """Runs the inner cell, then the attention.

        Args:
          inputs: the step's inputs `[batch, depth]`.
          state: an `AttentionWrapperState`.

        Returns:
          `(attention or cell output, next AttentionWrapperState)`.

        Raises:
          TypeError: `state` is not an `AttentionWrapperState`.
        """
        if not isinstance(state, AttentionWrapperState):
            raise TypeError("Expected state to be instance of AttentionWrapperState. "
                            f"Received type {type(state)} instead.")
        cell_inputs = self._cell_input_fn(inputs, state.attention)
        cell_output, next_cell_state = self._cell(cell_inputs, state.cell_state)
        cell_output = tf.identity(cell_output, name="checked_cell_output")
        wrap = (lambda x: x) if self._is_multi else (lambda x: [x])
        prev_states, prev_histories = wrap(state.attention_state), wrap(state.alignment_history)
        attentions, alignments, states, histories = [], [], [], []
        for i, mechanism in enumerate(self._mechanisms):
            layer = self._attention_layers[i] if self._attention_layers else None
            attention, align, next_att_state = self._attention_fn(
                mechanism, cell_output, prev_states[i], layer)
            histories.append(prev_histories[i].write(state.time, align)
                             if self._alignment_history else ())
            attentions.append(attention)
            alignments.append(align)
            states.append(next_att_state)
        attention = tf.concat(attentions, 1)
        next_state = AttentionWrapperState(
            time=state.time + 1, cell_state=next_cell_state, attention=attention,
            attention_state=self._item_or_tuple(states),
            alignments=self._item_or_tuple(alignments),
            alignment_history=self._item_or_tuple(histories))
        return (attention if self._output_attention else cell_output), next_state
