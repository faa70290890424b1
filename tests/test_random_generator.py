"""tf.random.Generator, create_rng_state and the global generator: every expected value below
was printed by TensorFlow 2.21 for the same program (tf.compat.v1 graph mode, or TF2 eager
where marked), and is matched exactly."""
import numpy as np
import pytest

import minitf as tf

pytestmark = pytest.mark.global_graph  # (a test may turn eager on)

_NORMAL_1 = [0.4384227395057678, -0.5343984365463257, -0.07710261642932892, 1.5658046007156372,
             -0.10123450309038162]  # from_seed(1).normal([5]), first draw


def _exact(got, expected, dtype):
    expected = np.array(expected, dtype=dtype)
    assert got.dtype == expected.dtype and got.shape == expected.shape
    assert got.tobytes() == expected.tobytes()  # bit for bit


def test_state_from_seed_and_create_rng_state():
    g = tf.random.Generator.from_seed(1)
    assert (g.state.name, g.state.dtype, g.state.shape.as_list()) == (
        "random_generator/StateVar:0", tf.int64, [3])
    assert g.algorithm == 1 == tf.random.Algorithm.PHILOX.value
    assert (tf.random.Algorithm.THREEFRY.value, tf.random.Algorithm.AUTO_SELECT.value) == (2, 3)
    g2 = tf.random.Generator.from_seed([3, 4, 5, 6])
    g3 = tf.random.Generator.from_seed(2**64 + 5)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert sess.run(g.state).tolist() == [1, 0, 0]
        assert sess.run(g2.state).tolist() == [3, 4, 5]
        assert sess.run(g3.state).tolist() == [5, 1, 0]
        assert sess.run(tf.random.create_rng_state(2**70 + 3, "philox")).tolist() == [3, 64, 0]
        assert sess.run(tf.random.create_rng_state([1, 2, 3, 4], 1)).tolist() == [1, 2, 3]
        assert sess.run(tf.random.create_rng_state([9], 1)).tolist() == [0, 0, 9]


def test_draws_move_the_state_and_are_tensorflows():
    g = tf.random.Generator.from_seed(1)
    x = g.normal([5])
    u = g.uniform([3], dtype=tf.float64)
    t = g.truncated_normal([2, 2], mean=1.)
    i = g.uniform([4], minval=-3, maxval=10, dtype=tf.int64)
    f = g.uniform_full_int([2])
    f2 = g.uniform([2], minval=None, maxval=None, dtype=tf.int32)
    ms = g.make_seeds(2)
    got = [(v.name, v.dtype, v.shape.as_list()) for v in (x, u, t, i, f, f2, ms)]
    assert got == [("stateful_normal:0", tf.float32, [5]), ("stateful_uniform:0", tf.float64, [3]),
                   ("truncated_normal:0", tf.float32, [2, 2]),
                   ("stateful_uniform_1:0", tf.int64, [4]),
                   ("stateful_uniform_full_int:0", tf.uint64, [2]),
                   ("stateful_uniform_2:0", tf.int32, [2]), ("stack:0", tf.int64, [2, 2])]
    types = [op.type for op in tf.get_default_graph().get_operations()]
    assert types.count("RngReadAndSkip") == 7 and types.count("StatelessRandomNormalV2") == 1
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        first = [sess.run(v) for v in (x, u, t, i, f, f2, ms)]
        assert sess.run(g.state).tolist() == [5633, 0, 0]  # 256 blocks per output
        second = [sess.run(v) for v in (x, u, t, i, f, f2, ms)]
        assert sess.run(g.state).tolist() == [11265, 0, 0]
    _exact(first[0], _NORMAL_1, np.float32)
    _exact(first[1], [0.9637376763723642, 0.8950107916639292, 0.0842259204162723], np.float64)
    _exact(first[2], [[1.9560716152191162, 1.4301965236663818],
                      [0.6844849586486816, 1.2816720008850098]], np.float32)
    _exact(first[3], [4, 3, 2, 1], np.int64)
    _exact(first[4], [8645169672042352723, 1057656798894713629], np.uint64)
    _exact(first[5], [-854744291, -974772044], np.int32)
    _exact(first[6], [[2270308453109003971, 7020696928615024335], [0, 0]], np.int64)
    _exact(second[0], [-2.0230166912078857, 0.32989463210105896, -1.1873149871826172,
                       1.5706467628479004, -0.2110871523618698], np.float32)
    _exact(second[3], [-3, -3, -1, 6], np.int64)
    _exact(second[6], [[1626928643738082462, 2254873341782732471], [0, 0]], np.int64)


