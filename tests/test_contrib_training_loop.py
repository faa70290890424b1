"""tf.contrib.training's loops (TF 1.15's contrib/training/python/training/training_test.py and
evaluation_test.py): create_train_op's global step, update ops, variables and check_numerics,
the gradient transforms, `train` under a MonitoredTrainingSession, and the evaluation loops
with their eval step and hooks."""
import glob
import os

import numpy as np
import pytest

import minitf as tf

training = tf.contrib.training

X = np.random.RandomState(1).rand(16, 3).astype(np.float32)
Y = (X @ np.array([[2.0], [-1.0], [0.5]], np.float32)).astype(np.float32)


def _loss():
    w = tf.get_variable("w", [3, 1], initializer=tf.zeros_initializer())
    return tf.reduce_mean(tf.square(tf.matmul(tf.constant(X), w) - tf.constant(Y)))


def test_create_train_op_returns_the_loss_and_increments_the_global_step():
    with tf.Graph().as_default():
        loss = _loss()
        train_op = training.create_train_op(loss, tf.train.GradientDescentOptimizer(0.5))
        assert train_op in tf.get_collection(tf.GraphKeys.TRAIN_OP)
        gs = tf.train.get_global_step()
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            first = sess.run(train_op)
            assert first == pytest.approx(float(np.mean(Y ** 2)), rel=1e-5)
            losses = [sess.run(train_op) for _ in range(20)]
            assert losses[-1] < first and sess.run(gs) == 21


def test_create_train_op_without_global_step():
    with tf.Graph().as_default():
        train_op = training.create_train_op(_loss(), tf.train.GradientDescentOptimizer(0.5),
                                            global_step=None)
        assert tf.train.get_global_step() is None
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            sess.run(train_op)


def test_update_ops_run_before_the_loss():
    with tf.Graph().as_default():
        counter = tf.Variable(0.0, trainable=False, name="counter")
        tf.add_to_collection(tf.GraphKeys.UPDATE_OPS, tf.assign_add(counter, 1.0))
        train_op = training.create_train_op(_loss(), tf.train.GradientDescentOptimizer(0.1))
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            sess.run(train_op)
            sess.run(train_op)
            assert sess.run(counter) == 2.0


def test_explicit_empty_update_ops_skip_the_collection():
    with tf.Graph().as_default():
        counter = tf.Variable(0.0, trainable=False, name="counter")
        tf.add_to_collection(tf.GraphKeys.UPDATE_OPS, tf.assign_add(counter, 1.0))
        train_op = training.create_train_op(_loss(), tf.train.GradientDescentOptimizer(0.1),
                                            update_ops=[])
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            sess.run(train_op)
            assert sess.run(counter) == 0.0


def test_variables_to_train_only_updates_those():
    with tf.Graph().as_default():
        a, b = tf.Variable(1.0, name="a"), tf.Variable(1.0, name="b")
        train_op = training.create_train_op(a * b, tf.train.GradientDescentOptimizer(1.0),
                                            variables_to_train=[a])
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            sess.run(train_op)
            assert sess.run([a, b]) == [0.0, 1.0]


def test_check_numerics_fails_on_a_nan_loss():
    with tf.Graph().as_default():
        v = tf.Variable(1.0)
        loss = v * tf.constant(float("nan"))
        train_op = training.create_train_op(loss, tf.train.GradientDescentOptimizer(1.0))
        unchecked = training.create_train_op(loss, tf.train.GradientDescentOptimizer(1.0),
                                             check_numerics=False)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            with pytest.raises(tf.errors.InvalidArgumentError, match="LossTensor is inf or nan"):
                sess.run(train_op)
            assert np.isnan(sess.run(unchecked))


def test_clip_gradient_norms_values():
    with tf.Graph().as_default():
        v, u = tf.Variable([0.0, 0.0]), tf.Variable(0.0)
        pairs = [(tf.constant([3.0, 4.0]), v), (None, u)]
        clipped = training.clip_gradient_norms(pairs, 1.0)
        assert clipped[1] == (None, u) and clipped[0][1] is v
        fn_clipped = training.clip_gradient_norms_fn(10.0)(pairs)
        with tf.Session() as sess:
            np.testing.assert_allclose(sess.run(clipped[0][0]), [0.6, 0.8], rtol=1e-6)
            np.testing.assert_allclose(sess.run(fn_clipped[0][0]), [3.0, 4.0])


