"""tf.train.Supervisor: the defaults it takes from the graph collections, the chief's
restore-or-initialize and standard services (summaries, steps/sec, checkpoints), the
non-chief's wait, and how managed_session stops threads and passes exceptions on."""
import glob
import os
import threading
import time

import numpy as np
import pytest

import minitf as tf

FAST = {"save_summaries_secs": 0.05, "save_model_secs": 0.05}


def _events(logdir):
    """[(what, step, detail)] of the newest event file of `logdir`."""
    out = []
    for event in tf.train.summary_iterator(sorted(glob.glob(os.path.join(logdir, "events*")))[-1]):
        what = event.WhichOneof("what")
        if what == "summary":
            detail = {v.tag: v.simple_value for v in event.summary.value}
        elif what == "session_log":
            detail = tf.SessionLog.SessionStatus.Name(event.session_log.status)
        else:
            detail = None
        out.append((what, event.step, detail))
    return out


def _wait_until(condition, what):
    """Polls `condition()` until true; a generous deadline only guards against a hang."""
    deadline = time.time() + 60
    while not condition():
        assert time.time() < deadline, f"never happened: {what}"
        time.sleep(0.01)


def _model():
    step = tf.train.get_or_create_global_step()
    w = tf.Variable([1.0, 2.0], name="w")
    train = tf.group(w.assign_add([1.0, 1.0]), step.assign_add(1))
    return step, w, train


def test_defaults_come_from_the_graph_collections_and_are_added_to_them(tmp_path):
    step, w, _ = _model()
    tf.summary.scalar("w0", w[0])
    sv = tf.train.Supervisor(logdir=str(tmp_path))
    graph = tf.get_default_graph()
    assert graph.finalized
    assert graph.get_collection(tf.GraphKeys.READY_OP) == [sv.ready_op]
    assert graph.get_collection(tf.GraphKeys.INIT_OP) == [sv.init_op]
    assert len(graph.get_collection(tf.GraphKeys.LOCAL_INIT_OP)) == 1
    assert graph.get_collection(tf.GraphKeys.SAVERS) == [sv.saver]
    assert graph.get_collection(tf.GraphKeys.SUMMARY_OP) == [sv.summary_op]
    assert sv.global_step is step and sv.ready_for_local_init_op is None
    assert isinstance(sv.saver, tf.train.Saver) and isinstance(sv.coord, tf.train.Coordinator)
    assert isinstance(sv.session_manager, tf.train.SessionManager)
    assert sv.is_chief and sv.init_feed_dict is None
    assert sv.save_path == os.path.join(str(tmp_path), "model.ckpt")
    assert (sv.save_summaries_secs, sv.save_model_secs) == (120, 600)
    assert sv.summary_writer.get_logdir() == str(tmp_path)
    sv.summary_writer.close()


def test_a_second_supervisor_reuses_the_first_ones_ops():
    tf.Variable(1.0, name="v")
    first = tf.train.Supervisor(logdir=None)
    second = tf.train.Supervisor(logdir=None)
    assert (second.ready_op, second.init_op, second.saver) == (
        first.ready_op, first.init_op, first.saver)
    assert first.summary_op is None and first.summary_writer is None  # no summaries, no logdir


def test_none_turns_a_default_off_and_no_variables_means_no_saver():
    sv = tf.train.Supervisor(ready_op=None, init_op=None, local_init_op=None, summary_op=None,
                             global_step=None)
    assert (sv.ready_op, sv.init_op, sv.saver, sv.summary_op, sv.global_step) == (None,) * 5
    assert tf.get_collection(tf.GraphKeys.SAVERS) == []


def test_default_global_step_is_the_integer_tensor_named_global_step():
    tf.Variable(287, name="global_step")
    sv = tf.train.Supervisor()
    assert sv.global_step.name == "global_step:0"
    assert tf.get_collection(tf.GraphKeys.GLOBAL_STEP) == [sv.global_step]
    sess = sv.prepare_or_wait_for_session()
    assert sess.run(sv.global_step) == 287
    sv.stop()
    with tf.Graph().as_default():
        tf.Variable(1.5, name="global_step")  # not an integer: no global step
        assert tf.train.Supervisor().global_step is None


