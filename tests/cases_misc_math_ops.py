"""Guard-test cases of minitf/ops/misc_math_ops.py, misc_array_ops.py and misc_index_ops.py."""
from test_gradient_check import r, spaced

import minitf as tf
from minitf import math as tf_math
from minitf.ops import approx_topk_ops, misc_array_ops, misc_index_ops, misc_math_ops


def _f32(x):
    return tf.cast(x, tf.float32)


def _f64(x):
    return tf.cast(x, tf.float64)


CASES = {
    "NextAfter": [(misc_math_ops.nextafter, [r(2, 3), r(3)])],
    "Cross": [(misc_array_ops.cross, [r(2, 3), r(2, 3)])],
    "Diag": [(misc_array_ops.diag, [r(2, 3)])],
    "DiagPart": [(misc_array_ops.diag_part, [r(2, 3, 2, 3)])],
    # (ApproxTopK takes float16/float32 only: through casts, on small values so that float32
    # rounding stays below the tolerances)
    "ApproxTopK": [
        (lambda x: _f64(approx_topk_ops.approx_max_k(_f32(x), 2)[0]), [spaced(2, 4) / 100], 1e-3),
        (lambda x: _f64(approx_topk_ops.approx_min_k(_f32(x), 2, reduction_dimension=0)[0]),
         [spaced(3, 2) / 100], 1e-3)],
}
# TF registers no gradient for Bitcast: tf.gradients raises LookupError (test_misc_math_ops.py)
GRAD_ELSEWHERE = {"Bitcast"}
STATELESS = {
    "DenseBincount": lambda: misc_index_ops.bincount([1, 1, 3, 0], weights=[0.5, 1.0, 2.0, 3.0]),
    "InTopKV2": lambda: tf_math.in_top_k([[0.1, 0.9, 0.5], [0.3, 0.3, 0.2]], [2, 1], 2),
    "UnravelIndex": lambda: misc_index_ops.unravel_index([5, 7, 0], [3, 4]),
    "SobolSample": lambda: tf_math.sobol_sample(3, 5, skip=2),
}
