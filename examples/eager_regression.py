"""Fit a small nonlinear regression eagerly: TF1-style get_variable model code, shared through a
tf.EagerVariableStore, differentiated with tf.GradientTape and trained with Adam.

    python examples/eager_regression.py      # held-out loss below 0.01

In eager mode get_variable makes a new variable on every call unless a store is active; inside
`store.as_default()` the model function finds the variables its first call made, as graph-mode
code would with reuse. `store.copy()` keeps a snapshot of the best weights.
"""
import argparse

import numpy as np

import minitf as tf


def model(x):
    """y = w2 . tanh(w1 x + b1) + b2, written as TF1 graph code would be."""
    with tf.variable_scope("hidden"):
        w1 = tf.get_variable("w", [1, 16], initializer=tf.glorot_uniform_initializer(seed=1))
        b1 = tf.get_variable("b", [16], initializer=tf.zeros_initializer())
        h = tf.tanh(tf.matmul(x, w1) + b1)
    with tf.variable_scope("out"):
        w2 = tf.get_variable("w", [16, 1], initializer=tf.glorot_uniform_initializer(seed=2))
        b2 = tf.get_variable("b", [1], initializer=tf.zeros_initializer())
        return tf.matmul(h, w2) + b2


def data(rng, n):
    x = rng.uniform(-2, 2, (n, 1)).astype(np.float32)
    return x, np.sin(1.5 * x).astype(np.float32)


def main(steps=400, log_every=100):
    """Trains eagerly (the program enables eager execution first); returns the best held-out
    loss."""
    rng = np.random.RandomState(0)
    (x, y), (x_test, y_test) = data(rng, 128), data(rng, 64)
    store = tf.EagerVariableStore()
    optimizer = tf.train.AdamOptimizer(0.02)
    best, best_loss = None, np.inf
    for step in range(1, steps + 1):
        with store.as_default(), tf.GradientTape() as tape:
            loss = tf.reduce_mean(tf.square(model(x) - y))
        variables = store.trainable_variables()
        optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables))
        if step % log_every == 0:
            with store.as_default():
                test_loss = float(tf.reduce_mean(tf.square(model(x_test) - y_test)))
            print(f"step {step:4d}  loss {float(loss):.4f}  held-out loss {test_loss:.4f}")
            if test_loss < best_loss:
                best, best_loss = store.copy(), test_loss
    print("variables:", [v.name for v in best.variables()])
    return best_loss


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=400)
    args = parser.parse_args()
    tf.enable_eager_execution()
    if main(args.steps) > 0.01 and args.steps >= 400:
        raise SystemExit("the held-out loss did not fall below 0.01")
