"""GuaranteeConst, Timestamp, Fingerprint (minitf/ops/compat_ops.py, _farmhash.py) and the
session handle ops (minitf/ops/session_ops.py): values, names and errors as TF 1 (tfdiff)."""
import time

import numpy as np
import pytest

import minitf as tf

from _session import run

DEVICE = "/job:localhost/replica:0/task:0/device:CPU:0"

# TF's Fingerprint64 of two rows of n bytes (i * 37 % 251 for i = 0 .. 2n-1), for lengths that
# reach every branch of FarmHash (0-16, 17-32, 33-64 bytes, 64-byte blocks)
FARMHASH = {
    1: [13718060045003475796, 1968751127412322402],
    2: [18436696536971957159, 6455706438237893550],
    3: [2979360857936615334, 5580164772090735169],
    4: [1006653786236843310, 4629989509094355395],
    5: [8759901116987727871, 11230232174131801842],
    7: [10039977955476996073, 13762449280743685275],
    8: [14326429148654631941, 13307975671078771293],
    9: [1600219525972214015, 2057605745640642256],
    15: [5211614614266441505, 17617789936651771031],
    16: [6381013723946269070, 5575214144506580048],
    17: [13732783197341590461, 7411706163175595216],
    24: [6524164523559976636, 12546565277654484012],
    31: [8385880711615290332, 11382922174133548943],
    32: [16569786341219825559, 11546785433648755722],
    33: [228472168399132107, 12400257242926125370],
    40: [2553607363859027988, 15229078561383018966],
    63: [14918556985636998009, 2876462416219199165],
    64: [16573058644957627154, 6205917053907046903],
    65: [12813776207867304499, 11121257406871472059],
    100: [6781714794875021979, 10332350662498561910],
    127: [640800887684324906, 14339848111278605735],
    128: [14560247716237206933, 14918781680096955481],
    129: [8100572306654113001, 13704539948412844428],
    200: [17565039753643440829, 6592537268801565206],
    257: [10529379839713172165, 8743254731701047087],
}


def test_guarantee_const_is_an_identity_without_gradient():
    x = tf.constant([1.0, 2.0])
    g = tf.guarantee_const(x)
    assert (g.op.type, g.name, g.shape.as_list(), [i.name for i in g.op.inputs]) == (
        "GuaranteeConst", "GuaranteeConst:0", [2], ["Const:0"])
    np.testing.assert_array_equal(run(g), [1.0, 2.0])
    with pytest.raises(LookupError, match=r"No gradient defined for operation 'GuaranteeConst' "
                                          r"\(op type: GuaranteeConst\)"):
        tf.gradients(g * 3.0, x)


def test_timestamp_reads_the_clock_at_each_run():
    t = tf.timestamp()
    assert (t.op.type, t.name, t.dtype, t.shape.as_list()) == ("Timestamp", "Timestamp:0",
                                                               tf.float64, [])
    with tf.Session() as sess:
        before = time.time()
        a, b = sess.run([t, t])
        c = sess.run(t)
    assert a == b and before <= a <= c <= time.time()
    assert isinstance(a, np.float64)


@pytest.mark.global_graph
def test_timestamp_runs_eagerly(eager):
    assert abs(tf.timestamp().numpy() - time.time()) < 60


@pytest.mark.global_graph
def test_session_handles_need_a_session(eager):
    with pytest.raises(tf.errors.FailedPreconditionError,
                       match="GetSessionHandle called on null session state"):
        tf.get_session_handle(tf.constant(1.0))
    with pytest.raises(RuntimeError, match="tf.placeholder.. is not compatible with eager"):
        tf.get_session_tensor(f"x;0;{DEVICE}", tf.float32)


@pytest.mark.parametrize("n", sorted(FARMHASH))
def test_fingerprint_is_farmhash64_of_each_row(n):
    data = (np.arange(n * 2, dtype=np.int64) * 37 % 251).astype(np.uint8).reshape(2, n)
    got = run(tf.fingerprint(data))
    assert got.dtype == np.uint8 and got.shape == (2, 8)
    assert got.view("<u8").ravel().tolist() == FARMHASH[n]


def test_fingerprint_of_numbers_and_strings():
    f = tf.fingerprint(tf.constant([[1, 2], [3, 4]], dtype=tf.int32))
    assert (f.op.type, f.name, f.dtype, f.shape.as_list()) == ("Fingerprint", "Fingerprint:0",
                                                               tf.uint8, [2, 8])
    assert [i.op.name for i in f.op.inputs] == ["Const", "Fingerprint/method"]
    got = run([f, tf.fingerprint(tf.constant(["a", "hello world", ""])),
               tf.fingerprint(tf.constant([["ab", "xyz"], ["", "hello world, this is long "
                                                              "enough!"]])),
               tf.fingerprint(tf.constant([["a" * 70], ["b" * 20]])),
               tf.fingerprint(tf.constant([[True, False]])), tf.fingerprint(tf.zeros([0, 3]))])
    assert got[0].tolist() == [[76, 18, 253, 133, 168, 204, 240, 10],
                               [254, 162, 60, 240, 103, 244, 53, 255]]
    assert got[1].tolist() == [[227, 117, 223, 182, 101, 66, 69, 179],
                               [27, 176, 214, 139, 71, 183, 143, 88],
                               [79, 64, 144, 47, 59, 106, 225, 154]]
    assert got[2].tolist() == [[95, 55, 192, 184, 10, 217, 233, 186],
                               [26, 27, 219, 60, 218, 78, 149, 191]]
    assert got[3].tolist() == [[24, 130, 137, 168, 1, 209, 129, 235],
                               [14, 148, 253, 191, 116, 76, 249, 248]]
    assert got[4].tolist() == [[236, 208, 118, 51, 144, 142, 61, 0]]
    assert got[5].shape == (0, 8)


