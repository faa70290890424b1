"""Guard-test cases of the quantization ops (minitf/ops/quantize_ops.py).

Fake quantization is a step function whose registered gradient is TF's straight-through one,
which finite differences cannot see; the ops without a gradient raise LookupError, as in TF.
tests/test_quantize_ops.py checks both, and runs every op eagerly.
"""
import numpy as np

import minitf as tf

GRAD_ELSEWHERE = {"FakeQuantWithMinMaxArgs", "FakeQuantWithMinMaxVars",
                  "FakeQuantWithMinMaxVarsPerChannel", "QuantizeV2", "Dequantize",
                  "QuantizedConcat"}
X = np.array([[-1.0, 0.3, 2.0], [0.55, -0.7, 5.0]], np.float32)
STATELESS = {
    "FakeQuantWithMinMaxArgsGradient": lambda: tf.fake_quant_with_min_max_args_gradient(
        np.ones_like(X), X, min=-0.5, max=1.0),
    "FakeQuantWithMinMaxVarsGradient": lambda: tf.fake_quant_with_min_max_vars_gradient(
        np.ones_like(X), X, -0.5, 1.0),
    "FakeQuantWithMinMaxVarsPerChannelGradient": lambda: (
        tf.fake_quant_with_min_max_vars_per_channel_gradient(
            np.ones_like(X), X, [-1.0, -0.5, 0.0], [1.0, 0.5, 4.0])),
}
