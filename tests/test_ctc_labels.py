"""tf.nn.collapse_repeated and tf.nn.ctc_unique_labels (minitf/ctc_labels.py): values,
names, shapes and dtypes as TF 1 gives them (checked with tfdiff)."""
import numpy as np
import pytest

import minitf as tf

from _session import run

LABELS = np.array([[1, 1, 2, 2, 3], [4, 4, 4, 0, 0], [5, 6, 6, 5, 5]], np.int32)


def test_collapse_repeated_merges_runs_within_each_length():
    out, lengths = tf.nn.collapse_repeated(LABELS, [5, 2, 4])
    assert (out.name, out.dtype, lengths.name, lengths.dtype) == (
        "collapse_repeated_labels/Reshape_3:0", tf.int32, "collapse_repeated_labels/Sum:0",
        tf.int32)
    assert out.shape.as_list()[0] == 3 and lengths.shape.as_list() == [3]
    values, n = run([out, lengths])
    assert (values.tolist(), n.tolist()) == ([[1, 2, 3], [4, 0, 0], [5, 6, 5]], [3, 1, 3])
    out, lengths = tf.nn.collapse_repeated(LABELS.astype(np.int64), np.array([3, 5, 0], np.int64),
                                           name="cr")
    assert (out.dtype, lengths.name, lengths.dtype) == (tf.int64, "cr/Cast_1:0", tf.int64)
    values, n = run([out, lengths])
    assert (values.tolist(), n.tolist()) == ([[1, 2], [4, 0], [0, 0]], [2, 2, 0])
    p = tf.placeholder(tf.int32, [None, None])
    out, lengths = tf.nn.collapse_repeated(p, [2, 3])
    assert (out.shape.as_list(), lengths.shape.as_list()) == ([None, None], [2])
    values, n = run([out, lengths], {p: LABELS[:2, :3]})
    assert (values.tolist(), n.tolist()) == ([[1], [4]], [1, 1])
    with pytest.raises(ValueError, match="Index out of range using input dim 1"):
        tf.nn.collapse_repeated(LABELS[0], [5])


def test_ctc_unique_labels():
    unique, idx = tf.nn.ctc_unique_labels(LABELS)
    assert (unique.name, idx.name) == (
        "ctc_unique_labels/map/TensorArrayStack/TensorArrayGatherV3:0",
        "ctc_unique_labels/map/TensorArrayStack_1/TensorArrayGatherV3:0")
    assert (unique.dtype, idx.dtype, idx.shape.as_list()) == (tf.int64, tf.int32, [3, 5])
    values, indices = run([unique, idx])
    assert values.tolist() == [[1, 2, 3, 0, 0], [4, 0, 0, 0, 0], [5, 6, 0, 0, 0]]
    assert indices.tolist() == [[0, 0, 1, 1, 2], [0, 0, 0, 1, 1], [0, 1, 1, 0, 0]]
    named = tf.nn.ctc_unique_labels(tf.constant(LABELS.astype(np.int64)), name="uu")
    assert named[0].name == "uu/map/TensorArrayStack/TensorArrayGatherV3:0"
