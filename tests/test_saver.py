"""tf.train.Saver and the checkpoint functions: round trips in minitf's format, TF1 checkpoints
read without TensorFlow, and bad input that leaves every variable as it was."""
import json
import os
import shutil

import numpy as np
import pytest

import minitf as tf
from minitf.checkpoint import npz

DATA = os.path.join(os.path.dirname(__file__), "data")
FIXTURE = os.path.join(DATA, "tf1-checkpoint")


def _model(parts=None):
    with tf.variable_scope("model"):
        with tf.variable_scope("dense"):
            tf.get_variable("kernel", [3, 4])
            tf.get_variable("bias", [4])
        tf.get_variable("embedding", [10, 3],
                        partitioner=parts and tf.fixed_size_partitioner(parts))
        tf.get_variable("steps", [], tf.int64)
        tf.get_variable("double", [2, 2], tf.float64)
        tf.get_variable("flag", [3], tf.bool)
        tf.get_variable("big", [64, 32])


def _values(sess):
    """{name: value}, a partitioned variable's parts joined into its full value."""
    out, parts = {}, {}
    for v in sess.graph.get_collection(tf.GraphKeys.GLOBAL_VARIABLES):
        info = getattr(v, "_save_slice_info", None)
        if info is None:
            out[v.op.name] = sess.run(v)
        else:
            parts.setdefault(info.full_name, []).append((info.var_offset[0], sess.run(v)))
    for name, ps in parts.items():
        out[name] = np.concatenate([p for _, p in sorted(ps, key=lambda p: p[0])])
    return out


def _assert_same(a, b):
    assert sorted(a) == sorted(b)
    for k in a:
        np.testing.assert_array_equal(a[k], b[k], err_msg=k)


def _trained(parts, seed):
    """A fresh graph's model with random values; returns (graph, session, values)."""
    graph = tf.Graph()
    with graph.as_default():
        tf.set_random_seed(seed)
        _model(parts)
        sess = tf.Session(graph=graph)
        sess.run(tf.global_variables_initializer())
        steps = [v for v in tf.global_variables() if v.op.name == "model/steps"][0]
        sess.run(steps.assign(7))
    return graph, sess, _values(sess)


# -- round trips -----------------------------------------------------------------------------------
@pytest.mark.parametrize("saved_parts, restored_parts", [(None, None), (3, 2), (3, None),
                                                         (None, 4)])
def test_round_trip_into_a_fresh_graph_in_any_partitioning(tmp_path, saved_parts, restored_parts):
    graph, sess, before = _trained(saved_parts, seed=1)
    with graph.as_default():
        path = tf.train.Saver().save(sess, str(tmp_path / "model.ckpt"), global_step=5)
    assert path == str(tmp_path / "model.ckpt-5") and os.path.exists(path + ".npz")
    graph2, sess2, other = _trained(restored_parts, seed=2)
    assert not np.array_equal(other["model/big"], before["model/big"])
    with graph2.as_default():
        tf.train.Saver().restore(sess2, path)
    _assert_same(_values(sess2), before)
    assert tf.train.list_variables(str(tmp_path)) == [
        ("model/big", [64, 32]), ("model/dense/bias", [4]), ("model/dense/kernel", [3, 4]),
        ("model/double", [2, 2]), ("model/embedding", [10, 3]), ("model/flag", [3]),
        ("model/steps", [])]


def test_dict_var_list_saves_under_its_keys(tmp_path):
    with tf.Graph().as_default():
        a = tf.get_variable("a", [2], initializer=tf.constant_initializer([1.0, 2.0]))
        b = tf.get_variable("b", [3], tf.int32, tf.constant_initializer(5))
        p = tf.get_variable("p", [4, 1], initializer=tf.constant_initializer(
            [[1.0], [2.0], [3.0], [4.0]]), partitioner=tf.fixed_size_partitioner(2))
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            path = tf.train.Saver({"renamed/a": a, "b": b, "whole": p}).save(
                sess, str(tmp_path / "d"))
    assert [n for n, _ in tf.train.list_variables(path)] == ["b", "renamed/a", "whole"]
    np.testing.assert_array_equal(tf.train.load_variable(path, "whole"), [[1], [2], [3], [4]])
    with tf.Graph().as_default():
        c = tf.get_variable("c", [2])
        with tf.Session() as sess:
            tf.train.Saver({"renamed/a": c}).restore(sess, path)
            np.testing.assert_array_equal(sess.run(c), [1.0, 2.0])


