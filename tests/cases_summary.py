"""Guard-test cases of the summary ops (minitf/summary_ops.py, summary_media.py): each runs
eagerly to its graph value; MergeSummary is graph-only, as tf.summary.merge is in TF."""
import numpy as np

import minitf as tf

STATELESS = {
    "ScalarSummary": lambda: tf.summary.scalar("loss", tf.constant(0.25)),
    "HistogramSummary": lambda: tf.summary.histogram("h", tf.constant([0.5, 2.0, -1.0])),
    "TensorSummaryV2": lambda: tf.summary.text("t", tf.constant(["a", "b"])),
    "ImageSummary": lambda: tf.summary.image(
        "i", tf.constant(np.arange(12, dtype=np.float32).reshape(1, 2, 2, 3))),
    "AudioSummaryV2": lambda: tf.summary.audio("a", tf.constant([[0.5, -0.5]]), 8000.0),
}
GRAPH_ONLY = {"MergeSummary"}
