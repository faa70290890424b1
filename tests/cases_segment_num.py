"""Guard-test cases of the sparse segment ops with num_segments (see tests/opcases.py)."""
import numpy as np

import minitf as tf

_X = np.array([[0.3, -0.7], [1.1, 0.2], [0.9, -1.4]])
CASES = {f"{t}WithNumSegments": [(lambda x, f=f: f(x, [2, 0, 2, 1], [0, 0, 1, 3],
                                                     num_segments=5), [_X])]
         for t, f in (("SparseSegmentSum", tf.sparse_segment_sum),
                      ("SparseSegmentMean", tf.sparse_segment_mean),
                      ("SparseSegmentSqrtN", tf.sparse_segment_sqrt_n))}
