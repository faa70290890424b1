"""`tf.contrib.rnn`'s block GRUs: `GRUBlockCell` and `GRUBlockCellV2`, the GRU of TF's fused
`GRUBlockCell` op built from minitf's ops (same math as `GRUCell`).

`GRUBlockCell` keeps TF's swapped variable names: its gate kernel `[depth + n, 2n]` is `w_c`
and its candidate kernel `[depth + n, n]` is `w_ru` (with biases `b_ru` and `b_c`), so TF1
checkpoints load. `GRUBlockCellV2` names them as `GRUCell` does (`gates/kernel`, ...).
"""
import minitf as tf
from minitf.contrib.rnn._base import ContribCell

__all__ = ["GRUBlockCell", "GRUBlockCellV2"]


class GRUBlockCell(ContribCell):
    """The GRU of TF's `GRUBlockCell` op, with its (swapped) variable names `w_c`, `w_ru`.

    `r, u = sigmoid([x, h] w_ru + b_ru)`, `c = tanh([x, r * h] w_c + b_c)`,
    `h' = u * h + (1 - u) * c`; the gate bias starts at 1, the candidate bias at 0.

    Args:
      num_units: the number of units.
      cell_size: the deprecated name of `num_units`.
      reuse: whether to reuse variables of the same scope.
      name: the cell's variable-scope name (default "gru_cell").

    Raises:
      ValueError: both or neither of `num_units` and `cell_size` are given.
    """

    _scope_name = "gru_cell"
    _names = ("w_c", "b_ru", "w_ru", "b_c")  # gate kernel, gate bias, candidate kernel and bias

    def __init__(self, num_units=None, cell_size=None, reuse=None, name="gru_cell"):
        super().__init__(name=name, reuse=reuse)
        if (cell_size is None) == (num_units is None):
            raise ValueError("Exactly one of num_units or cell_size must be provided.")
        self._cell_size = num_units if num_units is not None else cell_size

    state_size = property(lambda self: self._cell_size)
    output_size = property(lambda self: self._cell_size)

    def build(self, input_depth):
        """Makes the gate and candidate kernels and biases.

        Args:
          input_depth: the size of the inputs' last dimension.
        """
        n, rows = self._cell_size, input_depth + self._cell_size
        gate_w, gate_b, cand_w, cand_b = self._names
        self._gate_kernel = self._variable(gate_w, [rows, 2 * n])
        self._gate_bias = self._variable(gate_b, [2 * n], tf.constant_initializer(1.0))
        self._candidate_kernel = self._variable(cand_w, [rows, n])
        self._candidate_bias = self._variable(cand_b, [n], tf.constant_initializer(0.0))

    def call(self, inputs, state):
        """Runs one GRU step.

        Args:
          inputs: a `[batch, depth]` Tensor.
          state: the previous output `h`, `[batch, num_units]`.

        Returns:
          `(h', h')`.

        Raises:
          ValueError: the state's depth is not `num_units`.
        """
        depth = state.shape.as_list()[1] if state.shape.ndims == 2 else None
        if depth is not None and depth != self._cell_size:
            raise ValueError(f"Shape of h_prev[1] incorrect: cell_size {self._cell_size} vs "
                             f"{depth}")
        xh = tf.concat([inputs, state], 1)
        ru = tf.sigmoid(tf.nn.bias_add(tf.matmul(xh, self._gate_kernel), self._gate_bias))
        r, u = tf.split(ru, 2, axis=1)
        xhr = tf.concat([inputs, state * r], 1)
        c = tf.tanh(tf.nn.bias_add(tf.matmul(xhr, self._candidate_kernel),
                                   self._candidate_bias))
        new_h = (1 - u) * c + u * state
        return new_h, new_h


class GRUBlockCellV2(GRUBlockCell):
    """`GRUBlockCell` with `GRUCell`'s variable names: `gates/kernel`, `candidate/bias`, ....

    Args:
      num_units: the number of units.
      cell_size: the deprecated name of `num_units`.
      reuse: whether to reuse variables of the same scope.
      name: the cell's variable-scope name (default "gru_cell").
    """

    _names = ("gates/kernel", "gates/bias", "candidate/kernel", "candidate/bias")
