"""A seeded TF1 program trains to TensorFlow's numbers under minitf (issue 16's yardstick).

The program below was run under TensorFlow 2.21 (`tf.compat.v1`, v2 behaviour off); the
expected numbers are what it printed. Same seeds give the same initial weights (Philox), and
the same update rules then give the same training curve, to float32 rounding.
"""
import numpy as np

import minitf as tf

# what TensorFlow printed: the first four initial weights of w1, then the loss at steps
# 0, 50, 100, 150 and 199
TF_FIRST_WEIGHTS = [0.36748, 0.45603, -0.00586, 0.02313]
TF_LOSSES = [0.777, 0.0085, 0.0024, 0.0013, 0.0008]


def test_a_seeded_mlp_trains_to_tensorflows_numbers():
    tf.set_random_seed(42)
    rng = np.random.RandomState(0)
    data = rng.randn(64, 4).astype(np.float32)
    labels = (data[:, :1] * data[:, 1:2] > 0).astype(np.int64).ravel()
    x, y = tf.placeholder(tf.float32, [None, 4]), tf.placeholder(tf.int64, [None])
    with tf.variable_scope("mlp"):
        w1 = tf.get_variable("w1", [4, 16])  # glorot_uniform, seeded by the graph
        b1 = tf.get_variable("b1", [16], initializer=tf.zeros_initializer())
        w2 = tf.get_variable("w2", [16, 2],
                             initializer=tf.truncated_normal_initializer(stddev=0.5))
        logits = tf.matmul(tf.nn.relu(tf.matmul(x, w1) + b1), w2)
    loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y,
                                                                         logits=logits))
    train = tf.train.AdamOptimizer(0.05).minimize(loss)
    losses = []
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        np.testing.assert_allclose(sess.run(w1).ravel()[:4], TF_FIRST_WEIGHTS, atol=1e-5)
        for i in range(200):
            _, value = sess.run([train, loss], {x: data, y: labels})
            if i % 50 == 0 or i == 199:
                losses.append(value)
    np.testing.assert_allclose(losses, TF_LOSSES, atol=1e-4)