def test_clip_gradient_norms_of_indexed_slices():
    with tf.Graph().as_default():
        v = tf.Variable([[0.0], [0.0]])
        grad = tf.IndexedSlices(tf.constant([[6.0], [8.0]]), tf.constant([0, 1]))
        (clipped, _), = training.clip_gradient_norms([(grad, v)], 5.0)
        assert isinstance(clipped, tf.IndexedSlices)
        with tf.Session() as sess:
            np.testing.assert_allclose(sess.run(clipped.values).ravel(), [3.0, 4.0], rtol=1e-6)


def test_multiply_gradients_by_variable_or_name_and_its_errors():
    with tf.Graph().as_default():
        v, u = tf.Variable(0.0, name="v"), tf.Variable(0.0, name="u")
        pairs = [(tf.constant(2.0), v), (tf.constant(3.0), u)]
        by_var = training.multiply_gradients(pairs, {v: 5.0})
        by_name = training.multiply_gradients(pairs, {"u": tf.constant(2.0)})
        with tf.Session() as sess:
            assert sess.run([g for g, _ in by_var]) == [10.0, 3.0]
            assert sess.run([g for g, _ in by_name]) == [2.0, 6.0]
        with pytest.raises(ValueError, match="must be a list"):
            training.multiply_gradients(tuple(pairs), {v: 1.0})
        with pytest.raises(ValueError, match="is empty"):
            training.multiply_gradients(pairs, {})
        with pytest.raises(ValueError, match="`None` gradient"):
            training.multiply_gradients([(None, v)], {v: 1.0})


def test_add_gradients_summaries():
    with tf.Graph().as_default():
        v, u = tf.Variable([1.0, 2.0], name="v"), tf.Variable(0.0, name="u")
        summaries = training.add_gradients_summaries([(tf.constant([3.0, 4.0]), v), (None, u)])
        assert len(summaries) == 2
        with tf.Session() as sess:
            proto = tf.Summary.FromString(sess.run(tf.summary.merge(summaries)))
        tags = {value.tag: value for value in proto.value}
        assert set(tags) == {"v_gradient", "v_gradient_norm"}
        assert tags["v_gradient_norm"].simple_value == pytest.approx(5.0)


def test_train_runs_until_the_stop_hook_and_writes_checkpoints(tmp_path):
    with tf.Graph().as_default():
        loss = _loss()
        tf.summary.scalar("loss", loss)
        train_op = training.create_train_op(loss, tf.train.GradientDescentOptimizer(0.5))
        final = training.train(train_op, str(tmp_path),
                               hooks=[tf.train.StopAtStepHook(num_steps=150)],
                               save_summaries_steps=10)
    assert final < 1e-3
    assert tf.train.load_variable(str(tmp_path), "global_step") == 150
    assert glob.glob(os.path.join(str(tmp_path), "events*"))


def test_train_needs_a_logdir_for_summaries_or_checkpoints():
    with tf.Graph().as_default():
        train_op = training.create_train_op(_loss(), tf.train.GradientDescentOptimizer(0.5))
        with pytest.raises(ValueError, match="save_summaries_steps"):
            training.train(train_op, None)
        with pytest.raises(ValueError, match="save_checkpoint_secs"):
            training.train(train_op, None, save_summaries_steps=None)
        loss = training.train(train_op, None, save_summaries_steps=None,
                              save_checkpoint_secs=None,
                              hooks=[tf.train.StopAtStepHook(last_step=2)])
        assert np.isfinite(loss)


def _checkpoint(logdir, value, step):
    """Saves `v` = value at `step` into `logdir`; returns the checkpoint prefix."""
    with tf.Graph().as_default():
        v = tf.Variable(value, name="v")
        gs = tf.train.get_or_create_global_step()
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            sess.run(tf.assign(gs, step))
            sess.run(v)
            return tf.train.Saver().save(sess, os.path.join(logdir, "model.ckpt"),
                                         global_step=step)


