"""tf.data iterators in TF1 graph mode: one-shot, initializable, reinitializable; OutOfRangeError
at the end; per-session state (values and messages checked against TF with tfdiff)."""
import numpy as np
import pytest

import minitf as tf

D = tf.data.Dataset


def test_initializable_iterator_evaluates_fed_inputs_at_initialization():
    x = tf.placeholder(tf.int64, [None], name="x")
    it = D.from_tensor_slices(x).map(lambda v: v * 10).make_initializable_iterator()
    nxt = it.get_next(name="nx")
    assert nxt.name == "nx:0" and it.initializer.name == "MakeIterator"
    assert it.initializer.type == "MakeIterator"
    assert it._iterator_resource.op.type == "IteratorV2"
    with tf.Session() as sess:
        sess.run(it.initializer, {x: [1, 2, 3]})
        assert (sess.run(nxt), sess.run(nxt)) == (10, 20)
        sess.run(it.initializer, {x: [7, 8]})  # restarts, with the new value
        out = []
        while True:
            try:
                out.append(int(sess.run(nxt)))
            except tf.errors.OutOfRangeError:
                break
        assert out == [70, 80]


def test_get_next_before_initializing_fails_precondition():
    it = D.range(3).make_initializable_iterator()
    nxt = it.get_next()
    with tf.Session() as sess:
        with pytest.raises(tf.errors.FailedPreconditionError, match="has not been initialized"):
            sess.run(nxt)


def test_end_of_sequence_is_out_of_range_and_stays_so():
    nxt = D.range(2).make_one_shot_iterator().get_next()
    assert nxt.op.type == "IteratorGetNext" and nxt.op.inputs[0].op.type == "OneShotIterator"
    with tf.Session() as sess:
        assert [sess.run(nxt), sess.run(nxt)] == [0, 1]
        for _ in range(2):
            with pytest.raises(tf.errors.OutOfRangeError, match="End of sequence") as info:
                sess.run(nxt)
            assert info.value.op is nxt.op


def test_iterator_state_is_per_session():
    nxt = D.range(3).make_one_shot_iterator().get_next()
    with tf.Session() as a, tf.Session() as b:
        assert [a.run(nxt), a.run(nxt), b.run(nxt), a.run(nxt)] == [0, 1, 0, 2]


def test_map_capturing_a_variable_reads_it_at_initialization():
    w = tf.Variable(3, dtype=tf.int64, name="w")
    it = tf.data.make_initializable_iterator(D.range(4).map(lambda v: v * w))
    nxt = it.get_next()
    with tf.Session() as sess:
        sess.run(w.initializer)
        sess.run(it.initializer)
        assert sess.run(nxt) == 0
        sess.run(w.assign(5))
        assert (sess.run(nxt), sess.run(nxt)) == (3, 6)


def test_one_shot_refuses_placeholders_and_stateful_captures():
    p = tf.placeholder(tf.float32, [None])
    with pytest.raises(ValueError, match=r"Cannot capture a placeholder \(name:Placeholder, "
                                         r"type:Placeholder\) by value\."):
        D.from_tensor_slices(p).make_one_shot_iterator()
    w = tf.Variable(2.0, name="w")
    with pytest.raises(ValueError, match=r"Cannot capture a stateful node \(name:w, "
                                         r"type:VariableV2\) by value.*make_initializable"):
        D.range(3).map(lambda x: tf.cast(x, tf.float32) * w).make_one_shot_iterator()


def test_reinitializable_iterator_from_structure():
    it = tf.data.Iterator.from_structure(tf.int64, tf.TensorShape([None]))
    init_a = it.make_initializer(D.range(5).batch(2))
    init_b = it.make_initializer(D.range(10, 12).batch(3), name="init_b")
    nxt = it.get_next()
    assert (init_a.name, init_b.name) == ("make_initializer", "init_b")
    assert nxt.shape.as_list() == [None]
    with tf.Session() as sess:
        sess.run(init_a)
        assert sess.run(nxt).tolist() == [0, 1]
        sess.run(init_b)
        assert sess.run(nxt).tolist() == [10, 11]
        with pytest.raises(tf.errors.OutOfRangeError):
            sess.run(nxt)
    with pytest.raises(TypeError, match="Expected output types tf.int64 but got dataset with "
                                        "output types tf.float32"):
        it.make_initializer(D.range(3).map(lambda x: tf.cast(x, tf.float32)))
    with pytest.raises(ValueError, match="The iterator does not have an initializer"):
        it.initializer


