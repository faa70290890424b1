"""Train an LSTM on variable-length sequences, TF1 style: tf.nn.rnn_cell.LSTMCell run by
tf.nn.dynamic_rnn with `sequence_length`, its final state classified by a dense layer.

The task, generated here: each sequence holds 4 to 16 random symbols of 10 (one-hot, padded
with zeros to 16 steps) and its label is the symbol that came first, which the network must
carry past up to 15 distractors to the end of the sequence's own length (past that length,
dynamic_rnn copies the state through, so the padding cannot wash it out).

    python examples/lstm_sequences.py            # reaches >= 95 % held-out accuracy
    python examples/lstm_sequences.py --steps 100
"""
import argparse
import time

import numpy as np

import minitf as tf

SYMBOLS, MAX_LEN = 10, 16


def sequences(n, seed):
    """`n` one-hot sequences [n, 16, 10], their lengths [n] and labels [n]."""
    rng = np.random.RandomState(seed)
    lengths = rng.randint(4, MAX_LEN + 1, n)
    tokens = rng.randint(0, SYMBOLS, (n, MAX_LEN))
    steps = np.arange(MAX_LEN)
    onehot = np.eye(SYMBOLS, dtype=np.float32)[tokens] * (steps < lengths[:, None])[..., None]
    return onehot, lengths.astype(np.int32), tokens[:, 0].astype(np.int32)


def build(units=64, learning_rate=0.01):
    tf.set_random_seed(0)
    inputs = tf.placeholder(tf.float32, [None, MAX_LEN, SYMBOLS], name="inputs")
    lengths = tf.placeholder(tf.int32, [None], name="lengths")
    labels = tf.placeholder(tf.int32, [None], name="labels")
    cell = tf.nn.rnn_cell.LSTMCell(units)
    _, state = tf.nn.dynamic_rnn(cell, inputs, sequence_length=lengths, dtype=tf.float32)
    logits = tf.layers.dense(state.h, SYMBOLS, name="logits")
    loss = tf.losses.sparse_softmax_cross_entropy(labels, logits)
    accuracy = tf.reduce_mean(tf.cast(tf.nn.in_top_k(logits, labels, 1), tf.float32))
    optimizer = tf.train.AdamOptimizer(learning_rate)
    grads, variables = zip(*optimizer.compute_gradients(loss))
    grads, _ = tf.clip_by_global_norm(grads, 5.0)
    step = optimizer.apply_gradients(zip(grads, variables))
    return (inputs, lengths, labels), loss, accuracy, step, cell


def main(steps=150, batch=64, log_every=50):
    train = sequences(4000, seed=1)
    test = sequences(1000, seed=2)
    with tf.Graph().as_default():
        placeholders, loss, accuracy, step, cell = build()
        print("cell variables:", [v.name for v in cell.variables])
        start = time.perf_counter()
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            rng = np.random.RandomState(0)
            for i in range(1, steps + 1):
                rows = rng.randint(0, len(train[0]), batch)
                feed = dict(zip(placeholders, (part[rows] for part in train)))
                value, _ = sess.run([loss, step], feed)
                if i % log_every == 0 or i == steps:
                    print(f"step {i:4d}  training loss {value:.4f}")
            held_out = sess.run(accuracy, dict(zip(placeholders, test)))
    print(f"held-out accuracy {held_out:.3f} after {steps} steps "
          f"({time.perf_counter() - start:.1f} s)")
    return held_out


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=150)
    args = parser.parse_args()
    accuracy = main(args.steps)
    if args.steps >= 150 and accuracy < 0.95:
        raise SystemExit(f"accuracy {accuracy:.3f} is below the 95 % this example promises")
