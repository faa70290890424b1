"""slim.learning and slim.evaluation (TF 1.15's contrib/slim/python/slim/learning_test.py and
evaluation_test.py): create_train_op's multipliers and clipping, train's Supervisor loop to
`number_of_steps` with its last checkpoint and events, its argument errors, train_step's
kwargs, and the evaluation loops; plus the slim namespace's losses and metrics."""
import glob
import os

import numpy as np
import pytest

import minitf as tf

slim = tf.contrib.slim

X = np.random.RandomState(0).rand(32, 4).astype(np.float32)
Y = (X @ np.array([[1.0], [-2.0], [0.5], [3.0]], np.float32) + 0.25).astype(np.float32)


def _regression():
    """A linear regression on constant inputs; returns its loss."""
    pred = slim.fully_connected(tf.constant(X), 1, activation_fn=None, scope="fc",
                                weights_initializer=tf.zeros_initializer())
    return slim.losses.mean_squared_error(pred, tf.constant(Y))


def test_namespace_has_learning_evaluation_losses_metrics():
    assert slim.losses is tf.contrib.losses
    assert slim.metrics is tf.contrib.metrics
    assert slim.learning.train is not None and slim.evaluation.evaluation_loop is not None
    assert slim.fully_connected is tf.contrib.layers.fully_connected  # kept
    assert {"learning", "evaluation", "losses", "metrics", "model_analyzer"} <= set(slim.__all__)


def test_train_reaches_number_of_steps_and_saves_a_final_checkpoint(tmp_path):
    with tf.Graph().as_default():
        loss = _regression()
        tf.summary.scalar("loss", loss)
        train_op = slim.learning.create_train_op(loss, tf.train.GradientDescentOptimizer(0.1))
        final = slim.learning.train(train_op, str(tmp_path), number_of_steps=200,
                                    save_summaries_secs=0.05, save_interval_secs=0.05,
                                    log_every_n_steps=50)
    assert final < 0.05
    assert tf.train.latest_checkpoint(str(tmp_path)).endswith("model.ckpt-200")
    assert glob.glob(os.path.join(str(tmp_path), "events*"))
    assert tf.train.load_variable(str(tmp_path), "global_step") == 200
    # the last checkpoint holds the trained weights
    w = tf.train.load_variable(str(tmp_path), "fc/weights")
    b = tf.train.load_variable(str(tmp_path), "fc/biases")
    assert np.mean((X @ w + b - Y) ** 2) < 0.05


def test_train_resumes_from_the_checkpoint_in_logdir(tmp_path):
    for steps in (5, 8):
        with tf.Graph().as_default():
            train_op = slim.learning.create_train_op(_regression(),
                                                     tf.train.GradientDescentOptimizer(0.1))
            slim.learning.train(train_op, str(tmp_path), number_of_steps=steps,
                                save_summaries_secs=0, save_interval_secs=0)
    assert tf.train.load_variable(str(tmp_path), "global_step") == 8


def test_train_without_logdir_writes_nothing_and_returns_the_loss(tmp_path):
    with tf.Graph().as_default():
        train_op = slim.learning.create_train_op(_regression(),
                                                 tf.train.GradientDescentOptimizer(0.1))
        loss = slim.learning.train(train_op, None, number_of_steps=3, log_every_n_steps=0)
    assert np.isfinite(loss) and loss > 0


@pytest.mark.parametrize("kwargs, words", [
    ({"summary_op": None}, "Cannot provide summary_op because logdir=None"),
    ({"saver": object()}, "Cannot provide saver because logdir=None"),
    ({"trace_every_n_steps": 1}, "Cannot provide trace_every_n_steps because logdir=None"),
    ({"number_of_steps": 0}, "`number_of_steps` must be either None or a positive number."),
])
def test_train_argument_errors(kwargs, words):
    with tf.Graph().as_default():
        train_op = slim.learning.create_train_op(_regression(),
                                                 tf.train.GradientDescentOptimizer(0.1))
        with pytest.raises(ValueError, match=words.replace("(", r"\(")):
            slim.learning.train(train_op, None, **kwargs)
        with pytest.raises(ValueError, match="train_op cannot be None"):
            slim.learning.train(None, None)