def test_skip_reset_and_other_constructors():
    g = tf.random.Generator.from_seed(2**64 + 5)
    z = g.uniform([2])
    sk = g.skip(10)
    assert (sk.name, sk.op.type) == ("RngReadAndSkip:0", "RngReadAndSkip")
    assert g.reset_from_seed(7) is None  # (TF makes the assign but returns nothing)
    gk = tf.random.Generator.from_key_counter(7, [1, 2], "philox")
    c = gk.uniform([2])
    copy = tf.random.Generator(copy_from=gk)
    assert copy.state.name == "random_generator_2/StateVar:0"
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        _exact(sess.run(z), [0.8619617223739624, 0.7206940650939941], np.float32)
        assert sess.run(sk).tolist() == [517, 1, 0] and sess.run(g.state).tolist() == [3077, 1, 0]
        _exact(sess.run(c), [0.10157978534698486, 0.8636914491653442], np.float32)
        assert sess.run(gk.state).tolist() == [513, 2, 7]


def test_split_is_not_in_graph_mode():
    g = tf.random.Generator.from_seed(5)
    with pytest.raises(NotImplementedError):
        g.split(2)
    assert tf.random.Generator.from_seed(8).state.name == "random_generator_2/StateVar:0"


def test_global_generator():
    g = tf.random.get_global_generator()
    assert g is tf.random.get_global_generator() and g.state.shape.as_list() == [3]
    mine = tf.random.Generator.from_seed(1)
    tf.random.set_global_generator(mine)
    assert tf.random.get_global_generator() is mine
    tf.random.set_global_generator(None)
    assert tf.random.get_global_generator() is not mine


def test_binomial_and_tensorflows_lost_first_update():
    g = tf.random.Generator.from_seed(3)
    b = g.binomial([3, 2], counts=[10., 200.], probs=[0.4, 0.7])
    b2 = g.binomial([2], counts=5., probs=0.5, dtype=tf.int64)
    assert (b.name, b.op.type, b.dtype, b2.dtype) == (
        "binomial:0", "StatefulRandomBinomial", tf.int32, tf.int64)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        runs = [(sess.run(b), sess.run(g.state).tolist()) for _ in range(3)]
        last = sess.run(b2), sess.run(g.state).tolist()
    # TF's kernel drops the first update after the initializer: runs 1 and 2 draw alike
    _exact(runs[0][0], [[4, 144], [5, 139], [4, 144]], np.int32)
    _exact(runs[1][0], [[4, 144], [5, 139], [4, 144]], np.int32)
    _exact(runs[2][0], [[4, 135], [3, 131], [6, 149]], np.int32)
    assert [r[1] for r in runs] == [[3, 0, 0], [153603, 0, 0], [307203, 0, 0]]
    _exact(last[0], [2, 1], np.int64)
    assert last[1] == [371203, 0, 0]


def test_generator_runs_eagerly(eager):
    # TF2 eager's values
    g = tf.random.Generator.from_seed(1)
    _exact(g.normal([5]).numpy(), _NORMAL_1, np.float32)
    assert g.state.numpy().tolist() == [1281, 0, 0]
    gs = g.split(2)
    assert [h.state.numpy().tolist() for h in gs] == [[0, 0, 3647656005865532280],
                                                       [0, 0, -3027483394653138442]]
    _exact(gs[0].normal([2]).numpy(), [1.1736845970153809, 0.010171540081501007], np.float32)
    b = tf.random.Generator.from_seed(3)
    _exact(b.binomial([3, 2], counts=[10., 200.], probs=[0.4, 0.7]).numpy(),
           [[4, 144], [5, 139], [4, 144]], np.int32)
    assert b.state.numpy().tolist() == [153603, 0, 0]  # (eager keeps the first update)
    _exact(b.binomial([3, 2], counts=[10., 200.], probs=[0.4, 0.7]).numpy(),
           [[4, 135], [3, 131], [6, 149]], np.int32)
    assert int(b.key.numpy()) == 0