def test_init_op_feed_dict_and_init_fn_initialize_the_model():
    p = tf.placeholder(tf.float32, shape=[2])
    v = tf.Variable(p, name="v")
    u = tf.Variable(3.0, name="u")
    sv = tf.train.Supervisor(init_op=v.initializer, init_feed_dict={p: [4.0, 5.0]},
                             init_fn=lambda sess: sess.run(u.initializer))
    sess = sv.prepare_or_wait_for_session()
    np.testing.assert_allclose(sess.run(v), [4.0, 5.0])
    assert sess.run(u) == 3.0
    sv.stop()


def test_local_init_op_initializes_local_variables():
    v = tf.Variable([1.0, 2.0], trainable=False, collections=[tf.GraphKeys.LOCAL_VARIABLES])
    sv = tf.train.Supervisor(init_op=None)
    sess = sv.prepare_or_wait_for_session()
    np.testing.assert_allclose(sess.run(v), [1.0, 2.0])
    sv.stop()


def test_an_init_op_that_leaves_variables_uninitialized_fails():
    v = tf.Variable(1.0, name="v")
    tf.Variable(2.0, name="w")
    sv = tf.train.Supervisor(init_op=v.initializer)
    with pytest.raises(RuntimeError, match="Variables not initialized: w"):
        sv.prepare_or_wait_for_session()


def test_managed_session_yields_a_ready_session_then_stops_and_closes_it(tmp_path):
    _, w, _ = _model()
    sv = tf.train.Supervisor(logdir=str(tmp_path))
    with sv.managed_session() as sess:
        np.testing.assert_allclose(sess.run(w), [1.0, 2.0])
        assert not sv.should_stop()
    assert sv.should_stop()
    with pytest.raises(RuntimeError, match="closed"):
        sess.run(w)
    assert os.path.exists(tmp_path / "graph.pbtxt")


def test_chief_restores_the_checkpoint_thread_s_save_after_a_restart(tmp_path):
    logdir = str(tmp_path)
    step, w, train = _model()
    sv = tf.train.Supervisor(logdir=logdir, **FAST)
    with sv.managed_session() as sess:
        for _ in range(3):
            sess.run(train)
        # a save begun during a step could hold half of it: wait for one begun after the
        # training, i.e. one ended after another that ended after the training
        def saved_after(when):
            latest = tf.train.latest_checkpoint(logdir) or ""
            return latest.endswith("-3") and os.path.getmtime(latest + ".meta") > when

        trained = time.time()
        _wait_until(lambda: saved_after(trained), "a checkpoint of step 3")
        first = os.path.getmtime(tf.train.latest_checkpoint(logdir) + ".meta")
        _wait_until(lambda: saved_after(first), "a later checkpoint of step 3")
    assert os.path.exists(os.path.join(logdir, "checkpoint"))
    assert glob.glob(os.path.join(logdir, "model.ckpt-3.*"))
    with tf.Graph().as_default():
        step, w, train = _model()
        sv = tf.train.Supervisor(logdir=logdir, save_model_secs=0)
        with sv.managed_session() as sess:
            assert sess.run(step) == 3
            np.testing.assert_allclose(sess.run(w), [4.0, 5.0])


def test_standard_services_write_summaries_step_rate_and_checkpoints(tmp_path):
    logdir = str(tmp_path)
    step, w, train = _model()
    tf.summary.scalar("w0", w[0])
    sv = tf.train.Supervisor(logdir=logdir, **FAST)
    sess = sv.prepare_or_wait_for_session()
    services = [t for t in threading.enumerate() if isinstance(t, tf.train.LooperThread)]
    sess.run(train)

    def logged():
        sv.summary_writer.flush()
        found = {what for what, _, detail in _events(logdir) for what in
                 (list(detail) if isinstance(detail, dict) else [detail])}
        return {"w0", "global_step/sec", "CHECKPOINT"} <= found

    _wait_until(logged, "a summary, a step rate and a checkpoint in the events")
    _wait_until(lambda: tf.train.latest_checkpoint(logdir), "a checkpoint")
    sv.stop()
    sess.close()
    events = _events(logdir)
    assert [what for what, _, _ in events[:4]] == [
        "file_version", "graph_def", "meta_graph_def", "session_log"]
    assert events[3][1:] == (0, "START")
    assert events[-1] == ("session_log", 0, "STOP")
    summaries = [(s, d) for what, s, d in events if what == "summary"]
    assert any("w0" in d and d["w0"] in (1.0, 2.0) for _, d in summaries)
    assert all(d["global_step/sec"] >= 0 for _, d in summaries if "global_step/sec" in d)
    assert os.path.basename(tf.train.latest_checkpoint(logdir)).startswith("model.ckpt-")
    assert services and not any(t.is_alive() for t in services)


