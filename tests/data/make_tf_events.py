"""Writes tests/data/tf-events/ with TensorFlow's own FileWriter (run under TensorFlow, not
minitf): the event file tests/test_summary_writer.py reads with minitf's summary_iterator and
compares, event by event without wall times, with what minitf writes for the same summaries.

    python tests/data/make_tf_events.py      # in a venv with tensorflow
"""
import glob
import os
import shutil

import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()
HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "tf-events")


def summaries():
    """The summary ops whose outputs are written (the test builds the same with minitf)."""
    x = tf.constant(np.linspace(-2.0, 3.0, 11).astype(np.float32), name="x")
    tf.summary.scalar("loss", tf.reduce_sum(x))
    tf.summary.histogram("weights", x, family="train")
    tf.summary.text("note", tf.constant("hello"))
    pixels = np.arange(2 * 4 * 5 * 3).reshape(2, 4, 5, 3).astype(np.float32) / 7.0 - 2.0
    tf.summary.image("picture", tf.constant(pixels), max_outputs=2)
    return tf.summary.merge_all()


def main():
    shutil.rmtree(HERE, ignore_errors=True)
    with tf.Graph().as_default():
        merged = summaries()
        writer = tf.summary.FileWriter(HERE, filename_suffix=".tf")
        with tf.Session() as sess:
            for step in range(2):
                writer.add_summary(sess.run(merged), step)
        writer.add_session_log(tf.SessionLog(status=tf.SessionLog.STOP), 2)
        writer.close()
    print(glob.glob(os.path.join(HERE, "*")))


if __name__ == "__main__":
    main()
