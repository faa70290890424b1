"""Guard-test cases of minitf/ops/ctc_ops.py (CTCLoss, the decoders, PreventGradient)."""
import numpy as np
from test_gradient_check import r

import minitf as tf
from minitf.ops import ctc_ops


def _labels():
    return tf.SparseTensor([[0, 0], [0, 1], [1, 0], [1, 1]], np.array([1, 1, 0, 1], np.int32),
                           [2, 2])


CASES = {
    "CTCLoss": [
        (lambda x: tf.nn.ctc_loss(_labels(), x, [4, 3]), [r(4, 2, 3)]),
        (lambda x: tf.nn.ctc_loss(_labels(), x, [4, 2], ctc_merge_repeated=False,
                                  preprocess_collapse_repeated=True), [r(4, 2, 3)]),
    ],
}
# PreventGradient's gradient raises, as TF's: tests/test_ctc_ops.py checks it
GRAD_ELSEWHERE = {"PreventGradient"}
# a second derivative of CTCLoss goes through PreventGradient: TF's LookupError
NOT_TWICE = {("CTCLoss", 0): LookupError, ("CTCLoss", 1): LookupError}
_X = np.random.RandomState(1).randn(4, 2, 3).astype(np.float32)
STATELESS = {
    "CTCGreedyDecoder": lambda: ctc_ops._ctc_greedy_decoder.apply(
        [_X, [4, 2]], merge_repeated=True, blank_index=-1),
    "CTCBeamSearchDecoder": lambda: ctc_ops._ctc_beam_search_decoder.apply(
        [_X, [4, 2]], beam_width=3, top_paths=2, merge_repeated=True),
    "PreventGradient": lambda: ctc_ops._prevent_gradient.apply([_X], message="no"),
}
