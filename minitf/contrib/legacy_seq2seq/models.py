"""The full encoder-decoder models of `tf.contrib.legacy_seq2seq`: `basic_rnn_seq2seq`,
`tied_rnn_seq2seq`, `embedding_rnn_seq2seq`, `embedding_tied_rnn_seq2seq`,
`embedding_attention_seq2seq` and `one2many_rnn_seq2seq`.

A `feed_previous` that is a boolean Tensor builds the decoder twice (feeding back first,
making the variables, then reusing them with the given inputs) and picks one with `tf.cond`,
as TF 1.15 does; the fed-back branch then passes no gradient to the embedding.
"""
import copy

import minitf as tf
from minitf.contrib.legacy_seq2seq.attention import embedding_attention_decoder
from minitf.contrib.legacy_seq2seq.decoders import (
    _check_projection,
    _extract_argmax_and_embed,
    embedding_rnn_decoder,
    rnn_decoder,
)
from minitf.contrib.rnn.core_rnn_cell import EmbeddingWrapper, OutputProjectionWrapper
from minitf.framework.dtypes import float32
from minitf.rnn import static_rnn
from minitf.rnn_cell import RNNCell

__all__ = ["basic_rnn_seq2seq", "tied_rnn_seq2seq", "embedding_rnn_seq2seq",
           "embedding_tied_rnn_seq2seq", "embedding_attention_seq2seq", "one2many_rnn_seq2seq"]


def _decode_either(feed_previous, decode, num_outputs):
    """Calls `decode(feed_previous)` for a Python bool, else builds both and `tf.cond`s.

    `decode(flag)` returns `(outputs, state)`; the fed-back graph is built first (making the
    variables) and the other reuses them.
    """
    if isinstance(feed_previous, bool):
        return decode(feed_previous)
    structure = []

    def branch(flag):
        with tf.variable_scope(tf.get_variable_scope(), reuse=None if flag else True):
            outputs, state = decode(flag)
        structure.append(state)
        return list(outputs) + tf.nest.flatten(state)

    both = tf.cond(feed_previous, lambda: branch(True), lambda: branch(False))
    state = tf.nest.pack_sequence_as(structure[0], both[num_outputs:])
    return both[:num_outputs], state


def basic_rnn_seq2seq(encoder_inputs, decoder_inputs, cell, dtype=float32, scope=None):
    """Encodes with a copy of `cell` (`static_rnn`), then decodes with `cell` from its state.

    Encoder and decoder do not share variables: `<scope>/rnn/<cell>/` and
    `<scope>/rnn_decoder/<cell>/`.

    Args:
      encoder_inputs: a list of `[batch, input_size]` Tensors.
      decoder_inputs: a list of `[batch, input_size]` Tensors.
      cell: the `RNNCell` (copied for the encoder before its first call).
      dtype: the dtype of the encoder's zero initial state.
      scope: the variable scope (default "basic_rnn_seq2seq").

    Returns:
      `(outputs, state)`: the decoder's list of outputs and final state.
    """
    with tf.variable_scope(scope or "basic_rnn_seq2seq"):
        enc_cell = copy.deepcopy(cell)
        _, enc_state = static_rnn(enc_cell, encoder_inputs, dtype=dtype)
        return rnn_decoder(decoder_inputs, enc_state, cell)


def tied_rnn_seq2seq(encoder_inputs, decoder_inputs, cell, loop_function=None,
                     dtype=float32, scope=None):
    """Encodes and decodes with one `cell` and one set of variables.

    Both run in `combined_tied_rnn_seq2seq/<scope>/`, the decoder reusing the encoder's
    variables.

    Args:
      encoder_inputs: a list of `[batch, input_size]` Tensors.
      decoder_inputs: a list of `[batch, input_size]` Tensors.
      cell: the `RNNCell`.
      loop_function: as in `rnn_decoder`.
      dtype: the dtype of the encoder's zero initial state.
      scope: the inner variable scope (default "tied_rnn_seq2seq").

    Returns:
      `(outputs, state)`: the decoder's list of outputs and final state.
    """
    with tf.variable_scope("combined_tied_rnn_seq2seq"):
        scope = scope or "tied_rnn_seq2seq"
        _, enc_state = static_rnn(cell, encoder_inputs, dtype=dtype, scope=scope)
        tf.get_variable_scope().reuse_variables()
        return rnn_decoder(decoder_inputs, enc_state, cell, loop_function=loop_function,
                           scope=scope)


