"""The attention decoders of `tf.contrib.legacy_seq2seq` (Vinyals et al. 2014's grammar-as-a-
foreign-language attention): `attention_decoder` and `embedding_attention_decoder`.

Per head `a`, over attention states `h_j` and the cell state `q`:
`s_j = AttnV_a . tanh(AttnW_a h_j + Attention_a(q))`, `weights = softmax(s)`,
`read_a = sum_j weights_j h_j`. A step's cell input is `_Linear([input] + reads)` (variables
`kernel`, `bias` in the decoder's scope) and its output `AttnOutputProjection([cell_output] +
reads)`. TF computes `AttnW_a h_j` as a 1x1 conv2d of a `[1, 1, attn_size, attn_size]` kernel;
minitf keeps that variable and shape but runs a matmul.
"""
import minitf as tf
from minitf.contrib.legacy_seq2seq.decoders import _extract_argmax_and_embed
from minitf.contrib.rnn._base import linear

__all__ = ["attention_decoder", "embedding_attention_decoder"]


def _static_or_dynamic(tensor, axis):
    static = tensor.shape.as_list()[axis]
    return static if static is not None else tf.shape(tensor)[axis]


class _Attention:
    """The heads' variables (`AttnW_a`, `AttnV_a`) and their read of the attention states."""

    def __init__(self, attention_states, num_heads, dtype):
        self.attn_length = _static_or_dynamic(attention_states, 1)
        self.attn_size = attention_states.shape.as_list()[2]
        self.num_heads = num_heads
        self.dtype = dtype
        self.hidden = tf.reshape(attention_states, [-1, self.attn_length, 1, self.attn_size])
        flat = tf.reshape(attention_states, [-1, self.attn_size])
        self.features, self.v = [], []
        for a in range(num_heads):
            k = tf.get_variable(f"AttnW_{a}", [1, 1, self.attn_size, self.attn_size],
                                dtype=dtype)
            feat = tf.matmul(flat, tf.reshape(k, [self.attn_size, self.attn_size]))
            self.features.append(
                tf.reshape(feat, [-1, self.attn_length, 1, self.attn_size]))
            self.v.append(tf.get_variable(f"AttnV_{a}", [self.attn_size], dtype=dtype))

    def __call__(self, query):
        """Returns the heads' reads `[batch, attn_size]` for `query` (a state structure)."""
        flat = tf.nest.flatten(query)
        for q in flat:
            if q.shape.ndims is not None and q.shape.ndims != 2:
                raise ValueError(f"The attention query must be 2-D, saw shape {q.shape}.")
        query = flat[0] if len(flat) == 1 else tf.concat(flat, 1)
        reads = []
        for a in range(self.num_heads):
            with tf.variable_scope(f"Attention_{a}"):
                y, _ = linear(query, self.attn_size, True)
                y = tf.cast(tf.reshape(y, [-1, 1, 1, self.attn_size]), self.dtype)
                s = tf.reduce_sum(self.v[a] * tf.tanh(self.features[a] + y), [2, 3])
                # (TF 1.15 always takes this softmax in float32; minitf only for float16)
                if self.dtype == tf.float16:
                    weights = tf.cast(tf.nn.softmax(tf.cast(s, tf.float32)), self.dtype)
                else:
                    weights = tf.nn.softmax(s)
                d = tf.reduce_sum(
                    tf.reshape(weights, [-1, self.attn_length, 1, 1]) * self.hidden, [1, 2])
                reads.append(tf.reshape(d, [-1, self.attn_size]))
        return reads


