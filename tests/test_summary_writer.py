"""tf.summary.FileWriter, FileWriterCache and tf.train.summary_iterator (minitf/summary_writer.py,
summary_events.py): event files TF writes and reads, record by record."""
import glob
import os
import pathlib
import socket
import threading
import time
import warnings

import numpy as np
import pytest

import minitf as tf
from minitf.summary_events import encode_record, read_records

DATA = pathlib.Path(__file__).parent / "data" / "tf-events"
# two records of TF's event file: Event(wall_time=1.5, step=9, file_version="x") and
# Event(wall_time=2.0, summary with a = 1.0), as TF's EventsWriter framed them
TF_RECORDS = (
    b"\x0e\x00\x00\x00\x00\x00\x00\x00\xc5\xe5i?\t\x00\x00\x00\x00\x00\x00\xf8?\x10\t\x1a\x01x"
    b"\xfa\xed22"
    b"\x15\x00\x00\x00\x00\x00\x00\x00\xd6\xabk+\t\x00\x00\x00\x00\x00\x00\x00@*\n\n\x08\n\x01a"
    b"\x15\x00\x00\x80?\xf9\x05\xe8p")


def _events(logdir):
    (path,) = glob.glob(os.path.join(str(logdir), "events.out.tfevents.*"))
    return list(tf.train.summary_iterator(path))


def _without_times(events):
    out = []
    for event in events:
        event.ClearField("wall_time")
        out.append(event.SerializeToString())
    return out


def test_records_are_framed_as_tf_frames_them(tmp_path):
    with tf.summary.FileWriter(str(tmp_path)) as writer:
        writer.add_event(tf.Event(wall_time=1.5, step=9, file_version="x"))
        writer.add_event(tf.Event(wall_time=2.0, summary=tf.Summary(
            value=[tf.Summary.Value(tag="a", simple_value=1.0)])))
    (path,) = glob.glob(str(tmp_path / "*"))
    raw = pathlib.Path(path).read_bytes()
    assert raw.endswith(TF_RECORDS) and len(raw) == 78 + len(TF_RECORDS)
    assert encode_record(raw[12:12 + 62]) == raw[:78]


def test_the_file_name_and_first_event(tmp_path):
    before = int(time.time())
    writer = tf.summary.FileWriter(str(tmp_path / "logs"), filename_suffix=".v1")
    (path,) = glob.glob(str(tmp_path / "logs" / "*"))  # made at once when there is a suffix
    writer.close()
    name = os.path.basename(path)
    prefix, stamp, rest = name.split(".", 3)[1], name.split(".")[3], name.split(".", 4)[4]
    assert name.startswith("events.out.tfevents.") and prefix == "out"
    assert before <= int(stamp) <= time.time() and rest == f"{socket.gethostname()}.v1"
    (first,) = tf.train.summary_iterator(path)
    assert first.wall_time == int(stamp) and first.step == 0
    assert first.file_version == "brain.Event:2"
    assert first.source_metadata.writer == "tensorflow.core.util.events_writer"


def test_no_file_without_events_or_suffix(tmp_path):
    tf.summary.FileWriter(str(tmp_path)).close()
    assert os.listdir(tmp_path) == []


def _fixture_summaries():
    x = tf.constant(np.linspace(-2.0, 3.0, 11).astype(np.float32), name="x")
    tf.summary.scalar("loss", tf.reduce_sum(x))
    tf.summary.histogram("weights", x, family="train")
    tf.summary.text("note", tf.constant("hello"))
    pixels = np.arange(2 * 4 * 5 * 3).reshape(2, 4, 5, 3).astype(np.float32) / 7.0 - 2.0
    tf.summary.image("picture", tf.constant(pixels), max_outputs=2)
    return tf.summary.merge_all()


def test_events_equal_tf_s_file_but_for_wall_times(tmp_path):
    # tests/data/make_tf_events.py wrote the same summaries with TensorFlow
    (tf_file,) = DATA.glob("events.out.tfevents.*")
    merged = _fixture_summaries()
    writer = tf.summary.FileWriter(str(tmp_path), filename_suffix=".tf")
    with tf.Session() as sess:
        for step in range(2):
            writer.add_summary(sess.run(merged), step)
    writer.add_session_log(tf.SessionLog(status=tf.SessionLog.STOP), 2)
    writer.close()
    ours, theirs = _events(tmp_path), list(tf.train.summary_iterator(str(tf_file)))
    assert [e.WhichOneof("what") for e in theirs] == [
        "file_version", "summary", "summary", "session_log"]
    assert _without_times(ours) == _without_times(theirs)
    # a tag's metadata goes with its first value only
    assert theirs[1].summary.value[2].metadata.plugin_data.plugin_name == "text"
    assert not theirs[2].summary.value[2].HasField("metadata")


def test_add_summary_session_log_run_metadata_and_events(tmp_path):
    loss = tf.summary.scalar("loss", tf.constant(2.0))
    writer = tf.summary.FileWriter(str(tmp_path), max_queue=2, flush_secs=1)
    assert writer.get_logdir() == str(tmp_path)
    with tf.Session() as sess:
        writer.add_summary(sess.run(loss), global_step=np.int64(3))
    writer.add_summary(tf.Summary(value=[tf.Summary.Value(tag="direct", simple_value=7.0)]))
    writer.add_session_log(tf.SessionLog(status=tf.SessionLog.START, msg="go"), 5)
    writer.add_run_metadata(tf.RunMetadata(), "step1", 1)
    with pytest.raises(ValueError, match="The provided tag was already used"):
        writer.add_run_metadata(tf.RunMetadata(), "step1", 2)
    writer.flush()
    events = _events(tmp_path)
    assert [(e.WhichOneof("what"), e.step) for e in events] == [
        ("file_version", 0), ("summary", 3), ("summary", 0), ("session_log", 5),
        ("tagged_run_metadata", 1)]
    assert events[1].summary.value[0].simple_value == 2.0 and events[1].wall_time > 1e9
    assert events[3].session_log.msg == "go" and events[4].tagged_run_metadata.tag == "step1"
    writer.close()


