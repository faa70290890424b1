"""`tf.contrib.rnn` (TF 1.15): the core cells and drivers under their contrib names (the very
objects of `tf.nn.rnn_cell` and `tf.nn`), plus contrib's own cells and stacked drivers.

Of contrib's own names this has `LSTMBlockCell`, `LSTMBlockWrapper`, `LSTMBlockFusedCell`,
`GRUBlockCell`, `GRUBlockCellV2`, `LayerNormBasicLSTMCell`, `LayerNormBasicGRUCell`,
`HighwayWrapper`, `AttentionCellWrapper`, `UGRNNCell`, `IntersectionRNNCell`,
`stack_bidirectional_rnn`, `stack_bidirectional_dynamic_rnn` and the `core_rnn_cell` wrappers
`EmbeddingWrapper`, `InputProjectionWrapper` and `OutputProjectionWrapper`.
"""
from minitf.contrib.rnn.core_rnn_cell import (
    EmbeddingWrapper,
    InputProjectionWrapper,
    OutputProjectionWrapper,
)
from minitf.contrib.rnn.gated_cells import IntersectionRNNCell, UGRNNCell
from minitf.contrib.rnn.gru_ops import GRUBlockCell, GRUBlockCellV2
from minitf.contrib.rnn.layer_norm_cells import LayerNormBasicGRUCell, LayerNormBasicLSTMCell
from minitf.contrib.rnn.lstm_ops import LSTMBlockCell, LSTMBlockFusedCell, LSTMBlockWrapper
from minitf.contrib.rnn.rnn import stack_bidirectional_dynamic_rnn, stack_bidirectional_rnn
from minitf.contrib.rnn.wrappers import AttentionCellWrapper, HighwayWrapper
from minitf.rnn import static_bidirectional_rnn, static_rnn
from minitf.rnn_cell import (
    BasicLSTMCell,
    BasicRNNCell,
    DeviceWrapper,
    DropoutWrapper,
    GRUCell,
    LSTMCell,
    LSTMStateTuple,
    MultiRNNCell,
    ResidualWrapper,
    RNNCell,
)
from minitf.rnn_raw import static_state_saving_rnn

__all__ = [
    # from core (tf.nn.rnn_cell and tf.nn)
    "RNNCell", "BasicRNNCell", "BasicLSTMCell", "GRUCell", "LSTMCell", "LSTMStateTuple",
    "DropoutWrapper", "MultiRNNCell", "DeviceWrapper", "ResidualWrapper",
    "static_rnn", "static_state_saving_rnn", "static_bidirectional_rnn",
    # contrib's own
    "LSTMBlockCell", "LSTMBlockWrapper", "LSTMBlockFusedCell", "GRUBlockCell", "GRUBlockCellV2",
    "LayerNormBasicLSTMCell", "LayerNormBasicGRUCell", "HighwayWrapper", "AttentionCellWrapper",
    "UGRNNCell", "IntersectionRNNCell",
    "stack_bidirectional_rnn", "stack_bidirectional_dynamic_rnn",
    "EmbeddingWrapper", "InputProjectionWrapper", "OutputProjectionWrapper",
]
