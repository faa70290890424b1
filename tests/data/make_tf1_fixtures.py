"""Writes TF1 checkpoints for minitf's reader tests (run with the reference TF venv)."""
import base64
import json
import os
import sys

import numpy as np
import tensorflow as tf

tf1 = tf.compat.v1
tf1.disable_v2_behavior()
out = sys.argv[1]

def dump(value):
    a = np.asarray(value)
    if a.dtype == object:
        return {"strings_b64": [base64.b64encode(x).decode() for x in a.ravel()],
                "shape": list(a.shape)}
    if np.iscomplexobj(a):
        return {"real": a.real.tolist(), "imag": a.imag.tolist()}
    return a.tolist()

# 1. every dtype, strings, empty tensors, a partition with 2-byte slice offsets
g = tf.Graph()
with g.as_default():
    rng = np.random.RandomState(0)
    vals = {
        "f16": rng.randn(3, 2).astype(np.float16), "f32": rng.randn(4).astype(np.float32),
        "f64": rng.randn(2, 2), "i8": np.array([-128, 0, 127], np.int8),
        "i16": np.array([-32768, 5, 32767], np.int16), "i32": np.array([[-(2**31), 7]], np.int32),
        "i64": np.array([-(2**63), 2**62], np.int64), "u8": np.array([0, 255], np.uint8),
        "u16": np.array([0, 65535], np.uint16), "b": np.array([[True, False], [False, True]]),
        "c64": (rng.randn(2) + 1j * rng.randn(2)).astype(np.complex64),
        "scalar": np.float32(2.5), "empty": np.zeros([0, 3], np.float32),
    }
    for name, v in vals.items():
        tf1.Variable(v, name=name)
    strings = np.array([[b"", b"a", b"\x00\xff binary \x00"],
                        [b"x" * 200, "ünï".encode(), b"end"]], dtype=object)
    tf1.Variable(strings, name="s")
    tf1.Variable(tf.constant(1.5, tf.bfloat16), name="bf16")
    with tf1.variable_scope("wide"):
        emb = tf1.get_variable("emb", [200, 2], initializer=tf1.random_normal_initializer(seed=1),
                               partitioner=tf1.fixed_size_partitioner(3))
    with tf1.Session() as sess:
        sess.run(tf1.global_variables_initializer())
        saver = tf1.train.Saver()
        d = os.path.join(out, "tf1-dtypes")
        os.makedirs(d, exist_ok=True)
        saver.save(sess, os.path.join(d, "model.ckpt"))
        expected = {k: dump(sess.run(g.get_tensor_by_name(k + ":0"))) for k in list(vals) + ["s"]}
        expected["wide/emb"] = dump(sess.run(tf.concat(list(emb), 0)))
        note = ("Written by TensorFlow 2.21 tf.compat.v1.train.Saver; bf16 is bfloat16 "
                "(unsupported by minitf's reader); wide/emb is partitioned in 3 along axis 0 "
                "(slice offsets 67 and 134).")
        with open(os.path.join(d, "expected.json"), "w") as f:
            json.dump({"note": note, "variables": expected}, f)

# 2. an index larger than one 256 KiB table block
g = tf.Graph()
with g.as_default():
    n = 1700
    vs = []
    for i in range(n):
        name = "%08x_" % ((i * 2654435761) % 2**32) + "n" * 150
        vs.append(tf1.Variable(np.float32(i), name=name))
    with tf1.Session() as sess:
        sess.run(tf1.global_variables_initializer())
        d = os.path.join(out, "tf1-large-index")
        os.makedirs(d, exist_ok=True)
        tf1.train.Saver().save(sess, os.path.join(d, "model.ckpt"))
        note = ("1700 scalar float32 variables named <8 hex digits>_nnn... holding 0..1699 in "
                "creation order; the index spans several 256 KiB table blocks.")
        with open(os.path.join(d, "expected.json"), "w") as f:
            json.dump({"note": note, "variables": {v.op.name: float(i) for i, v in enumerate(vs)}},
                      f)
print("ok")