def test_close_reopen_and_closed_warnings(tmp_path):
    writer = tf.summary.FileWriter(str(tmp_path), filename_suffix=".a")
    writer.add_event(tf.Event(step=1))
    writer.close()
    with pytest.warns(UserWarning, match="Attempting to use a closed FileWriter"):
        writer.add_event(tf.Event(step=2))  # dropped
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        writer.close()  # closing twice is fine
    [path] = glob.glob(str(tmp_path / "*"))
    assert [e.step for e in tf.train.summary_iterator(path)] == [0, 1]
    time.sleep(1.05)  # the next file is named after a later second
    writer.reopen()
    writer.add_event(tf.Event(step=3))
    writer.close()
    paths = sorted(glob.glob(str(tmp_path / "*")))
    assert len(paths) == 2
    assert [e.step for e in tf.train.summary_iterator(paths[1])] == [0, 3]


def test_the_background_thread_flushes_every_flush_secs(tmp_path):
    writer = tf.summary.FileWriter(str(tmp_path), flush_secs=0)
    writer.add_event(tf.Event(step=4, wall_time=1.0))
    deadline = time.time() + 10
    while time.time() < deadline:  # written and flushed without flush() or close()
        paths = glob.glob(str(tmp_path / "*"))
        if paths and [e.step for e in tf.train.summary_iterator(paths[0])] == [0, 4]:
            break
        time.sleep(0.02)
    else:
        pytest.fail("the event was not flushed")
    writer.close()


def test_a_corrupted_record_is_data_loss(tmp_path):
    path = tmp_path / "events.out.tfevents.1.host"
    record = encode_record(tf.Event(step=1).SerializeToString())
    path.write_bytes(record + record[:-1] + bytes([record[-1] ^ 1]))
    with pytest.raises(tf.errors.DataLossError):
        list(tf.train.summary_iterator(str(path)))
    path.write_bytes(record + record[:7])  # a record still being written: the end
    assert [e.step for e in tf.train.summary_iterator(str(path))] == [1]
    assert list(read_records(str(path))) == [tf.Event(step=1).SerializeToString()]


def test_add_graph_with_a_graph_or_a_graph_def(tmp_path):
    graph = tf.Graph()
    with graph.as_default():
        with tf.name_scope("layer"):
            tf.add(tf.constant(1.0, name="a"), 2.0, name="sum")
    with tf.summary.FileWriter(str(tmp_path), graph=graph) as writer:
        graph_def = graph.as_graph_def()
        writer.add_graph(graph_def, global_step=7)
        with pytest.raises(ValueError, match="Please pass only graph, or graph_def"):
            writer.add_graph(graph, graph_def=graph_def)
        with pytest.raises(TypeError, match="The passed graph must be an instance of `Graph`"):
            writer.add_graph("graph")
        with pytest.raises(TypeError, match="meta_graph_def must be type MetaGraphDef"):
            writer.add_meta_graph(graph_def)
    events = [e for e in _events(tmp_path) if e.WhichOneof("what") == "graph_def"]
    assert [e.step for e in events] == [0, 7]
    written = type(graph_def).FromString(events[0].graph_def)
    names = [node.name for node in written.node]
    assert "layer/sum" in names and "layer/a" in names
    # add_shapes=True, as TF writes it for TensorBoard
    sum_node = written.node[names.index("layer/sum")]
    assert "_output_shapes" in sum_node.attr
    assert type(graph_def).FromString(events[1].graph_def) == graph_def


def test_file_writer_cache(tmp_path):
    a = tf.summary.FileWriterCache.get(str(tmp_path / "a"))
    assert tf.summary.FileWriterCache.get(str(tmp_path / "a")) is a
    b = tf.summary.FileWriterCache.get(str(tmp_path / "b"))
    assert b is not a and b.get_logdir() == str(tmp_path / "b")
    tf.summary.FileWriterCache.clear()
    assert tf.summary.FileWriterCache.get(str(tmp_path / "a")) is not a
    tf.summary.FileWriterCache.clear()
    # the cached writer writes the default graph
    events = _events(tmp_path / "a")
    assert [e.WhichOneof("what") for e in events][:2] == ["file_version", "graph_def"]


def test_no_writer_thread_lingers_between_events(tmp_path):
    # an idle thread would make sparse variable updates copy their tables (ops/state_ops.py)
    writer = tf.summary.FileWriter(str(tmp_path), max_queue=1)
    for step in range(5):  # more events than the queue holds: add_event waits for room
        writer.add_event(tf.Event(step=step))
    writer.flush()
    deadline = time.time() + 10
    while any(t.name == "EventLoggerThread" for t in threading.enumerate()):
        assert time.time() < deadline, "the writer thread did not end"
        time.sleep(0.01)
    writer.add_event(tf.Event(step=5))
    writer.close()
    assert [e.step for e in _events(tmp_path)] == [0, 0, 1, 2, 3, 4, 5]
