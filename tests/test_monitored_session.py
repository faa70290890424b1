"""tf.train.MonitoredSession, MonitoredTrainingSession, Scaffold and SessionManager: making,
restoring and closing the session as TF1 does, recovering from a preempted session, and
training that goes on after a crash (an exception, or the process killed) to the values of an
uninterrupted run."""
import os
import signal
import subprocess
import sys
import textwrap
import threading

import numpy as np
import pytest

import minitf as tf

MODEL = textwrap.dedent("""
    def build():
        gs = tf.train.get_or_create_global_step()
        x = tf.constant([[1.0, 2.0], [3.0, -1.0], [0.5, 0.5]])
        y = tf.constant([[1.0], [2.0], [0.0]])
        w = tf.get_variable("w", initializer=tf.constant([[0.1], [-0.2]]))
        b = tf.get_variable("b", initializer=tf.constant([0.3]))
        loss = tf.reduce_mean(tf.square(tf.matmul(x, w) + b - y))
        opt = tf.train.MomentumOptimizer(0.05, momentum=0.9)
        return gs, w, b, opt.minimize(loss, global_step=gs)
""")
exec(MODEL)  # defines build(): the model of the crash tests, shared with the subprocess


def _train(checkpoint_dir, last_step, crash_at=None):
    """Trains a new graph to `last_step` with MTS; returns (step, w, b) read at the end."""
    with tf.Graph().as_default():
        gs, w, b, train = build()  # noqa: F821 - made by exec(MODEL)
        final = tf.train.FinalOpsHook([gs, w, b])
        hooks = [tf.train.StopAtStepHook(last_step=last_step), final]
        with tf.train.MonitoredTrainingSession(checkpoint_dir=checkpoint_dir, hooks=hooks,
                                               save_checkpoint_steps=3,
                                               log_step_count_steps=None) as sess:
            while not sess.should_stop():
                step = sess.run([train, gs])[1]
                if step == crash_at:
                    raise KeyboardInterrupt("crash")
        assert not tf.get_default_graph().finalized  # MTS un-finalizes the graph it finalized
        return final.final_ops_values


def test_restores_after_an_exception_and_reaches_the_uninterrupted_values(tmp_path):
    expected = _train(str(tmp_path / "straight"), 10)
    assert expected[0] == 10
    crashed = str(tmp_path / "crashed")
    with pytest.raises(KeyboardInterrupt):
        _train(crashed, 10, crash_at=7)
    assert tf.train.latest_checkpoint(crashed).endswith("model.ckpt-6")
    got = _train(crashed, 10)
    assert got[0] == 10
    np.testing.assert_array_equal(got[1], expected[1])
    np.testing.assert_array_equal(got[2], expected[2])
    assert tf.train.get_checkpoint_state(crashed).all_model_checkpoint_paths == [
        os.path.join(crashed, f"model.ckpt-{s}") for s in (0, 3, 6, 9, 10)]  # max_to_keep=5


