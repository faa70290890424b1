"""What contrib's cells share: TF's private `_Linear` of core_rnn_cell (`concat(args, 1) @
kernel + bias`, its variables `kernel` and `bias`, zeros by default, made in the current variable
scope) and `ContribCell`, whose variables take the inputs' dtype as TF's layers do."""
import minitf as tf
from minitf.rnn_cell import RNNCell


class ContribCell(RNNCell):
    """An `RNNCell` whose variables default to the dtype of its first inputs (TF's Layer)."""

    def _build_and_call(self, inputs, state):
        if not self.built and self._dtype is None:
            self._dtype = tf.convert_to_tensor(inputs).dtype.base_dtype
        return super()._build_and_call(inputs, state)


def linear(args, output_size, build_bias, bias_initializer=None, kernel_initializer=None):
    """Returns `(output, variables)`; `args` is a `[batch, n]` Tensor or a list of them."""
    args = list(args) if isinstance(args, (list, tuple)) else [args]
    depths = [a.shape.as_list()[1] for a in args]
    if None in depths:
        raise ValueError(f"linear expects shape[1] to be provided for shape "
                         f"{args[depths.index(None)].shape}, but saw None.")
    dtype = args[0].dtype
    kernel = tf.get_variable("kernel", [sum(depths), output_size], dtype=dtype,
                             initializer=kernel_initializer)
    out = tf.matmul(args[0] if len(args) == 1 else tf.concat(args, 1), kernel)
    if not build_bias:
        return out, [kernel]
    bias = tf.get_variable("bias", [output_size], dtype=dtype,
                           initializer=bias_initializer or tf.constant_initializer(0.0))
    return tf.nn.bias_add(out, bias), [kernel, bias]


def track(cell, variables):
    """Records variables a cell made (or reused) in its call, each once."""
    cell._own_variables.extend(v for v in variables if v not in cell._own_variables)