def attention_decoder(decoder_inputs, initial_state, attention_states, cell, output_size=None,
                      num_heads=1, loop_function=None, dtype=None, scope=None,
                      initial_state_attention=False):
    """An RNN decoder that reads `attention_states` with `num_heads` attention heads.

    Variables (under `scope`): `AttnW_<a>` `[1, 1, attn_size, attn_size]`, `AttnV_<a>`
    `[attn_size]`, `Attention_<a>/kernel|bias` (the query projection), `kernel|bias` (the
    input-and-reads projection), the cell's, and `AttnOutputProjection/kernel|bias`.

    Args:
      decoder_inputs: a non-empty list of `[batch, input_size]` Tensors (`input_size` known).
      initial_state: the cell's initial state.
      attention_states: a `[batch, attn_length, attn_size]` Tensor (`attn_size` known).
      cell: the `RNNCell` to run.
      output_size: the size of the outputs (default `cell.output_size`).
      num_heads: the number of attention heads.
      loop_function: as in `rnn_decoder`: step `i > 0` takes `loop_function(output[i-1], i)`.
      dtype: the dtype of the variables (default: the scope's, float32).
      scope: the variable scope (default "attention_decoder").
      initial_state_attention: if True the first step's reads come from `initial_state`
        (resuming a decode), else they are zeros.

    Returns:
      `(outputs, state)`: a list of `[batch, output_size]` Tensors and the final state.

    Raises:
      ValueError: no inputs, `num_heads < 1`, `attention_states`' last dimension unknown, or
        an input's size unknown.

    >>> from minitf.contrib import legacy_seq2seq
    >>> cell = tf.nn.rnn_cell.GRUCell(2)
    >>> states = tf.ones([3, 5, 4])
    >>> outputs, state = legacy_seq2seq.attention_decoder(
    ...     [tf.ones([3, 2])] * 2, cell.zero_state(3, tf.float32), states, cell, output_size=6)
    >>> print(len(outputs), outputs[0].shape, tf.global_variables()[0].name)
    2 (3, 6) attention_decoder/AttnW_0:0
    """
    if not decoder_inputs:
        raise ValueError("Must provide at least 1 input to attention decoder.")
    if num_heads < 1:
        raise ValueError("With less than 1 heads, use a non-attention decoder.")
    if attention_states.shape.as_list()[2] is None:
        raise ValueError(f"Shape[2] of attention_states must be known: {attention_states.shape}")
    if output_size is None:
        output_size = cell.output_size
    with tf.variable_scope(scope or "attention_decoder", dtype=dtype) as vs:
        dtype = vs.dtype
        attention = _Attention(attention_states, num_heads, dtype)
        batch_size = _static_or_dynamic(decoder_inputs[0], 0)
        attns = []
        for _ in range(num_heads):
            zeros = tf.zeros(tf.stack([batch_size, attention.attn_size]), dtype=dtype)
            zeros.set_shape([batch_size if isinstance(batch_size, int) else None,
                             attention.attn_size])
            attns.append(zeros)
        if initial_state_attention:
            attns = attention(initial_state)
        state = initial_state
        outputs = []
        prev = None
        for i, inp in enumerate(decoder_inputs):
            if i > 0:
                tf.get_variable_scope().reuse_variables()
            if loop_function is not None and prev is not None:
                with tf.variable_scope("loop_function", reuse=True):
                    inp = loop_function(prev, i)
            input_size = inp.shape.with_rank(2).as_list()[1]
            if input_size is None:
                raise ValueError(f"Could not infer input size from input: {inp.name}")
            x, _ = linear([tf.cast(e, dtype) for e in [inp] + attns], input_size, True)
            cell_output, state = cell(x, state)
            if i == 0 and initial_state_attention:
                with tf.variable_scope(tf.get_variable_scope(), reuse=True):
                    attns = attention(state)
            else:
                attns = attention(state)
            with tf.variable_scope("AttnOutputProjection"):
                output, _ = linear([tf.cast(cell_output, dtype)] + attns, output_size, True)
            if loop_function is not None:
                prev = output
            outputs.append(output)
    return outputs, state


def embedding_attention_decoder(decoder_inputs, initial_state, attention_states, cell,
                                num_symbols, embedding_size, num_heads=1, output_size=None,
                                output_projection=None, feed_previous=False,
                                update_embedding_for_previous=True, dtype=None, scope=None,
                                initial_state_attention=False):
    """`attention_decoder` over embedded int symbols, greedy when `feed_previous`.

    The embedding is `<scope>/embedding` `[num_symbols, embedding_size]`; the attention
    decoder's variables go under `<scope>/attention_decoder/`.

    Args:
      decoder_inputs: a list of `[batch]` int Tensors.
      initial_state: the cell's initial state.
      attention_states: a `[batch, attn_length, attn_size]` Tensor.
      cell: the `RNNCell` to run.
      num_symbols: how many symbols are embedded.
      embedding_size: the size of each embedding vector.
      num_heads: the number of attention heads.
      output_size: the size of the outputs (default `cell.output_size`).
      output_projection: None or `(W, B)` (`B` `[num_symbols]`): with `feed_previous`,
        fed-back outputs are projected by it before the argmax.
      feed_previous: a Python bool: if True every input after the first is the embedding of
        the previous output's argmax.
      update_embedding_for_previous: if False, no gradient reaches the embedding through the
        fed-back symbols.
      dtype: the dtype of the variables (default: the scope's).
      scope: the variable scope (default "embedding_attention_decoder").
      initial_state_attention: as in `attention_decoder`.

    Returns:
      `(outputs, state)` as `attention_decoder`'s.

    Raises:
      ValueError: `output_projection`'s bias has the wrong shape.
    """
    if output_size is None:
        output_size = cell.output_size
    if output_projection is not None:
        biases = tf.convert_to_tensor(output_projection[1], dtype=dtype)
        biases.shape.assert_is_compatible_with([num_symbols])
    with tf.variable_scope(scope or "embedding_attention_decoder", dtype=dtype):
        embedding = tf.get_variable("embedding", [num_symbols, embedding_size])
        loop_function = _extract_argmax_and_embed(
            embedding, output_projection, update_embedding_for_previous) if feed_previous else None
        emb_inp = [tf.nn.embedding_lookup(embedding, i) for i in decoder_inputs]
        return attention_decoder(emb_inp, initial_state, attention_states, cell,
                                 output_size=output_size, num_heads=num_heads,
                                 loop_function=loop_function,
                                 initial_state_attention=initial_state_attention)