def embedding_rnn_seq2seq(encoder_inputs, decoder_inputs, cell, num_encoder_symbols,
                          num_decoder_symbols, embedding_size, output_projection=None,
                          feed_previous=False, dtype=None, scope=None):
    """An `EmbeddingWrapper`-ed encoder and an `embedding_rnn_decoder`.

    Variables: `<scope>/rnn/embedding_wrapper/embedding` and the encoder cell's under it,
    `<scope>/embedding_rnn_decoder/embedding`, and (without `output_projection`) the decoder
    cell's under `.../rnn_decoder/output_projection_wrapper/`.

    Args:
      encoder_inputs: a list of `[batch]` int Tensors.
      decoder_inputs: a list of `[batch]` int Tensors.
      cell: the `RNNCell` (copied for the encoder).
      num_encoder_symbols: the encoder's vocabulary size.
      num_decoder_symbols: the decoder's vocabulary size.
      embedding_size: the size of each embedding vector.
      output_projection: None (outputs are `OutputProjectionWrapper` logits
        `[batch, num_decoder_symbols]`) or `(W, B)` (outputs are the cell's, `W` maps them to
        logits when feeding back).
      feed_previous: a Python bool or a scalar boolean Tensor: feed back the argmax symbols.
      dtype: the dtype of the initial states and variables (default: the scope's).
      scope: the variable scope (default "embedding_rnn_seq2seq").

    Returns:
      `(outputs, state)`: the decoder's list of outputs and final state.
    """
    with tf.variable_scope(scope or "embedding_rnn_seq2seq") as vs:
        if dtype is not None:
            vs.set_dtype(dtype)
        else:
            dtype = vs.dtype
        encoder_cell = EmbeddingWrapper(copy.deepcopy(cell), embedding_classes=num_encoder_symbols,
                                        embedding_size=embedding_size)
        _, encoder_state = static_rnn(encoder_cell, encoder_inputs, dtype=dtype)
        if output_projection is None:
            cell = OutputProjectionWrapper(cell, num_decoder_symbols)

        def decode(flag):
            return embedding_rnn_decoder(
                decoder_inputs, encoder_state, cell, num_decoder_symbols, embedding_size,
                output_projection=output_projection, feed_previous=flag,
                update_embedding_for_previous=isinstance(feed_previous, bool))

        return _decode_either(feed_previous, decode, len(decoder_inputs))


