"""Train a small MLP on three interleaved spirals, TF1 style: variable scopes and
tf.layers.dense, L2 weight decay, a max-norm constraint on every kernel, plain SGD.

    python examples/mlp_spirals.py            # reaches >= 95 % training accuracy
    python examples/mlp_spirals.py --steps 200
"""
import argparse
import time

import numpy as np

import minitf as tf


def spirals(points_per_class=100, classes=3, seed=0):
    """The classic 2-D spiral data set: `classes` arms of noisy points, labels 0..classes-1."""
    rng = np.random.RandomState(seed)
    x, y = [], []
    for c in range(classes):
        r = np.linspace(0.0, 1.0, points_per_class)
        theta = np.linspace(c * 4.0, (c + 1) * 4.0, points_per_class)
        theta = theta + rng.randn(points_per_class) * 0.2
        x.append(np.c_[r * np.sin(theta), r * np.cos(theta)])
        y.append(np.full(points_per_class, c))
    return np.concatenate(x).astype(np.float32), np.concatenate(y).astype(np.int32)


def build(classes=3, hidden=64, l2=1e-4, max_norm=3.0, learning_rate=1.0):
    tf.set_random_seed(0)
    x = tf.placeholder(tf.float32, [None, 2], name="x")
    labels = tf.placeholder(tf.int32, [None], name="labels")
    constraint = tf.constraints.max_norm(max_norm, axis=0)
    with tf.variable_scope("mlp", regularizer=tf.regularizers.l2_regularizer(l2)):
        h = tf.layers.dense(x, hidden, tf.nn.relu, kernel_constraint=constraint)
        h = tf.layers.dense(h, hidden, tf.nn.relu, kernel_constraint=constraint)
        logits = tf.layers.dense(h, classes, kernel_constraint=constraint, name="logits")
    data_loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(
        labels=labels, logits=logits))
    loss = data_loss + tf.losses.get_regularization_loss()
    accuracy = tf.reduce_mean(tf.cast(tf.equal(tf.argmax(logits, 1, output_type=tf.int32),
                                               labels), tf.float32))
    step = tf.train.GradientDescentOptimizer(learning_rate).minimize(
        loss, global_step=tf.train.get_or_create_global_step())
    return x, labels, loss, accuracy, step


def main(steps=2000, log_every=200):
    data, targets = spirals()
    with tf.Graph().as_default():
        x, labels, loss, accuracy, step = build()
        feed = {x: data, labels: targets}
        start = time.perf_counter()
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for i in range(1, steps + 1):
                sess.run(step, feed)
                if i % log_every == 0 or i == steps:
                    value, acc = sess.run([loss, accuracy], feed)
                    print(f"step {i:5d}  loss {value:.4f}  accuracy {acc:.3f}")
            final = sess.run(accuracy, feed)
            kernels = [v for v in tf.trainable_variables() if v.name.endswith("kernel:0")]
            norms = [np.linalg.norm(sess.run(k), axis=0).max() for k in kernels]
    print(f"training accuracy {final:.3f} in {time.perf_counter() - start:.1f} s; "
          f"largest kernel column norm {max(norms):.3f} (max-norm 3.0)")
    return final


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=2000)
    args = parser.parse_args()
    accuracy = main(args.steps)
    if args.steps >= 2000 and accuracy < 0.95:
        raise SystemExit(f"accuracy {accuracy:.3f} is below the 95 % this example promises")