def test_strings_resource_variables_and_a_finalized_graph(tmp_path):
    words = np.array([b"", b"\x00tail\x00", "ünï".encode(), b"x" * 300], dtype=object)
    with tf.Graph().as_default() as g:
        s = tf.Variable(words, name="s")
        r = tf.get_variable("r", [2], initializer=tf.ones_initializer(), use_resource=True)
        saver, init = tf.train.Saver(), tf.global_variables_initializer()
        g.finalize()  # saving and restoring add no ops
        with tf.Session() as sess:
            sess.run(init)
            path = saver.save(sess, str(tmp_path / "s"))
        with tf.Session() as sess:
            saver.restore(sess, path)
            assert list(sess.run(s)) == list(words)
            np.testing.assert_array_equal(sess.run(r), [1.0, 1.0])


def test_global_step_variable_names_the_file(tmp_path):
    with tf.Graph().as_default():
        step = tf.train.get_or_create_global_step()
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            sess.run(step.assign(42))
            path = tf.train.Saver().save(sess, str(tmp_path / "m"), global_step=step)
    assert path.endswith("m-42")


def test_max_to_keep_deletes_the_oldest_and_the_state_file_is_relative(tmp_path):
    with tf.Graph().as_default():
        tf.get_variable("v", [1])
        saver = tf.train.Saver(max_to_keep=2)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            paths = [saver.save(sess, str(tmp_path / "m"), global_step=i) for i in range(4)]
    assert saver.last_checkpoints == paths[2:]
    assert sorted(os.listdir(tmp_path)) == ["checkpoint", "m-2.meta", "m-2.npz", "m-3.meta",
                                           "m-3.npz"]
    assert (tmp_path / "checkpoint").read_text() == (
        'model_checkpoint_path: "m-3"\nall_model_checkpoint_paths: "m-2"\n'
        'all_model_checkpoint_paths: "m-3"\n')
    assert tf.train.latest_checkpoint(str(tmp_path)) == paths[3]
    moved = tmp_path.parent / "moved"
    shutil.move(str(tmp_path), str(moved))
    assert tf.train.latest_checkpoint(str(moved)) == str(moved / "m-3")
    state = tf.train.get_checkpoint_state(str(moved))
    assert state.all_model_checkpoint_paths == [str(moved / "m-2"), str(moved / "m-3")]
    os.remove(moved / "m-3.npz")
    assert tf.train.latest_checkpoint(str(moved)) is None
    assert tf.train.latest_checkpoint(str(moved / "nowhere")) is None


def test_saving_the_same_path_again_keeps_one_entry(tmp_path):
    with tf.Graph().as_default():
        tf.get_variable("v", [1])
        saver = tf.train.Saver(max_to_keep=3)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for _ in range(3):
                saver.save(sess, str(tmp_path / "same"))
    assert saver.last_checkpoints == [str(tmp_path / "same")]


# -- TensorFlow 1 checkpoints ----------------------------------------------------------------------
def _fixture_values():
    with open(os.path.join(FIXTURE, "expected.json")) as f:
        return json.load(f)["variables"]


@pytest.mark.parametrize("parts", [3, 2, None])
def test_the_tf1_fixture_restores_into_the_same_model(parts):
    expected = _fixture_values()
    with tf.Graph().as_default():
        _model(parts)
        with tf.Session() as sess:
            tf.train.Saver().restore(sess, tf.train.latest_checkpoint(FIXTURE))
            got = _values(sess)
    for name, value in got.items():
        key = name + (" (full)" if name == "model/embedding" else ":0")
        np.testing.assert_array_equal(value, np.array(expected[key], dtype=value.dtype),
                                      err_msg=name)


