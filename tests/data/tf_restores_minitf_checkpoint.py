"""Checks that TensorFlow restores checkpoints minitf writes in TF's format (issue 20).

Run by hand from the repository's root, with the reference TensorFlow venv's Python, naming a
Python that has minitf installed:

    ~/tfref/bin/python tests/data/tf_restores_minitf_checkpoint.py /tmp/dev/bin/python

It runs itself under that Python (`--write DIR`) to save, with minitf's
`Saver(write_version=tf.train.SaverDef.V2)`, variables of every dtype (with NaN, -0.0 and
infinities), strings (empty, binary, non-ASCII), a scalar, an empty tensor and a variable
partitioned in 3 parts, once unsharded and once `sharded=True` over two devices. Then, in
TensorFlow 2.21 graph mode (`disable_v2_behavior`), it checks that `tf.train.list_variables`
lists them, that `NewCheckpointReader` and `Saver.restore` give back the same bytes, that the
partitioned variable restores into 2 parts and into none, and that TensorFlow's own Saver writes
byte-identical files for the same variables, and that `tf.train.import_meta_graph` of the
`.meta` files minitf wrote gives a Saver (minitf's save graph, TF's ops) that restores them and
saves again. It prints "ok" at the end, or fails an assert.
"""
import os
import subprocess
import sys
import tempfile

import numpy as np


def values():
    """{name: value} of the plain variables: the same arrays under any NumPy."""
    rng = np.random.RandomState(20)
    f32 = rng.randn(3, 4).astype(np.float32)
    f32[0, :3] = [np.float32(np.nan), -0.0, np.inf]
    f32.view(np.uint32)[1, 0] = 0x7FC01234  # a NaN with a payload: kept bit for bit
    return {
        "f16": rng.randn(2, 3).astype(np.float16), "f32": f32,
        "f64": np.array([[-np.inf, 1e-310], [np.pi, -0.0]]),
        "i8": np.array([-128, 0, 127], np.int8), "i16": np.array([-32768, 32767], np.int16),
        "i32": np.array([[-(2 ** 31), 7]], np.int32), "i64": np.array([-(2 ** 63), 2 ** 62]),
        "u8": np.array([0, 255], np.uint8), "u16": np.array([0, 65535], np.uint16),
        "b": np.array([[True, False], [False, True]]),
        "c64": (rng.randn(2) + 1j * rng.randn(2)).astype(np.complex64),
        "c128": np.array([1 - 2j, -0.5j]),
        "s": np.array([[b"", b"a", b"\x00\xff binary \x00"], [b"x" * 300, "ünï".encode(), b"e"]],
                      dtype=object),
        "scope/scalar": np.float32(2.5), "scope/empty": np.zeros([0, 3], np.float32),
        "scope/big": rng.randn(40, 30),
    }


EMB = np.arange(30, dtype=np.float32).reshape(10, 3) / 7  # partitioned: "part/emb"


def write(tf, directory):
    """Saves the variables with `tf` (minitf or TensorFlow): the unsharded and sharded
    checkpoints' prefixes."""
    tf1 = getattr(tf, "compat", tf).v1 if hasattr(tf, "compat") else tf
    graph = tf1.Graph()
    with graph.as_default():
        for name, value in values().items():
            with tf1.device("/cpu:1" if name.startswith("scope/") else "/cpu:0"):
                tf1.Variable(value, name=name)
        with tf1.device("/cpu:1"), tf1.variable_scope("part"):
            parts = tf1.get_variable("emb", [10, 3], initializer=tf1.zeros_initializer(),
                                     partitioner=tf1.fixed_size_partitioner(3))
        v2 = tf1.train.SaverDef.V2
        config = tf1.ConfigProto(device_count={"CPU": 2})
        with tf1.Session(config=config) as sess:
            sess.run(tf1.global_variables_initializer())
            for part in parts:
                offset, size = part._save_slice_info.var_offset[0], part.shape.as_list()[0]
                part.load(EMB[offset:offset + size], sess)
            os.makedirs(os.path.join(directory, "sharded"))  # (TF's Saver does not make it)
            plain = tf1.train.Saver(write_version=v2).save(sess, os.path.join(directory, "m"))
            sharded = tf1.train.Saver(write_version=v2, sharded=True).save(
                sess, os.path.join(directory, "sharded", "m"))
    return plain, sharded


def check_bitwise(got, want, name):
    got, want = np.asarray(got), np.asarray(want)
    assert got.shape == want.shape, (name, got.shape, want.shape)
    if want.dtype == object:
        assert got.ravel().tolist() == want.ravel().tolist(), name
    else:
        assert got.dtype == want.dtype, (name, got.dtype, want.dtype)
        assert got.tobytes() == want.tobytes(), name


