"""Two towers sharing one set of weights (a siamese network), through variable scopes.

The tower is built twice, once per input, inside `variable_scope("tower", reuse=AUTO_REUSE)`;
a third copy for evaluation uses `reuse=True`. The variable list holds one copy of each weight,
and training pulls same-cluster pairs together and pushes other pairs apart (a contrastive loss).

    python examples/shared_towers.py
"""
import argparse

import numpy as np

import minitf as tf


def tower(x, reuse=tf.AUTO_REUSE):
    with tf.variable_scope("tower", reuse=reuse):
        h = tf.layers.dense(x, 16, tf.nn.tanh, name="hidden")
        return tf.layers.dense(h, 2, name="embedding")


def pairs(n, rng, centers):
    a, b = rng.randint(0, len(centers), n), rng.randint(0, len(centers), n)
    noise = lambda: rng.randn(n, centers.shape[1]).astype(np.float32) * 0.3  # noqa: E731
    return centers[a] + noise(), centers[b] + noise(), (a == b).astype(np.float32)


def main(steps=400, log_every=100):
    rng = np.random.RandomState(0)
    centers = rng.randn(4, 5).astype(np.float32) * 2
    with tf.Graph().as_default():
        tf.set_random_seed(0)
        left = tf.placeholder(tf.float32, [None, 5], name="left")
        right = tf.placeholder(tf.float32, [None, 5], name="right")
        same = tf.placeholder(tf.float32, [None], name="same")
        distance = tf.sqrt(tf.reduce_sum(tf.square(tower(left) - tower(right)), 1) + 1e-9)
        margin = 2.0
        loss = tf.reduce_mean(same * tf.square(distance) +
                              (1 - same) * tf.square(tf.nn.relu(margin - distance)))
        step = tf.train.AdamOptimizer(0.02).minimize(loss)
        evaluate = tower(left, reuse=True)
        names = [v.name for v in tf.trainable_variables()]
        print("trainable variables (one copy, three towers):", names)
        assert names == ["tower/hidden/kernel:0", "tower/hidden/bias:0",
                         "tower/embedding/kernel:0", "tower/embedding/bias:0"]
        test = pairs(500, rng, centers)
        feed = lambda batch: {left: batch[0], right: batch[1], same: batch[2]}  # noqa: E731
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            first = sess.run(loss, feed(test))
            print(f"step    0  held-out loss {first:.4f}")
            for i in range(1, steps + 1):
                sess.run(step, feed(pairs(64, rng, centers)))
                if i % log_every == 0:
                    print(f"step {i:4d}  held-out loss {sess.run(loss, feed(test)):.4f}")
            last = sess.run(loss, feed(test))
            d = sess.run(distance, feed(test))
            shared = np.allclose(sess.run(evaluate, {left: test[0]}),
                                 sess.run(tower(left), {left: test[0]}))
    print(f"mean distance: same cluster {d[test[2] == 1].mean():.3f}, different "
          f"{d[test[2] == 0].mean():.3f}; towers agree: {shared}")
    return first, last


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=400)
    main(parser.parse_args().steps)