def test_the_tf1_fixture_by_name():
    expected = _fixture_values()
    prefix = os.path.join(FIXTURE, "model.ckpt-100")
    assert tf.train.list_variables(FIXTURE) == [
        ("model/big", [64, 32]), ("model/dense/bias", [4]), ("model/dense/kernel", [3, 4]),
        ("model/double", [2, 2]), ("model/embedding", [10, 3]), ("model/flag", [3]),
        ("model/steps", [])]
    for name in ("model/dense/kernel", "model/steps", "model/flag", "model/big"):
        np.testing.assert_array_equal(tf.train.load_variable(prefix, name + ":0"),
                                      expected[name + ":0"])
    np.testing.assert_array_equal(tf.train.load_variable(FIXTURE, "model/embedding"),
                                  np.array(expected["model/embedding (full)"], np.float32))
    reader = tf.train.load_checkpoint(prefix)
    assert reader.get_variable_to_dtype_map()["model/steps"] == tf.int64
    assert reader.get_variable_to_shape_map()["model/embedding"] == [10, 3]
    assert reader.has_tensor("model/big") and not reader.has_tensor("model/nope")
    steps = reader.get_tensor("model/steps")
    assert type(steps) is np.int64 and steps == 42  # a scalar comes back as TF gives it


# -- init_from_checkpoint --------------------------------------------------------------------------
def _initialized(build, assignment_map, ckpt=FIXTURE):
    with tf.Graph().as_default():
        variables = build()
        tf.train.init_from_checkpoint(ckpt, assignment_map(variables))
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            return [sess.run(v) for v in variables]


def test_init_from_checkpoint_scope_to_scope():
    expected = _fixture_values()

    def build():
        with tf.variable_scope("new"):
            with tf.variable_scope("dense"):
                return [tf.get_variable("kernel", [3, 4]), tf.get_variable("bias", [4])]
    kernel, bias = _initialized(build, lambda vs: {"model/dense/": "new/dense/"})
    np.testing.assert_array_equal(kernel, np.array(expected["model/dense/kernel:0"], np.float32))
    np.testing.assert_array_equal(bias, expected["model/dense/bias:0"])


def test_init_from_checkpoint_by_name_variable_and_partitions():
    expected = _fixture_values()

    def build():
        x = tf.get_variable("x", [4])
        emb = tf.get_variable("emb", [10, 3], partitioner=tf.fixed_size_partitioner(2))
        y = tf.get_variable("y", [], tf.int64)
        return [x, y] + list(emb)
    x, y, p0, p1 = _initialized(build, lambda vs: {
        "model/dense/bias": "x", "model/steps": vs[1], "model/embedding": "emb"})
    np.testing.assert_array_equal(x, expected["model/dense/bias:0"])
    assert y == 42
    np.testing.assert_array_equal(np.concatenate([p0, p1]),
                                  np.array(expected["model/embedding (full)"], np.float32))


def test_init_from_checkpoint_root_and_bad_maps():
    with tf.Graph().as_default():
        with tf.variable_scope("model"):
            tf.get_variable("double", [2, 2], tf.float64)
            wrong = tf.get_variable("flag", [4], tf.bool)
        with pytest.raises(ValueError, match=r"Shape of variable model/flag:0 \(\[4\]\) doesn't "
                                             r"match with shape of tensor model/flag \(\[3\]\)"):
            tf.train.init_from_checkpoint(FIXTURE, {"/": "/"})
        with pytest.raises(ValueError, match="Tensor nope is not found"):
            tf.train.init_from_checkpoint(FIXTURE, {"nope": wrong})
        with pytest.raises(ValueError, match="should map to scope only"):
            tf.train.init_from_checkpoint(FIXTURE, {"model/steps": "model/"})
        with pytest.raises(ValueError, match="Couldn't find 'checkpoint' file"):
            tf.train.init_from_checkpoint(DATA, {"/": "/"})
        assert wrong.initializer.name == "model/flag/Assign"  # nothing was half-applied


# -- bad input -------------------------------------------------------------------------------------
@pytest.fixture
def saved(tmp_path):
    """A model saved in minitf's format, and a session on another model whose values differ."""
    graph, sess, before = _trained(None, seed=1)
    with graph.as_default():
        path = tf.train.Saver().save(sess, str(tmp_path / "m"))
    graph2, sess2, current = _trained(None, seed=2)
    return path, graph2, sess2, current


