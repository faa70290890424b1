"""`tf.contrib.seq2seq` (TF 1.15): sequence-to-sequence decoding on minitf's graphs.

`sequence_loss`; the `Decoder` interface and `dynamic_decode`; `BasicDecoder` with its helpers
(`TrainingHelper`, `GreedyEmbeddingHelper`, `SampleEmbeddingHelper`,
`ScheduledEmbeddingTrainingHelper`, `InferenceHelper`, `CustomHelper`); attention
(`BahdanauAttention`, `LuongAttention`, `AttentionWrapper`); and beam search
(`BeamSearchDecoder`, `tile_batch`, `gather_tree`). Variables take TF 1.15's names.
"""
from minitf.contrib.seq2seq.attention_mechanism import (
    AttentionMechanism,
    BahdanauAttention,
    LuongAttention,
    hardmax,
    monotonic_attention,
    safe_cumprod,
)
from minitf.contrib.seq2seq.attention_wrapper import AttentionWrapper, AttentionWrapperState
from minitf.contrib.seq2seq.basic_decoder import BasicDecoder, BasicDecoderOutput
from minitf.contrib.seq2seq.beam_search_decoder import (
    BeamSearchDecoder,
    BeamSearchDecoderOutput,
    BeamSearchDecoderState,
    FinalBeamSearchDecoderOutput,
    tile_batch,
)
from minitf.contrib.seq2seq.beam_search_ops import gather_tree
from minitf.contrib.seq2seq.decoder import Decoder, dynamic_decode
from minitf.contrib.seq2seq.helper import (
    CustomHelper,
    GreedyEmbeddingHelper,
    Helper,
    InferenceHelper,
    SampleEmbeddingHelper,
    ScheduledEmbeddingTrainingHelper,
    TrainingHelper,
)
from minitf.contrib.seq2seq.loss import sequence_loss

__all__ = [
    "sequence_loss", "Decoder", "dynamic_decode", "BasicDecoder", "BasicDecoderOutput",
    "Helper", "CustomHelper", "TrainingHelper", "GreedyEmbeddingHelper",
    "SampleEmbeddingHelper", "ScheduledEmbeddingTrainingHelper", "InferenceHelper",
    "AttentionMechanism", "BahdanauAttention", "LuongAttention", "AttentionWrapper",
    "AttentionWrapperState", "hardmax", "safe_cumprod", "monotonic_attention",
    "BeamSearchDecoder", "BeamSearchDecoderOutput", "BeamSearchDecoderState",
    "FinalBeamSearchDecoderOutput", "tile_batch", "gather_tree",
]