def test_train_step_fn_and_its_kwargs_are_used(tmp_path):
    calls = []

    def step_fn(sess, train_op, global_step, kwargs):
        calls.append(sorted(kwargs))
        return slim.learning.train_step(sess, train_op, global_step, kwargs)

    with tf.Graph().as_default():
        train_op = slim.learning.create_train_op(_regression(),
                                                 tf.train.GradientDescentOptimizer(0.1))
        slim.learning.train(train_op, str(tmp_path), train_step_fn=step_fn, number_of_steps=4,
                            save_summaries_secs=0, save_interval_secs=0)
    assert len(calls) == 4
    assert calls[0] == ["should_log", "should_stop", "summary_writer"]


def test_train_step_needs_logdir_with_should_trace():
    with tf.Graph().as_default():
        gs = tf.train.get_or_create_global_step()
        with tf.Session() as sess:
            sess.run(gs.initializer)
            with pytest.raises(ValueError, match="logdir must be present"):
                slim.learning.train_step(sess, tf.constant(1.0), gs,
                                         {"should_trace": tf.constant(True)})


def test_train_stops_on_out_of_range_and_still_saves(tmp_path):
    with tf.Graph().as_default():
        ds = tf.data.Dataset.from_tensor_slices((X, Y)).batch(8)  # 4 batches
        x, y = tf.data.make_one_shot_iterator(ds).get_next()
        pred = slim.fully_connected(x, 1, activation_fn=None, scope="fc")
        train_op = slim.learning.create_train_op(slim.losses.mean_squared_error(pred, y),
                                                 tf.train.GradientDescentOptimizer(0.1))
        slim.learning.train(train_op, str(tmp_path), save_summaries_secs=0,
                            save_interval_secs=0)
    assert tf.train.load_variable(str(tmp_path), "global_step") == 4


def test_create_train_op_multiplies_then_clips_gradients():
    with tf.Graph().as_default():
        v = tf.Variable([3.0, 4.0], name="v")
        loss = tf.reduce_sum(v * tf.constant([1.0, 1.0]))  # gradient [1, 1]
        opt = tf.train.GradientDescentOptimizer(1.0)
        train_op = slim.learning.create_train_op(loss, opt, gradient_multipliers={"v": 10.0},
                                                 clip_gradient_norm=np.sqrt(2.0))
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            assert sess.run(train_op) == pytest.approx(7.0)  # the loss before the update
            np.testing.assert_allclose(sess.run(v), [2.0, 3.0], rtol=1e-5)  # clipped to [1, 1]


def test_slim_evaluation_once_and_loop(tmp_path):
    ckpt_dir, eval_dir = str(tmp_path / "train"), str(tmp_path / "eval")
    with tf.Graph().as_default():
        train_op = slim.learning.create_train_op(_regression(),
                                                 tf.train.GradientDescentOptimizer(0.1))
        slim.learning.train(train_op, ckpt_dir, number_of_steps=50, save_summaries_secs=0,
                            save_interval_secs=0)
    for loop in (False, True):
        with tf.Graph().as_default():
            loss = _regression()
            mean, update = tf.metrics.mean(loss)
            tf.summary.scalar("eval_loss", mean)
            if loop:
                value = slim.evaluation.evaluation_loop(
                    "", ckpt_dir, eval_dir, num_evals=3, eval_op=update, final_op=mean,
                    eval_interval_secs=0, max_number_of_evaluations=1, timeout=0)
            else:
                value = slim.evaluation.evaluate_once(
                    "", tf.train.latest_checkpoint(ckpt_dir), eval_dir, num_evals=3,
                    eval_op=update, final_op=mean)
        assert 0 < value < 1.0
    events = glob.glob(os.path.join(eval_dir, "events*"))
    tags = {v.tag for f in events for e in tf.train.summary_iterator(f) for v in e.summary.value}
    assert "eval_loss" in tags
