"""Guard-test cases of TF's checkpoint ops (minitf/ops/io_ops.py): none is differentiable; each
runs eagerly in tests/test_io_ops.py."""
EAGER_ELSEWHERE = {op: "test_io_ops" for op in (
    "SaveV2", "RestoreV2", "ShardedFilename", "ShardedFilespec", "MergeV2Checkpoints",
    "StringJoin", "StaticRegexFullMatch")}
