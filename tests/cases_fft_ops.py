"""Guard-test cases of the FFT ops (minitf/ops/fft_ops.py, rfft_ops.py): a complex op between
real inputs and a real output, as the Complex/Real/Imag cases."""
from test_gradient_check import r

import minitf as tf
from minitf import signal


def _cpx(transform):
    """(x, y) -> real and imaginary parts of transform(complex(x, y)), weighted apart."""
    def build(x, y):
        z = transform(tf.complex(x, y))
        return tf.real(z) * 2.0 + tf.imag(z)
    return build


def _to_real(transform):
    """(x, y) -> transform(complex(x, y)): a complex input, a real output (the inverse RFFTs)."""
    return lambda x, y: transform(tf.complex(x, y))


def _from_real(transform):
    """x -> the parts of transform(x): a real input, a complex output (the RFFTs)."""
    def build(x):
        z = transform(x)
        return tf.real(z) * 2.0 + tf.imag(z)
    return build


CASES = {
    "FFT": [(_cpx(signal.fft), [r(2, 4), r(2, 4)])],
    "IFFT": [(_cpx(signal.ifft), [r(2, 3), r(2, 3)])],
    "FFT2D": [(_cpx(signal.fft2d), [r(2, 3, 2), r(2, 3, 2)])],
    "IFFT2D": [(_cpx(signal.ifft2d), [r(3, 2), r(3, 2)])],
    "FFT3D": [(_cpx(signal.fft3d), [r(2, 2, 3), r(2, 2, 3)])],
    "IFFT3D": [(_cpx(signal.ifft3d), [r(1, 2, 2, 3), r(1, 2, 2, 3)])],
    "RFFT": [(_from_real(signal.rfft), [r(2, 5)]),
             (_from_real(signal.rfft), [r(2, 4)]),
             (_from_real(lambda x: signal.rfft(x, [6])), [r(2, 4)]),
             (_from_real(lambda x: signal.rfft(x, [3])), [r(5)])],
    "IRFFT": [(_to_real(signal.irfft), [r(2, 4), r(2, 4)]),
              (_to_real(lambda z: signal.irfft(z, [5])), [r(3), r(3)]),
              (_to_real(lambda z: signal.irfft(z, [4])), [r(4), r(4)]),
              (_to_real(lambda z: signal.irfft(z, [9])), [r(2, 3), r(2, 3)])],
    "RFFT2D": [(_from_real(signal.rfft2d), [r(3, 4)]),
               (_from_real(lambda x: signal.rfft2d(x, [2, 5])), [r(2, 3, 3)])],
    "IRFFT2D": [(_to_real(signal.irfft2d), [r(3, 3), r(3, 3)]),
                (_to_real(lambda z: signal.irfft2d(z, [3, 5])), [r(2, 2), r(2, 2)])],
}
# TF registers no gradient for these: tf.gradients raises LookupError (tests/test_fft_ops.py)
GRAD_ELSEWHERE = {"RFFT3D", "IRFFT3D", "FFTND", "IFFTND", "RFFTND", "IRFFTND"}
