"""Train a small convolutional network on noisy printed digits, TF1 style: batches from a
tf.data pipeline (shuffle, repeat, batch, one-shot iterator), tf.layers.conv2d, max_pooling2d,
batch normalization with its moving statistics updated through UPDATE_OPS, dropout switched by a
`training` placeholder, Adam on a piecewise-constant learning rate, in a MonitoredTrainingSession.

The digits are drawn here (a 5x7 bitmap font placed at random in a 12x12 image, with stroke
dropout, random ink and Gaussian noise), so the example needs no download; a held-out set
drawn the same way measures the accuracy.

    python examples/convnet_digits.py            # reaches >= 95 % held-out accuracy
    python examples/convnet_digits.py --steps 100
    python examples/convnet_digits.py --logdir /tmp/digits-logs   # tensorboard --logdir ...
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


def build(train_x, train_y, batch=64, learning_rates=(0.005, 0.002), boundary=400):
    tf.set_random_seed(0)
    dataset = tf.data.Dataset.from_tensor_slices((train_x, train_y))
    dataset = dataset.shuffle(len(train_x), seed=0).repeat().batch(batch).prefetch(1)
    next_images, next_labels = dataset.make_one_shot_iterator().get_next()
    # the pipeline's batches unless fed: the held-out set is fed in their place
    images = tf.placeholder_with_default(next_images, [None, SIZE, SIZE, 1], name="images")
    labels = tf.placeholder_with_default(next_labels, [None], name="labels")
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
    tf.summary.scalar("loss", loss)  # (written only when a logdir is given: the training
    tf.summary.scalar("accuracy", accuracy)  # batch's, with dropout and batch statistics on)
    global_step = tf.train.get_or_create_global_step()
    rate = tf.train.piecewise_constant(global_step, [boundary], list(learning_rates))
    with tf.control_dependencies(tf.get_collection(tf.GraphKeys.UPDATE_OPS)):
        step = tf.train.AdamOptimizer(rate).minimize(loss, global_step=global_step)
    return images, labels, training, loss, accuracy, step


def main(steps=600, log_every=200, logdir=None):
    train_x, train_y = digits(6000, seed=1)
    test_x, test_y = digits(1000, seed=2)
    with tf.Graph().as_default():
        images, labels, training, loss, accuracy, step = build(train_x, train_y)
        held_out = tf.train.FinalOpsHook(accuracy, {images: test_x, labels: test_y})
        hooks = [tf.train.StopAtStepHook(num_steps=steps),
                 tf.train.NanTensorHook(loss)]  # (stops the run at a NaN loss, with an error)
        start = time.perf_counter()
        with tf.train.MonitoredTrainingSession(hooks=hooks, chief_only_hooks=[held_out],
                                               summary_dir=logdir, save_summaries_steps=log_every,
                                               log_step_count_steps=None) as sess:
            i = 0
            while not sess.should_stop():
                value, _ = sess.run([loss, step], {training: True})
                i += 1
                if i % log_every == 0:
                    print(f"step {i:4d}  training loss {value:.4f}")
    print(f"held-out accuracy {held_out.final_ops_values:.3f} after {steps} steps "
          f"({time.perf_counter() - start:.1f} s)")
    return held_out.final_ops_values


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=600)
    parser.add_argument("--logdir", help="where to write TensorBoard summaries (default: nowhere)")
    args = parser.parse_args()
    accuracy = main(args.steps, logdir=args.logdir)
    if args.steps >= 600 and accuracy < 0.95:
        raise SystemExit(f"accuracy {accuracy:.3f} is below the 95 % this example promises")