def _restore_fails(graph, sess, current, path, error, words, var_list=None):
    with graph.as_default():
        saver = tf.train.Saver(var_list)
        with pytest.raises(error, match=words):
            saver.restore(sess, path)
    _assert_same(_values(sess), current)  # not one variable changed


def test_missing_key_names_it(saved):
    path, graph, sess, current = saved
    with graph.as_default():
        extra = tf.get_variable("extra", [2])
        sess.run(extra.initializer)
    current["extra"] = sess.run(extra)
    _restore_fails(graph, sess, current, path, tf.errors.NotFoundError,
                   "Key extra not found in checkpoint")


def test_shape_and_dtype_mismatches_name_both(saved, tmp_path):
    path, graph, sess, current = saved
    with graph.as_default():
        kernel = [v for v in tf.global_variables() if v.op.name == "model/dense/kernel"][0]
        big = [v for v in tf.global_variables() if v.op.name == "model/big"][0]
    _restore_fails(graph, sess, current, path, tf.errors.InvalidArgumentError,
                   r"lhs shape= \[3, 4\] rhs shape= \[64, 32\]",
                   var_list={"model/dense/kernel": big, "model/big": kernel})
    with graph.as_default():
        steps = [v for v in tf.global_variables() if v.op.name == "model/steps"][0]
    _restore_fails(graph, sess, current, path, tf.errors.InvalidArgumentError,
                   "expected dtype int64 does not equal original dtype float32",
                   var_list={"model/dense/bias": big, "model/big": steps})


def _corrupt_byte(path, offset_from_end=None):
    with open(path, "rb") as f:
        data = bytearray(f.read())
    i = len(data) // 2 if offset_from_end is None else len(data) - offset_from_end
    data[i] ^= 0x40
    with open(path, "wb") as f:
        f.write(bytes(data))


def _truncate(path, size):
    with open(path, "r+b") as f:
        f.truncate(size)