def embedding_tied_rnn_seq2seq(encoder_inputs, decoder_inputs, cell, num_symbols,
                               embedding_size, num_decoder_symbols=None, output_projection=None,
                               feed_previous=False, dtype=None, scope=None):
    """`tied_rnn_seq2seq` over inputs embedded by one shared `<scope>/embedding`.

    Args:
      encoder_inputs: a list of `[batch]` int Tensors.
      decoder_inputs: a list of `[batch]` int Tensors.
      cell: the `RNNCell`, shared by encoder and decoder.
      num_symbols: the shared vocabulary size.
      embedding_size: the size of each embedding vector.
      num_decoder_symbols: the decoder's output vocabulary (default `num_symbols`): the first
        symbols of the shared vocabulary.
      output_projection: None (outputs are logits) or `(W, B)`, `W` `[output_size,
        num_symbols]`.
      feed_previous: a Python bool or a scalar boolean Tensor: feed back the argmax symbols.
      dtype: the dtype of the initial states and variables (default: the scope's).
      scope: the variable scope (default "embedding_tied_rnn_seq2seq").

    Returns:
      `(outputs, state)`: the decoder's list of outputs and final state.

    Raises:
      ValueError: `output_projection` has the wrong shape.
    """
    with tf.variable_scope(scope or "embedding_tied_rnn_seq2seq", dtype=dtype) as vs:
        dtype = vs.dtype
        if output_projection is not None:
            _check_projection(output_projection, num_symbols, dtype)
        embedding = tf.get_variable("embedding", [num_symbols, embedding_size], dtype=dtype)
        emb_encoder_inputs = [tf.nn.embedding_lookup(embedding, x) for x in encoder_inputs]
        emb_decoder_inputs = [tf.nn.embedding_lookup(embedding, x) for x in decoder_inputs]
        output_symbols = num_symbols if num_decoder_symbols is None else num_decoder_symbols
        if output_projection is None:
            cell = OutputProjectionWrapper(cell, output_symbols)

        def decode(flag):
            loop_function = _extract_argmax_and_embed(
                embedding, output_projection, isinstance(feed_previous, bool)) if flag else None
            return tied_rnn_seq2seq(emb_encoder_inputs, emb_decoder_inputs, cell,
                                    loop_function=loop_function, dtype=dtype)

        return _decode_either(feed_previous, decode, len(decoder_inputs))


def embedding_attention_seq2seq(encoder_inputs, decoder_inputs, cell, num_encoder_symbols,
                                num_decoder_symbols, embedding_size, num_heads=1,
                                output_projection=None, feed_previous=False, dtype=None,
                                scope=None, initial_state_attention=False):
    """An `EmbeddingWrapper`-ed encoder whose outputs an `embedding_attention_decoder` reads.

    Variables: `<scope>/rnn/embedding_wrapper/...` (encoder) and
    `<scope>/embedding_attention_decoder/{embedding, attention_decoder/...}` (decoder; without
    `output_projection` its cell is wrapped as `output_projection_wrapper`).

    Args:
      encoder_inputs: a list of `[batch]` int Tensors.
      decoder_inputs: a list of `[batch]` int Tensors.
      cell: the `RNNCell` (copied for the encoder).
      num_encoder_symbols: the encoder's vocabulary size.
      num_decoder_symbols: the decoder's vocabulary size.
      embedding_size: the size of each embedding vector.
      num_heads: the number of attention heads.
      output_projection: None (outputs are logits `[batch, num_decoder_symbols]`) or `(W, B)`
        (outputs are `[batch, cell.output_size]`).
      feed_previous: a Python bool or a scalar boolean Tensor: feed back the argmax symbols.
      dtype: the dtype of the initial states and variables (default: the scope's).
      scope: the variable scope (default "embedding_attention_seq2seq").
      initial_state_attention: as in `attention_decoder`.

    Returns:
      `(outputs, state)`: the decoder's list of outputs and final state.

    >>> from minitf.contrib import legacy_seq2seq
    >>> enc = [tf.constant([1, 2])] * 3
    >>> dec = [tf.constant([0, 1])] * 2
    >>> outputs, _ = legacy_seq2seq.embedding_attention_seq2seq(
    ...     enc, dec, tf.nn.rnn_cell.GRUCell(4), 5, 6, 3)
    >>> print(len(outputs), outputs[0].shape)
    2 (2, 6)
    """
    with tf.variable_scope(scope or "embedding_attention_seq2seq", dtype=dtype) as vs:
        dtype = vs.dtype
        encoder_cell = EmbeddingWrapper(copy.deepcopy(cell), embedding_classes=num_encoder_symbols,
                                        embedding_size=embedding_size)
        encoder_outputs, encoder_state = static_rnn(encoder_cell, encoder_inputs, dtype=dtype)
        top_states = [tf.reshape(e, [-1, 1, cell.output_size]) for e in encoder_outputs]
        attention_states = tf.concat(top_states, 1)
        output_size = None
        if output_projection is None:
            cell = OutputProjectionWrapper(cell, num_decoder_symbols)
            output_size = num_decoder_symbols

        def decode(flag):
            return embedding_attention_decoder(
                decoder_inputs, encoder_state, attention_states, cell, num_decoder_symbols,
                embedding_size, num_heads=num_heads, output_size=output_size,
                output_projection=output_projection, feed_previous=flag,
                update_embedding_for_previous=isinstance(feed_previous, bool),
                initial_state_attention=initial_state_attention)

        return _decode_either(feed_previous, decode, len(decoder_inputs))


