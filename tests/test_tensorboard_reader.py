"""TensorBoard's own event reader (the `tensorboard` package, no TensorFlow) loads minitf's event
files: scalars, histogram buckets, images, text and the graph with its name scopes.

The test extra: `pip install -e ".[tensorboard]"`; skipped when tensorboard is absent.
"""
import numpy as np
import pytest

import minitf as tf

event_accumulator = pytest.importorskip(
    "tensorboard.backend.event_processing.event_accumulator")


def _write(logdir):
    graph = tf.Graph()
    with graph.as_default():
        step = tf.placeholder(tf.float32, [], name="step")
        with tf.name_scope("layer"):
            weights = tf.constant(np.linspace(-1.0, 2.0, 7).astype(np.float32), name="w")
            scaled = tf.multiply(weights, step, name="scaled")
        tf.summary.scalar("loss", tf.reduce_sum(scaled))
        tf.summary.histogram("weights", scaled)
        tf.summary.image("picture", tf.reshape(tf.range(12, dtype=tf.float32), [1, 2, 2, 3]),
                         max_outputs=1)
        tf.summary.text("note", tf.constant("hello"))
        merged = tf.summary.merge_all()
        with tf.summary.FileWriter(logdir, graph=graph) as writer, tf.Session() as sess:
            for i in range(1, 4):
                writer.add_summary(sess.run(merged, {step: float(i)}), i)


def test_tensorboard_reads_scalars_histograms_images_text_and_the_graph(tmp_path):
    _write(str(tmp_path))
    acc = event_accumulator.EventAccumulator(str(tmp_path), size_guidance={
        event_accumulator.SCALARS: 0, event_accumulator.HISTOGRAMS: 0,
        event_accumulator.IMAGES: 0, event_accumulator.TENSORS: 0})
    acc.Reload()
    tags = acc.Tags()
    assert tags["scalars"] == ["loss"] and tags["histograms"] == ["weights"]
    assert tags["images"] == ["picture/image"] and "note" in tags["tensors"]
    assert tags["graph"] is True
    assert [(e.step, e.value) for e in acc.Scalars("loss")] == [(1, 3.5), (2, 7.0), (3, 10.5)]
    histo = acc.Histograms("weights")[1].histogram_value
    assert (histo.min, histo.max, histo.num) == (-2.0, 4.0, 7.0)
    assert sum(histo.bucket) == 7 and histo.bucket_limit[-1] == np.finfo(np.float64).max
    image = acc.Images("picture/image")[0]
    assert (image.width, image.height) == (2, 2)
    assert image.encoded_image_string.startswith(b"\x89PNG\r\n\x1a\n")
    assert acc.SummaryMetadata("note").plugin_data.plugin_name == "text"
    names = {node.name for node in acc.Graph().node}
    assert {"layer/w", "layer/scaled", "step"} <= names
