"""The FFTs (tf.fft ... tf.irfftnd, tf.signal, tf.spectral): values, static shapes, dtypes, names,
errors and gradients as TF 1 gives them (values checked against TF 2.21 with tfdiff).

TF's CPU build has no kernel for FFTND, IFFTND, RFFTND and IRFFTND; minitf runs them with NumPy's
values and gives them their true static shapes (TF's shape function keeps the input's)."""
import numpy as np
import pytest

import minitf as tf

from _session import run

X = np.array([[1, 2j, 3, 4 - 1j], [0.5, -1, 2, 1j]], np.complex64)
W = np.array([[0.5, 1.0, -2.0, 1.5], [2.0, -1.0, 0.25, 3.0]], np.float32)


def test_complex_transforms_values_names_and_shapes():
    f = tf.fft(X)
    assert (f.name, f.op.type, f.dtype, f.shape.as_list()) == ("FFT:0", "FFT", tf.complex64,
                                                               [2, 4])
    assert f.op.inputs[0].name == "FFT/input:0"
    np.testing.assert_allclose(run(f), [[8 + 1j, 1 + 4j, -1j, -5 - 4j],
                                        [1.5 + 1j, -2.5 + 1j, 3.5 - 1j, -0.5 - 1j]], atol=1e-5)
    np.testing.assert_allclose(run(tf.ifft(X)), [
        [2 + 0.25j, -1.25 - 1j, -0.25j, 0.25 + 1j],
        [0.375 + 0.25j, -0.125 - 0.25j, 0.875 - 0.25j, -0.625 + 0.25j]], atol=1e-6)
    np.testing.assert_allclose(run(tf.fft2d(X)), [[9.5 + 2j, -1.5 + 5j, 3.5 - 2j, -5.5 - 5j],
                                                  [6.5, 3.5 + 3j, -3.5, -4.5 - 3j]], atol=1e-5)
    np.testing.assert_allclose(run(tf.ifft2d(X)), [
        [1.1875 + 0.25j, -0.6875 - 0.625j, 0.4375 - 0.25j, -0.1875 + 0.625j],
        [0.8125, -0.5625 - 0.375j, -0.4375, 0.4375 + 0.375j]], atol=1e-6)
    np.testing.assert_allclose(run(tf.fft3d(X[None])), run(tf.fft2d(X))[None], atol=1e-5)
    np.testing.assert_allclose(run(tf.ifft3d(X.reshape(2, 2, 2))), [
        [[1.1875 + 0.25j, 0.4375 - 0.25j], [-1.0625 + 0.25j, 0.1875 - 0.25j]],
        [[0.8125, -0.4375], [-0.4375 + 0.5j, 0.3125 - 0.5j]]], atol=1e-6)
    assert run(tf.fft(X.astype(np.complex128))).dtype == np.complex128
    assert tf.signal.fft is tf.fft and tf.spectral.ifft3d is tf.ifft3d


def test_complex_transforms_convert_values_and_keep_static_shapes():
    assert tf.fft([1.0, 2.0]).dtype == tf.complex64  # (a value becomes complex64, as in TF)
    np.testing.assert_allclose(run(tf.fft(np.ones(3, np.float32))), [3, 0, 0], atol=1e-6)
    assert tf.fft(tf.placeholder(tf.complex128, [None, 3])).shape.as_list() == [None, 3]
    assert tf.fft(tf.placeholder(tf.complex128)).shape.ndims is None


def test_complex_transforms_errors():
    with pytest.raises(TypeError, match="DataType float64 not in list of allowed values: "
                                        "complex64, complex128"):
        tf.fft(tf.constant([1.0, 2.0], tf.float64))
    with pytest.raises(ValueError, match="Shape must be at least rank 3 but is rank 2 for "
                                         "'FFT3D' with input shapes: \\[2,4\\]"):
        tf.fft3d(X)
    with pytest.raises(ValueError, match="at least rank 1 but is rank 0"):
        tf.fft(tf.constant(1j, tf.complex64))


