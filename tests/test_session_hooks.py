"""tf.train's session hooks: the hook API's call order, and each ready-made hook firing at the
steps, with the log lines, TF1 shows (the literals were read from TF1 with tfdiff)."""
import re
import time

import numpy as np
import pytest

import minitf as tf
from minitf.train import basic_session_run_hooks


@pytest.fixture
def clock(monkeypatch):
    """A fake `time.time` the test moves forward by hand."""
    now = [1000.0]
    monkeypatch.setattr(basic_session_run_hooks.time, "time", lambda: now[0])
    return now


def _square_model(w0=1.0, lr=0.1):
    gs = tf.train.get_or_create_global_step()
    w = tf.Variable(w0, name="w")
    loss = tf.square(w, name="loss")
    train = tf.train.GradientDescentOptimizer(lr).minimize(loss, global_step=gs)
    return gs, w, loss, train


class _Spy(tf.train.SessionRunHook):
    def __init__(self, gs, seen):
        self.gs, self.seen = gs, seen

    def begin(self):
        self.seen.append("begin")

    def after_create_session(self, session, coord):
        self.seen.append(("after_create_session", int(session.run(self.gs)),
                          type(coord).__name__))

    def before_run(self, run_context):
        self.seen.append(("before_run", type(run_context.original_args).__name__))
        return tf.train.SessionRunArgs({"gs": self.gs})

    def after_run(self, run_context, run_values):
        self.seen.append(("after_run", int(run_values.results["gs"])))

    def end(self, session):
        self.seen.append(("end", int(session.run(self.gs))))


def _without_times(lines):
    lines = [re.sub(r" \(\d+\.\d{3} sec\)", " (X sec)", m) for m in lines]
    return [re.sub(r"global_step/sec: \S+", "global_step/sec: X", m) for m in lines]


def test_hook_call_order_and_step_logs(tmp_path, logs):
    gs, _, loss, train = _square_model()
    seen = []
    hooks = [_Spy(gs, seen), tf.train.StopAtStepHook(last_step=5),
             tf.train.LoggingTensorHook({"loss": loss, "step": gs}, every_n_iter=2)]
    losses = []
    with tf.train.MonitoredTrainingSession(checkpoint_dir=str(tmp_path), hooks=hooks,
                                           save_checkpoint_steps=2,
                                           log_step_count_steps=2) as sess:
        while not sess.should_stop():
            losses.append(sess.run([train, loss])[1])
    assert seen == ["begin", ("after_create_session", 0, "Coordinator")] + [
        x for s in range(1, 6) for x in (("before_run", "SessionRunArgs"), ("after_run", s))
    ] + [("end", 5)]
    np.testing.assert_allclose(losses, [1.0, 0.64, 0.4096, 0.262144, 0.16777213], rtol=1e-6)
    names = sorted(p.name for p in tmp_path.iterdir())
    # the step rate's summaries go to one event file (tests/test_summary_hooks.py reads it)
    assert [n for n in names if not n.startswith("events.out.tfevents.")] == [
        "checkpoint", "model.ckpt-0.meta", "model.ckpt-0.npz", "model.ckpt-2.meta",
        "model.ckpt-2.npz", "model.ckpt-4.meta", "model.ckpt-4.npz", "model.ckpt-5.meta",
        "model.ckpt-5.npz"]
    assert len(names) == 10
    def save(step):
        return [f"Calling checkpoint listeners before saving checkpoint {step}...",
                f"Saving checkpoints for {step} into {tmp_path}/model.ckpt.",
                f"Calling checkpoint listeners after saving checkpoint {step}..."]
    assert _without_times(logs) == [
        "Create CheckpointSaverHook.", "Graph was finalized.", "Running local_init_op.",
        "Done running local_init_op.", *save(0), "loss = 1.0, step = 1", *save(2),
        "global_step/sec: X", "loss = 0.4096, step = 3 (X sec)", *save(4),
        "global_step/sec: X", "loss = 0.16777213, step = 5 (X sec)", *save(5)]


def test_stop_at_step_hook_num_steps_counts_from_the_session_start():
    gs, _, _, train = _square_model()
    set_gs = gs.assign(10)
    scaffold = tf.train.Scaffold(init_fn=lambda scaffold, sess: sess.run(set_gs))
    creator = tf.train.ChiefSessionCreator(scaffold=scaffold)
    final = tf.train.FinalOpsHook(gs)
    hooks = [tf.train.StopAtStepHook(num_steps=3), final]
    with tf.train.MonitoredSession(creator, hooks=hooks) as sess:
        steps = 0
        while not sess.should_stop():
            sess.run(train)
            steps += 1
    assert (steps, final.final_ops_values) == (3, 13)