def test_damaged_npz_files_are_data_loss(saved):
    path, graph, sess, current = saved
    file = path + npz.SUFFIX
    with open(file, "rb") as f:
        good = f.read()
    _corrupt_byte(file)
    _restore_fails(graph, sess, current, path, tf.errors.DataLossError, "corrupted|CRC")
    with open(file, "wb") as f:
        f.write(good[:len(good) // 3])
    _restore_fails(graph, sess, current, path, tf.errors.DataLossError, "not a readable")


@pytest.fixture
def tf1_copy(tmp_path):
    shutil.copytree(FIXTURE, tmp_path / "ckpt")
    return str(tmp_path / "ckpt" / "model.ckpt-100")


@pytest.mark.parametrize("damage, words", [
    (lambda p: _corrupt_byte(p + ".index", 60), "CRC-32C|not a checkpoint"),
    (lambda p: _corrupt_byte(p + ".index", 1), "bad magic"),
    (lambda p: _corrupt_byte(p + ".data-00000-of-00001"), "Checksum does not match"),
    (lambda p: _truncate(p + ".data-00000-of-00001", 4000), "ends before"),
    (lambda p: os.remove(p + ".data-00000-of-00001"), "is missing"),
    (lambda p: _truncate(p + ".index", 40), "too short"),
])
def test_damaged_tf1_checkpoints_are_data_loss(tf1_copy, damage, words):
    damage(tf1_copy)
    with tf.Graph().as_default() as graph:
        _model(3)
        sess = tf.Session()
        sess.run(tf.global_variables_initializer())
        current = _values(sess)
        _restore_fails(graph, sess, current, tf1_copy, tf.errors.DataLossError, words)


def test_a_path_without_a_checkpoint(saved, tmp_path):
    path, graph, sess, current = saved
    with graph.as_default():
        saver = tf.train.Saver()
        with pytest.raises(ValueError, match="The passed save_path is not a valid checkpoint"):
            saver.restore(sess, str(tmp_path / "nope"))
        with pytest.raises(ValueError, match="Can't load save_path when it is None."):
            saver.restore(sess, None)
    with pytest.raises(tf.errors.NotFoundError, match="Failed to find any matching files"):
        tf.train.load_variable(str(tmp_path / "nope"), "v")


def test_a_crash_while_writing_keeps_the_previous_checkpoint(saved, monkeypatch):
    path, graph, sess, current = saved
    with open(path + npz.SUFFIX, "rb") as f:
        before = f.read()

    def crash(file, **arrays):
        file.write(b"PK\x03\x04 half a zip")
        raise OSError("disk full")
    monkeypatch.setattr(npz.np, "savez", crash)
    with graph.as_default():
        with pytest.raises(OSError, match="disk full"):
            tf.train.Saver().save(sess, path)
    monkeypatch.undo()
    with open(path + npz.SUFFIX, "rb") as f:
        assert f.read() == before
    assert sorted(os.listdir(os.path.dirname(path))) == ["checkpoint", "m.meta", "m.npz"]  # no temp
    with graph.as_default():
        tf.train.Saver().restore(sess, path)  # still loadable
    assert not np.array_equal(_values(sess)["model/big"], current["model/big"])


def test_saver_argument_errors():
    with tf.Graph().as_default():
        v = tf.get_variable("v", [1])
        with pytest.raises(ValueError, match="At least two variables have the same name: v"):
            tf.train.Saver([v, v])
        with pytest.raises(ValueError, match="The same saveable will be restored with two "
                                             "names: b"):
            tf.train.Saver({"a": v, "b": v})
        with pytest.raises(TypeError, match="not a Variable"):
            tf.train.Saver([tf.constant(1.0)])
        p = tf.get_variable("p", [4], partitioner=tf.fixed_size_partitioner(2))
        with pytest.raises(ValueError, match="At least two variables have the same name: p"):
            tf.train.Saver([p, p])
        with pytest.raises(ValueError, match="At least two variables have the same name: p"):
            tf.train.Saver([p, list(p)[0]])
    with tf.Graph().as_default():
        with pytest.raises(ValueError, match="No variables to save"):
            tf.train.Saver()
        assert tf.train.Saver(allow_empty=True).last_checkpoints == []


def test_a_session_of_another_graph_is_refused(tmp_path):
    with tf.Graph().as_default():
        tf.get_variable("v", [1])
        saver = tf.train.Saver()
    with tf.Graph().as_default(), tf.Session() as sess:
        with pytest.raises(ValueError, match="Variable v is not of the session's graph"):
            saver.save(sess, tmp_path / "m")
        with pytest.raises(ValueError, match="Variable v is not of the session's graph"):
            saver.restore(sess, os.path.join(FIXTURE, "model.ckpt-100"))


def test_saving_an_uninitialized_variable_fails_before_writing(tmp_path):
    with tf.Graph().as_default():
        tf.get_variable("v", [1])
        with tf.Session() as sess:
            with pytest.raises(tf.errors.FailedPreconditionError,
                               match="Attempting to use uninitialized value v"):
                tf.train.Saver().save(sess, str(tmp_path / "m"))
    assert os.listdir(tmp_path) == []


def test_init_from_a_minitf_checkpoint_reads_when_the_initializer_runs(tmp_path):
    with tf.Graph().as_default():
        a = tf.get_variable("a", [2], initializer=tf.constant_initializer([3.0, 4.0]))
        with tf.Session() as sess:
            sess.run(a.initializer)
            tf.train.Saver().save(sess, str(tmp_path / "m"))
    with tf.Graph().as_default():
        b = tf.get_variable("b", [2])
        tf.train.init_from_checkpoint(str(tmp_path), {"a": "b"})
        assert b.initial_value.op.type == "RestoreV2"
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            np.testing.assert_array_equal(sess.run(b), [3.0, 4.0])
        os.remove(tmp_path / "m.npz")
        with tf.Session() as sess:
            with pytest.raises(tf.errors.NotFoundError, match="Failed to find any matching"):
                sess.run(b.initializer)


# -- nothing lost to a kill or a bad path (issue 15) ----------------------------------------------
def test_a_save_killed_before_its_state_file_loses_no_checkpoint(tmp_path, monkeypatch):
    from minitf.checkpoint import state

    v = tf.get_variable("v", [], initializer=tf.zeros_initializer())
    saver = tf.train.Saver(max_to_keep=1)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        first = saver.save(sess, str(tmp_path / "model.ckpt"), global_step=1)

        def killed(*args, **kwargs):  # the process dies while it writes the state file
            raise KeyboardInterrupt
        monkeypatch.setattr(state, "update_checkpoint_state", killed)
        sess.run(v.assign(2.0))
        with pytest.raises(KeyboardInterrupt):
            saver.save(sess, str(tmp_path / "model.ckpt"), global_step=2)
        assert tf.train.latest_checkpoint(str(tmp_path)) == first  # still there, restorable
        saver.restore(sess, first)
        assert sess.run(v) == 0.0


def test_max_to_keep_deletes_only_after_the_state_names_the_new_checkpoint(tmp_path):
    tf.get_variable("v", [], initializer=tf.zeros_initializer())
    saver = tf.train.Saver(max_to_keep=1)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for step in (1, 2, 3):
            saver.save(sess, str(tmp_path / "model.ckpt"), global_step=step)
    assert sorted(os.listdir(tmp_path)) == ["checkpoint", "model.ckpt-3.meta", "model.ckpt-3.npz"]
    assert tf.train.latest_checkpoint(str(tmp_path)).endswith("model.ckpt-3")


def test_a_save_removes_temporaries_that_killed_saves_left(tmp_path):
    dead = tmp_path / "model.ckpt-1.npz.minitf-2147483646.abc123.tmp"  # no such process
    huge = tmp_path / "checkpoint.minitf-99999999999999999999.x.tmp"  # not even a pid
    live = tmp_path / f"model.ckpt-1.npz.minitf-{os.getpid()}.def456.tmp"  # a writer at work
    mine = tmp_path / "notes.tmp"  # not minitf's
    for path in (dead, huge, live, mine):
        path.write_bytes(b"half a checkpoint")
    tf.get_variable("v", [], initializer=tf.zeros_initializer())
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        tf.train.Saver().save(sess, str(tmp_path / "model.ckpt"), global_step=2)
    assert sorted(os.listdir(tmp_path)) == sorted(
        ["checkpoint", "model.ckpt-2.meta", "model.ckpt-2.npz", live.name, mine.name])


def test_save_to_an_empty_path_is_refused_before_anything_is_written(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    tf.get_variable("v", [], initializer=tf.zeros_initializer())
    saver = tf.train.Saver()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        with pytest.raises(ValueError, match="no path specified"):
            saver.save(sess, "")
        assert os.listdir(tmp_path) == [] and saver.last_checkpoints == []
        assert saver.save(sess, "model.ckpt") == "model.ckpt"  # the Saver still works
    assert sorted(os.listdir(tmp_path)) == ["checkpoint", "model.ckpt.meta", "model.ckpt.npz"]


def test_saves_from_many_threads_keep_the_state_file_and_the_files_in_step(tmp_path):
    # one Saver used by several threads (a Supervisor's checkpoint thread beside the training
    # loop's final save): the saves take turns, so the state file names exactly the kept
    # checkpoints, all on disk, the newest last
    import threading

    with tf.Graph().as_default():
        tf.Variable(np.arange(1000.0), name="v")
        saver = tf.train.Saver(max_to_keep=3)
        d = str(tmp_path)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            prefix = os.path.join(d, "model.ckpt")

            def saves(first):
                for step in range(first, first + 40, 4):
                    saver.save(sess, prefix, global_step=step)

            threads = [threading.Thread(target=saves, args=(k,)) for k in range(4)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            state = tf.train.get_checkpoint_state(d)
            kept = list(state.all_model_checkpoint_paths)
            assert kept == saver.last_checkpoints and len(kept) == 3
            assert state.model_checkpoint_path == kept[-1]
            assert sorted(f for f in os.listdir(d) if f.endswith(".npz")) == sorted(
                os.path.basename(p) + ".npz" for p in kept)
