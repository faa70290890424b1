"""TF1's recurrent-network drivers: `dynamic_rnn` (a `tf.while_loop` over TensorArrays, its ops
under `rnn/while/`), `static_rnn` (a Python loop), and their bidirectional forms.

With `sequence_length`, a step at `time >= length` of a batch entry outputs zeros and copies
the state through, so the final state is each entry's state at its last valid step (TF1).
"""
import minitf as tf
from minitf.rnn_cell import _zeros

__all__ = ["dynamic_rnn", "static_rnn", "bidirectional_dynamic_rnn", "static_bidirectional_rnn"]


def _batch_size(flat_input, axis):
    static = flat_input[0].shape.as_list()[axis]
    return static if static is not None else tf.shape(flat_input[0])[axis]


def _seq_length(sequence_length):
    if sequence_length is None:
        return None
    sequence_length = tf.cast(sequence_length, tf.int32)
    if sequence_length.shape.ndims not in (None, 1):
        raise ValueError("Argument sequence_length must be a vector of length batch_size. "
                         f"Received sequence_length={sequence_length} of shape: "
                         f"{sequence_length.shape}")
    return tf.identity(sequence_length, name="sequence_length")


def _initial_state(cell, initial_state, dtype, batch_size):
    if initial_state is not None:
        return initial_state
    if not dtype:
        raise ValueError("If no initial_state is provided, argument `dtype` must be specified")
    return cell.zero_state(batch_size, dtype)


def _masked_step(time, seq_len, zero_output, state, output, new_state):
    """Zeroes the outputs and keeps the old state of the entries whose sequence has ended."""
    done = tf.greater_equal(time, seq_len)
    output = tf.nest.map_structure(lambda z, o: tf.where(done, z, o), zero_output, output)
    new_state = tf.nest.map_structure(lambda s, n: tf.where(done, s, n), state, new_state)
    return output, new_state


def dynamic_rnn(cell, inputs, sequence_length=None, initial_state=None, dtype=None,
                parallel_iterations=None, swap_memory=False, time_major=False, scope=None):
    """Runs `cell` over the time axis of `inputs` with a `tf.while_loop`.

    Args:
      cell: an `RNNCell`.
      inputs: a `[batch, time, depth]` Tensor (`[time, batch, depth]` if `time_major`), or a
        structure of them.
      sequence_length: an int vector `[batch]`: past its length an entry outputs zeros and
        keeps its state.
      initial_state: the initial state (default: `cell.zero_state(batch, dtype)`).
      dtype: the dtype of the zero initial state.
      parallel_iterations: accepted for TF compatibility (default 32).
      swap_memory: accepted for TF compatibility.
      time_major: whether `inputs` and outputs are time-major.
      scope: the variable scope (default "rnn").

    Returns:
      `(outputs, final_state)`: outputs `[batch, time, output_size]` (time-major if asked).

    Raises:
      ValueError: no `initial_state` and no `dtype`, or a `sequence_length` not a vector.

    >>> x = tf.ones([2, 3, 4])
    >>> cell = tf.nn.rnn_cell.BasicLSTMCell(5)
    >>> outputs, state = tf.nn.dynamic_rnn(cell, x, sequence_length=[3, 1], dtype=tf.float32)
    >>> print(outputs.shape, state.h.shape, [v.name for v in tf.global_variables()])
    (2, 3, 5) (2, 5) ['rnn/basic_lstm_cell/kernel:0', 'rnn/basic_lstm_cell/bias:0']
    """
    with tf.variable_scope(scope or "rnn"):
        flat = [tf.convert_to_tensor(x) for x in tf.nest.flatten(inputs)]
        if not time_major:
            flat = [_swap_batch_time(x) for x in flat]
        seq_len = _seq_length(sequence_length)
        batch_size = _batch_size(flat, 1)
        state = _initial_state(cell, initial_state, dtype, batch_size)
        outputs, final_state = _dynamic_rnn_loop(cell, flat, inputs, state, seq_len,
                                                 batch_size, parallel_iterations or 32,
                                                 swap_memory, dtype)
        if not time_major:
            outputs = tf.nest.map_structure(_swap_batch_time, outputs)
        return outputs, final_state


def _swap_batch_time(x):
    perm = [1, 0] + list(range(2, x.shape.ndims))
    return tf.transpose(x, perm)