def test_rfft_and_irfft_values():
    r = tf.signal.rfft(np.arange(5.0, dtype=np.float32))
    assert (r.name, r.op.type, r.dtype, r.shape.as_list()) == ("rfft:0", "RFFT", tf.complex64,
                                                               [3])
    assert [t.name for t in r.op.inputs] == ["rfft/Const:0", "rfft/fft_length:0"]
    np.testing.assert_allclose(run(r), [10, -2.5 + 3.441j, -2.5 + 0.8123j], atol=1e-4)
    np.testing.assert_allclose(run(tf.signal.rfft(np.arange(5.0, dtype=np.float32), [3])),
                               [3, -1.5 + 0.866j], atol=1e-4)
    padded = tf.signal.rfft(np.arange(5.0, dtype=np.float32), [8])
    assert padded.shape.as_list() == [5] and padded.op.inputs[0].op.type == "Pad"
    i = tf.signal.irfft(X)
    assert (i.name, i.dtype, i.shape.as_list()) == ("irfft:0", tf.float32, [2, 6])
    np.testing.assert_allclose(run(i), [
        [1.8333, -1.5774, -0.244, 0.5, 0.9107, -0.4226],
        [0.4167, -0.4167, -0.0833, 1.0833, -0.0833, -0.4167]], atol=1e-4)
    np.testing.assert_allclose(run(tf.signal.irfft(X, [3])), [[0.3333, -0.8214, 1.488],
                                                              [-0.5, 0.5, 0.5]], atol=1e-4)
    np.testing.assert_allclose(run(tf.signal.irfft(X, [7]))[0], [
        2.1429, -1.4003, -0.6973, 0.4536, 0.3924, 0.8636, -0.7548], atol=1e-4)
    assert tf.signal.irfft(X, [0]).shape.as_list() == [2, 0]
    assert run(tf.signal.rfft(tf.constant([1.0, 2.0], tf.float64))).tolist() == [3, -1]
    assert tf.signal.rfft(tf.constant([1.0, 2.0], tf.float64)).dtype == tf.complex128


def test_rfft2d_irfft2d_rfft3d_irfft3d():
    np.testing.assert_allclose(run(tf.signal.rfft2d(np.arange(12.0, dtype=np.float32).reshape(
        3, 4))), [[66, -6 + 6j, -6], [-24 + 13.8564j, 0, 0], [-24 - 13.8564j, 0, 0]], atol=1e-4)
    np.testing.assert_allclose(run(tf.signal.irfft2d(X)), [
        [1.125, -0.997, -0.1637, 0.7917, 0.4137, -0.4197],
        [0.7083, -0.5803, -0.0803, -0.2917, 0.497, -0.003]], atol=1e-4)
    r3 = tf.signal.rfft3d(np.ones((2, 3, 4), np.float32))
    assert (r3.op.type, r3.shape.as_list()) == ("RFFT3D", [2, 3, 3])
    assert run(r3)[0, 0, 0] == 24
    i3 = tf.signal.irfft3d(tf.ones((2, 3, 4), tf.complex128))
    assert (i3.op.type, i3.dtype, i3.shape.as_list()) == ("IRFFT3D", tf.float64, [2, 3, 6])
    assert tf.spectral.rfft2d is tf.signal.rfft2d


def test_real_transform_errors():
    with pytest.raises(ValueError, match="RFFT requires tf.float32 or tf.float64 inputs"):
        tf.signal.rfft(tf.constant([1, 2]))
    with pytest.raises(ValueError, match="IRFFT requires tf.complex64 or tf.complex128 inputs"):
        tf.signal.irfft(tf.constant([1.0, 2.0]))
    with pytest.raises(ValueError, match="Shape \\(3,\\) must have rank at least 2"):
        tf.signal.rfft2d(np.ones(3, np.float32))
    with pytest.raises(ValueError, match="Shape \\(1, 1\\) must have rank 1"):
        tf.signal.irfft(X, [[3]])
    with pytest.raises(ValueError, match="Dimension must be 1 but is 2 for 'IRFFT'"):
        tf.signal.irfft(X, [3, 4])
    with pytest.raises(ValueError, match="Dimension must be 1 but is 2 for 'RFFT'"):
        tf.signal.rfft(np.ones(3, np.float32), [3, 4])
    with pytest.raises(ValueError, match="`fft_length` must be non-negative, got -3"):
        tf.signal.rfft(np.ones(3, np.float32), [-3])


