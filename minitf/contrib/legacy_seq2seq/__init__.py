"""`tf.contrib.legacy_seq2seq` (TF 1.15): the static-unrolled sequence-to-sequence models of
the TF translate tutorial and char-rnn, with TF 1.15's variable names.

Decoders: `rnn_decoder`, `embedding_rnn_decoder`, `attention_decoder`,
`embedding_attention_decoder`. Models: `basic_rnn_seq2seq`, `tied_rnn_seq2seq`,
`embedding_rnn_seq2seq`, `embedding_tied_rnn_seq2seq`, `embedding_attention_seq2seq`,
`one2many_rnn_seq2seq`. Losses: `sequence_loss_by_example`, `sequence_loss`; and
`model_with_buckets`.
"""
from minitf.contrib.legacy_seq2seq.attention import (
    attention_decoder,
    embedding_attention_decoder,
)
from minitf.contrib.legacy_seq2seq.buckets import model_with_buckets
from minitf.contrib.legacy_seq2seq.decoders import embedding_rnn_decoder, rnn_decoder
from minitf.contrib.legacy_seq2seq.loss import sequence_loss, sequence_loss_by_example
from minitf.contrib.legacy_seq2seq.models import (
    basic_rnn_seq2seq,
    embedding_attention_seq2seq,
    embedding_rnn_seq2seq,
    embedding_tied_rnn_seq2seq,
    one2many_rnn_seq2seq,
    tied_rnn_seq2seq,
)

__all__ = [
    "attention_decoder", "basic_rnn_seq2seq", "embedding_attention_decoder",
    "embedding_attention_seq2seq", "embedding_rnn_decoder", "embedding_rnn_seq2seq",
    "embedding_tied_rnn_seq2seq", "model_with_buckets", "one2many_rnn_seq2seq", "rnn_decoder",
    "sequence_loss", "sequence_loss_by_example", "tied_rnn_seq2seq",
]