def _dynamic_rnn_loop(cell, flat, structure, state, seq_len, batch_size, parallel, swap,
                      dtype=None):
    time_steps = tf.shape(flat[0])[0]
    # TF1's _infer_state_dtype: an explicit dtype is the outputs' (crf_decode's int32
    # backpointers beside a float state), else the state's
    dtype = dtype or tf.nest.flatten(state)[0].dtype
    zero_output = _zeros(batch_size, cell.output_size, dtype)
    flat_zero = tf.nest.flatten(zero_output)
    time = tf.constant(0, dtype=tf.int32, name="time")
    input_tas = [tf.TensorArray(x.dtype, size=time_steps, element_shape=x.shape[1:]).unstack(x)
                 for x in flat]
    output_tas = [tf.TensorArray(dtype, size=time_steps, element_shape=z.shape)
                  for z in flat_zero]

    def body(t, tas, state):
        step_in = [ta.read(t) for ta in input_tas]
        for x, src in zip(step_in, flat):
            x.set_shape(src.shape[1:])
        output, new_state = cell(tf.nest.pack_sequence_as(structure, step_in), state)
        if seq_len is not None:
            output, new_state = _masked_step(t, seq_len, zero_output, state, output, new_state)
        tas = [ta.write(t, o) for ta, o in zip(tas, tf.nest.flatten(output))]
        return t + 1, tas, new_state

    _, tas, final_state = tf.while_loop(
        lambda t, *_: t < time_steps, body, (time, output_tas, state),
        parallel_iterations=parallel, swap_memory=swap, maximum_iterations=time_steps)
    stacked = [ta.stack() for ta in tas]
    steps = flat[0].shape.as_list()[0]
    for out, z in zip(stacked, flat_zero):
        out.set_shape([steps] + z.shape.as_list())
    return tf.nest.pack_sequence_as(zero_output, stacked), final_state


def static_rnn(cell, inputs, initial_state=None, dtype=None, sequence_length=None, scope=None):
    """Runs `cell` over a Python list of per-step inputs (the graph is unrolled).

    Args:
      cell: an `RNNCell`.
      inputs: a non-empty list of `[batch, depth]` Tensors, one per time step.
      initial_state: the initial state (default: `cell.zero_state(batch, dtype)`).
      dtype: the dtype of the zero initial state.
      sequence_length: an int vector `[batch]`: past its length an entry outputs zeros and
        keeps its state.
      scope: the variable scope (default "rnn").

    Returns:
      `(outputs, final_state)`: a list of outputs, one per step, and the last state.

    Raises:
      TypeError: `inputs` is not a list or tuple.
      ValueError: `inputs` is empty, or no `initial_state` and no `dtype`.

    >>> steps = [tf.ones([2, 3])] * 4
    >>> outputs, state = tf.nn.static_rnn(tf.nn.rnn_cell.GRUCell(2), steps, dtype=tf.float32)
    >>> print(len(outputs), state.shape, [v.name for v in tf.global_variables()][0])
    4 (2, 2) rnn/gru_cell/gates/kernel:0
    """
    if not isinstance(inputs, (list, tuple)):
        raise TypeError(f"Argument `inputs` must be a sequence. Received: {inputs}")
    if not inputs:
        raise ValueError("Argument `inputs` must not be empty.")
    with tf.variable_scope(scope or "rnn"):
        flat = [tf.convert_to_tensor(x) for x in tf.nest.flatten(inputs[0])]
        batch_size = _batch_size(flat, 0)
        state = _initial_state(cell, initial_state, dtype, batch_size)
        seq_len = _seq_length(sequence_length)
        if seq_len is not None:
            dtype = tf.nest.flatten(state)[0].dtype
            zero_output = _zeros(batch_size, cell.output_size, dtype)
        outputs = []
        for time, step_in in enumerate(inputs):
            output, new_state = cell(step_in, state)
            if seq_len is not None:
                output, new_state = _masked_step(time, seq_len, zero_output, state, output,
                                                 new_state)
            state = new_state
            outputs.append(output)
        return outputs, state


def _reverse(x, seq_len, seq_axis, batch_axis):
    if seq_len is None:
        return tf.reverse(x, axis=[seq_axis])
    return tf.reverse_sequence(x, seq_len, seq_axis=seq_axis, batch_axis=batch_axis)


