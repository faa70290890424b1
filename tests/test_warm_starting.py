"""`tf.train.warm_start` and `tf.train.VocabInfo` (expected values from TF1 graph mode)."""
import numpy as np
import pytest

import minitf as tf

OLD = ["mercury", "venus", "mars", "pluto"]
NEW = ["venus", "jupiter", "mercury", "pluto", "saturn", "mars"]


@pytest.fixture
def ckpt(tmp_path):
    """A checkpoint of emb [4, 3], k [3, 4], b [3], n [2] (not trainable), and vocab files."""
    def vocab(name, words):
        path = tmp_path / name
        path.write_text("\n".join(words) + "\n")
        return str(path)

    with tf.Graph().as_default():
        tf.get_variable("emb", initializer=np.arange(12, dtype=np.float32).reshape(4, 3))
        tf.get_variable("k", initializer=np.arange(12, dtype=np.float32).reshape(3, 4) + 100)
        tf.get_variable("b", initializer=np.array([1., 2., 3.], np.float32))
        tf.get_variable("n", initializer=np.array([5., 6.], np.float32), trainable=False)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            path = tf.train.Saver().save(sess, str(tmp_path / "model.ckpt"))
    return path, vocab("old", OLD), vocab("new", NEW)


def _run(build, ckpt_path, **kwargs):
    with tf.Graph().as_default():
        variables = build()
        tf.train.warm_start(ckpt_path, **kwargs)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            return [sess.run(tf.concat(list(v), 0) if isinstance(v, tf.PartitionedVariable)
                             else v) for v in variables]


def _plain():
    return [tf.get_variable("b", [3]), tf.get_variable("n", [2], trainable=False),
            tf.get_variable("emb", [4, 3], initializer=tf.zeros_initializer())]


def test_rows_remapped_by_vocabulary(ckpt):
    path, old, new = ckpt
    info = tf.train.VocabInfo(new, 5, 1, old, backup_initializer=tf.ones_initializer())
    [emb] = _run(lambda: [tf.get_variable("emb", [6, 3])], path,
                 var_name_to_vocab_info={"emb": info})
    np.testing.assert_array_equal(emb, [[3, 4, 5], [1, 1, 1], [0, 1, 2], [9, 10, 11],
                                        [1, 1, 1], [1, 1, 1]])


def test_partitioned_rows_with_oov_part(ckpt):
    path, old, new = ckpt

    def parted():
        return [tf.get_variable("emb", [9, 3], partitioner=tf.fixed_size_partitioner(3),
                                initializer=tf.ones_initializer())]
    info = tf.train.VocabInfo(new, 5, 4, old, old_vocab_size=2)
    [emb] = _run(parted, path, var_name_to_vocab_info={"emb": info})
    expected = np.zeros([9, 3], np.float32)
    expected[0], expected[2] = [3, 4, 5], [0, 1, 2]  # mars and pluto are past old_vocab_size
    np.testing.assert_array_equal(emb, expected)
    # the backup initializer fills the new rows, partition by partition (values from TF)
    info = tf.train.VocabInfo(new, 6, 3, old,
                              backup_initializer=tf.random_uniform_initializer(seed=5))
    with tf.Graph().as_default():
        tf.set_random_seed(1)
        v = parted()[0]
        tf.train.warm_start(path, var_name_to_vocab_info={"emb": info})
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            emb = sess.run(tf.concat(list(v), 0))
    np.testing.assert_allclose(emb[[0, 2, 3, 5]], [[3, 4, 5], [0, 1, 2], [9, 10, 11], [6, 7, 8]])
    np.testing.assert_allclose(emb[[1, 4, 6, 7, 8]], [
        [0.1956, 0.0299, 0.3649], [0.1956, 0.0299, 0.3649], [0.1956, 0.0299, 0.3649],
        [0.2562, 0.7891, 0.6247], [0.0553, 0.6301, 0.7016]], atol=1e-4)


def test_columns_remapped_axis_1(ckpt):
    path, old, new = ckpt
    info = tf.train.VocabInfo(new, 4, 1, old, axis=1)
    [k] = _run(lambda: [tf.get_variable("k", [3, 5], partitioner=tf.fixed_size_partitioner(2))],
               path, var_name_to_vocab_info={"k": info})
    np.testing.assert_array_equal(k, [[101, 0, 100, 103, 0], [105, 0, 104, 107, 0],
                                      [109, 0, 108, 111, 0]])
    info = tf.train.VocabInfo(new, 3, 0, old, axis=1,
                              backup_initializer=tf.random_uniform_initializer(seed=3))
    [k] = _run(lambda: [tf.get_variable("k", [3, 3])], path,
               var_name_to_vocab_info={"k": info})
    np.testing.assert_allclose(k[:, [0, 2]], [[101, 100], [105, 104], [109, 108]])
    np.testing.assert_allclose(k[:2, 1], [0.3869294, 0.36002624], rtol=1e-6)