def restore(tf1, prefix, partitions):
    """Restores `prefix` with TF into zero-valued variables, `part/emb` in `partitions` parts
    (None: not partitioned); {name: value}."""
    graph = tf1.Graph()
    with graph.as_default():
        made = {name: tf1.Variable(np.zeros_like(v) if v.dtype != object
                                   else np.full(v.shape, b"?", object), name=name)
                for name, v in values().items()}
        with tf1.variable_scope("part"):
            made["part/emb"] = tf1.get_variable(
                "emb", [10, 3], initializer=tf1.zeros_initializer(),
                partitioner=partitions and tf1.fixed_size_partitioner(partitions))
        with tf1.Session() as sess:
            sess.run(tf1.global_variables_initializer())
            tf1.train.Saver().restore(sess, prefix)
            out = {name: sess.run(v) for name, v in made.items() if name != "part/emb"}
            emb = made["part/emb"]
            if partitions:
                assert len(list(emb)) == partitions
                out["part/emb"] = np.concatenate(sess.run(list(emb)))
            else:
                out["part/emb"] = sess.run(emb)
    return out


def restore_with_meta_graph(tf1, prefix, again):
    """Imports minitf's `<prefix>.meta` with TF, restores `prefix` with the Saver it returns
    (TF runs the save graph minitf built), saves to `again` with it and restores that too;
    {name: value}."""
    graph = tf1.Graph()
    with graph.as_default():
        saver = tf1.train.import_meta_graph(prefix + ".meta")
        config = tf1.ConfigProto(device_count={"CPU": 2})
        with tf1.Session(config=config) as sess:
            saver.restore(sess, prefix)
            os.makedirs(os.path.dirname(again), exist_ok=True)
            saver.save(sess, again, write_meta_graph=False)
            sess.run(tf1.global_variables_initializer())
            saver.restore(sess, again)
            out = {name: sess.run(name + ":0") for name in values()}
            parts = sorted((v for v in tf1.global_variables() if v.op.name.startswith("part/")),
                           key=lambda v: v._save_slice_info.var_offset[0])
            out["part/emb"] = np.concatenate(sess.run(parts))
    return out


def _bundle_files(directory):
    return sorted(f for f in os.listdir(directory) if f == "m.index" or f.startswith("m.data-"))


def check(minitf_python):
    import tensorflow as tf
    tf1 = tf.compat.v1
    tf1.disable_v2_behavior()
    want = dict(values(), **{"part/emb": EMB})
    with tempfile.TemporaryDirectory() as mine, tempfile.TemporaryDirectory() as theirs:
        subprocess.run([minitf_python, __file__, "--write", mine], check=True)
        for kind in ("", "sharded/"):
            prefix = os.path.join(mine, kind + "m")
            listed = dict(tf.train.list_variables(prefix))
            assert listed == {k: list(np.shape(v)) for k, v in want.items()}, listed
            reader = tf1.train.NewCheckpointReader(prefix)
            for name, value in want.items():
                check_bitwise(reader.get_tensor(name), value, name)
            for partitions in (2, None, 3):
                got = restore(tf1, prefix, partitions)
                for name, value in want.items():
                    check_bitwise(got[name], value, name)
            print(f"TensorFlow restored minitf's {kind or 'unsharded '}checkpoint bit for bit "
                  "(the partitioned variable into 2, 1 and 3 parts)")
            got = restore_with_meta_graph(tf1, prefix, os.path.join(mine, kind + "again"))
            for name, value in want.items():
                check_bitwise(got[name], value, name)
            print(f"TensorFlow's import_meta_graph of minitf's {kind or 'unsharded '}.meta gave "
                  "a Saver whose ops restore and save it")
        for path in write(tf, theirs):
            relative = os.path.relpath(path, theirs)
            files = _bundle_files(os.path.dirname(path))  # (TF also writes a .meta)
            assert files == _bundle_files(os.path.dirname(os.path.join(mine, relative))), files
            for f in files:
                with open(os.path.join(os.path.dirname(path), f), "rb") as a, open(
                        os.path.join(mine, os.path.dirname(relative), f), "rb") as b:
                    assert a.read() == b.read(), f"{relative}: {f} differs"
            print(f"TensorFlow's Saver wrote the same bytes as minitf's: {relative} {files}")
    print("ok")


if __name__ == "__main__":
    if sys.argv[1] == "--write":
        import minitf
        write(minitf, sys.argv[2])
    else:
        check(sys.argv[1])
