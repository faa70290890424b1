"""`tf.signal`: the FFTs of real and complex signals and fftshift."""
from minitf.ops.fft_ops import fft, fft2d, fft3d, ifft, ifft2d, ifft3d  # noqa: F401
from minitf.ops.spectral_ops import *  # noqa: F403
