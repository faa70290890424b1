"""Random ops draw TensorFlow's own numbers: every expected value below was printed by
TensorFlow 2.21 (tf.compat.v1, graph mode unless marked eager) for the same program."""
import numpy as np
import pytest

import minitf as tf

pytestmark = pytest.mark.global_graph  # (a test may turn eager on)


def _run(*tensors):
    with tf.Session() as sess:
        return sess.run(list(tensors))


def _exact(got, expected, dtype):
    expected = np.array(expected, dtype=dtype)
    assert got.dtype == expected.dtype and got.shape == expected.shape
    assert got.tobytes() == expected.tobytes()  # bit for bit


@pytest.mark.parametrize("dtype, expected", [
    (tf.float32, [0.2390373945236206, 0.92039954662323, 0.05051243305206299,
                  0.4957444667816162, 0.8355222940444946]),
    (tf.float64, [0.9122999234504989, 0.4040997484619626, 0.6841790844248057, 0.704905089841523,
                  0.15071409333057018]),
    (tf.float16, [0.1943359375, 0.9130859375, 0.7978515625, 0.138671875, 0.5986328125]),
])
def test_uniform_floats_are_tensorflows(dtype, expected):
    x = tf.random_uniform([5], dtype=dtype, seed=1)
    _exact(_run(x)[0], expected, dtype.as_numpy_dtype)


def test_uniform_ints_are_tensorflows():
    i32 = tf.random_uniform([6], -3, 11, dtype=tf.int32, seed=4)
    i64 = tf.random_uniform([3], -3, 2**40, dtype=tf.int64, seed=4)
    a, b = _run(i32, i64)
    _exact(a, [10, 0, 9, 4, 0, 8], np.int32)
    _exact(b, [943702706896, 245215785729, 349375983077], np.int64)


def test_normals_are_tensorflows():
    n32 = tf.random_normal([2, 3], seed=2)
    n64 = tf.random_normal([3], dtype=tf.float64, seed=2)
    n16 = tf.random_normal([3], dtype=tf.float16, seed=2)
    a, b, c = _run(n32, n64, n16)
    _exact(a, [[-0.8581108450889587, -0.19662298262119293, 0.13895045220851898],
               [-1.2212767601013184, -0.4034128487110138, -1.1454041004180908]], np.float32)
    _exact(b, [-1.2973864969841682, 0.06965108479623461, -0.4184986458093596], np.float64)
    _exact(c, [-0.85791015625, -0.1966552734375, 0.138916015625], np.float16)


def test_truncated_normals_are_tensorflows_with_rejections():
    # seed 1: the first group rejects -2.44 and takes its 4th value from its next block;
    # float64 seed 4: the second group rejects 2.11
    t32 = tf.truncated_normal([9], seed=1)
    t64 = tf.truncated_normal([3], dtype=tf.float64, seed=4)
    a, b = _run(t32, t64)
    _exact(a, [-0.8113182187080383, 1.4845987558364868, 0.06532937288284302,
               0.09924840182065964, 0.6396970748901367, 1.6108711957931519,
               0.16353562474250793, -1.5157055854797363, 1.358777403831482], np.float32)
    _exact(b, [-0.1020494103762314, 0.9181512852290497, 1.3283499134299344], np.float64)


def test_runs_continue_the_stream_and_a_new_session_restarts_it():
    x = tf.random_uniform([5], seed=1)
    with tf.Session() as sess:
        first, second = sess.run(x), sess.run(x)
    _exact(second, [0.9337030649185181, 0.7188416719436646, 0.8537777662277222,
                    0.779289960861206, 0.5249730348587036], np.float32)
    with tf.Session() as sess:
        assert sess.run(x).tobytes() == first.tobytes()


def _seeds(t):
    op = t.op if t.op.type.startswith(("Random", "Truncated")) else t.op.inputs[0].op.inputs[0].op
    return op.get_attr("seed"), op.get_attr("seed2")


def test_op_seeds_count_the_graphs_seeded_ops_and_get_tensorflows_numbers():
    tf.set_random_seed(1)
    r0 = tf.random_uniform([2])
    w = tf.get_variable("w", [3, 4])  # glorot_uniform, built later: keeps op seed 1
    r1 = tf.random_normal([2])
    b = tf.get_variable("b", [2], initializer=tf.truncated_normal_initializer(stddev=0.1))
    drop = tf.nn.dropout(tf.ones([8]), rate=0.5, seed=3)
    assert (_seeds(r0), _seeds(r1)) == ((1, 0), (1, 2))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        w_, b_, r1_, drop_ = sess.run([w, b, r1, drop])
    _exact(w_, [[-0.8229723572731018, -0.8911973237991333, -0.7947059869766235,
                 -0.42326247692108154],
                [0.2836289405822754, 0.14920830726623535, 0.801263689994812,
                 -0.1308920979499817],
                [-0.16413837671279907, -0.10510939359664917, -0.40302109718322754,
                 -0.18597501516342163]], np.float32)
    _exact(b_, [-0.0670861229300499, 0.022357145324349403], np.float32)
    _exact(r1_, [-1.0467792749404907, 0.8397045731544495], np.float32)
    _exact(drop_, [2.0, 2.0, 2.0, 0.0, 2.0, 0.0, 2.0, 2.0], np.float32)


def test_seeds_zero_and_large_are_mapped_as_tensorflow_does():
    tf.set_random_seed(0)
    assert _seeds(tf.random_uniform([1], seed=0)) == (0, 2**31 - 1)  # (0, 0) means "no seed"
    assert _seeds(tf.random_uniform([1])) == (0, 2**31 - 1)  # op seed 0 from the count
    assert _seeds(tf.random_uniform([1], seed=2**40)) == (0, 512)  # modulo 2**31 - 1
    tf.set_random_seed(None)
    assert _seeds(tf.random_uniform([1], seed=5)) == (87654321, 5)


def _hex32(text):
    return np.frombuffer(bytes.fromhex(text), np.float32)


def test_eager_streams_are_tensorflows(eager):
    # (TF eager) a seeded op continues its stream per (type, dtype, seeds); set_random_seed
    # deals op seeds from a Python RNG and restarts the streams
    assert tf.random_uniform([3], seed=7).numpy().tobytes() == _hex32(
        "1cc7f73e8696013f34a2823e").tobytes()
    assert tf.random_uniform([3], seed=7).numpy().tobytes() == _hex32(
        "1820613f90d28f3d4406703f").tobytes()
    tf.set_random_seed(3)
    first = _hex32("00df083ed25e113f301ffe3e").tobytes()
    assert tf.random_uniform([3]).numpy().tobytes() == first
    tf.set_random_seed(3)
    assert tf.random_uniform([3]).numpy().tobytes() == first
