"""tf.TensorSpec and the other type specs (minitf/framework/type_spec.py), and tf.Module
(minitf/module.py): reprs, equality, compatibility, attribute walks and name scopes as TF's."""
import numpy as np
import pytest

import minitf as tf


# -- TensorSpec ----------------------------------------------------------------------------------
def test_tensor_spec_fields_repr_and_equality():
    s = tf.TensorSpec([2, None], tf.float32, name="x")
    assert repr(s) == str(s) == "TensorSpec(shape=(2, ?), dtype=tf.float32, name='x')"
    assert (s.shape.as_list(), s.dtype, s.name) == ([2, None], tf.float32, "x")
    assert isinstance(s, tf.TypeSpec) and s.value_type is tf.Tensor
    same = tf.TensorSpec([2, None], tf.float32, name="x")
    assert s == same and hash(s) == hash(same) and s != tf.TensorSpec([2, None], tf.float32)
    assert s != tf.TensorSpec([2, 4], tf.float32, name="x") and not s == 3
    assert [repr(tf.TensorSpec(shape)) for shape in ([], None)] == [
        "TensorSpec(shape=(), dtype=tf.float32, name=None)",
        "TensorSpec(shape=<unknown>, dtype=tf.float32, name=None)"]
    assert repr(tf.TensorSpec([1], "int64")) == "TensorSpec(shape=(1,), dtype=tf.int64, name=None)"
    with pytest.raises(TypeError, match="Cannot convert the argument `type_value`: 3.5 to a "
                                        "TensorFlow DType."):
        tf.TensorSpec([2], 3.5)


def test_tensor_spec_compatibility():
    s = tf.TensorSpec([2, None], tf.float32, name="x")
    assert s.is_compatible_with(tf.TensorSpec([2, 3], tf.float32))
    assert not s.is_compatible_with(tf.TensorSpec([2, 3], tf.int32))
    assert not s.is_compatible_with(tf.TensorSpec([3, 3], tf.float32))
    assert s.is_compatible_with(tf.TensorSpec([2, 4], tf.float32, name="y"))  # names aside
    c = tf.constant([[1.0, 2.0]])
    assert [spec.is_compatible_with(c) for spec in (
        s, tf.TensorSpec([1, 2]), tf.TensorSpec(None, tf.float32))] == [False, True, True]
    assert s.is_compatible_with(tf.placeholder(tf.float32, [2, 7]))
    assert s.is_compatible_with(tf.placeholder(tf.float32, None))
    assert not tf.TensorSpec([2]).is_compatible_with(np.array([1.0, 2.0], np.float32))
    assert not s.is_compatible_with(3)


def test_tensor_spec_from_tensor_and_spec():
    c = tf.constant([[1.0, 2.0]])
    assert repr(tf.TensorSpec.from_tensor(c)) == (
        "TensorSpec(shape=(1, 2), dtype=tf.float32, name='Const')")
    assert tf.TensorSpec.from_tensor(c, name="n").name == "n"
    s = tf.TensorSpec([2, None], tf.float32, name="x")
    assert tf.TensorSpec.from_spec(s) == s
    assert tf.TensorSpec.from_spec(s, name="y").name == "y"


def test_most_specific_compatible_type():
    s = tf.TensorSpec([2, None], tf.float32, name="x")
    got = [s.most_specific_compatible_type(tf.TensorSpec(shape, tf.float32, name="x"))
           for shape in ([2, 4], [3, 4], [2, 4, 1])]
    assert [repr(g.shape) for g in got] == [
        "TensorShape([Dimension(2), Dimension(None)])",
        "TensorShape([Dimension(None), Dimension(None)])", "TensorShape(None)"]
    for other in (tf.TensorSpec([2, 4], tf.int32, name="x"), tf.TensorSpec([2, 4])):
        with pytest.raises(ValueError, match=r"No TypeSpec is compatible with both "
                                             r"TensorSpec\(shape=\(2, \?\)"):
            s.most_specific_compatible_type(other)


# -- IndexedSlicesSpec, NoneTensorSpec, type_spec_from_value ---------------------------------------
def test_indexed_slices_spec():
    i = tf.IndexedSlicesSpec([4, 1], tf.float32, tf.int64, tf.int32, [None])
    assert repr(i) == ("IndexedSlicesSpec(TensorShape([Dimension(4), Dimension(1)]), "
                       "tf.float32, tf.int64, tf.int32, TensorShape([Dimension(None)]))")
    assert i.value_type is tf.IndexedSlices
    assert repr(tf.IndexedSlicesSpec()) == (
        "IndexedSlicesSpec(TensorShape(None), tf.float32, tf.int64, None, "
        "TensorShape([Dimension(None)]))")
    assert i == tf.IndexedSlicesSpec([4, 1], tf.float32, tf.int64, tf.int32, [None])
    assert i.is_compatible_with(tf.IndexedSlices(
        tf.constant([[1.0]]), tf.constant([0], tf.int64), tf.constant([4, 1])))
    with pytest.raises(ValueError, match="must have rank 1"):
        tf.IndexedSlicesSpec([4, 1], tf.float32, tf.int64, tf.int32, [None, 1])
    assert repr(tf.NoneTensorSpec()) == "NoneTensorSpec()"
    assert tf.NoneTensorSpec() == tf.NoneTensorSpec()


