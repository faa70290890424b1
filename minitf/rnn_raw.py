"""TF1's lower-level recurrent drivers: `raw_rnn` (a `tf.while_loop` whose inputs, outputs and
end are chosen step by step by a `loop_fn`) and `static_state_saving_rnn` (a `static_rnn` whose
initial state is read from, and final state written back to, a state saver).
"""
import minitf as tf
from minitf.framework.tensor_util import dimension_at_index
from minitf.rnn import static_rnn

__all__ = ["raw_rnn", "static_state_saving_rnn"]


def _emit_layout(cell, emit_structure, flat_state):
    """The emit structure, its flat per-entry sizes (static shapes or shape Tensors) and dtypes:
    the first `loop_fn` call's emit_output, or else `cell.output_size` in the state's dtype."""
    if emit_structure is None:
        sizes = tf.nest.flatten(cell.output_size)
        return cell.output_size, sizes, [flat_state[0].dtype] * len(sizes)
    flat = tf.nest.flatten(emit_structure)
    sizes = [e.shape if e.shape.is_fully_defined() else tf.shape(e) for e in flat]
    return emit_structure, sizes, [e.dtype for e in flat]


def _static_dims(size):
    """A size (int, TensorShape or shape Tensor) as a static list of dimensions."""
    if isinstance(size, int):
        return [size]
    if tf.is_tensor(size):
        static = tf.get_static_value(size)
        return [None] * (size.shape.as_list()[0] or 0) if static is None else list(static)
    return tf.TensorShape(size).as_list()


def _zeros_with_batch(batch_size, size, dtype):
    """Zeros `[batch_size] + size`; built from shape Tensors when either is dynamic."""
    dims = _static_dims(size)
    if not tf.is_tensor(batch_size) and not tf.is_tensor(size) and None not in dims:
        return tf.zeros([batch_size] + dims, dtype)
    tail = tf.cast(size, tf.int32) if tf.is_tensor(size) else tf.constant(dims, tf.int32)
    out = tf.zeros(tf.concat([tf.reshape(batch_size, [1]), tail], 0), dtype)
    # the shapes a where() against the emitted outputs needs
    out.set_shape([tf.get_static_value(batch_size)] + dims)
    return out


def _batch_of(flat_input):
    shapes = [x.shape for x in flat_input]
    static = dimension_at_index(shapes[0], 0)
    for shape in shapes:  # every input must agree on the batch size
        static.assert_is_compatible_with(dimension_at_index(shape, 0))
    return static.value


def raw_rnn(cell, loop_fn, parallel_iterations=None, swap_memory=False, scope=None):
    """Runs `cell` in a `tf.while_loop` whose inputs, emitted outputs and end `loop_fn` decides.

    `loop_fn(time, cell_output, cell_state, loop_state)` returns `(finished, next_input,
    next_cell_state, emit_output, next_loop_state)`. It is first called with `time = 0` and
    `cell_output = cell_state = loop_state = None`: there `next_cell_state` is the initial state
    and `emit_output` (or, if None, `cell.output_size`) fixes the structure of what is emitted.
    Each step then runs the cell, calls `loop_fn(time + 1, output, state, loop_state)` and
    writes `emit_output` at `time`; an entry already finished emits zeros and keeps its state.
    The loop ends once every entry of `finished` is True.

    Args:
      cell: an `RNNCell`.
      loop_fn: the callable described above; `next_loop_state` may be None to keep the old one.
      parallel_iterations: accepted for TF compatibility (default 32).
      swap_memory: accepted for TF compatibility.
      scope: the variable scope (default "rnn").

    Returns:
      `(emit_ta, final_state, final_loop_state)`: a (structure of) TensorArray of the emitted
      outputs, one element per step, the last state, and the last loop state (None if the first
      `loop_fn` call returned None for it).

    Raises:
      TypeError: `loop_fn` is not callable.
      ValueError: the inputs disagree on the batch size, or a structure changes between steps.

    >>> cell = tf.nn.rnn_cell.BasicRNNCell(3)
    >>> def loop_fn(time, cell_output, cell_state, loop_state):
    ...     state = cell.zero_state(2, tf.float32) if cell_output is None else cell_state
    ...     return time >= [2, 4], tf.ones([2, 1]), state, cell_output, None
    >>> emit_ta, state, _ = tf.nn.raw_rnn(cell, loop_fn)
    >>> print(emit_ta.stack().shape, state.name)
    (?, 2, 3) rnn/while/Exit_4:0
    """
    if not callable(loop_fn):
        raise TypeError(f"Argument `loop_fn` must be a callable. Received: {loop_fn}.")
    with tf.variable_scope(scope or "rnn"):
        time = tf.constant(0, dtype=tf.int32)
        finished, next_input, state, emit_structure, init_loop_state = loop_fn(
            time=time, cell_output=None, cell_state=None, loop_state=None)
        flat_input = tf.nest.flatten(next_input)
        # a surrogate loop state when loop_fn keeps none
        loop_state = init_loop_state if init_loop_state is not None else tf.constant(0, tf.int32)
        const_batch = _batch_of(flat_input)
        batch_size = const_batch if const_batch is not None else tf.shape(flat_input[0])[0]
        tf.nest.assert_same_structure(state, cell.state_size)
        state = tf.nest.map_structure(tf.convert_to_tensor, state)
        flat_state = tf.nest.flatten(state)
        structure, sizes, dtypes = _emit_layout(cell, emit_structure, flat_state)
        emit_ta = tf.nest.pack_sequence_as(structure, [
            tf.TensorArray(dtype, size=0, dynamic_size=True, name=f"rnn_output_{i}",
                           element_shape=tf.TensorShape([const_batch] + _static_dims(size)))
            for i, (dtype, size) in enumerate(zip(dtypes, sizes))])
        zero_emit = tf.nest.pack_sequence_as(structure, [
            _zeros_with_batch(batch_size, size, dtype) for size, dtype in zip(sizes, dtypes)])
        body = _raw_body(cell, loop_fn, zero_emit)
        returned = tf.while_loop(
            lambda unused_time, finished, *_: tf.logical_not(tf.reduce_all(finished)), body,
            loop_vars=[time, finished, next_input, emit_ta, state, loop_state],
            parallel_iterations=parallel_iterations or 32, swap_memory=swap_memory)
        emit_ta, final_state, final_loop_state = returned[-3:]
        return emit_ta, final_state, (None if init_loop_state is None else final_loop_state)


