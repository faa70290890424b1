"""Guard-test cases of the ops of TF's gradient graphs (minitf/ops/tf_grad_ops.py): ReluGrad is
differentiable (in the gradients it passes; piecewise constant in the features, kept away from
0), BroadcastGradientArgs and ConcatOffset are not."""
import numpy as np

import minitf as tf
from minitf.ops.tf_grad_ops import _relu_grad, broadcast_gradient_args, concat_offset

CASES = {
    "ReluGrad": [(lambda g, f: _relu_grad.apply([g, f]),
                  [np.array([[0.3, -0.7, 1.1], [0.2, 0.9, -1.4]]),
                   np.array([[0.5, -0.6, 1.3], [-0.4, 0.8, 0.7]])])],
}
STATELESS = {
    "BroadcastGradientArgs": lambda: broadcast_gradient_args(tf.constant([4, 1, 5]), [3, 1]),
    "ConcatOffset": lambda: concat_offset(-1, [tf.constant([2, 3]), [2, 5], [2, 1]]),
}
