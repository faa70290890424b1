"""Train, stop, and resume from the latest checkpoint in a fresh graph whose embedding is
partitioned differently; then read a checkpoint TensorFlow 1 wrote, without TensorFlow.

    python examples/resume_training.py [--dir DIR]   # resumed run ends where an unbroken one does
"""
import argparse
import os
import tempfile

import numpy as np

import minitf as tf

TF1_CHECKPOINT = os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "tests",
                              "data", "tf1-checkpoint")


def build(parts):
    """Embeddings of 50 ids regressed onto fixed targets; returns (ids, targets, loss, train)."""
    tf.set_random_seed(0)  # the unbroken run starts where the stopped one did
    ids = tf.placeholder(tf.int32, [None], name="ids")
    targets = tf.placeholder(tf.float32, [None, 4], name="targets")
    with tf.variable_scope("model"):
        table = tf.get_variable("embedding", [50, 4], partitioner=tf.fixed_size_partitioner(parts))
        # "div": id i is row i of the whole table in any partitioning ("mod", the default,
        # interleaves ids over the parts, so a table's meaning would change with their number)
        rows = tf.nn.embedding_lookup(table, ids, partition_strategy="div")
        loss = tf.reduce_mean(tf.square(rows - targets))
    step = tf.train.get_or_create_global_step()
    train = tf.train.MomentumOptimizer(0.5, 0.9).minimize(loss, global_step=step)
    return ids, targets, loss, train


def run(directory, parts, steps, data, resume):
    """`steps` training steps (after restoring the latest checkpoint when `resume`); saves
    every 20 steps, keeping 2. Returns the last loss."""
    with tf.Graph().as_default():
        ids, targets, loss, train = build(parts)
        saver = tf.train.Saver(max_to_keep=2)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            if resume:
                latest = tf.train.latest_checkpoint(directory)
                saver.restore(sess, latest)
                print(f"restored {os.path.basename(latest)} into {parts} parts")
            for _ in range(steps):
                _, value, step = sess.run([train, loss, tf.train.get_global_step()],
                                          {ids: data[0], targets: data[1]})
                if step % 20 == 0:
                    saver.save(sess, os.path.join(directory, "model.ckpt"), global_step=step)
            kept = [os.path.basename(p) for p in saver.last_checkpoints]
            print(f"step {step}  loss {value:.3e}  kept {kept}")
            return value


def main(directory=None):
    """Returns the losses (stopped at 60, resumed to 100, unbroken to 100)."""
    rng = np.random.RandomState(0)
    data = (np.arange(50, dtype=np.int32), rng.randn(50, 4).astype(np.float32))
    with tempfile.TemporaryDirectory() as tmp, tempfile.TemporaryDirectory() as other:
        directory = directory or tmp
        stopped = run(directory, parts=3, steps=60, data=data, resume=False)
        resumed = run(directory, parts=2, steps=40, data=data, resume=True)
        print("unbroken:", end=" ")
        unbroken = run(other, parts=3, steps=100, data=data, resume=False)
    print("TF1 checkpoint:", tf.train.list_variables(TF1_CHECKPOINT)[:3], "...")
    print("model/steps =", tf.train.load_variable(TF1_CHECKPOINT, "model/steps"))
    return stopped, resumed, unbroken


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", help="where to keep the checkpoints (default: a temp dir)")
    stopped, resumed, unbroken = main(parser.parse_args().dir)
    if not (resumed < stopped and np.isclose(resumed, unbroken, rtol=1e-4)):
        raise SystemExit("resuming did not continue the training where it stopped")