def test_hook_argument_errors():
    cases = [
        (lambda: tf.train.StopAtStepHook(), "One of num_steps or last_step must be specified."),
        (lambda: tf.train.StopAtStepHook(1, 2),
         "Only one of num_steps or last_step can be specified."),
        (lambda: tf.train.LoggingTensorHook({}),
         "either at_end and/or exactly one of every_n_iter and every_n_secs must be provided."),
        (lambda: tf.train.LoggingTensorHook({}, every_n_iter=0), "invalid every_n_iter=0."),
        (lambda: tf.train.StepCounterHook(every_n_steps=None),
         "exactly one of every_n_steps and every_n_secs should be provided."),
        (lambda: tf.train.SecondOrStepTimer(),
         "Either every_secs or every_steps should be provided."),
        (lambda: tf.train.SecondOrStepTimer(1, 1),
         "Can not provide both every_secs and every_steps."),
    ]
    for make, message in cases:
        with pytest.raises(ValueError, match=re.escape(message)):
            make()
    with pytest.raises(RuntimeError, match="Global step should be created to use StopAtStepHook"):
        tf.train.MonitoredSession(hooks=[tf.train.StopAtStepHook(1)])
    with pytest.raises(ValueError, match="You cannot provide both saver and scaffold."):
        tf.train.CheckpointSaverHook("d", save_steps=1, saver=1, scaffold=tf.train.Scaffold())


def test_run_args_values_and_context():
    assert tf.train.SessionRunArgs(1) == (1, None, None)
    assert repr(tf.train.SessionRunValues(1, 2, 3)) == (
        "SessionRunValues(results=1, options=2, run_metadata=3)")
    ctx = tf.train.SessionRunContext(tf.train.SessionRunArgs("f", {"x": 1}), "sess")
    assert (ctx.original_args.fetches, ctx.session, ctx.stop_requested) == ("f", "sess", False)
    ctx.request_stop()
    assert ctx.stop_requested


def test_hook_fetches_and_feeds_merge_with_the_caller(logs):
    x = tf.placeholder(tf.float32, [], name="x")
    v = tf.Variable(0.0, name="v")
    add = tf.assign_add(v, x)
    y = x * 2.0
    got = []

    class Feeder(tf.train.SessionRunHook):
        def before_run(self, run_context):
            got.append(sorted(k.name for k in (run_context.original_args.feed_dict or {})))
            return tf.train.SessionRunArgs([y], feed_dict={x: 5.0})

        def after_run(self, run_context, run_values):
            got.append(run_values.results)

    with tf.train.MonitoredSession(hooks=[Feeder()]) as sess:
        assert sess.run({"a": add, "b": [y]}) == {"a": 5.0, "b": [10.0]}
        with pytest.raises(RuntimeError, match=re.escape(
                "Same tensor is fed by a SessionRunHook and user. Conflict(s): [<tf.Tensor "
                "'x:0' shape=() dtype=float32>]")):
            sess.run(add, feed_dict={x: 1.0})
    assert got == [[], [10.0], ["x:0"]]
    hooks = [tf.train.FeedFnHook(lambda: {x: 1.0}), tf.train.FeedFnHook(lambda: {x: 2.0})]
    with tf.train.MonitoredSession(hooks=hooks) as sess:
        with pytest.raises(RuntimeError, match=re.escape("Same tensor is fed by two hooks.")):
            sess.run(add)
    with tf.train.MonitoredSession(hooks=[tf.train.FeedFnHook(lambda: {x: 3.0})]) as sess:
        assert sess.run([add, y]) == [3.0, 6.0]


def test_nan_tensor_hook(logs):
    x = tf.placeholder(tf.float32, [], name="x")
    v = tf.Variable(0.0, name="v")
    add = tf.assign_add(v, x)
    hook = tf.train.NanTensorHook(x, fail_on_nan_loss=False)
    with tf.train.MonitoredSession(hooks=[hook]) as sess:
        sess.run(add, feed_dict={x: 0.5})
        assert not sess.should_stop()
        sess.run(add, feed_dict={x: float("nan")})
        assert sess.should_stop()
        with pytest.raises(RuntimeError, match="Run called even after should_stop requested."):
            sess.run(add, feed_dict={x: 0.5})
    with pytest.raises(tf.train.NanLossDuringTrainingError, match="^NaN loss during training.$"):
        with tf.train.MonitoredSession(hooks=[tf.train.NanTensorHook(x)]) as sess:
            sess.run(add, feed_dict={x: float("nan")})
    assert [m for m in logs if "diverged" in m] == ["Model diverged with loss = NaN."] * 2


