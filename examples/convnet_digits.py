"""Train a small convolutional network on noisy printed digits, TF1 style: tf.layers.conv2d,
max_pooling2d, batch normalization with its moving statistics updated through UPDATE_OPS,
dropout switched by a `training` placeholder, Adam.

The digits are drawn here (a 5x7 bitmap font placed at random in a 12x12 image, with stroke
dropout, random ink and Gaussian noise), so the example needs no download; a held-out set
drawn the same way measures the accuracy.

    python examples/convnet_digits.py            # reaches >= 95 % held-out accuracy
    python examples/convnet_digits.py --steps 100
"""
import argparse
import time

import numpy as np

import minitf as tf

FONT = ["01110 10001 10011 10101 11001 10001 01110", "00100 01100 00100 00100 00100 00100 01110",
        "01110 10001 00001 00010 00100 01000 11111", "11111 00010 00100 00010 00001 10001 01110",
        "00010 00110 01010 10010 11111 00010 00010", "11111 10000 11110 00001 00001 10001 01110",
        "00110 01000 10000 11110 10001 10001 01110", "11111 00001 00010 00100 01000 01000 01000",
        "01110 10001 10001 01110 10001 10001 01110", "01110 10001 10001 01111 00001 00010 01100"]
GLYPHS = np.array([[[int(c) for c in row] for row in digit.split()] for digit in FONT], np.float32)
SIZE = 12


def digits(n, seed):
    """`n` noisy 12x12 digit images [n, 12, 12, 1] and their labels [n]."""
    rng = np.random.RandomState(seed)
    labels = rng.randint(0, 10, n)
    images = np.zeros((n, SIZE, SIZE), np.float32)
    rows, cols = rng.randint(0, SIZE - 7 + 1, n), rng.randint(0, SIZE - 5 + 1, n)
    for i in range(n):  # (data making, not the model: a loop over images is fine here)
        glyph = GLYPHS[labels[i]] * (rng.rand(7, 5) > 0.1) * rng.uniform(0.6, 1.0)
        images[i, rows[i]:rows[i] + 7, cols[i]:cols[i] + 5] = glyph
    images += rng.normal(0, 0.15, images.shape).astype(np.float32)
    return images[..., None], labels.astype(np.int32)


def build(learning_rate=0.005):
    tf.set_random_seed(0)
    images = tf.placeholder(tf.float32, [None, SIZE, SIZE, 1], name="images")
    labels = tf.placeholder(tf.int32, [None], name="labels")
    training = tf.placeholder_with_default(False, [], name="training")
    h = tf.layers.conv2d(images, 16, 3, padding="same", use_bias=False)
    h = tf.nn.relu(tf.layers.batch_normalization(h, training=training))
    h = tf.layers.max_pooling2d(h, 2, 2)                        # 6x6x16
    h = tf.layers.conv2d(h, 32, 3, padding="same", activation=tf.nn.relu)
    h = tf.layers.max_pooling2d(h, 2, 2)                        # 3x3x32
    h = tf.layers.dropout(tf.layers.flatten(h), 0.1, training=training)
    logits = tf.layers.dense(h, 10, name="logits")
    loss = tf.losses.sparse_softmax_cross_entropy(labels, logits)
    accuracy = tf.reduce_mean(tf.cast(tf.nn.in_top_k(logits, labels, 1), tf.float32))
    with tf.control_dependencies(tf.get_collection(tf.GraphKeys.UPDATE_OPS)):
        step = tf.train.AdamOptimizer(learning_rate).minimize(loss)
    return images, labels, training, loss, accuracy, step


def main(steps=600, batch=64, log_every=200):
    train_x, train_y = digits(3000, seed=1)
    test_x, test_y = digits(1000, seed=2)
    with tf.Graph().as_default():
        images, labels, training, loss, accuracy, step = build()
        start = time.perf_counter()
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            rng = np.random.RandomState(0)
            for i in range(1, steps + 1):
                rows = rng.randint(0, len(train_x), batch)
                value, _ = sess.run([loss, step], {images: train_x[rows], labels: train_y[rows],
                                                   training: True})
                if i % log_every == 0 or i == steps:
                    print(f"step {i:4d}  training loss {value:.4f}")
            held_out = sess.run(accuracy, {images: test_x, labels: test_y})
    print(f"held-out accuracy {held_out:.3f} after {steps} steps "
          f"({time.perf_counter() - start:.1f} s)")
    return held_out


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=600)
    args = parser.parse_args()
    accuracy = main(args.steps)
    if args.steps >= 600 and accuracy < 0.95:
        raise SystemExit(f"accuracy {accuracy:.3f} is below the 95 % this example promises")
