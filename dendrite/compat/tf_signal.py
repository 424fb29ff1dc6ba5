"""``tf.signal``: Fourier transforms (complex64/complex128 tensors), framing, the short-time Fourier transform
and its inverse, window functions, the mel filterbank, MFCCs and the discrete cosine transform, as TensorFlow
2 defines them. Where the inputs are real the results are differentiable (dendrite.autodiff.ops.spectral), so
``tf.abs(tf.signal.stft(x, ...))`` can feed a trainable model. Also ``tf.complex`` and the complex parts
(``tf.math.real / imag / conj / angle``)."""
import math

import numpy as np

from ..autodiff import Tensor, ops
from ..autodiff.ops import spectral
from ..audio_windows import mel_weight_matrix
from . import dtypes
from .tensor_api import _t


def _float_dtype(dtype, default=np.float32):
    return np.dtype(default) if dtype is None else np.dtype(dtypes.as_dtype(dtype))


def _int(value, api, argument):
    value = np.asarray(value.value if isinstance(value, Tensor) else value)
    if value.ndim != 0 or value.dtype.kind not in "iu":
        raise TypeError(f"{api}: `{argument}` must be an integer, received {value!r}.")
    return int(value)


def _need_complex(x, api):
    x = _t(x)
    if x.dtype.kind != "c":
        raise TypeError(f"{api}: `input` must be a complex64 or complex128 tensor, received {x.dtype.name}. "
                        f"Convert it first: tf.cast(x, tf.complex64) or tf.complex(real, imag).")
    return x


def _need_real(x, api):
    x = _t(x)
    if x.dtype.kind != "f":
        raise TypeError(f"{api}: `input_tensor` must be a float32 or float64 tensor, received {x.dtype.name}"
                        f"{'; take tf.math.real(x) or tf.abs(x) first' if x.dtype.kind == 'c' else ''}.")
    return x


# --- complex numbers ---------------------------------------------------------------------------------------

def complex(real, imag, name=None):  # noqa: A001 - TensorFlow's name
    real, imag = _t(real), _t(imag)
    if real.dtype != imag.dtype or real.dtype.kind != "f" or real.dtype == np.float16:
        raise TypeError(f"tf.complex: `real` and `imag` must both be float32 or both float64, received "
                        f"{real.dtype.name} and {imag.dtype.name}.")
    return spectral.complex(real, imag)


def real(input, name=None):  # noqa: A002 - TensorFlow's argument name
    x = _t(input)
    return spectral.real(x) if x.dtype.kind == "c" else x


def imag(input, name=None):  # noqa: A002
    x = _t(input)
    return spectral.imag(x) if x.dtype.kind == "c" else Tensor(np.zeros_like(x.value))


def conj(x, name=None):
    x = _t(x)
    return spectral.conj(x) if x.dtype.kind == "c" else x


def angle(input, name=None):  # noqa: A002
    x = _t(input)
    if x.dtype.kind == "c":
        return spectral.angle(x)
    return Tensor(np.where(x.value < 0, np.pi, 0.0).astype(x.dtype))


# --- Fourier transforms ------------------------------------------------------------------------------------

def _complex_fft(rank, inverse):
    api = f"tf.signal.{'i' if inverse else ''}fft{'' if rank == 1 else f'{rank}d'}"

    def f(input, name=None):  # noqa: A002
        x = _need_complex(input, api)
        if x.ndim < rank:
            raise ValueError(f"{api}: `input` must have at least {rank} dimensions, received shape {x.shape}.")
        return spectral.fft(x, rank, inverse)
    f.__name__ = api.rsplit(".", 1)[1]
    return f


fft, ifft = _complex_fft(1, False), _complex_fft(1, True)
fft2d, ifft2d = _complex_fft(2, False), _complex_fft(2, True)
fft3d, ifft3d = _complex_fft(3, False), _complex_fft(3, True)


