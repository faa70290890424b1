"""`tf.spectral` (TF1): the FFTs of tf.signal under their older namespace."""
from minitf.ops.fft_ops import fft, fft2d, fft3d, ifft, ifft2d, ifft3d  # noqa: F401
from minitf.ops.spectral_ops import irfft, irfft2d, irfft3d, rfft, rfft2d, rfft3d  # noqa: F401