def one2many_rnn_seq2seq(encoder_inputs, decoder_inputs_dict, enc_cell, dec_cells_dict,
                         num_encoder_symbols, num_decoder_symbols_dict, embedding_size,
                         feed_previous=False, dtype=None, scope=None):
    """One embedded encoder, several `embedding_rnn_decoder`s (multi-task seq2seq).

    Decoder `name` lives in `<scope>/one2many_decoder_<name>/`, its cell wrapped in an
    `OutputProjectionWrapper` of `num_decoder_symbols_dict[name]` outputs.

    Args:
      encoder_inputs: a list of `[batch]` int Tensors.
      decoder_inputs_dict: a dict from decoder name to its list of `[batch]` int Tensors.
      enc_cell: the encoder's `RNNCell`.
      dec_cells_dict: a dict from decoder name to its `RNNCell` (same keys).
      num_encoder_symbols: the encoder's vocabulary size.
      num_decoder_symbols_dict: a dict from decoder name to its vocabulary size.
      embedding_size: the size of each embedding vector.
      feed_previous: a Python bool or a scalar boolean Tensor: feed back the argmax symbols.
      dtype: the dtype of the initial states and variables (default: the scope's).
      scope: the variable scope (default "one2many_rnn_seq2seq").

    Returns:
      `(outputs_dict, state_dict)`: each decoder's list of outputs and final state, by name.

    Raises:
      TypeError: a cell is not an `RNNCell`.
      ValueError: the keys of `dec_cells_dict` and `decoder_inputs_dict` differ.
    """
    if not isinstance(enc_cell, RNNCell):
        raise TypeError(f"enc_cell is not an RNNCell: {type(enc_cell)}")
    if set(dec_cells_dict) != set(decoder_inputs_dict):
        raise ValueError("keys of dec_cells_dict != keys of decodre_inputs_dict")
    for dec_cell in dec_cells_dict.values():
        if not isinstance(dec_cell, RNNCell):
            raise TypeError(f"dec_cell is not an RNNCell: {type(dec_cell)}")
    outputs_dict, state_dict = {}, {}
    with tf.variable_scope(scope or "one2many_rnn_seq2seq", dtype=dtype) as vs:
        dtype = vs.dtype
        enc_cell = EmbeddingWrapper(enc_cell, embedding_classes=num_encoder_symbols,
                                    embedding_size=embedding_size)
        _, encoder_state = static_rnn(enc_cell, encoder_inputs, dtype=dtype)
        for name, decoder_inputs in decoder_inputs_dict.items():
            num_symbols = num_decoder_symbols_dict[name]
            with tf.variable_scope(f"one2many_decoder_{name}"):
                dec_cell = OutputProjectionWrapper(dec_cells_dict[name], num_symbols)

                def decode(flag, dec_cell=dec_cell, decoder_inputs=decoder_inputs,
                           num_symbols=num_symbols):
                    return embedding_rnn_decoder(decoder_inputs, encoder_state, dec_cell,
                                                 num_symbols, embedding_size, feed_previous=flag)

                outputs, state = _decode_either(feed_previous, decode, len(decoder_inputs))
            outputs_dict[name] = outputs
            state_dict[name] = state
    return outputs_dict, state_dict
