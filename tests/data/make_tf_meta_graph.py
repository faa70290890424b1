"""Writes tests/data/tf-meta/: what TensorFlow 1's Saver leaves in a directory (`.meta`,
`.index`, `.data-*`, `checkpoint`) for a small model, and the values TF gets from it
(tests/test_import_meta_graph.py).

Two models: a dense layer plus a 2-part partitioned variable trained by Momentum (one step
before saving, one more after restoring recorded), saved by a plain Saver (model/) and by a
sharded one across two devices (sharded/).

Run with TensorFlow's Python: ~/tfref/bin/python tests/data/make_tf_meta_graph.py
"""
import os
import shutil

import numpy as np
import tensorflow as tf

tf.compat.v1.disable_v2_behavior()
v1 = tf.compat.v1
HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "tf-meta")
X = np.array([[1.0, 2.0], [-1.0, 0.5], [0.25, -2.0]], np.float32)
Y = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]], np.float32)


def build(sharded):
    x = v1.placeholder(tf.float32, [None, 2], name="x")
    y = v1.placeholder(tf.float32, [None, 3], name="y")
    with tf.device("/cpu:0"), v1.variable_scope("dense"):
        w = v1.get_variable("w", initializer=np.arange(6, dtype=np.float32).reshape(2, 3) / 10)
        b = v1.get_variable("b", initializer=np.array([0.1, -0.1, 0.0], np.float32))
    with tf.device("/cpu:1" if sharded else "/cpu:0"):
        p = v1.get_variable("p", [4, 3], initializer=v1.random_normal_initializer(seed=1),
                            partitioner=v1.fixed_size_partitioner(2))
    logits = tf.add(tf.matmul(x, w) + b, tf.reduce_sum(p, 0), name="logits")
    loss = tf.reduce_mean(v1.nn.softmax_cross_entropy_with_logits_v2(labels=y, logits=logits),
                          name="loss")
    step = v1.train.get_or_create_global_step()
    train = v1.train.MomentumOptimizer(0.5, 0.9).minimize(loss, global_step=step, name="train")
    v1.add_to_collection("inputs", x)
    v1.add_to_collection("inputs", y)
    v1.add_to_collection("logits", logits)
    return v1.train.Saver(sharded=sharded), train, {x: X, y: Y}


def main():
    shutil.rmtree(HERE, ignore_errors=True)
    out = {}
    for kind in ("model", "sharded"):
        with tf.Graph().as_default():
            saver, train, feed = build(kind == "sharded")
            with v1.Session(config=v1.ConfigProto(device_count={"CPU": 2})) as sess:
                sess.run(v1.global_variables_initializer())
                sess.run(train, feed)
                os.makedirs(os.path.join(HERE, kind))
                saver.save(sess, os.path.join(HERE, kind, "model"), global_step=1)
                out[f"{kind}_saved_logits"] = sess.run("logits:0", feed)
                sess.run(train, feed)
                out[f"{kind}_next_logits"] = sess.run("logits:0", feed)
                out[f"{kind}_next_p"] = sess.run("p/part_1:0")
    np.savez(os.path.join(HERE, "expected.npz"), **out)
    for kind in ("model", "sharded"):  # the state file names the directory it was in
        path = os.path.join(HERE, kind, "checkpoint")
        with open(path) as f:
            text = f.read().replace(os.path.join(HERE, kind) + "/", "")
        with open(path, "w") as f:
            f.write(text)


if __name__ == "__main__":
    main()