def _lengths(fft_length, rank, default, api):
    if fft_length is None:
        return tuple(default)
    lengths = np.asarray(fft_length.value if isinstance(fft_length, Tensor) else fft_length).reshape(-1)
    if lengths.size != rank:
        raise ValueError(f"{api}: `fft_length` must hold {rank} length(s), received {fft_length!r}.")
    return tuple(int(n) for n in lengths)


def _real_fft(rank):
    api = f"tf.signal.rfft{'' if rank == 1 else f'{rank}d'}"

    def f(input_tensor, fft_length=None, name=None):
        x = _need_real(input_tensor, api)
        if x.ndim < rank:
            raise ValueError(f"{api}: `input_tensor` must have at least {rank} dimensions, received {x.shape}.")
        return spectral.rfft(x, _lengths(fft_length, rank, x.shape[-rank:], api))
    f.__name__ = api.rsplit(".", 1)[1]
    return f


def _inverse_real_fft(rank):
    api = f"tf.signal.irfft{'' if rank == 1 else f'{rank}d'}"

    def f(input_tensor, fft_length=None, name=None):
        x = _need_complex(input_tensor, api)
        if x.ndim < rank:
            raise ValueError(f"{api}: `input_tensor` must have at least {rank} dimensions, received {x.shape}.")
        default = x.shape[-rank:-1] + (2 * (x.shape[-1] - 1),)
        return spectral.irfft(x, _lengths(fft_length, rank, default, api))
    f.__name__ = api.rsplit(".", 1)[1]
    return f


rfft, rfft2d, rfft3d = _real_fft(1), _real_fft(2), _real_fft(3)
irfft, irfft2d, irfft3d = _inverse_real_fft(1), _inverse_real_fft(2), _inverse_real_fft(3)