def test_real_transform_gradients():
    # TF's gradients (tfdiff); TF's own fail where fft_length crops or pads, minitf's do not
    def grad(transform, source, complex_out):
        y = transform(source)
        k = np.arange(1, 1 + np.prod(y.shape.as_list())).reshape(y.shape.as_list())
        loss = (tf.reduce_sum(tf.real(y) * k + tf.imag(y) * (k * k - 3.0)) if complex_out
                else tf.reduce_sum(y * k))
        return run(tf.gradients(loss, source)[0])

    w, z = tf.constant(W), tf.constant(X)
    np.testing.assert_allclose(grad(tf.signal.rfft, w, True), [[6, -3, 2, -1], [15, -24, 5, 20]])
    np.testing.assert_allclose(grad(lambda x: tf.signal.rfft(x, [6]), w, True), [
        [10, -9.5622, 6.8301, -2], [26, -71.916, 17.7583, -2]], atol=1e-3)
    np.testing.assert_allclose(grad(tf.signal.rfft2d, w, True), [[21, -27, 7, 19],
                                                                 [-9, 21, -3, -21]])
    np.testing.assert_allclose(grad(tf.signal.irfft, z, False), [
        [3.5, -1 + 1.7321j, -1 + 0.5774j, -0.5], [9.5, -1 + 1.7321j, -1 + 0.5774j, -0.5]],
        atol=1e-4)
    np.testing.assert_allclose(grad(tf.signal.irfft2d, z, False), [
        [6.5, -1 + 1.7321j, -1 + 0.5774j, -0.5], [-3, 0, 0, 0]], atol=1e-4)
    np.testing.assert_allclose(grad(tf.fft, z, True), [
        [10 + 18j, 10 - 10j, -2 - 10j, -14 - 6j], [26 + 162j, 26 - 26j, -2 - 26j, -30 - 22j]])
    np.testing.assert_allclose(grad(lambda t: tf.fft3d(t[None]), z, True), [
        [36 + 180j, 36 - 36j, -4 - 36j, -44 - 28j], [-16 - 144j, -16 + 16j, 16j, 16 + 16j]])
    # cropped (the dropped entries get zeros) and padded
    np.testing.assert_allclose(grad(lambda x: tf.signal.rfft(x, [3]), w, True), [
        [3, -0.866, 0.866, 0], [7, -10.2583, 12.2583, 0]], atol=1e-3)
    np.testing.assert_allclose(grad(lambda t: tf.signal.irfft(t, [5]), z, False)[0], [
        3, -1 + 1.3764j, -1 + 0.3249j, 0], atol=1e-4)


@pytest.mark.parametrize("build", [
    lambda: tf.signal.rfft3d(tf.ones([2, 2, 2])),
    lambda: tf.signal.irfft3d(tf.ones([2, 2, 2], tf.complex64)),
    lambda: tf.fftnd(tf.ones([2], tf.complex64), [2], [0]),
    lambda: tf.ifftnd(tf.ones([2], tf.complex64), [2], [0]),
    lambda: tf.rfftnd(tf.ones([2]), [2], [0]),
    lambda: tf.irfftnd(tf.ones([2], tf.complex64), [2], [0]),
], ids=["RFFT3D", "IRFFT3D", "FFTND", "IFFTND", "RFFTND", "IRFFTND"])
def test_transforms_without_a_gradient_in_tf_raise_lookup_error(build):
    y = build()
    x = y.op.inputs[0]
    with pytest.raises(LookupError, match=f"No gradient defined for operation'{y.op.name}' "
                                          f"\\(op type: {y.op.type}\\)"):
        tf.gradients(tf.reduce_sum(tf.real(y) if y.dtype.is_complex else y), x)


