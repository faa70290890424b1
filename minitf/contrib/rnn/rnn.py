"""`tf.contrib.rnn`'s stacked bidirectional drivers: layer `k` runs a bidirectional RNN under
`stack_bidirectional_rnn/cell_<k>/` and feeds the depth-concatenated forward and backward
outputs to layer `k + 1`.

As in TF 1.15 the static form passes the `cell_<k>` scope itself to `static_bidirectional_rnn`
(variables `stack_bidirectional_rnn/cell_0/fw/...`) while the dynamic form opens
`bidirectional_rnn` inside it (`stack_bidirectional_rnn/cell_0/bidirectional_rnn/fw/...`).
"""
import minitf as tf
from minitf.rnn import bidirectional_dynamic_rnn, static_bidirectional_rnn

__all__ = ["stack_bidirectional_rnn", "stack_bidirectional_dynamic_rnn"]


def _check_layers(cells_fw, cells_bw, initial_states_fw, initial_states_bw):
    if not cells_fw:
        raise ValueError("Must specify at least one fw cell for BidirectionalRNN.")
    if not cells_bw:
        raise ValueError("Must specify at least one bw cell for BidirectionalRNN.")
    if not isinstance(cells_fw, list):
        raise ValueError("cells_fw must be a list of RNNCells (one per layer).")
    if not isinstance(cells_bw, list):
        raise ValueError("cells_bw must be a list of RNNCells (one per layer).")
    if len(cells_fw) != len(cells_bw):
        raise ValueError("Forward and Backward cells must have the same depth.")
    for which, states in (("fw", initial_states_fw), ("bw", initial_states_bw)):
        if states is not None and (not isinstance(states, list)
                                   or len(states) != len(cells_fw)):
            raise ValueError(f"initial_states_{which} must be a list of state tensors (one per "
                             "layer).")


def _layer_state(states, k):
    return states[k] if states else None


def stack_bidirectional_rnn(cells_fw, cells_bw, inputs, initial_states_fw=None,
                            initial_states_bw=None, dtype=None, sequence_length=None,
                            scope=None):
    """Stacks `static_bidirectional_rnn` layers; each gets the previous layer's outputs.

    Args:
      cells_fw: a list of forward cells, one per layer.
      cells_bw: a list of backward cells, as many as `cells_fw`.
      inputs: a non-empty list of `[batch, depth]` Tensors, one per time step.
      initial_states_fw: a list of forward initial states, one per layer (default zeros).
      initial_states_bw: a list of backward initial states, one per layer.
      dtype: the dtype of zero initial states; required if some are not given.
      sequence_length: an int vector `[batch]`.
      scope: the variable scope (default "stack_bidirectional_rnn").

    Returns:
      `(outputs, states_fw, states_bw)`: a list of `[batch, out_fw + out_bw]` Tensors of the
      last layer, and tuples of the final states of every layer.

    Raises:
      ValueError: empty or non-list cells, different depths, or initial states that are not a
        list with one state per layer.

    >>> from minitf.contrib import rnn as contrib_rnn
    >>> cells = lambda: [tf.nn.rnn_cell.GRUCell(2), tf.nn.rnn_cell.GRUCell(3)]
    >>> out, fw, bw = contrib_rnn.stack_bidirectional_rnn(cells(), cells(), [tf.ones([4, 5])],
    ...                                                   dtype=tf.float32)
    >>> print(out[0].shape, len(fw), tf.global_variables()[0].name)
    (4, 6) 2 stack_bidirectional_rnn/cell_0/fw/gru_cell/gates/kernel:0
    """
    _check_layers(cells_fw, cells_bw, initial_states_fw, initial_states_bw)
    states_fw, states_bw, layer = [], [], inputs
    with tf.variable_scope(scope or "stack_bidirectional_rnn"):
        for k, (cell_fw, cell_bw) in enumerate(zip(cells_fw, cells_bw)):
            with tf.variable_scope(f"cell_{k}") as cell_scope:
                layer, state_fw, state_bw = static_bidirectional_rnn(
                    cell_fw, cell_bw, layer, initial_state_fw=_layer_state(initial_states_fw, k),
                    initial_state_bw=_layer_state(initial_states_bw, k), dtype=dtype,
                    sequence_length=sequence_length, scope=cell_scope)
            states_fw.append(state_fw)
            states_bw.append(state_bw)
    return layer, tuple(states_fw), tuple(states_bw)


def stack_bidirectional_dynamic_rnn(cells_fw, cells_bw, inputs, initial_states_fw=None,
                                    initial_states_bw=None, dtype=None, sequence_length=None,
                                    parallel_iterations=None, time_major=False, scope=None):
    """Stacks `bidirectional_dynamic_rnn` layers; each gets the previous layer's outputs.

    Args:
      cells_fw: a list of forward cells, one per layer.
      cells_bw: a list of backward cells, as many as `cells_fw`.
      inputs: a `[batch, time, depth]` Tensor (`[time, batch, depth]` if `time_major`).
      initial_states_fw: a list of forward initial states, one per layer (default zeros).
      initial_states_bw: a list of backward initial states, one per layer.
      dtype: the dtype of zero initial states; required if some are not given.
      sequence_length: an int vector `[batch]`.
      parallel_iterations: accepted for TF compatibility.
      time_major: whether `inputs` and outputs are time-major.
      scope: the variable scope (default "stack_bidirectional_rnn").

    Returns:
      `(outputs, states_fw, states_bw)`: the last layer's `[batch, time, out_fw + out_bw]`
      outputs, and tuples of the final states of every layer.

    Raises:
      ValueError: empty or non-list cells, different depths, or initial states that are not a
        list with one state per layer.

    >>> from minitf.contrib import rnn as contrib_rnn
    >>> cells = lambda: [tf.nn.rnn_cell.BasicRNNCell(2), tf.nn.rnn_cell.BasicRNNCell(3)]
    >>> out, fw, bw = contrib_rnn.stack_bidirectional_dynamic_rnn(
    ...     cells(), cells(), tf.ones([4, 7, 5]), dtype=tf.float32)
    >>> print(out.shape, fw[1].shape, tf.global_variables()[-2].name)
    (4, 7, 6) (4, 3) stack_bidirectional_rnn/cell_1/bidirectional_rnn/bw/basic_rnn_cell/kernel:0
    """
    _check_layers(cells_fw, cells_bw, initial_states_fw, initial_states_bw)
    states_fw, states_bw, layer = [], [], inputs
    with tf.variable_scope(scope or "stack_bidirectional_rnn"):
        for k, (cell_fw, cell_bw) in enumerate(zip(cells_fw, cells_bw)):
            with tf.variable_scope(f"cell_{k}"):
                outputs, (state_fw, state_bw) = bidirectional_dynamic_rnn(
                    cell_fw, cell_bw, layer, initial_state_fw=_layer_state(initial_states_fw, k),
                    initial_state_bw=_layer_state(initial_states_bw, k),
                    sequence_length=sequence_length, parallel_iterations=parallel_iterations,
                    dtype=dtype, time_major=time_major)
                layer = tf.concat(outputs, 2)
            states_fw.append(state_fw)
            states_bw.append(state_bw)
    return layer, tuple(states_fw), tuple(states_bw)