def fftshift(x, axes=None, name=None):
    """The zero frequency moved to the centre (numpy.fft.fftshift)."""
    x = _t(x)
    axes = range(x.ndim) if axes is None else ([axes] if np.ndim(axes) == 0 else axes)
    for axis in axes:
        n = x.shape[int(axis)]
        x = ops.take(x, (np.arange(n) - n // 2) % n, axis=int(axis) % x.ndim)
    return x


def ifftshift(x, axes=None, name=None):
    """The inverse of fftshift (numpy.fft.ifftshift)."""
    x = _t(x)
    axes = range(x.ndim) if axes is None else ([axes] if np.ndim(axes) == 0 else axes)
    for axis in axes:
        n = x.shape[int(axis)]
        x = ops.take(x, (np.arange(n) + n // 2) % n, axis=int(axis) % x.ndim)
    return x


# --- framing and the short-time Fourier transform ---------------------------------------------------------

def frame(signal, frame_length, frame_step, pad_end=False, pad_value=0, axis=-1, name=None):
    """Frames of ``frame_length`` samples every ``frame_step`` along ``axis``: that axis becomes two, the
    frames and the samples in each."""
    x = _t(signal)
    length = _int(frame_length, "tf.signal.frame", "frame_length")
    step = _int(frame_step, "tf.signal.frame", "frame_step")
    if length < 1 or step < 1:
        raise ValueError(f"tf.signal.frame: `frame_length` and `frame_step` must be positive, received "
                         f"{length} and {step}.")
    if x.ndim == 0:
        raise ValueError("tf.signal.frame: `signal` must have at least one dimension, received a scalar.")
    axis = int(axis) % x.ndim
    last = x.ndim - 1
    if axis != last:
        x = ops.transpose(x, [d for d in range(x.ndim) if d != axis] + [axis])
    out = spectral.frame(x, length, step, pad_end, pad_value)
    if axis != last:  # the frame and sample axes back where the signal's axis was
        rest = list(range(out.ndim - 2))
        out = ops.transpose(out, rest[:axis] + [out.ndim - 2, out.ndim - 1] + rest[axis:])
    return out


def overlap_and_add(signal, frame_step, name=None):
    """The signal whose frames ([..., frames, frame_length]) overlap every ``frame_step`` samples, summed."""
    x = _t(signal)
    if x.ndim < 2:
        raise ValueError(f"tf.signal.overlap_and_add: `signal` must have at least 2 dimensions ([..., frames, "
                         f"frame_length]), received shape {x.shape}.")
    return spectral.overlap_and_add(x, _int(frame_step, "tf.signal.overlap_and_add", "frame_step"))


def _enclosing_power_of_two(n):
    return int(2 ** math.ceil(math.log2(n))) if n > 1 else 1


def _window(window_fn, frame_length, dtype):
    """The window ``window_fn`` makes (Hann by default), or None where ``window_fn`` is None (no window)."""
    if window_fn is None:
        return None
    return _t((hann_window if window_fn is _HANN else window_fn)(frame_length, dtype=dtype))


_HANN = object()  # the default window function (hann_window, defined below)


def stft(signals, frame_length, frame_step, fft_length=None, window_fn=_HANN, pad_end=False, name=None):
    """[..., samples] -> [..., frames, fft_length // 2 + 1] complex: framed, windowed (Hann by default; None
    for none) and Fourier-transformed. ``fft_length`` defaults to the smallest power of two holding a frame."""
    x = _need_real(signals, "tf.signal.stft")
    frame_length = _int(frame_length, "tf.signal.stft", "frame_length")
    fft_length = _enclosing_power_of_two(frame_length) if fft_length is None else _int(
        fft_length, "tf.signal.stft", "fft_length")
    framed = frame(x, frame_length, frame_step, pad_end=pad_end)
    window = _window(window_fn, frame_length, x.dtype)
    if window is not None:
        framed = ops.multiply(framed, window)
    return spectral.rfft(framed, (fft_length,))


def inverse_stft(stfts, frame_length, frame_step, fft_length=None, window_fn=_HANN, name=None):
    """The signal of STFT frames [..., frames, bins]: inverse-transformed, cut to ``frame_length``, windowed
    and overlap-added. Pass ``window_fn=tf.signal.inverse_stft_window_fn(frame_step)`` to undo a Hann STFT."""
    x = _need_complex(stfts, "tf.signal.inverse_stft")
    frame_length = _int(frame_length, "tf.signal.inverse_stft", "frame_length")
    fft_length = _enclosing_power_of_two(frame_length) if fft_length is None else _int(
        fft_length, "tf.signal.inverse_stft", "fft_length")
    frames = spectral.irfft(x, (fft_length,))
    if fft_length > frame_length:
        frames = ops.getitem(frames, (Ellipsis, slice(0, frame_length)))
    elif fft_length < frame_length:
        frames = ops.pad(frames, [(0, 0)] * (frames.ndim - 1) + [(0, frame_length - fft_length)])
    window = _window(window_fn, frame_length, frames.dtype)
    if window is not None:
        frames = ops.multiply(frames, window)
    return overlap_and_add(frames, frame_step)


def inverse_stft_window_fn(frame_step, forward_window_fn=None, name=None):
    """The window function that makes inverse_stft undo stft made with ``forward_window_fn`` (Hann): the
    forward window divided by the sum of its squares overlapping every ``frame_step`` samples."""
    frame_step = _int(frame_step, "tf.signal.inverse_stft_window_fn", "frame_step")
    forward = hann_window if forward_window_fn is None else forward_window_fn

    def inverse_window(frame_length, dtype=np.float32):
        window = np.asarray(_t(forward(frame_length, dtype=dtype)).value, dtype=np.float64)
        overlaps = -(-frame_length // frame_step)
        squares = np.zeros(overlaps * frame_step)
        squares[:frame_length] = window ** 2
        denominator = np.tile(squares.reshape(overlaps, frame_step).sum(axis=0), overlaps)[:frame_length]
        return Tensor((window / denominator).astype(_float_dtype(dtype)))
    return inverse_window


# --- windows -----------------------------------------------------------------------------------------------

def _raised_cosine(window_length, periodic, dtype, a, b, api):
    n = _int(window_length, api, "window_length")
    dtype = _float_dtype(dtype)
    if n == 1:
        return Tensor(np.ones(1, dtype=dtype))
    # TensorFlow's rule: periodic windows of even length divide by n, all others by n - 1
    denominator = n if bool(np.asarray(_t(periodic).value)) and n % 2 == 0 else n - 1
    return Tensor((a - b * np.cos(2 * np.pi * np.arange(n) / denominator)).astype(dtype))


def hann_window(window_length, periodic=True, dtype=np.float32, name=None):
    return _raised_cosine(window_length, periodic, dtype, 0.5, 0.5, "tf.signal.hann_window")


def hamming_window(window_length, periodic=True, dtype=np.float32, name=None):
    return _raised_cosine(window_length, periodic, dtype, 0.54, 0.46, "tf.signal.hamming_window")


def kaiser_window(window_length, beta=12.0, dtype=np.float32, name=None):
    n = _int(window_length, "tf.signal.kaiser_window", "window_length")
    return Tensor(np.kaiser(n, float(beta)).astype(_float_dtype(dtype)))


def vorbis_window(window_length, dtype=np.float32, name=None):
    n = _int(window_length, "tf.signal.vorbis_window", "window_length")
    return Tensor(np.sin(np.pi / 2 * np.sin(np.pi * (np.arange(n) + 0.5) / n) ** 2).astype(_float_dtype(dtype)))


def kaiser_bessel_derived_window(window_length, beta=12.0, dtype=np.float32, name=None):
    n = _int(window_length, "tf.signal.kaiser_bessel_derived_window", "window_length")
    half = n // 2
    cumulative = np.cumsum(np.kaiser(half + 1, float(beta)))
    left = np.sqrt(cumulative[:-1] / cumulative[-1])
    return Tensor(np.concatenate([left, left[::-1]]).astype(_float_dtype(dtype)))


# --- mel filterbank, MFCCs and the DCT ---------------------------------------------------------------------

def linear_to_mel_weight_matrix(num_mel_bins=20, num_spectrogram_bins=129, sample_rate=8000,
                                lower_edge_hertz=125.0, upper_edge_hertz=3800.0, dtype=np.float32, name=None):
    """The [num_spectrogram_bins, num_mel_bins] matrix that maps a linear spectrogram's bins (0 to the
    Nyquist frequency) onto triangular filters evenly spaced on the HTK mel scale."""
    api = "tf.signal.linear_to_mel_weight_matrix"
    num_mel_bins = _int(num_mel_bins, api, "num_mel_bins")
    num_spectrogram_bins = _int(num_spectrogram_bins, api, "num_spectrogram_bins")
    sample_rate = float(np.asarray(_t(sample_rate).value))
    lower, upper = float(lower_edge_hertz), float(upper_edge_hertz)
    if num_mel_bins <= 0 or num_spectrogram_bins <= 0:
        raise ValueError(f"{api}: `num_mel_bins` and `num_spectrogram_bins` must be positive, received "
                         f"{num_mel_bins} and {num_spectrogram_bins}.")
    if sample_rate <= 0 or lower < 0 or lower >= upper or upper > sample_rate / 2:
        raise ValueError(f"{api}: need 0 <= lower_edge_hertz < upper_edge_hertz <= sample_rate / 2, received "
                         f"lower_edge_hertz={lower}, upper_edge_hertz={upper}, sample_rate={sample_rate}.")
    weights = mel_weight_matrix(num_mel_bins, num_spectrogram_bins, sample_rate, lower, upper)
    return Tensor(weights.astype(_float_dtype(dtype)))


def _dct_matrix(n, kind, norm):
    """M with dct(x) = x @ M for signals of length n (scipy's DCT types 1-4)."""
    k = np.arange(n)[None, :]  # output index
    i = np.arange(n)[:, None]  # input index
    if kind == 1:
        m = 2 * np.cos(np.pi * k * i / (n - 1))
        m[0, :], m[-1, :] = 1.0, (-1.0) ** np.arange(n)
    elif kind == 2:
        m = 2 * np.cos(np.pi * k * (2 * i + 1) / (2 * n))
        if norm == "ortho":
            m = m * np.where(k == 0, np.sqrt(1 / (4 * n)), np.sqrt(1 / (2 * n)))
    elif kind == 3:
        m = 2 * np.cos(np.pi * i * (2 * k + 1) / (2 * n))
        m[0, :] = 1.0
        if norm == "ortho":
            m[0, :] = 1 / np.sqrt(n)
            m[1:, :] = m[1:, :] / np.sqrt(2 * n)
    else:
        m = 2 * np.cos(np.pi * (2 * i + 1) * (2 * k + 1) / (4 * n))
        if norm == "ortho":
            m = m * np.sqrt(1 / (2 * n))
    return m


def dct(input, type=2, n=None, axis=-1, norm=None, name=None):  # noqa: A002 - TensorFlow's argument names
    """The discrete cosine transform (types 1-4, scipy's definitions) along the last axis; ``n`` crops or
    zero-pads the signal first; ``norm='ortho'`` makes types 2-4 orthonormal."""
    api = "tf.signal.dct"
    x = _need_real(input, api)
    if type not in (1, 2, 3, 4):
        raise ValueError(f"{api}: `type` must be 1, 2, 3 or 4, received {type!r}.")
    if norm not in (None, "ortho"):
        raise ValueError(f"{api}: `norm` must be None or 'ortho', received {norm!r}.")
    if type == 1 and norm == "ortho":
        raise ValueError(f"{api}: the orthonormal type-1 DCT is not implemented (nor in TensorFlow); use norm=None.")
    if axis not in (-1, x.ndim - 1):
        raise NotImplementedError(f"{api}: `axis` must be -1 (as in TensorFlow), received {axis!r}.")
    if n is not None:
        n = _int(n, api, "n")
        if n < 1:
            raise ValueError(f"{api}: `n` must be positive, received {n}.")
        have = x.shape[-1]
        if n < have:
            x = ops.getitem(x, (Ellipsis, slice(0, n)))
        elif n > have:
            x = ops.pad(x, [(0, 0)] * (x.ndim - 1) + [(0, n - have)])
    length = x.shape[-1]
    if type == 1 and length < 2:
        raise ValueError(f"{api}: the type-1 DCT needs at least 2 samples, received {length}.")
    return ops.matmul(x, Tensor(_dct_matrix(length, type, norm).astype(x.dtype)))


def idct(input, type=2, n=None, axis=-1, norm=None, name=None):  # noqa: A002
    """The inverse DCT: the DCT of the inverse type (2 <-> 3), unscaled as in TensorFlow (idct(dct(x)) is
    2 N x for types 2 and 3 unless ``norm='ortho'``)."""
    return dct(input, type={1: 1, 2: 3, 3: 2, 4: 4}.get(type, type), n=n, axis=axis, norm=norm)


def mfccs_from_log_mel_spectrograms(log_mel_spectrograms, name=None):
    """Mel-frequency cepstral coefficients: the type-2 DCT of log-mel spectrograms over
    their last axis, scaled by 1 / sqrt(2 num_mel_bins) (TensorFlow's convention)."""
    x = _need_real(log_mel_spectrograms, "tf.signal.mfccs_from_log_mel_spectrograms")
    bins = x.shape[-1]
    if bins < 1:
        raise ValueError("tf.signal.mfccs_from_log_mel_spectrograms: the last axis (mel bins) is empty.")
    return ops.multiply(dct(x, type=2), Tensor(np.asarray(1 / np.sqrt(2.0 * bins), dtype=x.dtype)))


NAMES = ("fft ifft fft2d ifft2d fft3d ifft3d rfft irfft rfft2d irfft2d rfft3d irfft3d fftshift ifftshift frame "
         "overlap_and_add stft inverse_stft inverse_stft_window_fn hann_window hamming_window kaiser_window "
         "vorbis_window kaiser_bessel_derived_window linear_to_mel_weight_matrix mfccs_from_log_mel_spectrograms "
         "dct idct")
MATH_NAMES = "real imag conj angle"
