"""Guard-test cases of the space/batch rearrangements and volume patches
(minitf/ops/space_batch_ops.py)."""
from test_gradient_check import r

import minitf as tf

CASES = {
    "SpaceToBatchND": [
        (lambda x: tf.space_to_batch_nd(x, [2, 3], [[1, 0], [0, 2]]), [r(2, 3, 4, 2)]),
        (lambda x: tf.space_to_batch(x, [[0, 1], [1, 0]], block_size=2), [r(1, 3, 3, 1)])],
    "BatchToSpaceND": [
        (lambda x: tf.batch_to_space_nd(x, [2, 2], [[0, 1], [1, 0]]), [r(4, 2, 2, 3)]),
        (lambda x: tf.batch_to_space_nd(x, [3], [[1, 1]]), [r(6, 2, 2)])],
    "ExtractVolumePatches": [
        (lambda x: tf.extract_volume_patches(x, [1, 2, 2, 2, 1], [1, 1, 2, 1, 1], "SAME"),
         [r(2, 3, 3, 2, 2)]),
        (lambda x: tf.extract_volume_patches(x, [1, 2, 1, 2, 1], [1, 1, 1, 2, 1], "VALID"),
         [r(1, 3, 2, 5, 1)])],
}
