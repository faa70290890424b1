"""Guard-test cases of RMSProp, Adadelta and FTRL's update ops (no gradients: training ops).
Their ref-variable forms exist only in graph mode; the resource forms run eagerly in
test_optimizers_rmsprop.py::test_eager_steps_equal_tf."""
_KINDS = ("RMSProp", "CenteredRMSProp", "Adadelta", "Ftrl", "FtrlV2")

GRAPH_ONLY = {f"{sparse}Apply{kind}" for kind in _KINDS for sparse in ("", "Sparse")}
EAGER_ELSEWHERE = {f"Resource{op}": "test_optimizers_rmsprop.py::test_eager_steps_equal_tf"
                   for op in GRAPH_ONLY}
