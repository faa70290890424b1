"""TF 1.15's `core_rnn_cell` wrappers of `tf.contrib.rnn`: `EmbeddingWrapper` (embeds int
symbols before a cell), `InputProjectionWrapper` and `OutputProjectionWrapper` (a `_Linear`
before or after a cell). Unlike `DropoutWrapper` each opens its own variable scope
(`embedding_wrapper`, `input_projection_wrapper`, `output_projection_wrapper`), the wrapped
cell's variables nested inside it, as TF 1.15 names them.
"""
import math

import minitf as tf
from minitf.contrib.rnn._base import linear, track
from minitf.rnn_cell import RNNCell, WrapperBase

__all__ = ["EmbeddingWrapper", "InputProjectionWrapper", "OutputProjectionWrapper"]


def _check_cell(cell):
    if not isinstance(cell, RNNCell):
        raise TypeError(f"The parameter cell is not RNNCell: {cell!r}")


class _ScopedWrapper(WrapperBase):
    """A wrapper with its own variable scope; it builds its variables inside `call`."""

    def __init__(self, cell, reuse=None):
        _check_cell(cell)
        super().__init__(cell, reuse=reuse)

    def _build_and_call(self, inputs, state):
        self.built = True
        return self.call(inputs, state)


class EmbeddingWrapper(_ScopedWrapper):
    """Embeds int symbols (`[batch]` or `[batch, 1]`) and runs the cell on the embeddings.

    The embedding `embedding_wrapper/embedding` `[embedding_classes, embedding_size]` takes the
    state's dtype; its initializer is `initializer`, else the scope's, else uniform in
    `[-sqrt(3), sqrt(3)]` (variance 1), as in TF 1.15.

    Args:
      cell: the cell to run on the embedded inputs.
      embedding_classes: how many symbols are embedded.
      embedding_size: the size of each embedding vector.
      initializer: the embedding's initializer.
      reuse: whether to reuse variables of the same scope.

    Raises:
      TypeError: `cell` is not an RNNCell.
      ValueError: `embedding_classes` or `embedding_size` is not positive.
    """

    _scope_name = "embedding_wrapper"

    def __init__(self, cell, embedding_classes, embedding_size, initializer=None, reuse=None):
        super().__init__(cell, reuse=reuse)
        if embedding_classes <= 0 or embedding_size <= 0:
            raise ValueError("Both embedding_classes and embedding_size must be > 0: "
                             f"{embedding_classes}, {embedding_size}.")
        self._embedding_classes = embedding_classes
        self._embedding_size = embedding_size
        self._initializer = initializer

    def call(self, inputs, state):
        """Embeds `inputs` and runs the wrapped cell on them.

        Args:
          inputs: int symbols, `[batch]` or `[batch, 1]`.
          state: the wrapped cell's state.

        Returns:
          The wrapped cell's `(output, new_state)`.
        """
        initializer = self._initializer or tf.get_variable_scope().initializer
        if initializer is None:
            sqrt3 = math.sqrt(3)
            initializer = tf.random_uniform_initializer(-sqrt3, sqrt3)
        dtype = tf.nest.flatten(state)[0].dtype
        embedding = tf.get_variable("embedding", [self._embedding_classes, self._embedding_size],
                                    dtype=dtype, initializer=initializer)
        track(self, [embedding])
        embedded = tf.nn.embedding_lookup(embedding, tf.reshape(inputs, [-1]))
        return self._cell(embedded, state)


class InputProjectionWrapper(_ScopedWrapper):
    """Projects the inputs to `num_proj` features (`kernel`, `bias`) before the cell.

    Args:
      cell: the cell to run on the projected inputs.
      num_proj: the size of the projection.
      activation: an optional function applied to the projection.
      input_size: deprecated and unused (as in TF).
      reuse: whether to reuse variables of the same scope.

    Raises:
      TypeError: `cell` is not an RNNCell.
    """

    _scope_name = "input_projection_wrapper"

    def __init__(self, cell, num_proj, activation=None, input_size=None, reuse=None):
        super().__init__(cell, reuse=reuse)
        self._num_proj = num_proj
        self._activation = activation

    def call(self, inputs, state):
        """Projects `inputs` and runs the wrapped cell on them.

        Args:
          inputs: a `[batch, depth]` Tensor.
          state: the wrapped cell's state.

        Returns:
          The wrapped cell's `(output, new_state)`.
        """
        projected, variables = linear(inputs, self._num_proj, True)
        track(self, variables)
        if self._activation:
            projected = self._activation(projected)
        return self._cell(projected, state)


class OutputProjectionWrapper(_ScopedWrapper):
    """Projects the cell's outputs to `output_size` features (`kernel`, `bias`).

    Args:
      cell: the cell whose outputs are projected.
      output_size: the size of the projected outputs.
      activation: an optional function applied to the projection.
      reuse: whether to reuse variables of the same scope.

    Raises:
      TypeError: `cell` is not an RNNCell.
      ValueError: `output_size` is not positive.
    """

    _scope_name = "output_projection_wrapper"

    def __init__(self, cell, output_size, activation=None, reuse=None):
        super().__init__(cell, reuse=reuse)
        if output_size < 1:
            raise ValueError(f"Parameter output_size must be > 0: {output_size}.")
        self._output_size = output_size
        self._activation = activation

    output_size = property(lambda self: self._output_size)

    def call(self, inputs, state):
        """Runs the wrapped cell and projects its output.

        Args:
          inputs: the wrapped cell's inputs.
          state: the wrapped cell's state.

        Returns:
          `(projected output, new_state)`.
        """
        output, new_state = self._cell(inputs, state)
        projected, variables = linear(output, self._output_size, True)
        track(self, variables)
        if self._activation:
            projected = self._activation(projected)
        return projected, new_state