def test_nd_transforms():
    f = tf.fftnd(X, [3, 6], [0, 1])
    assert (f.name, f.shape.as_list()) == ("FFTND:0", [3, 6])
    assert [t.name for t in f.op.inputs] == ["FFTND/input:0", "FFTND/fft_length:0",
                                             "FFTND/axes:0"]
    np.testing.assert_allclose(run(f)[0, :3], [9.5 + 2j, -3.7679 - 2.4641j, 5.2321 + 4.1962j],
                               atol=1e-4)
    np.testing.assert_allclose(run(tf.signal.fftnd(X, axes=[-1])), run(tf.fft(X)), atol=1e-5)
    np.testing.assert_allclose(run(tf.signal.ifftnd(tf.signal.fftnd(X))), X, atol=1e-6)
    np.testing.assert_allclose(run(tf.signal.fftnd(X, fft_length=[2, 4], norm="ortho")),
                               run(tf.fft2d(X)) / np.sqrt(8), atol=1e-5)
    np.testing.assert_allclose(run(tf.signal.ifftnd(X, fft_length=[2, 4], norm="forward")),
                               run(tf.ifft2d(X)) * 8, atol=1e-5)
    r = tf.rfftnd(np.ones((2, 3, 4), np.float32), [3, 4], [1, 2])
    assert (r.dtype, r.shape.as_list()) == (tf.complex64, [2, 3, 3])
    np.testing.assert_allclose(run(tf.signal.irfftnd(X, fft_length=[2, 6])),
                               run(tf.signal.irfft2d(X)), atol=1e-6)
    a = np.arange(12.0, dtype=np.float32).reshape(3, 4)
    np.testing.assert_allclose(run(tf.signal.rfftnd(a, fft_length=[3], axes=[0])),
                               np.fft.rfft(a, axis=0), atol=1e-4)


def test_fftshift_and_ifftshift():
    s = tf.signal.fftshift(np.arange(10.0))
    assert (s.name, s.op.type) == ("fftshift:0", "Roll")
    np.testing.assert_array_equal(run(s), [5, 6, 7, 8, 9, 0, 1, 2, 3, 4])
    np.testing.assert_array_equal(
        run(tf.signal.ifftshift([[0.0, 1.0, 2.0], [3.0, 4.0, -4.0], [-3.0, -2.0, -1.0]])),
        [[4, -4, 3], [-2, -1, -3], [1, 2, 0]])
    np.testing.assert_array_equal(run(tf.signal.ifftshift(np.arange(6.0).reshape(2, 3),
                                                          axes=[-1])), [[1, 2, 0], [4, 5, 3]])
    np.testing.assert_array_equal(run(tf.signal.fftshift(np.arange(6.0).reshape(2, 3), 1)),
                                  [[2, 0, 1], [5, 3, 4]])


@pytest.mark.global_graph
def test_transforms_run_eagerly(eager):
    np.testing.assert_allclose(tf.fft(X).numpy()[0], [8 + 1j, 1 + 4j, -1j, -5 - 4j], atol=1e-5)
    np.testing.assert_allclose(tf.signal.irfft(tf.signal.rfft(W)).numpy(), W, atol=1e-6)
    np.testing.assert_allclose(tf.signal.irfft3d(tf.signal.rfft3d(W[None])).numpy()[0], W,
                               atol=1e-6)
    np.testing.assert_allclose(tf.signal.irfftnd(tf.signal.rfftnd(W)).numpy(), W, atol=1e-6)
    np.testing.assert_allclose(tf.signal.ifftnd(tf.signal.fftnd(X)).numpy(), X, atol=1e-6)