def test_no_logdir_no_services_and_summary_computed_needs_a_writer():
    tf.Variable(1.0, name="v")
    summary = tf.summary.scalar("c", tf.constant(1.0))
    sv = tf.train.Supervisor(logdir="", summary_op=None)
    sess = sv.prepare_or_wait_for_session()
    assert sv.start_standard_services(sess) is None and sv.save_path is None
    with pytest.raises(RuntimeError, match="Writing a summary requires a summary writer."):
        sv.summary_computed(sess, sess.run(summary))
    sv.stop()


def test_summary_computed_writes_at_the_global_step_to_an_explicit_writer(tmp_path):
    step = tf.Variable(5, name="global_step")
    summary = tf.summary.scalar("c", tf.constant(2.5))
    writer = tf.summary.FileWriter(str(tmp_path))
    sv = tf.train.Supervisor(logdir="", summary_op=None, summary_writer=writer)
    assert sv.global_step.name == step.name
    with sv.managed_session(start_standard_services=False) as sess:
        sv.summary_computed(sess, sess.run(summary))
        sv.summary_computed(sess, sess.run(summary), global_step=9)
    events = _events(str(tmp_path))
    assert [e for e in events if e[0] == "summary"] == [
        ("summary", 5, {"c": 2.5}), ("summary", 9, {"c": 2.5})]
    assert events[1][0] == "graph_def" and events[-1] == ("session_log", 0, "STOP")


def test_keeping_the_summary_writer_across_two_managed_sessions(tmp_path):
    summary = tf.summary.scalar("c", tf.constant(1.0))
    sv = tf.train.Supervisor(logdir=str(tmp_path), summary_op=None)
    for _ in range(2):
        with sv.managed_session(close_summary_writer=False,
                                start_standard_services=False) as sess:
            sv.summary_computed(sess, sess.run(summary))
    sv.summary_writer.close()
    whats = [what for what, _, _ in _events(str(tmp_path))]
    # the graph is written once; no STOP while the writer stays open
    assert whats == ["file_version", "graph_def", "meta_graph_def", "summary", "summary"]


def test_an_exception_in_the_block_is_raised_after_the_threads_are_joined(tmp_path):
    _, _, train = _model()
    sv = tf.train.Supervisor(logdir=str(tmp_path), **FAST)
    ran, services = [], []
    with pytest.raises(RuntimeError, match="failing here"):
        with sv.managed_session() as sess:
            services = [t for t in threading.enumerate()
                        if isinstance(t, tf.train.LooperThread)]
            for step in range(10):
                ran.append(step)
                if step == 1:
                    raise RuntimeError("failing here")
                sess.run(train)
    assert sv.should_stop() and ran == [0, 1]
    assert len(services) >= 2 and not any(t.is_alive() for t in services)  # joined


def test_out_of_range_error_ends_the_block_quietly():
    c = tf.constant(1.0)
    sv = tf.train.Supervisor(logdir=None)
    ran = []
    with sv.managed_session() as sess:
        for step in range(10):
            ran.append(step)
            if step == 3:
                raise tf.errors.OutOfRangeError(None, None, "all done")
            sess.run(c)
    assert sv.should_stop() and ran == [0, 1, 2, 3]


def test_an_exception_in_a_loop_thread_stops_the_block_and_is_raised():
    sv = tf.train.Supervisor(logdir=None)

    def fail():
        raise ValueError("thread failed")

    with pytest.raises(ValueError, match="thread failed"):
        with sv.managed_session():
            sv.loop(0.01, fail)
            sv.wait_for_stop()
    assert sv.should_stop()


def test_loop_calls_its_target_with_args_until_stop():
    sv = tf.train.Supervisor(logdir=None)
    calls = []
    got_three = threading.Event()

    def record(a, b=None):
        calls.append((a, b))
        if len(calls) >= 3:
            got_three.set()

    sess = sv.prepare_or_wait_for_session()
    thread = sv.Loop(0.01, record, args=(1,), kwargs={"b": 2})
    assert got_three.wait(60)
    sv.stop()
    assert not thread.is_alive() and set(calls) == {(1, 2)}
    count = len(calls)
    time.sleep(0.03)
    assert len(calls) == count  # stopped for good
    sess.close()


