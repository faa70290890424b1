"""Writes tests/data/tf-object-ckpt/: an object-based checkpoint TensorFlow's
`tf.compat.v1.train.Checkpoint` saved in graph mode, and the values it holds
(tests/test_object_checkpoint.py restores it into minitf).

The structure: a ref variable `v` and a resource variable `w` trained one step by Adam (slots m
and v, non-slot beta1_power/beta2_power), `w` also in a nested Checkpoint and a list
(`Checkpoint(v=v, opt=opt, inner=Checkpoint(w=w), lst=[w, v])`).

Run with TensorFlow's Python: ~/tfref/bin/python tests/data/make_tf_object_ckpt.py
"""
import json
import os
import shutil

import numpy as np
import tensorflow as tf

tf.compat.v1.disable_v2_behavior()
v1 = tf.compat.v1
HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "tf-object-ckpt")


def main():
    shutil.rmtree(HERE, ignore_errors=True)
    v = v1.get_variable("v", initializer=np.array([1.0, 2.0], np.float32), use_resource=False)
    w = v1.get_variable("w", initializer=np.float32(3.0), use_resource=True)
    opt = v1.train.AdamOptimizer(0.1)
    train = opt.minimize(tf.reduce_sum(v * v) + w * w)
    ckpt = v1.train.Checkpoint(v=v, opt=opt, inner=v1.train.Checkpoint(w=w), lst=[w, v])
    with v1.Session() as sess:
        sess.run(v1.global_variables_initializer())
        sess.run(train)
        path = ckpt.save(os.path.join(HERE, "ckpt"), session=sess)
        values = {
            "v": sess.run(v).tolist(), "w": float(sess.run(w)),
            "v/m": sess.run(opt.get_slot(v, "m")).tolist(),
            "v/v": sess.run(opt.get_slot(v, "v")).tolist(),
            "w/m": float(sess.run(opt.get_slot(w, "m"))),
            "w/v": float(sess.run(opt.get_slot(w, "v"))),
            "beta1_power": float(sess.run(opt._get_non_slot_variable("beta1_power", sess.graph))),
            "beta2_power": float(sess.run(opt._get_non_slot_variable("beta2_power", sess.graph))),
            "save_counter": int(sess.run(ckpt.save_counter)),
        }
    keys = sorted(name for name, _ in tf.train.list_variables(path))
    with open(os.path.join(HERE, "expected.json"), "w") as f:
        json.dump({"values": values, "keys": keys}, f, indent=1, sort_keys=True)
    path = os.path.join(HERE, "checkpoint")  # the state file names the directory it was in
    with open(path) as f:
        text = f.read().replace(HERE + "/", "")
    with open(path, "w") as f:
        f.write(text)


if __name__ == "__main__":
    main()
