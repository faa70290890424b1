"""Guard-test cases of the quantized nn ops (minitf/ops/quantized_nn_ops.py).

None has a gradient in TF (a path through one raises LookupError); tests/test_quantized_nn_ops.py
checks that and runs every op eagerly.
"""
GRAD_ELSEWHERE = {"QuantizedAvgPool", "QuantizedMaxPool", "QuantizedConv2D", "QuantizedReluX"}
EAGER_ELSEWHERE = {
    op: "test_quantized_nn_ops.py::test_quantized_nn_ops_run_eagerly" for op in GRAD_ELSEWHERE}
