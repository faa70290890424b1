"""Guard-test cases of the candidate samplers (minitf/ops/candidate_sampling_ops.py): they draw
anew each run and have no gradient, so they run eagerly in their own test; ComputeAccidentalHits
is deterministic and runs here."""
import minitf as tf

_EAGER = "test_candidate_sampling.py::test_samplers_run_eagerly_and_continue_their_streams"

EAGER_ELSEWHERE = {
    "UniformCandidateSampler": _EAGER, "LogUniformCandidateSampler": _EAGER,
    "LearnedUnigramCandidateSampler": _EAGER, "FixedUnigramCandidateSampler": _EAGER,
    "AllCandidateSampler": _EAGER,
}
STATELESS = {
    "ComputeAccidentalHits": lambda: tf.nn.compute_accidental_hits([[1, 5], [3, 7]],
                                                                   [5, 1, 3, 9, 5], 2),
}