def test_request_stop_should_stop_and_stop_on_exception():
    sv = tf.train.Supervisor(logdir=None)
    sess = sv.prepare_or_wait_for_session()
    assert not sv.should_stop()
    with sv.stop_on_exception():
        raise KeyError("boom")
    assert sv.should_stop()
    sv.wait_for_stop()  # returns at once
    with pytest.raises(KeyError, match="boom"):
        sv.stop()
    sess.close()
    sess = sv.prepare_or_wait_for_session()  # a new session clears the stop
    assert not sv.should_stop()
    sv.request_stop()
    assert sv.should_stop()
    sv.stop()
    sess.close()


def test_start_queue_runners_starts_the_collection_s_runners():
    sv = tf.train.Supervisor(logdir=None)
    sess = sv.prepare_or_wait_for_session()
    assert sv.start_queue_runners(sess) == []

    class Runner:
        def create_threads(self, sess, coord=None, daemon=False, start=False):
            thread = threading.Thread(target=coord.wait_for_stop, daemon=daemon)
            if start:
                thread.start()
            return [thread]

    threads = sv.start_queue_runners(sess, [Runner()])
    assert len(threads) == 1 and threads[0].is_alive() and threads[0].daemon
    sv.stop(threads)
    assert not threads[0].is_alive()
    sess.close()


def test_non_chief_needs_devices_writes_nothing_and_times_out(tmp_path):
    tf.Variable(1.0, name="v")
    with pytest.raises(ValueError, match="all Variables must have their device set"):
        tf.train.Supervisor(logdir=str(tmp_path), is_chief=False)
    with tf.Graph().as_default():
        with tf.device("/job:ps/task:0"):
            tf.Variable(1.0, name="v")
        sv = tf.train.Supervisor(logdir=str(tmp_path), is_chief=False, recovery_wait_secs=0.01)
        assert (sv.summary_writer, sv.save_path, sv.save_model_secs) == (None, None, None)
        with pytest.raises(tf.errors.DeadlineExceededError, match="Session was not ready"):
            sv.prepare_or_wait_for_session(max_wait_secs=0.05)
        with pytest.raises(RuntimeError, match="Only chief supervisor can start standard"):
            sv.start_standard_services(None)
        with pytest.raises(RuntimeError, match="requires a summary writer"):
            sv.summary_computed(None, b"")
    assert os.listdir(tmp_path) == []


def test_non_chief_waits_until_the_chief_has_initialized_the_model(tmp_path):
    # minitf's sessions do not share variables: the worker's ready_op reports the model
    # uninitialized until the chief's init_fn has run, as a shared model would
    chief_done, checks, chief = threading.Event(), [], []

    def start_chief():
        with tf.Graph().as_default():
            tf.Variable(1.0, name="v")
            chief = tf.train.Supervisor(logdir=str(tmp_path), save_model_secs=0,
                                        init_fn=lambda sess: chief_done.set())
            chief.prepare_or_wait_for_session().close()
            chief.stop()

    def not_ready():
        done = chief_done.is_set()
        checks.append(done)
        if len(checks) == 1:  # the worker is waiting: start the chief
            chief.append(threading.Thread(target=start_chief))
            chief[0].start()
        return np.array([] if done else [b"v"], dtype=object)

    with tf.device("/job:ps/task:0"):
        v = tf.Variable(1.0, name="v")
    ready = tf.py_func(not_ready, [], tf.string)
    worker = tf.train.Supervisor(logdir=str(tmp_path), is_chief=False, ready_op=ready,
                                 local_init_op=v.initializer, recovery_wait_secs=0.01)
    with worker.managed_session() as sess:
        assert sess.run(v) == 1.0
    chief[0].join()
    assert checks[0] is False and checks[-1] is True
    assert os.path.exists(tmp_path / "graph.pbtxt")  # written by the chief


def test_eager_mode_is_refused():
    with tf.eager_mode():
        with pytest.raises(RuntimeError, match="not compatible with eager execution"):
            tf.train.Supervisor()