def test_resource_variable_with_vocabulary(ckpt):
    path, old, new = ckpt
    info = tf.train.VocabInfo(new, 5, 0, old)
    [emb] = _run(lambda: [tf.get_variable("emb", [5, 3], use_resource=True)], path,
                 var_name_to_vocab_info={"emb": info})
    np.testing.assert_array_equal(emb, [[3, 4, 5], [0, 0, 0], [0, 1, 2], [9, 10, 11],
                                        [0, 0, 0]])


def test_which_variables(ckpt):
    path, old, _ = ckpt
    b, n, emb = _run(_plain, path)  # '.*': the trainable ones only
    np.testing.assert_array_equal(b, [1, 2, 3])
    np.testing.assert_array_equal(emb, np.arange(12).reshape(4, 3))
    assert not np.array_equal(n, [5, 6])
    b, n, emb = _run(_plain, path, vars_to_warm_start=["n", "b"])  # GLOBAL_VARIABLES
    np.testing.assert_array_equal(b, [1, 2, 3])
    np.testing.assert_array_equal(n, [5, 6])
    np.testing.assert_array_equal(emb, np.zeros([4, 3]))
    b, n, emb = _run(_plain, path, vars_to_warm_start=None)  # vocabulary ones only: none
    assert not np.array_equal(b, [1, 2, 3]) and not emb.any()
    info = tf.train.VocabInfo(old, 4, 0, old)
    b, n, emb = _run(_plain, path, vars_to_warm_start=None,
                     var_name_to_vocab_info={"emb": info})
    assert not np.array_equal(b, [1, 2, 3])
    np.testing.assert_array_equal(emb, np.arange(12).reshape(4, 3))


def test_renamed_variables(ckpt):
    path, _, _ = ckpt
    b2, b = _run(lambda: [tf.get_variable("b2", [3]), tf.get_variable("b", [3])], path,
                 var_name_to_prev_var_name={"b2": "b"})
    np.testing.assert_array_equal(b2, [1, 2, 3])
    np.testing.assert_array_equal(b, [1, 2, 3])


def test_vocab_info():
    info = tf.train.VocabInfo("a", 1, 0, "b")
    assert repr(info) == ("VocabInfo(new_vocab='a', new_vocab_size=1, num_oov_buckets=0, "
                          "old_vocab='b', old_vocab_size=-1, backup_initializer=None, axis=0)")
    with pytest.raises(ValueError, match="Provided axis: 2"):
        tf.train.VocabInfo("a", 1, 0, "b", axis=2)


@pytest.mark.parametrize("kwargs, error, words", [
    (dict(var_name_to_prev_var_name={"x": "b"}), ValueError,
     "var_name_to_prev_var_name that were not used: {'x'}"),
    (dict(vars_to_warm_start=3), ValueError, "must be a `list` or `str`"),
    (dict(vars_to_warm_start=["b", 3]), ValueError, "all `Variable` or all `str`"),
])
def test_errors(ckpt, kwargs, error, words):
    with tf.Graph().as_default():
        _plain()
        with pytest.raises(error, match=words):
            tf.train.warm_start(ckpt[0], **kwargs)


def test_vocab_errors(ckpt):
    path, old, _ = ckpt
    cases = [({"x": tf.train.VocabInfo(old, 4, 0, old)}, ValueError,
              "var_name_to_vocab_info that were not used: {'x'}"),
             ({"emb": tf.train.VocabInfo(old, 4, 0, old, backup_initializer=3)}, TypeError,
              "initializer must be callable"),
             ({"emb": tf.train.VocabInfo(old, 0, 0, old)}, ValueError, "Invalid args")]
    for infos, error, words in cases:
        with tf.Graph().as_default():
            _plain()
            with pytest.raises(error, match=words):
                tf.train.warm_start(path, var_name_to_vocab_info=infos)


def test_vocabulary_and_checkpoint_errors_when_initializer_runs(ckpt, tmp_path):
    path, old, _ = ckpt
    short = tmp_path / "short"
    short.write_text("a\nb\n")
    cases = [(tf.train.VocabInfo(str(short), 3, 0, old), None, tf.errors.InvalidArgumentError,
              "lookup table size must be larger than last new vocab entry's line"),
             (tf.train.VocabInfo(old, 3, 0, str(tmp_path / "nope")), None,
              tf.errors.NotFoundError, "No such file or directory"),
             (tf.train.VocabInfo(old, 3, 0, old, old_vocab_size=5), None,
              tf.errors.InvalidArgumentError, "Invalid vocab_size in .*: expected 5 but got 4"),
             (tf.train.VocabInfo(old, 3, 0, old), {"emb": "zzz"}, tf.errors.NotFoundError,
              "Key zzz not found in checkpoint")]
    for info, prev, error, words in cases:
        with tf.Graph().as_default():
            tf.get_variable("emb", [3, 3])
            tf.train.warm_start(path, var_name_to_vocab_info={"emb": info},
                                var_name_to_prev_var_name=prev)
            with tf.Session() as sess, pytest.raises(error, match=words):
                sess.run(tf.global_variables_initializer())
    with tf.Graph().as_default():
        tf.get_variable("emb", [3, 3])
        with pytest.raises(ValueError, match=r"Trying to initialize 3 additional rows after 0 "
                           r"rows .* new_row_vocab_size \(2\) \+ num_row_oov_buckets \(0\) = 2"):
            tf.train.warm_start(path, var_name_to_vocab_info={
                "emb": tf.train.VocabInfo(old, 2, 0, old)})