def test_restores_after_the_process_is_killed(tmp_path):
    expected = _train(str(tmp_path / "straight"), 10)
    killed = str(tmp_path / "killed")
    script = "import os, signal\nimport minitf as tf\n" + MODEL + textwrap.dedent(f"""
        class Kill(tf.train.CheckpointSaverListener):
            def after_save(self, session, step):
                if step == 6:
                    os.kill(os.getpid(), signal.SIGKILL)
        gs, w, b, train = build()
        saver = tf.train.CheckpointSaverHook({killed!r}, save_steps=3, listeners=[Kill()])
        with tf.train.MonitoredTrainingSession(checkpoint_dir={killed!r},
                                               chief_only_hooks=[saver],
                                               save_checkpoint_secs=None) as sess:
            while not sess.should_stop():
                sess.run(train)
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=120)
    assert done.returncode == -signal.SIGKILL, done.stderr.decode()
    assert tf.train.latest_checkpoint(killed).endswith("model.ckpt-6")
    got = _train(killed, 10)
    assert got[0] == 10
    np.testing.assert_array_equal(got[1], expected[1])
    np.testing.assert_array_equal(got[2], expected[2])


def test_restore_logs_and_steps(tmp_path, logs):
    with pytest.raises(KeyboardInterrupt):
        _train(str(tmp_path), 10, crash_at=7)
    del logs[:]
    assert _train(str(tmp_path), 9)[0] == 9
    assert logs[:4] == ["Create CheckpointSaverHook.", "Graph was finalized.",
                        f"Restoring parameters from {tmp_path}/model.ckpt-6",
                        "Running local_init_op."]
    saved = [m for m in logs if m.startswith("Saving checkpoints")]
    assert saved == [f"Saving checkpoints for {s} into {tmp_path}/model.ckpt." for s in (6, 9)]


class _Flaky(tf.train.SessionRunHook):
    """Raises AbortedError at its 5th run and UnavailableError at its 7th."""

    def __init__(self, seen):
        self.runs, self.seen = 0, seen

    def after_create_session(self, session, coord):
        self.seen.append(tuple(int(v) for v in session.run(tf.get_collection("watch"))))

    def before_run(self, run_context):
        self.runs += 1
        if self.runs == 5:
            raise tf.errors.AbortedError(None, None, "preempted")
        if self.runs == 7:
            raise tf.errors.UnavailableError(None, None, "gone")


def test_recovers_from_preemption_by_restoring_the_newest_checkpoint(tmp_path, logs):
    gs = tf.train.get_or_create_global_step()
    w = tf.Variable(0, name="w")
    tf.add_to_collection("watch", gs)
    tf.add_to_collection("watch", w)
    train = tf.group(tf.assign_add(w, 1), tf.assign_add(gs, 1))
    seen = []
    hooks = [_Flaky(seen), tf.train.StopAtStepHook(last_step=6)]
    runs = 0
    with tf.train.MonitoredTrainingSession(checkpoint_dir=str(tmp_path), hooks=hooks,
                                           save_checkpoint_steps=2,
                                           log_step_count_steps=None) as sess:
        while not sess.should_stop():
            sess.run(train)
            runs += 1
    # created at 0; preempted at the hooks' 5th run (step 4 saved), and at their 7th (step 5,
    # not saved: restored to 4 again); each preempted run is run again in the new session
    assert seen == [(0, 0), (4, 4), (4, 4)]
    assert (runs, hooks[0].runs) == (7, 9)
    assert sum(m.startswith("An error was raised. This may be due to a preemption") for m in logs
               ) == 2


def test_monitored_session_scaffold_defaults():
    gs = tf.train.get_or_create_global_step()
    v = tf.Variable([1.0, 2.0], name="v")
    assign78 = v.assign([7.0, 8.0])
    lv = tf.Variable(5.0, name="lv", collections=[tf.GraphKeys.LOCAL_VARIABLES])
    seen = []

    def init_fn(scaffold, sess):
        seen.append((type(scaffold).__name__, sess.run(v).tolist()))
        sess.run(assign78)

    scaffold = tf.train.Scaffold(init_fn=init_fn)
    assert scaffold.init_op is None and scaffold.saver is None
    creator = tf.train.ChiefSessionCreator(scaffold=scaffold)
    with tf.train.MonitoredSession(session_creator=creator) as sess:
        assert sess.run(v).tolist() == [7.0, 8.0] and sess.run(lv) == 5.0
        names = {k: (getattr(scaffold, k).name, tf.get_collection(k) == [getattr(scaffold, k)])
                 for k in ("init_op", "ready_op", "ready_for_local_init_op", "local_init_op")}
        assert names == {"init_op": ("group_deps", True), "ready_op": ("concat:0", True),
                         "ready_for_local_init_op": ("concat_1:0", True),
                         "local_init_op": ("group_deps_1", True)}
        assert scaffold.ready_op.op.type == "ConcatV2"
        assert tf.get_collection("savers") == [scaffold.saver]
        assert sess.graph is tf.get_default_graph() and sess.graph.finalized
        assert sess.run(scaffold.ready_op).size == 0
        assert sess.run(gs) == 0
    assert seen == [("Scaffold", [1.0, 2.0])]
    assert not tf.get_default_graph().finalized
    copy = tf.train.Scaffold(copy_from_scaffold=scaffold)
    assert copy.init_op is scaffold.init_op and copy.saver is scaffold.saver
    with pytest.raises(TypeError, match="copy_from_scaffold is not a Scaffold instance."):
        tf.train.Scaffold(copy_from_scaffold=1)
    tf.add_to_collection("init_op", tf.no_op())
    with pytest.raises(RuntimeError, match='More than one item in the collection "init_op"'):
        tf.train.Scaffold.get_or_default("init_op", "init_op", lambda: None)


def test_session_manager_errors():
    tf.Variable(1.0, name="v")
    manager = tf.train.SessionManager(ready_op=tf.report_uninitialized_variables())
    with pytest.raises(RuntimeError, match="Model is not initialized and no init_op or "
                                           "init_fn or local_init_op was given"):
        manager.prepare_session("")
    with pytest.raises(RuntimeError, match="Init operations did not make model ready.  Init op: "
                                           "noinit, init fn: None, local_init_op: None, "
                                           "error: Variables not initialized: v"):
        manager.prepare_session("", init_op=tf.no_op(name="noinit"))
    with pytest.raises(ValueError, match="If you pass a ready_for_local_init_op you must also "
                                         "pass a local_init_op"):
        tf.train.SessionManager(ready_for_local_init_op=tf.report_uninitialized_variables())
    sess, restored = manager.recover_session("", saver=tf.train.Saver(), checkpoint_dir="/nope")
    assert isinstance(sess, tf.Session) and restored is False
    with pytest.raises(tf.errors.DeadlineExceededError,
                       match="Session was not ready after waiting 0 secs."):
        manager.wait_for_session("", max_wait_secs=0)


def test_session_manager_restores_a_checkpoint(tmp_path):
    v = tf.Variable(1.0, name="v")
    saver = tf.train.Saver()
    init = tf.global_variables_initializer()
    manager = tf.train.SessionManager(ready_op=tf.report_uninitialized_variables())
    with tf.Session() as sess:
        sess.run(init)
        sess.run(v.assign(4.0))
        path = saver.save(sess, str(tmp_path / "m"), global_step=2)
    sess = manager.prepare_session("", init_op=init, saver=saver, checkpoint_dir=str(tmp_path))
    assert sess.run(v) == 4.0
    sess, restored = manager.recover_session("", saver=saver, checkpoint_dir=str(tmp_path))
    assert restored and sess.run(v) == 4.0
    sess = manager.prepare_session("", saver=saver, checkpoint_filename_with_path=path)
    assert sess.run(v) == 4.0


def test_worker_session_creator_waits_for_a_ready_model():
    tf.Variable(1.0, name="v")
    creator = tf.train.WorkerSessionCreator(max_wait_secs=0)
    with pytest.raises(tf.errors.DeadlineExceededError, match="Session was not ready"):
        creator.create_session()
    assert tf.get_default_graph().finalized  # by the creator's scaffold, as in TF


def test_a_worker_runs_once_the_model_is_ready():
    # a worker's session is ready when nothing is uninitialized (no variables here: in one
    # process, as with TF's in-process target, sessions share no variables with a chief)
    c = tf.constant(2.0)
    with tf.train.MonitoredTrainingSession(is_chief=False, max_wait_secs=0) as sess:
        assert sess.run(c) == 2.0 and not sess.should_stop()


def test_close_end_and_exceptions():
    v = tf.Variable(0.0, name="v")
    add = tf.assign_add(v, 1.0)
    ended = []

    class Ender(tf.train.SessionRunHook):
        def end(self, session):
            ended.append(session.run(v))

    with tf.train.MonitoredSession(hooks=[Ender()]) as sess:
        sess.run(add)
        raise tf.errors.OutOfRangeError(None, None, "input ends")  # ends the block quietly
    assert ended == [1.0] and sess.should_stop()
    with pytest.raises(ValueError, match="user"):
        with tf.train.MonitoredSession(hooks=[Ender()]) as sess:
            raise ValueError("user")  # no end() on an error
    assert ended == [1.0]
    sess = tf.train.MonitoredSession()
    sess.close()
    with pytest.raises(RuntimeError, match="Session is already closed."):
        sess.close()


def test_run_step_fn():
    v = tf.Variable(0.0, name="v")
    add = tf.assign_add(v, 10.0)
    seen = []

    def step_fn(step_context):
        seen.append(step_context.session.run(v))
        seen.append(step_context.run_with_hooks(add))
        step_context.request_stop()

    sess = tf.train.MonitoredSession()
    with pytest.raises(StopIteration, match="step_fn has requested the iterations to stop."):
        sess.run_step_fn(step_fn)
    assert seen == [0.0, 10.0] and not sess.should_stop()
    with pytest.raises(ValueError, match=r"Got \('a',\) instead."):
        sess.run_step_fn(lambda a: 1)

    class Stepper:
        def step(self, step_context):
            return step_context.run_with_hooks(add)

    assert sess.run_step_fn(Stepper().step) == 20.0
    sess.close()
    with tf.train.MonitoredSession() as sess:  # StopIteration ends a with block quietly
        sess.run_step_fn(step_fn)


def test_singular_monitored_session(tmp_path):
    v = tf.Variable(3.0, name="v")
    sess = tf.train.SingularMonitoredSession(checkpoint_dir=str(tmp_path))
    raw = sess.raw_session()
    assert type(raw) is tf.Session and raw.run(v) == 3.0 and sess.run(v) == 3.0
    sess.close()
    with pytest.raises(ValueError, match="You can not provide both checkpoint_dir and "
                                         "checkpoint_filename_with_path."):
        tf.train.ChiefSessionCreator(checkpoint_dir="a", checkpoint_filename_with_path="b")


def test_monitored_training_session_default_hooks(tmp_path):
    tf.train.get_or_create_global_step()
    sess = tf.train.MonitoredTrainingSession(checkpoint_dir=str(tmp_path))
    kinds = [type(h).__name__ for h in sess._hooks]
    assert kinds == ["StepCounterHook", "SummarySaverHook", "CheckpointSaverHook"]
    assert sess._hooks[1]._timer._every_steps == 100
    assert sess._hooks[2]._timer._every_secs == 600
    sess.close()
    assert os.listdir(tmp_path) and tf.train.latest_checkpoint(str(tmp_path)).endswith("-0")
    sess = tf.train.MonitoredTrainingSession(checkpoint_dir=str(tmp_path),
                                             save_checkpoint_secs=None,
                                             log_step_count_steps=0, save_summaries_steps=None)
    assert sess._hooks == []
    sess.close()


def test_a_thread_error_stops_the_session_and_is_raised_on_close():
    gs = tf.train.get_or_create_global_step()
    inc = tf.assign_add(gs, 1)
    go = threading.Event()

    class Starter(tf.train.SessionRunHook):
        def after_create_session(self, session, coord):
            def work():
                with coord.stop_on_exception():
                    go.wait()
                    raise ValueError("thread died")
            self.thread = threading.Thread(target=work)
            self.thread.start()
            coord.register_thread(self.thread)
            self.coord = coord

    hook = Starter()
    with pytest.raises(ValueError, match="thread died"):
        with tf.train.MonitoredSession(hooks=[hook]) as sess:
            assert (sess.run(inc), sess.should_stop()) == (1, False)
            go.set()
            hook.thread.join()
            assert sess.should_stop()  # TF says True here; the error comes out of close
            assert sess.run(inc) == 2
    # without recovery (SingularMonitoredSession) should_stop raises it, as in TF
    go.clear()
    with pytest.raises(ValueError, match="thread died"):
        sess = tf.train.SingularMonitoredSession(hooks=[hook])
        go.set()
        hook.thread.join()
        sess.should_stop()
    hook.coord.clear_stop()
    sess.close()


def test_hooks_and_the_coordinator_request_a_stop():
    gs = tf.train.get_or_create_global_step()
    inc = tf.assign_add(gs, 1)

    class Stopper(tf.train.SessionRunHook):
        def after_create_session(self, session, coord):
            self.coord = coord

        def after_run(self, run_context, run_values):
            run_context.request_stop()

    with tf.train.MonitoredSession(hooks=[Stopper()]) as sess:
        assert sess.run_step_fn(lambda step_context: step_context.run_with_hooks(inc)) == 1
        assert sess.should_stop()
    hook = Stopper()
    hook.after_run = lambda *args: None
    with tf.train.MonitoredSession(hooks=[hook]) as sess:
        sess.run(inc)
        hook.coord.request_stop()
        assert sess.should_stop() and sess.run(inc) == 2


def test_scaffold_on_an_empty_graph_and_cached_ops():
    scaffold = tf.train.Scaffold().finalize()
    assert (scaffold.init_op.name, scaffold.ready_op.name, scaffold.ready_for_local_init_op.name,
            scaffold.local_init_op.name) == ("group_deps", "concat:0", "concat_1:0",
                                             "group_deps_1")
    with tf.Session() as sess:
        assert sess.run(scaffold.ready_op).size == sess.run(
            scaffold.ready_for_local_init_op).size == 0
    again = tf.train.Scaffold().finalize()  # the collections' ops, not new ones
    assert (again.init_op, again.ready_op, again.saver) == (
        scaffold.init_op, scaffold.ready_op, scaffold.saver)


def test_session_creation_is_retried_after_an_abort():
    c = tf.constant(1.0)

    class Flaky(tf.train.SessionCreator):
        def __init__(self):
            self.calls, self.inner = 0, tf.train.ChiefSessionCreator()

        def create_session(self):
            self.calls += 1
            if self.calls < 3:
                raise tf.errors.AbortedError(None, None, "not yet")
            return self.inner.create_session()

    creator = Flaky()
    with tf.train.MonitoredSession(session_creator=creator) as sess:
        assert (sess.run(c), creator.calls) == (1.0, 3)
    with pytest.raises(TypeError):
        tf.train.SessionCreator()  # abstract, as in TF


def test_scaffold_ops_given_are_used():
    v = tf.Variable(1.0, name="v")
    scaffold = tf.train.Scaffold(init_op=tf.no_op(name="myinit"),
                                 ready_op=tf.constant([], tf.string),
                                 local_init_op=v.initializer,
                                 ready_for_local_init_op=tf.constant([], tf.string))
    with tf.train.MonitoredSession(tf.train.ChiefSessionCreator(scaffold=scaffold)) as sess:
        assert sess.run(v) == 1.0  # initialized by the local_init_op alone
    assert scaffold.init_op.name == "myinit" and tf.get_collection("init_op") == []
