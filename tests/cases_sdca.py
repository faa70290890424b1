"""Guard-test cases of minitf/ops/sdca_ops.py (see tests/opcases.py): the SDCA ops have no
gradients; SdcaShrinkL1 updates reference variables, which exist only in graph mode."""
import numpy as np

import minitf as tf


def _sdca():
    out = tf.train.sdca_optimizer(
        [tf.constant([0, 1], tf.int64)], [tf.constant([3, 5], tf.int64)], [],
        [tf.constant(np.eye(2, dtype=np.float32))], [1.0, 2.0], [1.0, 0.0],
        [tf.constant([3, 5], tf.int64)], [tf.constant([0.1, -0.2])], [tf.constant([0.3, 0.0])],
        tf.zeros([2, 4]), "logistic_loss", 0.1, 1.0, 1, 1, adaptative=False)
    return [out.out_example_state_data] + out.out_delta_sparse_weights + \
        out.out_delta_dense_weights


STATELESS = {
    "SdcaOptimizer": _sdca,
    "SdcaFprint": lambda: tf.train.sdca_fprint(["a", "example-17", "x" * 130]),
}
GRAPH_ONLY = {"SdcaShrinkL1"}