def _remap_ops(path, old, new):
    from minitf.train import checkpoint_ops

    rows, present = checkpoint_ops.generate_vocab_remapping(new, old, 1, 3)
    matrix = checkpoint_ops.load_and_remap_matrix(path, "emb", [2, -1, 0], [1, -1, 0],
                                                  [7.0, 8.0, 9.0, 10.0, 11.0], 3, 3)
    return rows, present, matrix


def test_remapping_ops(ckpt):
    path, old, new = ckpt
    with tf.Graph().as_default():
        rows, present, matrix = _remap_ops(path, old, new)
        assert (rows.op.type, rows.shape.as_list(), present.shape.as_list()) == (
            "GenerateVocabRemapping", [3], [])
        assert (rows.dtype, present.dtype, matrix.op.type, matrix.shape.as_list()) == (
            tf.int64, tf.int32, "LoadAndRemapMatrix", [3, 3])
        with tf.Session() as sess:
            got = sess.run([rows, present, matrix])
    np.testing.assert_array_equal(got[0], [-1, 0, 3])  # jupiter, mercury, pluto
    assert got[1] == 2
    np.testing.assert_array_equal(got[2], [[7, 7, 6], [8, 9, 10], [1, 11, 0]])
    with tf.eager_mode():
        eager = _remap_ops(path, old, new)
    for a, b in zip(eager, got):
        np.testing.assert_array_equal(a.numpy(), b)


def test_remapping_op_errors(ckpt, tmp_path):
    from minitf.train import checkpoint_ops

    path, old, new = ckpt
    dup = tmp_path / "dup"
    dup.write_text("a\nb\na\n")
    cases = [(lambda: checkpoint_ops.load_and_remap_matrix(path, "emb", [0, 0, 1], [], [], 3, 3),
              tf.errors.UnimplementedError,
              "Old ID 0 is mapped to both new ID 0 and 1, which is not supported."),
             (lambda: checkpoint_ops.load_and_remap_matrix(path, "emb", [0, 1, 2], [], [1.0],
                                                           3, 3),
              tf.errors.InvalidArgumentError, "initializing_values contained 1 elements, but "
              "only 0 elements were used to fill in missing values."),
             (lambda: checkpoint_ops.load_and_remap_matrix(path, "emb", [0, -1, 2], [], [1.0],
                                                           3, 3),
              tf.errors.InvalidArgumentError, "initializing_values contained 1 elements, but "
              "more missing values remain."),
             (lambda: checkpoint_ops.generate_vocab_remapping(new, str(dup), 0, 3),
              tf.errors.FailedPreconditionError, "HashTable has different value for same key. "
              "Key a has 0 and trying to add value 2")]
    for build, error, words in cases:
        with tf.Graph().as_default():
            op = build()
            with tf.Session() as sess, pytest.raises(error, match=words):
                sess.run(op)


def test_partitioned_resource_parts_and_swapped_names(ckpt):
    path, _, _ = ckpt

    def build():
        k = tf.get_variable("k", [3, 4], partitioner=tf.fixed_size_partitioner(2),
                            use_resource=True, initializer=tf.zeros_initializer())
        b = tf.get_variable("b", [3], use_resource=True, initializer=tf.zeros_initializer())
        n = tf.get_variable("n", [2], initializer=tf.zeros_initializer())
        return k, b, n
    with tf.Graph().as_default():
        k, b, n = build()
        tf.train.warm_start(path, vars_to_warm_start=list(k) + [n])  # the parts, grouped
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            np.testing.assert_array_equal(sess.run(tf.concat(list(k), 0)),
                                          np.arange(12).reshape(3, 4) + 100)
            np.testing.assert_array_equal(sess.run(n), [5, 6])
            assert not sess.run(b).any()
    with tf.Graph().as_default():
        tf.get_variable("x", [2], initializer=tf.zeros_initializer())
        y = tf.get_variable("y", [2], initializer=tf.zeros_initializer())
        x = tf.get_default_graph().get_collection(tf.GraphKeys.GLOBAL_VARIABLES)[0]
        # two variables from one tensor take two loads; a regex list picks GLOBAL_VARIABLES
        tf.train.warm_start(path, vars_to_warm_start=["x|y"],
                            var_name_to_prev_var_name={"x": "n", "y": "n"})
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            np.testing.assert_array_equal(sess.run([x, y]), [[5, 6], [5, 6]])
