"""Two towers built from one module made by `tf.make_template` (a Sonnet-style siamese network).

`embed = tf.make_template("tower", mlp)` turns a plain function into a module: its first call
creates the variables, every later call reuses them, and each call's ops get their own name scope
(`tower/`, `tower_1/`). The task is synthetic: is the right input a noisy copy of the left one's
prototype? A contrastive loss pulls such pairs together and pushes the others apart.

    python examples/two_towers_template.py
"""
import argparse

import numpy as np

import minitf as tf


def mlp(x, hidden=32, out=4):
    """The module: a two-layer perceptron, written with plain get_variable calls."""
    with tf.variable_scope("hidden"):
        w = tf.get_variable("w", [x.shape[1], hidden])
        b = tf.get_variable("b", [hidden], initializer=tf.zeros_initializer())
        h = tf.nn.tanh(tf.matmul(x, w) + b)
    with tf.variable_scope("embedding"):
        w = tf.get_variable("w", [hidden, out])
        b = tf.get_variable("b", [out], initializer=tf.zeros_initializer())
        return tf.matmul(h, w) + b


def pairs(n, rng, prototypes, noise=0.4):
    a = rng.randint(0, len(prototypes), n)
    same = rng.rand(n) < 0.5
    b = np.where(same, a, (a + rng.randint(1, len(prototypes), n)) % len(prototypes))
    jitter = lambda: noise * rng.randn(n, prototypes.shape[1])  # noqa: E731
    return ((prototypes[a] + jitter()).astype(np.float32),
            (prototypes[b] + jitter()).astype(np.float32), same.astype(np.float32))


def main(steps=300, log_every=100):
    rng = np.random.RandomState(1)
    prototypes = rng.randn(8, 10)
    with tf.Graph().as_default():
        tf.set_random_seed(1)
        left = tf.placeholder(tf.float32, [None, 10], name="left")
        right = tf.placeholder(tf.float32, [None, 10], name="right")
        same = tf.placeholder(tf.float32, [None], name="same")
        embed = tf.make_template("tower", mlp)
        left_tower, right_tower = embed(left), embed(right)  # one set of weights, two towers
        distance = tf.sqrt(tf.reduce_sum(tf.square(left_tower - right_tower), 1) + 1e-9)
        loss = tf.reduce_mean(same * tf.square(distance) +
                              (1 - same) * tf.square(tf.nn.relu(2.0 - distance)))
        train = tf.train.AdamOptimizer(0.01).minimize(loss)
        names = [v.name for v in embed.trainable_variables]
        print("towers:", left_tower.name, right_tower.name)
        print("shared variables:", names)
        assert names == [v.name for v in tf.trainable_variables()] == [
            "tower/hidden/w:0", "tower/hidden/b:0", "tower/embedding/w:0", "tower/embedding/b:0"]
        held_out = pairs(1000, rng, prototypes)
        feed = lambda batch: dict(zip((left, right, same), batch))  # noqa: E731
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            first = sess.run(loss, feed(held_out))
            print(f"step    0  held-out loss {first:.4f}")
            for i in range(1, steps + 1):
                sess.run(train, feed(pairs(64, rng, prototypes)))
                if i % log_every == 0:
                    print(f"step {i:4d}  held-out loss {sess.run(loss, feed(held_out)):.4f}")
            last = sess.run(loss, feed(held_out))
    return first, last


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=300)
    main(parser.parse_args().steps)