def test_logging_tensor_hook_names_at_end_and_formatter(logs):
    x = tf.placeholder(tf.float32, [], name="x")
    v = tf.Variable(0.0, name="v")
    add = tf.assign_add(v, x)
    hook = tf.train.LoggingTensorHook(["v", v], every_n_iter=2, at_end=True)
    hook2 = tf.train.LoggingTensorHook({"yy": "v:0"}, at_end=True,
                                       formatter=lambda d: f"fmt {sorted(d)}")
    with tf.train.MonitoredSession(hooks=[hook, hook2]) as sess:
        for i in range(3):
            sess.run(add, {x: float(i)})
    shown = "<tf.Variable 'v:0' shape=() dtype=float32_ref>"
    assert _without_times(logs)[-4:] == [
        f"v = 0.0, {shown} = 0.0", f"v = 3.0, {shown} = 3.0 (X sec)",
        f"v = 3.0, {shown} = 3.0 (X sec)", "fmt ['yy']"]
    hook3 = tf.train.LoggingTensorHook(["x"], every_n_iter=1)
    with pytest.raises(ValueError, match="should have graph attribute"):
        tf.train.LoggingTensorHook([tf.Graph()], every_n_iter=1).begin()
    hook3.begin()


def test_timed_hooks_with_a_fake_clock(tmp_path, logs, clock):
    gs = tf.train.get_or_create_global_step()
    w = tf.Variable(2.0, name="w")
    loss = tf.identity(w * w, name="loss")
    train = tf.train.GradientDescentOptimizer(0.25).minimize(loss, global_step=gs)
    calls = []

    class Listener(tf.train.CheckpointSaverListener):
        def begin(self):
            calls.append("begin")

        def before_save(self, session, step):
            calls.append(("before", step))

        def after_save(self, session, step):
            calls.append(("after", step))
            return step >= 9

        def end(self, session, step):
            calls.append(("end", step))

    listener = Listener()
    hooks = [tf.train.LoggingTensorHook({"loss": loss, "step": gs}, every_n_secs=10),
             tf.train.StepCounterHook(every_n_steps=None, every_n_secs=5),
             tf.train.CheckpointSaverHook(str(tmp_path), save_secs=7, listeners=[listener])]
    steps = 0
    with tf.train.MonitoredSession(hooks=hooks) as sess:
        while not sess.should_stop():
            clock[0] += 3.0
            sess.run(train)
            steps += 1
    assert steps == 9
    assert calls == ["begin"] + [(k, s) for s in (0, 3, 6, 9) for k in ("before", "after")] + [
        ("end", 9)]
    rate = "global_step/sec: 0.333333"
    assert [m for m in logs if "sec" in m] == [
        rate, "loss = 0.015625, step = 5 (12.000 sec)", rate, rate,
        "loss = 6.1035156e-05, step = 9 (12.000 sec)", rate]
    assert logs[-1] == f"A CheckpointSaverListener requested that training be stopped. " \
                       f"listener: {listener}"


def test_second_or_step_timer(clock):
    timer = tf.train.SecondOrStepTimer(every_secs=5)
    assert timer.should_trigger_for_step(0) and timer.last_triggered_step() is None
    assert timer.update_last_triggered_step(0) == (None, None)
    clock[0] += 4
    assert not timer.should_trigger_for_step(3)
    clock[0] += 1
    assert timer.should_trigger_for_step(3) and not timer.should_trigger_for_step(0)
    assert timer.update_last_triggered_step(3) == (5.0, 3)


def test_final_ops_hook_and_step_counter_warning(logs):
    v = tf.Variable(1.0, name="v")
    gs = tf.train.get_or_create_global_step()
    double = tf.assign(v, v * 2.0)
    final = tf.train.FinalOpsHook({"v": v, "gs": gs})
    with tf.train.MonitoredSession(hooks=[final, tf.train.StepCounterHook(every_n_steps=1)]) as s:
        assert final.final_ops_values is None
        s.run(double)
        s.run(double)
    assert final.final_ops_values == {"v": 4.0, "gs": 0}
    assert sum("has not been increased" in m for m in logs) == 1


def test_global_step_waiter_hook(logs):
    gs = tf.train.get_or_create_global_step()
    inc = tf.assign_add(gs, 1)
    set5 = tf.assign(gs, 5)
    scaffold = tf.train.Scaffold(init_fn=lambda scaffold, sess: sess.run(set5))
    creator = tf.train.ChiefSessionCreator(scaffold=scaffold)
    with tf.train.MonitoredSession(creator, hooks=[tf.train.GlobalStepWaiterHook(5)]) as sess:
        assert sess.run(inc) == 6
    assert "Waiting for global step 5 before starting training." in logs
    with tf.train.MonitoredSession(hooks=[tf.train.GlobalStepWaiterHook(0)]) as sess:
        assert sess.run(inc) == 1


def test_hooks_never_sleep_for_steps(monkeypatch):
    """The step hooks never sleep (a run-time guard for the no-sleep rule of these tests)."""
    monkeypatch.setattr(time, "sleep", lambda s: pytest.fail("slept"))
    gs, _, _, train = _square_model()
    with tf.train.MonitoredSession(hooks=[tf.train.StopAtStepHook(last_step=2)]) as sess:
        while not sess.should_stop():
            sess.run(train)
