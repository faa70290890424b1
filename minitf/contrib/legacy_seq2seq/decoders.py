"""The plain decoders of `tf.contrib.legacy_seq2seq`: `rnn_decoder` (a cell unrolled over a
list of inputs, optionally feeding back its outputs through a `loop_function`) and
`embedding_rnn_decoder` (the same over embedded int symbols, greedy when `feed_previous`).
"""
import minitf as tf

__all__ = ["rnn_decoder", "embedding_rnn_decoder"]


def _extract_argmax_and_embed(embedding, output_projection=None, update_embedding=True):
    """Returns a `loop_function(prev, i)` embedding the argmax symbol of `prev` (greedy).

    `prev` is first mapped by `output_projection` `(W, B)` when given; without
    `update_embedding` no gradient reaches `embedding` through the fed-back symbols.
    """

    def loop_function(prev, _):
        if output_projection is not None:
            prev = tf.nn.xw_plus_b(prev, output_projection[0], output_projection[1])
        prev_symbol = tf.argmax(prev, 1)
        emb_prev = tf.nn.embedding_lookup(embedding, prev_symbol)
        if not update_embedding:
            emb_prev = tf.stop_gradient(emb_prev)
        return emb_prev

    return loop_function


def _check_projection(output_projection, num_symbols, dtype):
    """Converts `output_projection` `(W, B)` to tensors and checks their static shapes."""
    weights = tf.convert_to_tensor(output_projection[0], dtype=dtype)
    weights.shape.assert_is_compatible_with([None, num_symbols])
    biases = tf.convert_to_tensor(output_projection[1], dtype=dtype)
    biases.shape.assert_is_compatible_with([num_symbols])


def rnn_decoder(decoder_inputs, initial_state, cell, loop_function=None, scope=None):
    """Runs `cell` over `decoder_inputs` from `initial_state` (the seq2seq decoder).

    Args:
      decoder_inputs: a list of `[batch, input_size]` Tensors.
      initial_state: the cell's initial state (e.g. the encoder's final state).
      cell: the `RNNCell` to run; its variables go under `<scope>/<cell name>/`.
      loop_function: if given, step `i > 0` takes `loop_function(output[i-1], i)` (built in
        the reusing scope `loop_function`) instead of `decoder_inputs[i]`; only the first
        input (the "GO" symbol) is used.
      scope: the variable scope (default "rnn_decoder").

    Returns:
      `(outputs, state)`: a list of `[batch, cell.output_size]` Tensors, one per input, and
      the final state.

    >>> from minitf.contrib import legacy_seq2seq
    >>> steps = [tf.ones([2, 3])] * 4
    >>> cell = tf.nn.rnn_cell.GRUCell(5)
    >>> outputs, state = legacy_seq2seq.rnn_decoder(steps, cell.zero_state(2, tf.float32), cell)
    >>> print(len(outputs), outputs[0].shape, tf.global_variables()[0].name)
    4 (2, 5) rnn_decoder/gru_cell/gates/kernel:0
    """
    with tf.variable_scope(scope or "rnn_decoder"):
        state = initial_state
        outputs = []
        prev = None
        for i, inp in enumerate(decoder_inputs):
            if loop_function is not None and prev is not None:
                with tf.variable_scope("loop_function", reuse=True):
                    inp = loop_function(prev, i)
            if i > 0:
                tf.get_variable_scope().reuse_variables()
            output, state = cell(inp, state)
            outputs.append(output)
            if loop_function is not None:
                prev = output
    return outputs, state


def embedding_rnn_decoder(decoder_inputs, initial_state, cell, num_symbols, embedding_size,
                          output_projection=None, feed_previous=False,
                          update_embedding_for_previous=True, scope=None):
    """`rnn_decoder` over embedded int symbols, greedy when `feed_previous`.

    The embedding is `<scope>/embedding` `[num_symbols, embedding_size]`.

    Args:
      decoder_inputs: a list of `[batch]` int Tensors.
      initial_state: the cell's initial state.
      cell: the `RNNCell` to run.
      num_symbols: how many symbols are embedded.
      embedding_size: the size of each embedding vector.
      output_projection: None or `(W, B)`, `W` `[output_size, num_symbols]` and `B`
        `[num_symbols]`: with `feed_previous`, fed-back outputs are projected by it first.
      feed_previous: a Python bool: if True only the first input is used and every later
        input is the embedding of the previous output's argmax.
      update_embedding_for_previous: if False (with `feed_previous`), no gradient reaches the
        embedding through the fed-back symbols.
      scope: the variable scope (default "embedding_rnn_decoder").

    Returns:
      `(outputs, state)` as `rnn_decoder`'s.

    Raises:
      ValueError: `output_projection` has the wrong shape.
    """
    with tf.variable_scope(scope or "embedding_rnn_decoder") as vs:
        if output_projection is not None:
            _check_projection(output_projection, num_symbols, vs.dtype)
        embedding = tf.get_variable("embedding", [num_symbols, embedding_size])
        loop_function = _extract_argmax_and_embed(
            embedding, output_projection, update_embedding_for_previous) if feed_previous else None
        emb_inp = [tf.nn.embedding_lookup(embedding, i) for i in decoder_inputs]
        return rnn_decoder(emb_inp, initial_state, cell, loop_function=loop_function)