def test_batching_unequal_shapes_is_invalid_argument():
    ds = D.from_tensor_slices(tf.constant([1, 2, 3])).map(lambda v: tf.fill([v], v)).batch(2)
    nxt = ds.make_one_shot_iterator().get_next()
    with tf.Session() as sess:
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match=r"Cannot add tensor to the batch: number of elements does not "
                                 r"match. Shapes are: \[tensor\]: \[2\], \[batch\]: \[1\]"):
            sess.run(nxt)


def test_initializer_reruns_give_the_same_seeded_shuffle():
    it = D.range(8).shuffle(10, seed=3).make_initializable_iterator()
    nxt = it.get_next()
    with tf.Session() as sess:
        for _ in range(2):
            sess.run(it.initializer)
            assert [int(sess.run(nxt)) for _ in range(8)] == [4, 2, 1, 0, 3, 6, 5, 7]


def test_output_functions_and_autotune():
    ds = D.from_tensor_slices((np.zeros((4, 2), np.float32), np.arange(4)))
    it = ds.make_initializable_iterator()
    assert tf.data.get_output_types(it) == (tf.float32, tf.int64)
    assert tf.data.get_output_shapes(ds)[0].as_list() == [2]
    assert tf.data.get_output_classes(ds) == (tf.Tensor, tf.Tensor)
    assert tf.data.experimental.AUTOTUNE == -1
    with pytest.raises(TypeError, match="tf.data.Dataset"):
        tf.data.get_output_types(3)


def test_sliced_batches_of_arrays_are_the_caller_s():
    data = np.arange(6, dtype=np.float32).reshape(3, 2)
    nxt = D.from_tensor_slices(data).batch(2).make_one_shot_iterator().get_next()
    with tf.Session() as sess:
        first = sess.run(nxt)
        first[0, 0] = 99.0  # (a fetched value is the caller's to change)
        assert sess.run(nxt).tolist() == [[4.0, 5.0]]
    assert data[0, 0] == 0.0


def test_feedable_iterator_from_string_handle():
    handle = tf.placeholder(tf.string, [])
    train = D.range(3).make_one_shot_iterator()
    valid = D.range(10, 13).make_initializable_iterator()
    it = tf.data.Iterator.from_string_handle(handle, train.output_types, train.output_shapes)
    nxt = it.get_next()
    assert train.string_handle().op.type == "IteratorToStringHandle"
    assert it._iterator_resource.op.type == "IteratorFromStringHandleV2"
    with tf.Session() as sess:
        th, vh = sess.run([train.string_handle(), valid.string_handle()])
        assert isinstance(th, bytes)
        sess.run(valid.initializer)
        got = [sess.run(nxt, {handle: h}) for h in (th, vh, th)]
        assert [int(v) for v in got] == [0, 10, 1]


def test_map_capturing_a_placeholder_takes_its_value_at_initialization():
    p = tf.placeholder(tf.int64, [])
    it = D.range(3).map(lambda x: x + p).make_initializable_iterator()
    nxt = it.get_next()
    with tf.Session() as sess:
        sess.run(it.initializer, {p: 100})
        assert (sess.run(nxt), sess.run(nxt)) == (100, 101)


def test_compat_v1_names():
    it = tf.compat.v1.data.make_one_shot_iterator(D.range(2))
    assert isinstance(it, tf.data.Iterator)
    assert tf.compat.v1.data.Dataset is D


def test_threads_reading_one_iterator_get_each_element_once():
    import threading
    nxt = D.range(400).make_one_shot_iterator().get_next()
    got, errors = [], []
    with tf.Session() as sess:
        def read():
            try:
                while True:
                    got.append(int(sess.run(nxt)))
            except tf.errors.OutOfRangeError:
                pass
            except Exception as exc:  # (a generator run twice at once would raise here)
                errors.append(exc)
        threads = [threading.Thread(target=read) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert not errors and sorted(got) == list(range(400))