def bidirectional_dynamic_rnn(cell_fw, cell_bw, inputs, sequence_length=None,
                              initial_state_fw=None, initial_state_bw=None, dtype=None,
                              parallel_iterations=None, swap_memory=False, time_major=False,
                              scope=None):
    """Runs a forward and a backward `dynamic_rnn` (the backward one on reversed sequences).

    Args:
      cell_fw: the forward cell (variables under `bidirectional_rnn/fw/`).
      cell_bw: the backward cell (variables under `bidirectional_rnn/bw/`).
      inputs: as for `dynamic_rnn`.
      sequence_length: an int vector `[batch]`; the backward pass reverses each entry's first
        `length` steps only.
      initial_state_fw: the forward initial state.
      initial_state_bw: the backward initial state.
      dtype: the dtype of zero initial states.
      parallel_iterations: accepted for TF compatibility.
      swap_memory: accepted for TF compatibility.
      time_major: whether `inputs` and outputs are time-major.
      scope: the variable scope (default "bidirectional_rnn").

    Returns:
      `((output_fw, output_bw), (state_fw, state_bw))`, `output_bw` in the input's time order.

    >>> x = tf.ones([2, 3, 4])
    >>> cell = tf.nn.rnn_cell.BasicRNNCell
    >>> (fw, bw), _ = tf.nn.bidirectional_dynamic_rnn(cell(2), cell(3), x, dtype=tf.float32)
    >>> print(fw.shape, bw.shape, tf.global_variables()[2].name)
    (2, 3, 2) (2, 3, 3) bidirectional_rnn/bw/basic_rnn_cell/kernel:0
    """
    time_axis, batch_axis = (0, 1) if time_major else (1, 0)
    with tf.variable_scope(scope or "bidirectional_rnn"):
        with tf.variable_scope("fw") as fw_scope:
            out_fw, state_fw = dynamic_rnn(cell_fw, inputs, sequence_length, initial_state_fw,
                                           dtype, parallel_iterations, swap_memory, time_major,
                                           scope=fw_scope)
        seq_len = None if sequence_length is None else tf.cast(sequence_length, tf.int64)
        with tf.variable_scope("bw") as bw_scope:
            reversed_in = tf.nest.map_structure(
                lambda x: _reverse(x, seq_len, time_axis, batch_axis), inputs)
            tmp, state_bw = dynamic_rnn(cell_bw, reversed_in, sequence_length, initial_state_bw,
                                        dtype, parallel_iterations, swap_memory, time_major,
                                        scope=bw_scope)
    out_bw = _reverse(tmp, seq_len, time_axis, batch_axis)
    return (out_fw, out_bw), (state_fw, state_bw)


def _reverse_list(inputs, seq_len):
    if seq_len is None:
        return list(reversed(inputs))
    stacked = tf.stack(inputs)
    flipped = tf.reverse_sequence(stacked, tf.cast(seq_len, tf.int64), seq_axis=0, batch_axis=1)
    return tf.unstack(flipped)


def static_bidirectional_rnn(cell_fw, cell_bw, inputs, initial_state_fw=None,
                             initial_state_bw=None, dtype=None, sequence_length=None,
                             scope=None):
    """Runs a forward and a backward `static_rnn` and concatenates their outputs per step.

    Args:
      cell_fw: the forward cell (variables under `bidirectional_rnn/fw/`).
      cell_bw: the backward cell (variables under `bidirectional_rnn/bw/`).
      inputs: a non-empty list of `[batch, depth]` Tensors.
      initial_state_fw: the forward initial state.
      initial_state_bw: the backward initial state.
      dtype: the dtype of zero initial states.
      sequence_length: an int vector `[batch]`.
      scope: the variable scope (default "bidirectional_rnn").

    Returns:
      `(outputs, state_fw, state_bw)`: outputs a list of `[batch, out_fw + out_bw]` Tensors.

    Raises:
      TypeError: `inputs` is not a list or tuple.
      ValueError: `inputs` is empty.
    """
    if not isinstance(inputs, (list, tuple)):
        raise TypeError(f"Argument `inputs` must be a sequence. Received: {inputs}")
    if not inputs:
        raise ValueError("Argument `inputs` must not be empty.")
    with tf.variable_scope(scope or "bidirectional_rnn"):
        with tf.variable_scope("fw") as fw_scope:
            out_fw, state_fw = static_rnn(cell_fw, inputs, initial_state_fw, dtype,
                                          sequence_length, scope=fw_scope)
        with tf.variable_scope("bw") as bw_scope:
            tmp, state_bw = static_rnn(cell_bw, _reverse_list(inputs, sequence_length),
                                       initial_state_bw, dtype, sequence_length, scope=bw_scope)
    out_bw = _reverse_list(tmp, sequence_length)
    outputs = [tf.concat([f, b], 1) for f, b in zip(out_fw, out_bw)]
    return outputs, state_fw, state_bw