def test_fingerprint_errors():
    with pytest.raises(ValueError, match="Shape must be at least rank 1 but is rank 0 for "
                                         "'Fingerprint'"):
        tf.fingerprint(tf.constant(1))
    with pytest.raises(ValueError, match="Unsupported method: md5 for 'Fingerprint'"):
        tf.fingerprint(tf.constant([1.0]), method="md5")


# -- session handles -------------------------------------------------------------------------------

def test_session_handle_keeps_a_value_between_runs():
    c = tf.multiply(tf.constant(10.0), tf.constant(5.0))
    h = tf.get_session_handle(c)
    assert (h.name, h.dtype, h.shape.as_list(), h.op.type, h.op.colocation_groups()) == (
        "GetSessionHandle:0", tf.string, [], "GetSessionHandle", [b"loc:@Mul"])
    with tf.Session() as sess:
        handle = sess.run(h)
        assert type(handle).__name__ == "TensorHandle"
        assert handle.handle == str(handle) == f"GetSessionHandle;0;{DEVICE}"
        assert handle.eval() == 50.0
        p, t = tf.get_session_tensor(handle.handle, tf.float32)
        assert (p.name, p.dtype, t.name, t.op.type, t.dtype) == (
            "Placeholder_1:0", tf.string, "GetSessionTensor_1:0", "GetSessionTensor",
            tf.float32)  # (eval() made Placeholder and GetSessionTensor, as in TF)
        r = t * 10.0
        assert sess.run(r, {p: handle.handle}) == 500.0
        assert sess.run(r, {p: handle}) == 500.0  # (a TensorHandle is fed as its string)
        assert sess.run(h).handle == f"GetSessionHandle;1;{DEVICE}"
        second = sess.run(tf.get_session_handle(r), {p: handle.handle})
        assert (second.handle, second.eval()) == (f"GetSessionHandle_1;2;{DEVICE}", 500.0)


def test_deleted_handles_cannot_be_read():
    h = tf.get_session_handle(tf.constant(1.0) * 2.0)
    with tf.Session() as sess:
        handle, other = sess.run(h), sess.run(h)
        dp, dd = tf.delete_session_tensor(handle.handle)
        assert (dp.name, dd.name, dd.type) == ("Placeholder:0", "DeleteSessionTensor",
                                               "DeleteSessionTensor")
        p, t = tf.get_session_tensor(handle.handle, tf.float32)
        raw = handle.get_raw_handle()
        sess.run(dd, {dp: raw})
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match=f"The tensor with handle 'GetSessionHandle;0;{DEVICE}' is not "
                                 "in the session store."):
            sess.run(t, {p: raw})
        other.delete()
        for method in (other.delete, other.eval):
            with pytest.raises(TypeError, match=f"Persistent tensor GetSessionHandle;1;{DEVICE} "
                                                "may have already been deleted."):
                method()


def test_session_handles_are_per_session_and_checked():
    v = tf.placeholder(tf.int32, [2])
    h = tf.get_session_handle(v)
    with pytest.raises(TypeError, match="`data` must be of type Tensor."):
        tf.get_session_handle(3.0)
    with tf.Session() as sess, tf.Session() as other:
        handle = sess.run(h, {v: [1, 2]})
        p, t = tf.get_session_tensor(handle.handle, tf.int32)
        assert t.shape.ndims is None
        np.testing.assert_array_equal(sess.run(t, {p: handle.handle}), [1, 2])
        with pytest.raises(tf.errors.InvalidArgumentError, match="not in the session store"):
            other.run(t, {p: handle.handle})
        p3, t3 = tf.get_session_tensor(handle.handle, tf.float32)
        with pytest.raises(tf.errors.InternalError, match="Output 0 of type int32 does not match "
                                                          "declared output type float for node "
                                                          "{{node GetSessionTensor_1}}"):
            sess.run(t3, {p3: handle.handle})


def test_dropped_handles_are_deleted_ten_at_a_time():
    h = tf.get_session_handle(tf.constant([1.0, 2.0]))
    with tf.Session() as sess:
        name = sess.run(h).handle  # the TensorHandle itself is dropped at once
        p, t = tf.get_session_tensor(name, tf.float32)
        np.testing.assert_array_equal(sess.run(t, {p: name}), [1.0, 2.0])
        names = [sess.run(h).handle for _ in range(9)]  # the tenth dropped: all deleted
        for dropped in (name, names[-1]):
            with pytest.raises(tf.errors.InvalidArgumentError, match="not in the session store"):
                sess.run(t, {p: dropped})
        kept = sess.run(h)
        np.testing.assert_array_equal(sess.run(t, {p: kept.handle}), [1.0, 2.0])
