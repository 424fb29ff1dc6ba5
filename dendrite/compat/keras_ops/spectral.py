"""Keras 3's spectral ``keras.ops``: ``fft``, ``fft2``, ``ifft2``, ``rfft``, ``irfft``, ``stft`` and ``istft``
on Keras's (real, imag) pairs of float tensors, and ``view_as_complex``, ``view_as_real`` and ``polar`` on
complex tensors, as Keras 3.15's TensorFlow backend computes them (through tf.signal, dendrite/compat/
tf_signal.py). Differentiable where the inputs are real."""
import numpy as np

from ...autodiff import Tensor, ops
from ...autodiff.ops import spectral
from .. import tf_signal
from .convert import t


def _pair(x, api):
    """Keras's (real, imag) pair as one complex tensor."""
    if not isinstance(x, (tuple, list)) or len(x) != 2:
        raise ValueError(f"keras.ops.{api}: `x` must be a tuple of two tensors (real, imag), received "
                         f"{type(x).__name__}{'' if not isinstance(x, (tuple, list)) else f' of {len(x)}'}.")
    real, imag = t(x[0]), t(x[1])
    if real.shape != imag.shape:
        raise ValueError(f"keras.ops.{api}: the real and imaginary parts must have the same shape, received "
                         f"{real.shape} and {imag.shape}.")
    if real.dtype.kind != "f" or imag.dtype.kind != "f":
        raise ValueError(f"keras.ops.{api}: the real and imaginary parts must be float tensors, received "
                         f"{real.dtype.name} and {imag.dtype.name}.")
    if real.dtype != imag.dtype:
        imag = ops.cast(imag, real.dtype)
    return spectral.complex(real, imag)


def _split(z):
    return spectral.real(z), spectral.imag(z)


def _float(x, api):
    x = t(x)
    if x.dtype not in (np.float32, np.float64):
        raise TypeError(f"keras.ops.{api}: `x` must be float32 or float64, received {x.dtype.name}.")
    return x


def fft(x):
    """The FFT along the last axis of (real, imag); returns (real, imag)."""
    return _split(spectral.fft(_pair(x, "fft"), 1))


def fft2(x):
    """The 2-D FFT over the last two axes of (real, imag); returns (real, imag)."""
    return _split(spectral.fft(_pair(x, "fft2"), 2))


def ifft2(x):
    """The inverse 2-D FFT over the last two axes of (real, imag); returns (real, imag)."""
    return _split(spectral.fft(_pair(x, "ifft2"), 2, inverse=True))


def rfft(x, fft_length=None):
    """The FFT of a real signal along its last axis (fft_length // 2 + 1 bins); returns (real, imag)."""
    x = t(x)
    return _split(tf_signal.rfft(x, None if fft_length is None else [fft_length]))


def irfft(x, fft_length=None):
    """The real signal of the (real, imag) bins along the last axis."""
    return tf_signal.irfft(_pair(x, "irfft"), None if fft_length is None else [fft_length])


def _window(window, sequence_length, fft_length, dtype, api):
    """The window padded (centred) to fft_length; None for no window."""
    if window is None:
        return None
    if isinstance(window, str):
        if window not in ("hann", "hamming"):
            raise ValueError(f"keras.ops.{api}: a string `window` must be 'hann' or 'hamming', received "
                             f"{window!r}; or pass the window's values (shape [sequence_length]).")
        maker = tf_signal.hann_window if window == "hann" else tf_signal.hamming_window
        values = maker(sequence_length, periodic=True, dtype=dtype).value
    else:
        values = np.asarray(window.value if isinstance(window, Tensor) else window, dtype=dtype)
        if values.shape != (sequence_length,):
            raise ValueError(f"keras.ops.{api}: the shape of `window` must be [sequence_length] = "
                             f"[{sequence_length}], received {list(values.shape)}.")
    left = (fft_length - sequence_length) // 2
    return np.pad(values, (left, fft_length - sequence_length - left))


