"""Recover the weights of a noiseless linear model with gradient descent.

    python examples/linear_regression.py      # weights to within 1e-3
"""
import argparse

import numpy as np

import minitf as tf

TRUE_W = np.array([[2.0], [-3.5], [0.5]], np.float32)
TRUE_B = 1.25


def main(steps=300, log_every=50):
    rng = np.random.RandomState(0)
    data = rng.randn(256, 3).astype(np.float32)
    targets = data @ TRUE_W + TRUE_B
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [None, 3], name="x")
        y = tf.placeholder(tf.float32, [None, 1], name="y")
        with tf.variable_scope("linear"):
            w = tf.get_variable("w", [3, 1], initializer=tf.zeros_initializer())
            b = tf.get_variable("b", [], initializer=tf.zeros_initializer())
        loss = tf.reduce_mean(tf.square(tf.matmul(x, w) + b - y))
        step = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for i in range(1, steps + 1):
                _, value = sess.run([step, loss], {x: data, y: targets})
                if i % log_every == 0:
                    print(f"step {i:4d}  loss {value:.3e}")
            w_value, b_value = sess.run([w, b])
    error = max(np.abs(w_value - TRUE_W).max(), abs(b_value - TRUE_B))
    print(f"w = {w_value.ravel().round(4).tolist()}  b = {b_value:.4f}  "
          f"(true {TRUE_W.ravel().tolist()}, {TRUE_B}); max error {error:.2e}")
    return error


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=300)
    args = parser.parse_args()
    if main(args.steps) > 1e-3 and args.steps >= 300:
        raise SystemExit("the weights were not recovered to 1e-3")
