"""tf.train.SummarySaverHook and the summaries MonitoredTrainingSession writes (its
SummarySaverHook and StepCounterHook's `global_step/sec`), at the steps TF 2.21's tf.compat.v1
writes them (checked with tfdiff)."""
import glob
import os

import pytest

import minitf as tf


def _events(logdir):
    out = []
    for path in sorted(glob.glob(os.path.join(str(logdir), "events.out.tfevents.*"))):
        for event in tf.train.summary_iterator(path):
            what = event.WhichOneof("what")
            detail = ([v.tag for v in event.summary.value] if what == "summary"
                      else event.session_log.status if what == "session_log" else None)
            out.append((what, event.step, detail))
    return out


@pytest.fixture(autouse=True)
def _fresh_writers():
    yield
    tf.summary.FileWriterCache.clear()


def _model():
    gs = tf.train.get_or_create_global_step()
    w = tf.Variable(1.0, name="w")
    loss = tf.square(w)
    tf.summary.scalar("loss", loss)
    tf.summary.histogram("w", w)
    train = tf.train.GradientDescentOptimizer(0.1).minimize(loss, global_step=gs)
    return loss, train


def test_monitored_training_session_writes_summaries_and_the_step_rate(tmp_path):
    _, train = _model()
    with tf.train.MonitoredTrainingSession(
            checkpoint_dir=str(tmp_path), hooks=[tf.train.StopAtStepHook(last_step=8)],
            save_summaries_steps=2, log_step_count_steps=3, save_checkpoint_secs=None) as sess:
        while not sess.should_stop():
            sess.run(train)
    summaries = ["loss", "w_1"]
    assert _events(tmp_path) == [
        ("file_version", 0, None), ("graph_def", 0, None), ("meta_graph_def", 0, None),
        ("session_log", 1, 1),
        ("summary", 1, summaries), ("summary", 3, summaries), ("summary", 4, ["global_step/sec"]),
        ("summary", 5, summaries), ("summary", 7, ["global_step/sec"]),
        ("summary", 7, summaries)]
    # the scaffold's summary op is merge_all's, kept in the SUMMARY_OP collection
    (op,) = tf.get_collection(tf.GraphKeys.SUMMARY_OP)
    assert op.op.type == "MergeSummary"


def test_summary_saver_hook_with_a_writer_and_summary_op(tmp_path):
    loss, train = _model()
    writer = tf.summary.FileWriter(str(tmp_path))
    hook = tf.train.SummarySaverHook(save_steps=3, summary_writer=writer,
                                     summary_op=tf.summary.scalar("only", loss, collections=[]))
    with tf.train.MonitoredSession(hooks=[hook, tf.train.StopAtStepHook(last_step=7)]) as sess:
        while not sess.should_stop():
            sess.run(train)
    # end() flushed the writer: the events are there before it is closed
    events = _events(tmp_path)
    writer.close()
    assert events == [("file_version", 0, None), ("session_log", 1, 1),
                      ("summary", 1, ["only"]), ("summary", 3, ["only"]),
                      ("summary", 5, ["only"]), ("summary", 7, ["only"])]


def test_summary_saver_hook_by_seconds_and_with_a_scaffold(tmp_path):
    _, train = _model()
    scaffold = tf.train.Scaffold()
    hook = tf.train.SummarySaverHook(save_secs=3600, output_dir=str(tmp_path),
                                     scaffold=scaffold)
    with tf.train.MonitoredSession(
            session_creator=tf.train.ChiefSessionCreator(scaffold=scaffold),
            hooks=[hook, tf.train.StopAtStepHook(last_step=4)]) as sess:
        while not sess.should_stop():
            sess.run(train)
    # only the first run's summaries: the hour has not passed
    assert [e for e in _events(tmp_path) if e[0] == "summary"] == [
        ("summary", 1, ["loss", "w_1"])]


def test_summary_saver_hook_arguments():
    with pytest.raises(ValueError, match="Exactly one of scaffold or summary_op must be "
                                         "provided."):
        tf.train.SummarySaverHook(save_steps=1)
    with pytest.raises(ValueError, match="Exactly one of scaffold or summary_op"):
        tf.train.SummarySaverHook(save_steps=1, scaffold=tf.train.Scaffold(),
                                  summary_op=tf.constant(""))
    with pytest.raises(ValueError):
        tf.train.SummarySaverHook(save_steps=1, save_secs=2, summary_op=tf.constant(""))
    hook = tf.train.SummarySaverHook(save_steps=1, summary_op=tf.constant(""))
    with pytest.raises(RuntimeError, match="Global step should be created to use "
                                           "SummarySaverHook."):
        hook.begin()


def test_no_summary_hook_without_a_directory_or_when_turned_off(tmp_path):
    tf.train.get_or_create_global_step()
    sess = tf.train.MonitoredTrainingSession(save_summaries_secs=10)
    assert [type(h).__name__ for h in sess._hooks] == []
    sess.close()
    sess = tf.train.MonitoredTrainingSession(summary_dir=str(tmp_path), save_summaries_secs=10,
                                             log_step_count_steps=None)
    (hook,) = sess._hooks
    assert type(hook).__name__ == "SummarySaverHook" and hook._timer._every_secs == 10
    assert hook._timer._every_steps is None
    sess.close()