def test_get_or_create_eval_step():
    with tf.Graph().as_default():
        step = training.get_or_create_eval_step()
        assert training.get_or_create_eval_step() is step
        assert step.dtype.base_dtype == tf.int64
        assert step in tf.local_variables() and step not in tf.trainable_variables()
        tf.add_to_collection(tf.GraphKeys.EVAL_STEP, tf.constant(0, tf.int64))
        with pytest.raises(ValueError, match="Multiple tensors added to tf.GraphKeys.EVAL_STEP"):
            training.get_or_create_eval_step()


def test_evaluate_once_restores_and_runs_eval_and_final_ops(tmp_path):
    path = _checkpoint(str(tmp_path), 3.0, 7)
    with tf.Graph().as_default():
        v = tf.Variable(0.0, name="v")
        total = tf.Variable(0.0, name="total", trainable=False,
                            collections=[tf.GraphKeys.LOCAL_VARIABLES])
        add = tf.assign_add(total, v)
        hook = training.StopAfterNEvalsHook(4)
        out = training.evaluate_once(path, eval_ops=add, final_ops={"total": total, "v": v},
                                     hooks=[hook])
    assert out == {"total": 12.0, "v": 3.0}


def test_evaluate_once_with_a_dict_of_eval_ops_and_no_eval_ops(tmp_path):
    path = _checkpoint(str(tmp_path), 2.0, 1)
    with tf.Graph().as_default():
        v = tf.Variable(0.0, name="v")
        step = training.get_or_create_eval_step()
        out = training.evaluate_once(path, eval_ops={"v": v}, final_ops=step,
                                     hooks=[training.StopAfterNEvalsHook(3)])
        assert out == 3
    with tf.Graph().as_default():
        v = tf.Variable(0.0, name="v")
        assert training.evaluate_once(path, final_ops=v * 2) == 4.0


def test_stop_after_n_evals_hook_counts_the_runs(tmp_path):
    path = _checkpoint(str(tmp_path), 1.0, 1)
    runs = []

    class Count(tf.train.SessionRunHook):
        def after_run(self, run_context, run_values):
            runs.append(1)

    with tf.Graph().as_default():
        v = tf.Variable(0.0, name="v")
        training.evaluate_once(path, eval_ops=v, hooks=[training.StopAfterNEvalsHook(5), Count()])
    assert len(runs) == 5


def test_evaluate_repeatedly_stops_after_max_number_of_evaluations(tmp_path):
    _checkpoint(str(tmp_path), 5.0, 1)
    with tf.Graph().as_default():
        v = tf.Variable(0.0, name="v")
        out = training.evaluate_repeatedly(str(tmp_path), eval_ops=v, final_ops=v,
                                           eval_interval_secs=0, max_number_of_evaluations=1,
                                           hooks=[training.StopAfterNEvalsHook(2)])
    assert out == 5.0


def test_evaluate_repeatedly_times_out_without_checkpoints(tmp_path):
    with tf.Graph().as_default():
        v = tf.Variable(0.0, name="v")
        assert training.evaluate_repeatedly(str(tmp_path), eval_ops=v, final_ops=v,
                                            timeout=0) is None


def test_wait_for_new_checkpoint_and_iterator(tmp_path):
    assert training.wait_for_new_checkpoint(str(tmp_path), timeout=0) is None
    path = _checkpoint(str(tmp_path), 1.0, 3)
    assert training.wait_for_new_checkpoint(str(tmp_path), timeout=0) == path
    assert training.wait_for_new_checkpoint(str(tmp_path), path, timeout=0) is None
    assert list(training.checkpoints_iterator(str(tmp_path), timeout=0)) == [path]
    assert training.checkpoints_iterator is tf.train.checkpoints_iterator


def test_summary_at_end_hook(tmp_path):
    path = _checkpoint(str(tmp_path / "ckpt"), 4.0, 9)
    with tf.Graph().as_default():
        v = tf.Variable(0.0, name="v")
        tf.summary.scalar("v_value", v)
        with pytest.raises(ValueError, match="One of log_dir or summary_writer"):
            training.SummaryAtEndHook()
        hook = training.SummaryAtEndHook(log_dir=str(tmp_path / "eval"))
        training.evaluate_once(path, hooks=[hook])
    events = glob.glob(str(tmp_path / "eval" / "events*"))
    found = [(e.step, v.simple_value) for f in events for e in tf.train.summary_iterator(f)
             for v in e.summary.value if v.tag == "v_value"]
    assert found == [(9, 4.0)]
