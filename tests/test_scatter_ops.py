"""Variable updates in place (issue 17, item 4): the scatters, their n-dimensional forms,
batch_scatter_update and count_up_to on ref and resource variables, with TF's values, names and
errors (checked with tools/tfdiff against TF 2.21's compat.v1), and the promises of updating a
stored value in place (minitf/ops/state_ops.py: `writable`)."""
import threading

import numpy as np
import pytest

import minitf as tf
from minitf import errors

V = [[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]

# (the update, the variable's value after it; each starts from V)
UPDATES = [
    (lambda v: tf.scatter_update(v, [0, 2], [[9.0, 9.0], [8.0, 8.0]]), [[9, 9], [3, 4], [8, 8]]),
    (lambda v: tf.scatter_add(v, 1, [1.0, 1.0]), [[1, 2], [4, 5], [5, 6]]),
    (lambda v: tf.scatter_sub(v, [1, 1], [[1.0, 1.0], [1.0, 1.0]]), [[1, 2], [1, 2], [5, 6]]),
    (lambda v: tf.scatter_mul(v, [0], [[2.0, 3.0]]), [[2, 6], [3, 4], [5, 6]]),
    (lambda v: tf.scatter_div(v, [0, 0], 2.0), [[0.25, 0.5], [3, 4], [5, 6]]),
    (lambda v: tf.scatter_min(v, [0], [[0.0, 3.0]]), [[0, 2], [3, 4], [5, 6]]),
    (lambda v: tf.scatter_max(v, [0], [[7.0, 3.0]]), [[7, 3], [3, 4], [5, 6]]),
    (lambda v: tf.scatter_nd_update(v, [[0, 1]], [5.0]), [[1, 5], [3, 4], [5, 6]]),
    (lambda v: tf.scatter_nd_add(v, [[1]], [[5.0, 5.0]]), [[1, 2], [8, 9], [5, 6]]),
    (lambda v: tf.scatter_nd_sub(v, [[2, 0], [2, 0]], [1.0, 1.0]), [[1, 2], [3, 4], [3, 6]]),
    (lambda v: tf.batch_scatter_update(v, [[1], [0], [1]], [[1.5], [2.5], [3.5]]),
     [[1, 1.5], [2.5, 4], [5, 3.5]]),
]


def _session_with(v):
    sess = tf.Session()
    sess.run(v.initializer)
    return sess


@pytest.mark.parametrize("resource", [False, True])
@pytest.mark.parametrize("i", range(len(UPDATES)))
def test_each_update_gives_tf_values_and_returns_the_variable(i, resource):
    v = tf.Variable(V, use_resource=resource)
    update, expected = UPDATES[i]
    out = update(v)
    assert out.shape.as_list() == [3, 2]
    with _session_with(v) as sess:
        np.testing.assert_array_equal(sess.run(out), expected)
        np.testing.assert_array_equal(sess.run(v), expected)


def test_ref_updates_have_tf_names_and_ref_outputs():
    v = tf.Variable(V)
    out = tf.scatter_update(v, [0, 2], [[9, 9], [8, 8]])  # (ints become the variable's floats)
    assert (out.name, out.dtype, out.op.type) == ("ScatterUpdate:0", tf.float32._as_ref,
                                                 "ScatterUpdate")
    assert out.op.get_attr("use_locking") is True
    assert [t.op.name for t in out.op.inputs[1:]] == ["ScatterUpdate/indices",
                                                      "ScatterUpdate/updates"]
    assert tf.scatter_add(v, [0], [[1.0, 1.0]]).op.get_attr("use_locking") is False
    assert tf.scatter_nd_add(v, [[0]], [[1.0, 1.0]]).name == "ScatterNdAdd:0"


def test_resource_updates_are_resource_ops_and_return_a_read_after_them():
    v = tf.Variable(V, use_resource=True)
    out = tf.scatter_max(v, [0], [[7.0, 3.0]])
    update = tf.get_default_graph().get_operation_by_name("ResourceScatterMax")
    assert out.op.type == "ReadVariableOp" and update in out.op.control_inputs


@pytest.mark.parametrize("resource", [False, True])
def test_out_of_range_indices_raise_naming_the_op_and_change_nothing(resource):
    v = tf.Variable(V, use_resource=resource)
    prefix = "Resource" if resource else ""
    with _session_with(v) as sess:
        with pytest.raises(errors.InvalidArgumentError,
                           match=rf"^indices\[1\] = 5 is not in \[0, 3\)\n\t "
                                 rf"\[\[{{{{node {prefix}ScatterUpdate}}}}\]\]$"):
            sess.run(tf.scatter_update(v, [0, 5], [[1.0, 1.0], [2.0, 2.0]]))
        with pytest.raises(errors.InvalidArgumentError, match=r"indices\[0\] = -1 is not in"):
            sess.run(tf.scatter_add(v, [-1], [[1.0, 1.0]]))
        with pytest.raises(errors.InvalidArgumentError,
                           match=r"^indices\[0\] = \[7, 0\] does not index into shape \[3,2\]"):
            sess.run(tf.scatter_nd_update(v, [[7, 0]], [1.0]))
        np.testing.assert_array_equal(sess.run(v), V)  # (TF would have set row 0 already)


def test_updates_of_the_wrong_shape_raise_at_once_or_when_run():
    v = tf.Variable(V)
    with pytest.raises(ValueError, match=r"^Dimension 1 in both shapes must be equal, but are 3 "
                                         r"and 2. Shapes are \[1,3\] and \[1,2\]. for "
                                         r"'ScatterUpdate'"):
        tf.scatter_update(v, [0], [[1.0, 1.0, 1.0]])
    updates = tf.placeholder(tf.float32, [None, None])
    out = tf.scatter_update(v, [0], updates)
    with _session_with(v) as sess, pytest.raises(
            errors.InvalidArgumentError, match=r"^Must have updates.shape = indices.shape \+ "
                                               r"params.shape\[1:\] or updates.shape = \[\], got "
                                               r"updates.shape \[1,3\], indices.shape \[1\]"):
        sess.run(out, {updates: [[1.0, 1.0, 1.0]]})


@pytest.mark.parametrize("resource", [False, True])
def test_count_up_to_counts_then_raises_out_of_range(resource):
    c = tf.Variable(0, dtype=tf.int32, use_resource=resource)
    u = tf.count_up_to(c, 2)
    assert (u.name, u.dtype, u.shape.as_list()) == (
        ("ResourceCountUpTo:0" if resource else "CountUpTo:0"), tf.int32, [])
    with _session_with(c) as sess:
        assert [sess.run(u), sess.run(u)] == [0, 1]
        with pytest.raises(errors.OutOfRangeError, match=r"^Reached limit of 2\n"):
            sess.run(u)
        assert sess.run(c) == 2


@pytest.mark.global_graph
def test_count_up_to_runs_eagerly(eager):
    c = tf.Variable(5, dtype=tf.int64)
    assert tf.count_up_to(c, 7).numpy() == 5 and c.numpy() == 6


@pytest.mark.global_graph
def test_resource_scatters_run_eagerly(eager):
    for i, (update, expected) in enumerate(UPDATES):
        v = tf.Variable(V)
        np.testing.assert_array_equal(update(v).numpy(), expected, err_msg=str(i))
        np.testing.assert_array_equal(v.numpy(), expected)


# -- the promises of updating in place -------------------------------------------------------------
def _stored(sess, v):
    return sess._state[v._holder if hasattr(v, "_holder") else v.handle.op]


@pytest.mark.parametrize("resource", [False, True])
def test_a_sparse_training_step_updates_the_table_in_place(resource):
    table = tf.get_variable("table", [1000, 4], use_resource=resource)
    loss = tf.reduce_sum(tf.nn.embedding_lookup(table, [3, 7, 3]))
    sgd = tf.train.GradientDescentOptimizer(0.5).minimize(loss)
    with tf.Session() as sess:
        sess.run(table.initializer)
        before = sess.run(table)
        stored = id(_stored(sess, table))  # (not the array: a reference would make it shared)
        sess.run(sgd)
        assert id(_stored(sess, table)) == stored and not _stored(sess, table).flags.writeable
        expected = before.copy()
        expected[3] -= 1.0
        expected[7] -= 0.5
        np.testing.assert_allclose(sess.run(table), expected, rtol=1e-6)


def test_a_momentum_step_updates_its_rows_in_place():
    table = tf.get_variable("table", [100, 2], use_resource=True)
    loss = tf.reduce_sum(tf.nn.embedding_lookup(table, [1, 1]))
    step = tf.train.MomentumOptimizer(0.5, 0.9).minimize(loss)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        before, stored = sess.run(table), id(_stored(sess, table))
        sess.run(step)
        sess.run(step)
        assert id(_stored(sess, table)) == stored
        expected = before.copy()
        expected[1] -= 0.5 * 2.0 + 0.5 * (2.0 * 0.9 + 2.0)
        np.testing.assert_allclose(sess.run(table), expected, rtol=1e-6)


def test_a_read_before_an_update_in_one_run_keeps_its_value():
    v = tf.Variable(V, use_resource=True)
    read = v.read_value()
    with tf.control_dependencies([read]):
        update = tf.scatter_add(v, [0], [[10.0, 10.0]])
    with _session_with(v) as sess:
        got, after = sess.run([read, update])
        np.testing.assert_array_equal(got, V)
        assert after[0].tolist() == [11.0, 12.0]


def test_a_read_used_after_an_update_keeps_its_value():
    v = tf.Variable(V, use_resource=True)
    read = v.read_value()
    with tf.control_dependencies([read]):
        update = tf.scatter_update(v, [1], [[0.0, 0.0]], name="update")
    with tf.control_dependencies([update]):
        total = tf.reduce_sum(read)  # runs after the update, on the value read before it
    with _session_with(v) as sess:
        assert sess.run(total) == 21.0
        assert sess.run(v)[1].tolist() == [0.0, 0.0]


def test_a_ref_read_at_use_sees_the_update_ordered_before_it():
    v = tf.Variable(V)
    update = tf.scatter_update(v, [1], [[0.0, 0.0]])
    with tf.control_dependencies([update]):
        total = tf.reduce_sum(v._ref())
    with _session_with(v) as sess:
        assert sess.run(total) == 14.0


def test_a_fetched_value_never_changes_afterwards():
    v = tf.Variable(V, use_resource=True)
    update = tf.scatter_add(v, [0], [[1.0, 1.0]])
    with _session_with(v) as sess:
        fetched = sess.run(v)
        returned = sess.run(update)
        sess.run(update)
        np.testing.assert_array_equal(fetched, V)
        assert returned[0].tolist() == [2.0, 3.0] and returned.flags.writeable


@pytest.mark.global_graph
def test_an_eager_read_keeps_its_value(eager):
    v = tf.Variable(V)
    read = v.read_value()
    tf.scatter_add(v, [0], [[1.0, 1.0]])
    np.testing.assert_array_equal(read.numpy(), V)
    assert v.numpy()[0].tolist() == [2.0, 3.0]


def test_a_plan_drops_each_local_after_its_last_use():
    v = tf.Variable(V, use_resource=True)
    rows = tf.gather(v.read_value(), [0])
    update = tf.scatter_sub(v, [0], rows)
    with _session_with(v) as sess:
        sess.run(update)
        plan = next(p for p in sess._plans.values() if "ResourceScatterSub" in p.source)
        gather = next(line for line in plan.source.splitlines() if "GatherV2" in line)
        assert "; del v" in gather
        assert sess.run(v)[0].tolist() == [0.0, 0.0]


def test_concurrent_locked_scatters_lose_no_update():
    v = tf.Variable(np.zeros((4, 2)), use_resource=True)
    add = tf.scatter_add(v, [0, 3], [[1.0, 1.0], [2.0, 2.0]])
    with _session_with(v) as sess:
        def work():
            for _ in range(100):
                sess.run(add.op)
        threads = [threading.Thread(target=work) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        np.testing.assert_array_equal(sess.run(v), [[400, 400], [0, 0], [0, 0], [800, 800]])


def test_a_checkpoint_sees_the_updated_values(tmp_path):
    v = tf.Variable(V, use_resource=True, name="v")
    update = tf.scatter_update(v, [2], [[0.0, 1.0]])
    saver = tf.train.Saver()
    with _session_with(v) as sess:
        sess.run(update.op)
        path = saver.save(sess, str(tmp_path / "model"))
        sess.run(tf.scatter_add(v, [2], [[5.0, 5.0]]).op)
        saver.restore(sess, path)
        assert sess.run(v)[2].tolist() == [0.0, 1.0]
        sess.run(update.op)  # (updates the restored array, not the saved one)
        assert sess.run(v)[2].tolist() == [0.0, 1.0]


def test_assign_without_validate_shape_gives_a_ref_variable_a_new_shape():
    v = tf.Variable([1.0, 2.0])
    a = tf.assign(v, [1.0, 2.0, 3.0], validate_shape=False)
    assert (a.name, a.shape.as_list(), a.dtype) == ("Assign:0", [3], tf.float32._as_ref)
    w = tf.Variable(tf.placeholder_with_default([1.0], [None]), validate_shape=False)
    b = tf.assign(w, [[1.0, 2.0], [3.0, 4.0]], validate_shape=False)
    assert w.shape.ndims is None and b.shape.as_list() == [2, 2]
    with tf.Session() as sess:
        sess.run([v.initializer, w.initializer])
        assert sess.run(a).tolist() == sess.run(v.read_value()).tolist() == [1.0, 2.0, 3.0]
        sess.run(b)
        assert sess.run(tf.scatter_update(w, [1], [[0.0, 0.0]])).tolist() == [[1, 2], [0, 0]]
    with pytest.raises(ValueError, match="incompatible"):
        tf.assign(v, [1.0, 2.0, 3.0])