def test_type_spec_from_value():
    specs = [tf.type_spec_from_value(v) for v in (
        tf.constant([[1.0, 2.0]]), np.array([1, 2]), "a", [1, 2], tf.Variable([1.0]), None)]
    assert [repr(s) for s in specs] == [
        "TensorSpec(shape=(1, 2), dtype=tf.float32, name=None)",
        "TensorSpec(shape=(2,), dtype=tf.int64, name=None)",
        "TensorSpec(shape=(), dtype=tf.string, name=None)",
        "TensorSpec(shape=(2,), dtype=tf.int32, name=None)",
        "TensorSpec(shape=(1,), dtype=tf.float32, name=None)", "NoneTensorSpec()"]
    values, indices = tf.constant([[1.0]]), tf.constant([0])
    assert repr(tf.type_spec_from_value(tf.IndexedSlices(values, indices))) == (
        "IndexedSlicesSpec(TensorShape([Dimension(None), Dimension(1)]), tf.float32, tf.int32,"
        " None, TensorShape([Dimension(1)]))")
    assert repr(tf.type_spec_from_value(tf.IndexedSlices(values, indices, tf.constant([4, 1])))
                ) == ("IndexedSlicesSpec(TensorShape([Dimension(4), Dimension(1)]), tf.float32, "
                      "tf.int32, tf.int32, TensorShape([Dimension(1)]))")
    with pytest.raises(TypeError, match="Could not build a TypeSpec for"):
        tf.type_spec_from_value(object())


# -- Module --------------------------------------------------------------------------------------
class Dense(tf.Module):
    def __init__(self, n, name=None):
        super().__init__(name=name)
        with self.name_scope:
            self.w = tf.Variable(tf.ones([2, n]), name="w")
            self.b = tf.Variable(tf.zeros([n]), name="b", trainable=False)

    @tf.Module.with_name_scope
    def __call__(self, x):
        return tf.matmul(x, self.w) + self.b


class MLP(tf.Module):
    def __init__(self):
        super().__init__()
        self.layers = [Dense(2), Dense(2, name="second")]
        self.extra = {"k": Dense(2)}
        self.t = (tf.Variable(1.0, name="tv"),)


def test_module_walks_its_attributes_in_sorted_order():
    m = MLP()
    assert (m.name, m.name_scope.name, [layer.name for layer in m.layers]) == (
        "mlp", "mlp/", ["dense", "second"])
    assert [v.name for v in m.variables] == [
        "tv:0", "dense_1/b:0", "dense_1/w:0", "dense/b:0", "dense/w:0", "second/b:0",
        "second/w:0"]
    assert [v.name for v in m.trainable_variables] == [
        "tv:0", "dense_1/w:0", "dense/w:0", "second/w:0"]
    assert m.non_trainable_variables[0].name == "dense_1/b:0"
    assert [s.name_scope.name for s in m.submodules] == ["dense_1/", "dense/", "second/"]
    assert type(m.variables) is tuple and tf.Module().variables == ()
    paths = [p for p, _ in m._flatten(predicate=lambda v: isinstance(v, tf.Variable),
                                      with_path=True)]
    assert paths[:2] == [("t", 0), ("extra", "k", "b")]


def test_module_name_scopes():
    m = Dense(2)
    x = tf.ones([1, 2])
    assert [m(x).name, m(x).name] == ["dense/add:0", "dense/add_1:0"]
    assert [tf.Module(name="zz").name, tf.Module().name, tf.Module().name] == [
        "zz", "module", "module"]
    with tf.name_scope("outer"):
        d = Dense(1, name="d")
    assert (d.name, d.name_scope.name, d.w.name) == ("d", "outer/d/", "outer/d/w:0")
    with pytest.raises(ValueError, match="'1bad' is not a valid module name. Module names must "
                                         "be valid Python identifiers"):
        tf.Module(name="1bad")


def test_module_names_from_class_names():
    class HTTPServer(tf.Module):
        pass

    class MyDense2D(tf.Module):
        pass
    assert (HTTPServer().name, MyDense2D().name) == ("http_server", "my_dense2_d")
