"""Writes tests/data/tf-mlp-graph.pb and tf-mlp-outputs.npz: an MLP's GraphDef as TensorFlow 1
graph mode writes it, and TF's outputs for a fixed input (tests/test_import_graph_def.py).

Three graphs: a forward MLP of Const weights (tf-mlp-graph.pb), one of ref variables with
constant initializers trained by GradientDescent on a squared error (tf-mlp-train-graph.pb),
and a softmax classifier of a ref and a resource variable trained on dense plus sparse
cross-entropy by GradientDescent and by Adam (tf-mlp-xent-graph.pb); three steps of each
recorded. Also a convnet's and an unrolled LSTM's forward pass (tf-conv-lstm-graph.pb).

Run with TensorFlow's Python: ~/tfref/bin/python tests/data/make_tf_mlp_graphdef.py
"""
import os

import numpy as np
import tensorflow as tf

tf.compat.v1.disable_v2_behavior()
v1 = tf.compat.v1
HERE = os.path.dirname(os.path.abspath(__file__))
rng = np.random.RandomState(0)
W1 = rng.randn(4, 5).astype(np.float32)
B1 = rng.randn(5).astype(np.float32)
W2 = rng.randn(5, 3).astype(np.float32)
B2 = rng.randn(3).astype(np.float32)
X = rng.randn(6, 4).astype(np.float32)
Y = np.eye(3, dtype=np.float32)[[0, 1, 2, 0, 1, 2]]


def forward():
    g = tf.Graph()
    with g.as_default():
        x = v1.placeholder(tf.float32, [None, 4], name="x")
        h = tf.nn.relu(tf.matmul(x, tf.constant(W1, name="w1")) + tf.constant(B1, name="b1"),
                       name="hidden")
        logits = tf.add(tf.matmul(h, tf.constant(W2, name="w2")), tf.constant(B2, name="b2"),
                        name="logits")
        probs = tf.nn.softmax(logits, name="probs")
        with v1.Session() as sess:
            out = sess.run({"hidden": h, "logits": logits, "probs": probs}, {x: X})
    return g.as_graph_def(), out


def training():
    g = tf.Graph()
    with g.as_default():
        x = v1.placeholder(tf.float32, [None, 4], name="x")
        y = v1.placeholder(tf.float32, [None, 3], name="y")
        w1 = v1.Variable(W1, name="w1")
        b1 = v1.Variable(B1, name="b1")
        w2 = v1.Variable(W2, name="w2")
        b2 = v1.Variable(B2, name="b2")
        h = tf.nn.relu(tf.matmul(x, w1) + b1)
        logits = tf.add(tf.matmul(h, w2), b2, name="logits")
        loss = tf.reduce_mean(tf.square(tf.nn.softmax(logits) - y), name="loss")
        v1.train.GradientDescentOptimizer(0.5).minimize(loss, name="train")
        v1.global_variables_initializer()  # (named "init")
        out = {}
        with v1.Session() as sess:
            sess.run("init")
            for step in range(3):
                out[f"loss{step}"] = sess.run(loss, {x: X, y: Y})
                sess.run("train", {x: X, y: Y})
            for v in (w1, b1, w2, b2):
                out[v.op.name] = sess.run(v)
    return g.as_graph_def(), out


def xent_training():
    g = tf.Graph()
    with g.as_default():
        x = v1.placeholder(tf.float32, [None, 4], name="x")
        y = v1.placeholder(tf.float32, [None, 3], name="y")
        labels = v1.placeholder(tf.int32, [None], name="labels")
        w = v1.get_variable("w", initializer=W1[:, :3])
        b = v1.get_variable("b", initializer=B2, use_resource=True)
        logits = tf.matmul(x, w) + b
        loss = tf.add(
            tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(labels=y, logits=logits)),
            tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels,
                                                                          logits=logits)),
            name="loss")
        v1.train.GradientDescentOptimizer(0.1).minimize(loss, name="sgd")
        v1.train.AdamOptimizer(0.1).minimize(loss, name="adam")
        v1.global_variables_initializer()
        out = {}
        feed = {x: X, y: Y, labels: Y.argmax(1)}
        with v1.Session() as sess:
            sess.run("init")
            for train in ("sgd", "adam"):
                for step in range(3):
                    out[f"{train}_loss{step}"] = sess.run(loss, feed)
                    sess.run(train, feed)
                out[f"{train}_w"], out[f"{train}_b"] = sess.run([w, b])
    return g.as_graph_def(), out


def conv_and_lstm():
    g = tf.Graph()
    with g.as_default():
        x = v1.placeholder(tf.float32, [2, 8, 8, 3], name="images")
        kernel = tf.constant(rng.randn(3, 3, 3, 4).astype(np.float32))
        h = tf.nn.relu(tf.nn.bias_add(tf.nn.conv2d(x, kernel, [1, 1, 1, 1], "SAME"),
                                      tf.constant(rng.randn(4).astype(np.float32))))
        h = tf.reshape(tf.nn.max_pool2d(h, 2, 2, "VALID"), [2, -1])
        conv_out = tf.nn.softmax(tf.matmul(h, tf.constant(rng.randn(64, 5).astype(np.float32))),
                                 name="conv_out")
        seq = v1.placeholder(tf.float32, [2, 4, 3], name="seq")
        # an LSTM cell written out (Keras 3's TF has no tf.nn.rnn_cell), unrolled 4 steps
        w = v1.get_variable("lstm/kernel", initializer=(rng.randn(8, 20) * 0.3).astype(np.float32))
        b = v1.get_variable("lstm/bias", initializer=np.zeros(20, np.float32))
        hidden = cell = tf.zeros([2, 5])
        for x_t in tf.unstack(seq, axis=1):
            z = tf.nn.bias_add(tf.matmul(tf.concat([x_t, hidden], 1), w), b)
            i, j, f, o = tf.split(z, 4, axis=1)
            cell = tf.sigmoid(f + 1.0) * cell + tf.sigmoid(i) * tf.tanh(j)
            hidden = tf.sigmoid(o) * tf.tanh(cell)
        lstm_out = tf.identity(hidden, name="lstm_out")
        v1.global_variables_initializer()
        images = rng.randn(2, 8, 8, 3).astype(np.float32)
        sequences = rng.randn(2, 4, 3).astype(np.float32)
        with v1.Session() as sess:
            sess.run("init")
            out = sess.run({"conv_out": conv_out, "lstm_out": lstm_out},
                           {x: images, seq: sequences})
    return g.as_graph_def(), dict(out, images=images, seq=sequences)


def main():
    graph_def, out = forward()
    with open(os.path.join(HERE, "tf-mlp-graph.pb"), "wb") as f:
        f.write(graph_def.SerializeToString())
    train_def, train_out = training()
    with open(os.path.join(HERE, "tf-mlp-train-graph.pb"), "wb") as f:
        f.write(train_def.SerializeToString())
    xent_def, xent_out = xent_training()
    with open(os.path.join(HERE, "tf-mlp-xent-graph.pb"), "wb") as f:
        f.write(xent_def.SerializeToString())
    conv_def, conv_out = conv_and_lstm()
    with open(os.path.join(HERE, "tf-conv-lstm-graph.pb"), "wb") as f:
        f.write(conv_def.SerializeToString())
    np.savez(os.path.join(HERE, "tf-mlp-outputs.npz"), x=X, y=Y, **out, **conv_out,
             **{"train_" + k: v for k, v in train_out.items()},
             **{"xent_" + k: v for k, v in xent_out.items()})


if __name__ == "__main__":
    main()