def _reflect_pad(x, pad):
    """``x`` padded by ``pad`` samples at both ends of its last axis, mirrored without the edge sample
    (NumPy's 'reflect'), differentiably."""
    n = x.shape[-1]
    if pad >= n:
        raise ValueError(f"keras.ops.stft: with center=True the signal (length {n}) must be longer than "
                         f"fft_length // 2 = {pad}; pass center=False or a longer signal.")
    index = np.concatenate([np.arange(pad, 0, -1), np.arange(n), np.arange(n - 2, n - 2 - pad, -1)])
    return ops.take(x, index, axis=x.ndim - 1)


def stft(x, sequence_length, sequence_stride, fft_length, window="hann", center=True):
    """The short-time Fourier transform: frames of fft_length samples every sequence_stride (the signal
    reflect-padded by fft_length // 2 at both ends with ``center``), windowed by ``window`` of
    sequence_length samples centred in the frame; returns (real, imag) of shape [..., frames, bins]."""
    x = _float(x, "stft")
    if fft_length < sequence_length:
        raise ValueError(f"keras.ops.stft: `fft_length` must be at least `sequence_length`, received "
                         f"sequence_length={sequence_length}, fft_length={fft_length}.")
    win = _window(window, sequence_length, fft_length, x.dtype, "stft")
    if center:
        x = _reflect_pad(x, fft_length // 2)
    window_fn = None if win is None else (lambda length, dtype=None: Tensor(win))
    return _split(tf_signal.stft(x, fft_length, sequence_stride, fft_length, window_fn=window_fn))


def istft(x, sequence_length, sequence_stride, fft_length, length=None, window="hann", center=True):
    """The inverse of stft from (real, imag) frames: the signal, cut to ``length`` where given (and the
    centring padding removed with ``center``)."""
    z = _pair(x, "istft")
    dtype = np.float64 if z.dtype == np.complex128 else np.float32
    if window is not None:
        win = _window(window, sequence_length, fft_length, dtype, "istft")
        window_fn = tf_signal.inverse_stft_window_fn(sequence_stride, lambda n, dtype=None: Tensor(win))
    else:
        window_fn = None
    out = tf_signal.inverse_stft(z, fft_length, sequence_stride, fft_length, window_fn=window_fn)
    expected = fft_length + sequence_stride * (z.shape[-2] - 1)
    start = fft_length // 2 if center else 0
    if length is not None:
        end = start + int(length)
    elif center:
        end = expected - fft_length // 2
    else:
        end = expected
    return ops.getitem(out, (Ellipsis, slice(start, end)))


def view_as_complex(x):
    """A real tensor [..., 2] as complex64 [...] (the last axis holds real and imaginary parts)."""
    x = t(x)
    if x.ndim < 1 or x.shape[-1] != 2:
        raise ValueError(f"keras.ops.view_as_complex: the last dimension of `x` must be 2 (real and imaginary), "
                         f"received shape {x.shape}.")
    parts = [ops.cast(ops.getitem(x, (Ellipsis, i)), np.float32) if x.dtype != np.float32
             else ops.getitem(x, (Ellipsis, i)) for i in (0, 1)]
    return spectral.complex(*parts)


def view_as_real(x):
    """A complex tensor [...] as real [..., 2] (real and imaginary parts)."""
    x = t(x)
    if x.dtype.kind != "c":
        return ops.stack([x, Tensor(np.zeros_like(x.value))], axis=-1)
    return ops.stack(list(_split(x)), axis=-1)


def polar(abs_, angle):
    """The complex numbers abs_ * (cos(angle) + i sin(angle))."""
    magnitude, angle = t(abs_), t(angle)
    dtype = np.float64 if np.float64 in (magnitude.dtype, angle.dtype) else np.float32
    magnitude, angle = (v if v.dtype == dtype else ops.cast(v, dtype) for v in (magnitude, angle))
    from .numpy_math import cos, sin
    return spectral.complex(ops.multiply(magnitude, cos(angle)), ops.multiply(magnitude, sin(angle)))


NAMES = "fft fft2 ifft2 rfft irfft stft istft view_as_complex view_as_real polar"
MATH_NAMES = "fft fft2 ifft2 rfft irfft stft istft view_as_complex view_as_real"
