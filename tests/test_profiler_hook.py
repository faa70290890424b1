"""tf.train.ProfilerHook: Chrome traces of steps, at the steps TF 2's hook writes them."""
import glob
import json
import os
import time

import pytest

import minitf as tf
from minitf.summary_events import summary_iterator
from minitf.summary_writer import FileWriterCache


@pytest.fixture
def train_op():
    step = tf.train.get_or_create_global_step()
    yield tf.assign_add(step, 1)
    FileWriterCache.clear()


def _timelines(directory):
    return sorted(os.path.basename(f) for f in glob.glob(os.path.join(directory, "timeline-*")))


def test_save_steps_writes_from_the_second_trigger_as_tf(train_op, tmp_path):
    hook = tf.train.ProfilerHook(save_steps=2, output_dir=str(tmp_path))
    seen = []
    with tf.train.SingularMonitoredSession(hooks=[hook]) as sess:
        for _ in range(5):
            sess.run(train_op)
            seen.append(_timelines(tmp_path))
    assert seen == [[], ["timeline-2.json"], ["timeline-2.json"],
                    ["timeline-2.json", "timeline-4.json"],
                    ["timeline-2.json", "timeline-4.json"]]


def test_timeline_file_is_a_chrome_trace_of_the_step(train_op, tmp_path):
    hook = tf.train.ProfilerHook(save_steps=1, output_dir=str(tmp_path), show_memory=True)
    with tf.train.SingularMonitoredSession(hooks=[hook]) as sess:
        sess.run(train_op)
        sess.run(train_op)
    trace = json.loads((tmp_path / "timeline-2.json").read_text())
    ops = {e["args"]["name"]: e for e in trace["traceEvents"] if e["ph"] == "X"}
    assert ops["AssignAdd"]["name"] == "AssignAdd"
    assert ops["AssignAdd"]["args"]["op"] == "AssignAdd"
    assert any(e["ph"] == "C" for e in trace["traceEvents"])  # show_memory's counters


def test_run_metadata_goes_to_the_event_file(train_op, tmp_path):
    hook = tf.train.ProfilerHook(save_steps=2, output_dir=str(tmp_path))
    with tf.train.SingularMonitoredSession(hooks=[hook]) as sess:
        for _ in range(4):
            sess.run(train_op)
    FileWriterCache.get(str(tmp_path)).flush()
    (events,) = glob.glob(os.path.join(tmp_path, "events.out.tfevents.*"))
    tags = [e.tagged_run_metadata.tag for e in summary_iterator(events)
            if e.HasField("tagged_run_metadata")]
    assert tags == ["step_2", "step_4"]


def test_save_secs_waits_the_period_after_the_first_run(train_op, tmp_path, monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(time, "time", lambda: now[0])
    hook = tf.train.ProfilerHook(save_secs=2, output_dir=str(tmp_path))
    with tf.train.SingularMonitoredSession(hooks=[hook]) as sess:
        sess.run(train_op)
        sess.run(train_op)
        assert _timelines(tmp_path) == []
        now[0] += 2.5
        sess.run(train_op)
        assert _timelines(tmp_path) == ["timeline-3.json"]


def test_hook_requests_a_trace_only_on_saved_steps(train_op, tmp_path):
    hook = tf.train.ProfilerHook(save_steps=2, output_dir=str(tmp_path))
    hook.begin()
    assert hook.before_run(None).options is None  # the first run starts the timer
    context = tf.train.SessionRunContext(None, None)
    hook.after_run(context, tf.train.SessionRunValues({"global_step": 0}, None, None))
    # the next run ends at global step 2, two steps after the timer's start
    assert hook.before_run(context).options.trace_level == tf.RunOptions.FULL_TRACE


def test_needs_a_global_step(tmp_path):
    hook = tf.train.ProfilerHook(save_steps=1, output_dir=str(tmp_path))
    with pytest.raises(RuntimeError, match="Global step should be created to use ProfilerHook."):
        hook.begin()
    FileWriterCache.clear()


@pytest.mark.parametrize("kwargs, message", [
    ({}, "Either every_secs or every_steps should be provided."),
    ({"save_steps": 1, "save_secs": 1}, "Can not provide both every_secs and every_steps."),
])
def test_needs_exactly_one_period(tmp_path, kwargs, message):
    with pytest.raises(ValueError, match=message):
        tf.train.ProfilerHook(output_dir=str(tmp_path), **kwargs)


def test_hooks_options_are_merged_without_changing_the_callers(train_op, tmp_path):
    caller = tf.RunOptions(timeout_in_ms=5)
    md = tf.RunMetadata()
    hook = tf.train.ProfilerHook(save_steps=1, output_dir=str(tmp_path))
    with tf.train.SingularMonitoredSession(hooks=[hook]) as sess:
        sess.run(train_op)
        sess.run(train_op, options=caller, run_metadata=md)
    assert caller == tf.RunOptions(timeout_in_ms=5)
    assert "AssignAdd" in [n.node_name for n in md.step_stats.dev_stats[0].node_stats]
