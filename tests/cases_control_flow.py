"""Guard-test cases of the control-flow ops (issue 17, item 6): cond's If, while_loop's While,
and the TensorArray ops (see tests/opcases.py). Values and gradients in tests/test_cond.py,
tests/test_while_loop.py and tests/test_tensor_array.py."""
import numpy as np

import minitf as tf


def _loop(x):
    return tf.while_loop(lambda i, y: i < 3, lambda i, y: (i + 1, tf.sin(y) * x), [0, x])[1]


CASES = {
    "If": [(lambda x: tf.cond(tf.constant(True), lambda: tf.sin(x) * x, lambda: x * x), [
        np.array([[0.3, -0.7, 1.1], [0.2, 0.9, -1.4]])]),
           (lambda x, y: tf.cond(tf.reduce_sum(y) < 0.0, lambda: x * y, lambda: tf.exp(x)),
            [np.array([0.3, -0.7, 1.1]), np.array([0.5, -1.2, 0.4])])],
    "While": [(_loop, [np.array([0.3, -0.7, 1.1])])],
    "StatefulPartitionedCall": [(lambda x, y: tf.function(lambda a, b: tf.sin(a) * b + a)(x, y),
                                 [np.array([0.3, -0.7, 1.1]), np.array([0.5, 2.0, -1.0])])],
    "TensorArrayReadV3": [(lambda x: tf.TensorArray(tf.float64, 2).unstack(x).read(1) * 3.0,
                           [np.array([[0.3, -0.7, 1.1], [0.2, 0.9, -1.4]])])],
    "TensorArrayScatterV3": [(lambda x: tf.TensorArray(tf.float64, 3).scatter(
        [2, 0], x).gather([0, 2]), [np.array([[0.3, -0.7], [0.2, 0.9]])])],
    "TensorArrayWriteV3": [(lambda x: tf.TensorArray(tf.float64, 2).write(0, x).write(
        1, x * x).stack(), [np.array([0.3, -0.7, 1.1])])],
    "TensorArrayGatherV3": [(lambda x: tf.TensorArray(tf.float64, 2).unstack(x).gather([1]),
                             [np.array([[0.3, -0.7], [0.2, 0.9]])])],
    # (elements of several shapes: static shapes unknown, so reshaped to the known ones)
    "TensorArraySplitV3": [(lambda x: tf.reshape(tf.TensorArray(
        tf.float64, 2, infer_shape=False).split(x, [1, 2]).read(1), [2]),
        [np.array([0.3, -0.7, 1.1])])],
    "TensorArrayConcatV3": [(lambda x: tf.reshape(tf.TensorArray(
        tf.float64, 2, infer_shape=False).write(0, x).write(1, x[:1] * 2.0).concat(), [4]),
        [np.array([0.3, -0.7, 1.1])])],
}
# WhileGrad's own gradient is the LookupError tests/test_while_loop.py checks
# (and TensorArrayGradV3's, the one tests/test_tensor_array.py checks)
GRAD_ELSEWHERE = {"WhileGrad", "TensorArrayGradV3"}
NOT_TWICE = {("While", 0): LookupError, **{(t, 0): LookupError for t in (
    "TensorArrayReadV3", "TensorArrayScatterV3", "TensorArrayWriteV3", "TensorArrayGatherV3",
    "TensorArraySplitV3", "TensorArrayConcatV3")}}
# graph-only ops: eagerly, cond and while_loop call the functions and a TensorArray is a list
# (tests/test_cond.py, tests/test_while_loop.py, tests/test_tensor_array.py run them eagerly)
GRAPH_ONLY = {"If", "While", "WhileGrad", "LoopVar", "TensorArrayV3", "TensorArrayGradV3",
              "TensorArrayReadV3", "TensorArrayWriteV3", "TensorArrayGatherV3",
              "TensorArrayScatterV3", "TensorArrayConcatV3", "TensorArraySplitV3",
              "TensorArraySizeV3", "TensorArrayCloseV3"}