def _raw_body(cell, loop_fn, zero_emit):
    def body(time, finished, current_input, emit_ta, state, loop_state):
        output, cell_state = cell(current_input, state)
        tf.nest.assert_same_structure(state, cell_state)
        tf.nest.assert_same_structure(cell.output_size, output)
        next_time = time + 1
        next_finished, next_input, next_state, emit, next_loop_state = loop_fn(
            next_time, output, cell_state, loop_state)
        tf.nest.assert_same_structure(state, next_state)
        tf.nest.assert_same_structure(current_input, next_input)
        tf.nest.assert_same_structure(emit_ta, emit)
        loop_state = loop_state if next_loop_state is None else next_loop_state

        def copy_through(current, candidate):
            # finished entries keep `current` (zeros for emits); scalars pass as they are
            if isinstance(current, tf.TensorArray) or current.shape.ndims == 0:
                return candidate
            return tf.where(finished, current, candidate)

        emit = tf.nest.map_structure(copy_through, zero_emit, emit)
        next_state = tf.nest.map_structure(copy_through, state, next_state)
        emit_ta = tf.nest.map_structure(lambda ta, e: ta.write(time, e), emit_ta, emit)
        finished = tf.logical_or(finished, next_finished)
        return next_time, finished, next_input, emit_ta, next_state, loop_state
    return body


def static_state_saving_rnn(cell, inputs, state_saver, state_name, sequence_length=None,
                            scope=None):
    """A `static_rnn` that starts from, and saves back, the state held by `state_saver`.

    Args:
      cell: an `RNNCell`.
      inputs: a non-empty list of `[batch, depth]` Tensors, one per time step.
      state_saver: an object with `state(name)` (a Tensor: the saved state) and
        `save_state(name, value)` (an op saving it).
      state_name: the state's name, or a structure of names like `cell.state_size`.
      sequence_length: an int vector `[batch]`, as for `static_rnn`.
      scope: the variable scope (default "rnn").

    Returns:
      `(outputs, state)` as from `static_rnn`; the last output and the state run only after
      the state is saved.

    Raises:
      ValueError: `state_name` and `cell.state_size` differ in structure or length.

    >>> class Saver:
    ...     def state(self, name):
    ...         return tf.zeros([2, 3])
    ...     def save_state(self, name, value):
    ...         return tf.no_op(name="save_" + name)
    >>> cell = tf.nn.rnn_cell.BasicRNNCell(3)
    >>> outs, st = tf.nn.static_state_saving_rnn(cell, [tf.ones([2, 1])] * 2, Saver(), "s")
    >>> print(st.name, [op.name for op in st.op.control_inputs])
    Identity_1:0 ['save_s']
    """
    state_size = cell.state_size
    state_is_tuple = tf.nest.is_nested(state_size)
    if state_is_tuple != tf.nest.is_nested(state_name):
        raise ValueError("Argument `state_name` should be the same type as `cell.state_size`. "
                         f"Received: state_name={state_name!s}, "
                         f"cell.state_size={state_size!s}.")
    if state_is_tuple:
        names, sizes = tf.nest.flatten(state_name), tf.nest.flatten(state_size)
        if len(names) != len(sizes):
            raise ValueError("Number of elements in argument `state_name` and "
                             "`cell.state_size` are mismatched. Received "
                             f"state_name={state_name} with {len(names)} elements and "
                             f"cell.state_size={state_size} with {len(sizes)} elements.")
        initial_state = tf.nest.pack_sequence_as(state_size,
                                                 [state_saver.state(n) for n in names])
    else:
        names, initial_state = [state_name], state_saver.state(state_name)
    outputs, state = static_rnn(cell, inputs, initial_state=initial_state,
                                sequence_length=sequence_length, scope=scope)
    saves = [state_saver.save_state(n, s) for n, s in zip(names, tf.nest.flatten(state))]
    with tf.control_dependencies(saves):
        # the last output and the state wait for the save
        outputs[-1] = tf.nest.map_structure(tf.identity, outputs[-1])
        state = tf.nest.map_structure(tf.identity, state)
    return outputs, state
