"""`tf.contrib.crf` (TF 1.15): a linear-chain CRF. Scores of tag sequences
(`crf_sequence_score`, `crf_unary_score`, `crf_binary_score`, `crf_multitag_sequence_score`),
the partition function (`crf_log_norm`, `CrfForwardRnnCell`), `crf_log_likelihood`, and
Viterbi decoding in the graph (`crf_decode` and its two cells) or in NumPy
(`viterbi_decode`)."""
from minitf.contrib.crf.crf import (
    CrfForwardRnnCell,
    crf_binary_score,
    crf_log_likelihood,
    crf_log_norm,
    crf_multitag_sequence_score,
    crf_sequence_score,
    crf_unary_score,
)
from minitf.contrib.crf.crf_decode import (
    CrfDecodeBackwardRnnCell,
    CrfDecodeForwardRnnCell,
    crf_decode,
    viterbi_decode,
)

__all__ = ["crf_sequence_score", "crf_log_norm", "crf_log_likelihood", "crf_unary_score",
           "crf_binary_score", "crf_multitag_sequence_score", "CrfForwardRnnCell",
           "viterbi_decode", "crf_decode", "CrfDecodeForwardRnnCell",
           "CrfDecodeBackwardRnnCell"]
