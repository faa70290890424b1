"""TensorShape and Dimension with TF1 (V1) semantics."""
import pickle

import pytest
from hypothesis import given, strategies as st

import minitf as tf
from minitf.framework.tensor_shape import as_shape, unknown_shape


def test_text_and_indexing():
    s = tf.TensorShape([2, None])
    assert repr(s) == "TensorShape([Dimension(2), Dimension(None)])"
    assert (str(s), str(tf.TensorShape([3])), str(tf.TensorShape([]))) == ("(2, ?)", "(3,)", "()")
    assert (repr(s[0]), str(s[1]), repr(s[:1])) == ("Dimension(2)", "?",
                                                    "TensorShape([Dimension(2)])")
    assert (s.as_list(), s.ndims, s.rank, len(s)) == ([2, None], 2, 2, 2)
    u = tf.TensorShape(None)
    assert (repr(u), str(u), u.ndims, bool(u)) == ("TensorShape(None)", "<unknown>", None, False)


def test_unknown_rank_errors():
    u = unknown_shape()
    with pytest.raises(ValueError, match="as_list\\(\\) is not defined on an unknown TensorShape"):
        u.as_list()
    with pytest.raises(ValueError, match="Cannot take the length of shape with unknown rank"):
        len(u)


def test_dimension_semantics_with_unknowns():
    d, n = tf.Dimension(3), tf.Dimension(None)
    assert (d == 3) is True and (n == 3) is None and (n != 3) is None
    assert (d + 1).value == 4 and (n + 1).value is None and (d * 2).value == 6
    assert int(d) == 3 and [0, 1, 2, 3][d] == 3
    assert d.is_compatible_with(n) and not d.is_compatible_with(4)
    assert d.merge_with(n).value == 3
    with pytest.raises(ValueError, match="are not compatible"):
        d.merge_with(4)


def test_bad_dimensions_raise():
    with pytest.raises(ValueError, match="Dimension -1 must be >= 0"):
        tf.TensorShape([-1])
    with pytest.raises(TypeError, match="Dimension value must be integer or None"):
        tf.TensorShape(["a"])


def test_merge_compatibility_and_concatenate():
    s = tf.TensorShape([2, None])
    assert s.merge_with([None, 4]).as_list() == [2, 4]
    assert s.is_compatible_with([2, 7]) and not s.is_compatible_with([3, 7])
    assert s.is_compatible_with(unknown_shape()) and not s.is_compatible_with([2])
    with pytest.raises(ValueError, match=r"Shapes \(2, \?\) and \(3, 4\) are not compatible"):
        s.merge_with([3, 4])
    assert s.concatenate([5]).as_list() == [2, None, 5]
    assert s.most_specific_compatible_shape([2, 3]).as_list() == [2, None]
    assert unknown_shape(rank=2).as_list() == [None, None]
    assert s.with_rank(2) == s
    with pytest.raises(ValueError, match="must have rank 3"):
        s.with_rank(3)


def test_fully_defined_num_elements_and_equality():
    assert tf.TensorShape([2, 3]).num_elements() == 6
    assert tf.TensorShape([2, None]).num_elements() is None
    assert tf.TensorShape([2, 3]) == [2, 3] and tf.TensorShape([2, 3]) != [3, 2]
    assert as_shape((4,)) == tf.TensorShape([4]) and tf.TensorShape(5).as_list() == [5]
    assert pickle.loads(pickle.dumps(tf.TensorShape([1, None]))) == tf.TensorShape([1, None])


_DIMS = st.lists(st.one_of(st.none(), st.integers(0, 4)), max_size=3)


@given(_DIMS, _DIMS)
def test_merge_is_symmetric_and_compatible_with_both(a, b):
    sa, sb = tf.TensorShape(a), tf.TensorShape(b)
    if sa.is_compatible_with(sb):
        merged = sa.merge_with(sb)
        assert merged == sb.merge_with(sa)
        assert merged.is_compatible_with(sa) and merged.is_compatible_with(sb)
    else:
        with pytest.raises(ValueError):
            sa.merge_with(sb)
