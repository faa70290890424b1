"""Guard-test cases of minitf/ops/nn_more_ops.py and nn_norm_ops.py."""
from test_gradient_check import r, spaced

import minitf as tf
from minitf.ops import nn_more_ops, nn_norm_ops


def _f32(x):
    return tf.cast(x, tf.float32)


def _f64(x):
    return tf.cast(x, tf.float64)


def _fbn(data_format="NHWC", is_training=True):
    # (FusedBatchNormV3 takes float32 at most: through casts, hence the looser tolerances)
    def build(x, scale, offset):
        mean = variance = None
        if not is_training:
            mean, variance = [0.1, -0.2, 0.3], [0.5, 1.5, 2.0]
        y = nn_norm_ops.fused_batch_norm(_f32(x), _f32(scale), _f32(offset), mean, variance,
                                         data_format=data_format, is_training=is_training)[0]
        return _f64(y)
    return build


CASES = {
    "LeakyRelu": [(lambda x: nn_more_ops.leaky_relu(x, alpha=0.3), [spaced(2, 3)])],
    "Selu": [(nn_more_ops.selu, [spaced(2, 3)])],
    "LRN": [(lambda x: _f64(nn_norm_ops.lrn(_f32(x), depth_radius=1, bias=1.0, alpha=0.5,
                                             beta=0.75)), [r(1, 2, 2, 4)], 1e-3)],
    "FusedBatchNormV3": [
        (_fbn(), [r(2, 2, 2, 3), r(3, low=0.5, high=1.5), r(3)], 1e-3),
        (_fbn("NCHW"), [r(2, 3, 2, 2), r(3, low=0.5, high=1.5), r(3)], 1e-3),
        (_fbn(is_training=False), [r(2, 2, 2, 3), r(3, low=0.5, high=1.5), r(3)], 1e-3)],
}
# (float32 inside: the finite differences of the gradient are coarse; test_nn_more_ops.py checks
# FusedBatchNormV3's second derivative in float64 to 1e-6)
SECOND_ORDER_TOLERANCE = {"LRN": 1e-2, "FusedBatchNormV3": 0.1}
