"""Guard-test cases of minitf/train/checkpoint_ops.py (see tests/opcases.py): the remapping ops
have no gradients and read files, so they run eagerly in their own test."""
_RUN = "tests/test_warm_starting.py::test_remapping_ops"

EAGER_ELSEWHERE = {"GenerateVocabRemapping": _RUN, "LoadAndRemapMatrix": _RUN}
