"""A small TF1-style graph evaluated with placeholders: standardize a batch of points, score them
with a fixed linear classifier, and fetch several results in one Session.run.

    python examples/placeholder_graph.py
"""
import numpy as np

import minitf as tf


def build():
    x = tf.placeholder(tf.float32, [None, 2], name="points")
    with tf.name_scope("standardize"):
        mean = tf.reduce_mean(x, axis=0, keepdims=True)
        std = tf.sqrt(tf.reduce_mean(tf.square(x - mean), axis=0, keepdims=True)) + 1e-6
        z = (x - mean) / std
    with tf.name_scope("classifier"):
        w = tf.constant([[2.0, -1.0, 0.0], [0.5, 1.5, -2.0]], name="w")
        b = tf.constant([0.1, 0.0, -0.1], name="b")
        probs = tf.nn.softmax(tf.matmul(z, w) + b)
        label = tf.argmax(probs, axis=1, output_type=tf.int32, name="label")
    return x, {"z": z, "probs": probs, "label": label}


def main():
    x, fetches = build()
    print("graph ops:", len(tf.get_default_graph().get_operations()))
    for name in ("z", "probs", "label"):
        print(f"  {name:5s} -> {fetches[name].name} {fetches[name].shape}")
    rng = np.random.default_rng(0)
    batch = rng.normal(size=(5, 2)).astype(np.float32) * [3.0, 0.5] + [10.0, -2.0]
    with tf.Session() as sess:
        out = sess.run(fetches, feed_dict={x: batch})
        again = sess.run(fetches["label"], feed_dict={"points:0": batch})
    with np.printoptions(precision=3, suppress=True):
        print("standardized batch (mean ~0, std ~1):", out["z"].mean(0), out["z"].std(0))
        print("class probabilities:\n", out["probs"])
    print("labels:", out["label"], "(same via a name feed:", bool((again == out["label"]).all()),
          ")")
    assert np.allclose(out["probs"].sum(axis=1), 1.0, atol=1e-5)


if __name__ == "__main__":
    main()
