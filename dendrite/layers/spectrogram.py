"""Keras 3's spectrogram layers, with Keras 3.15's arguments, defaults, output shapes and configs.

- ``STFTSpectrogram``: [batch, samples, channels] (channels_last) -> a spectrogram per channel, computed as
  Keras does by a strided product with trainable kernels that start as the windowed Fourier basis
  (initializers.STFT): modes 'log' (log magnitude, the default), 'magnitude', 'psd', 'real', 'imag',
  'angle' and 'stft' (real and imaginary bins side by side).
- ``MelSpectrogram``: [batch, samples] (or [samples]) -> [batch, num_mel_bins, frames]: a centred STFT
  (Hann), magnitudes to the power ``mag_exp``, the HTK mel filterbank and, with ``power_to_db``, decibels
  clipped ``top_db`` below the maximum. No weights.

Both are differentiable (dendrite.autodiff.ops.spectral), so they can sit inside a trained model.
"""
import math
import warnings

import numpy as np

from .. import backend
from ..audio_windows import get_window, mel_weight_matrix
from ..autodiff import ops
from ..autodiff.ops import spectral
from ..stft_initializer import STFT
from .base import Layer

_MODES = ("log", "magnitude", "psd", "real", "imag", "angle", "stft")


def _frames(n, length, step, padding):
    """(frames, left pad, right pad) of a strided window over n samples, as a convolution pads."""
    if n is None:
        return None, 0, 0
    if padding == "valid":
        return max(0, (n - length) // step + 1), 0, 0
    out = -(-n // step)
    total = max((out - 1) * step + length - n, 0)
    return out, total // 2, total - total // 2


class STFTSpectrogram(Layer):
    """The short-time Fourier transform of each channel of a [batch, samples, channels] signal (see the
    module); the kernels are trainable weights unless ``trainable=False``."""

    def __init__(self, mode="log", frame_length=256, frame_step=None, fft_length=None, window="hann",
                 periodic=False, scaling="density", padding="valid", expand_dims=False, data_format=None,
                 **kwargs):
        who = "STFTSpectrogram"
        if frame_step is not None and (frame_step > frame_length or frame_step < 1):
            raise ValueError(f"{who}: `frame_step` must be a positive integer not greater than `frame_length`; "
                             f"received frame_step={frame_step}, frame_length={frame_length}.")
        if fft_length is not None and fft_length < frame_length:
            raise ValueError(f"{who}: `fft_length` must not be less than `frame_length`; received "
                             f"fft_length={fft_length}, frame_length={frame_length}.")
        if fft_length is not None and (fft_length & -fft_length) != fft_length:
            warnings.warn(f"`fft_length` is recommended to be a power of two. Received fft_length={fft_length}")
        if mode not in _MODES:
            raise ValueError(f"{who}: `mode` must be one of {', '.join(_MODES)}; received mode={mode!r}.")
        if scaling not in (None, "density", "spectrum"):
            raise ValueError(f"{who}: `scaling` must be None, 'density' or 'spectrum'; received scaling={scaling!r}.")
        if padding not in ("valid", "same"):
            raise ValueError(f"{who}: `padding` must be 'valid' or 'same'; received padding={padding!r}.")
        if isinstance(window, (str, tuple)):
            get_window(window, 1, owner=who)
        if data_format not in (None, "channels_last", "channels_first"):
            raise ValueError(f"{who}: `data_format` must be 'channels_last' or 'channels_first'; received "
                             f"data_format={data_format!r}.")
        super().__init__(**kwargs)
        self.mode, self.frame_length, self.frame_step, self.fft_length = mode, frame_length, frame_step, fft_length
        self._frame_step = frame_step or frame_length // 2
        self._fft_length = fft_length or 2 ** int(math.ceil(math.log2(frame_length)))
        self.window, self.periodic, self.scaling, self.padding = window, periodic, scaling, padding
        self.expand_dims = expand_dims
        self.data_format = data_format or backend.image_data_format()

    def build(self, input_shape):
        if len(input_shape) != 3:
            raise ValueError(f"STFTSpectrogram: the input must have 3 dimensions ([batch, samples, channels] or "
                             f"[batch, channels, samples]); received shape {tuple(input_shape)}.")
        shape = (self.frame_length, 1, self._fft_length // 2 + 1)
        if self.mode != "imag":
            self.real_kernel = self.add_weight(name="real_kernel", shape=shape, initializer=STFT(
                "real", self.window, self.scaling, self.periodic))
        if self.mode != "real":
            self.imag_kernel = self.add_weight(name="imag_kernel", shape=shape, initializer=STFT(
                "imag", self.window, self.scaling, self.periodic))

    def _apply(self, framed, kernel):
        """[batch, channels, frames, frame_length] @ kernel -> [batch, channels, frames, bins]."""
        return ops.matmul(framed, ops.reshape(ops.cast(kernel, framed.dtype) if kernel.dtype != framed.dtype
                                              else kernel, (self.frame_length, -1)))

    def call(self, inputs):
        if inputs.dtype.kind != "f":
            raise TypeError(f"STFTSpectrogram: the input must be float16, float32 or float64; received "
                            f"{inputs.dtype.name}.")
        signal = ops.transpose(inputs, (0, 2, 1)) if self.data_format == "channels_last" else inputs
        _, left, right = _frames(signal.shape[-1], self.frame_length, self._frame_step, self.padding)
        if left or right:
            signal = ops.pad(signal, [(0, 0), (0, 0), (left, right)])
        framed = spectral.frame(signal, self.frame_length, self._frame_step)
        real = self._apply(framed, self.real_kernel) if self.mode != "imag" else None
        imag = self._apply(framed, self.imag_kernel) if self.mode != "real" else None
        eps = backend.epsilon()
        if self.mode == "real":
            out = real
        elif self.mode == "imag":
            out = imag
        elif self.mode == "angle":
            out = spectral.angle(spectral.complex(real, imag))
        elif self.mode == "stft":
            out = ops.concatenate([real, imag], axis=-1)
        else:
            power = ops.add(ops.square(real), ops.square(imag))
            if self.mode == "psd":  # the bins between zero and Nyquist count twice (their mirror images)
                bins = power.shape[-1]
                doubled = np.ones(bins, dtype=power.dtype)
                doubled[1:bins - 1] = 2.0
                out = ops.multiply(power, doubled)
            else:
                out = ops.sqrt(ops.maximum(power, eps))
                if self.mode == "log":
                    out = ops.log(ops.maximum(out, eps))
        return self._arrange(out)

    def _arrange(self, out):
        """[batch, channels, frames, bins] into Keras's layout."""
        batch, channels, frames, bins = out.shape
        if self.data_format == "channels_last":
            if self.expand_dims:
                return ops.transpose(out, (0, 2, 3, 1))
            return ops.reshape(ops.transpose(out, (0, 2, 1, 3)), (-1, frames, channels * bins))
        if self.expand_dims:
            return out
        return ops.reshape(ops.transpose(out, (0, 1, 3, 2)), (-1, channels * bins, frames))

    def compute_output_shape(self, input_shape):
        batch = input_shape[0]
        channels, n = (input_shape[2], input_shape[1]) if self.data_format == "channels_last" else input_shape[1:]
        bins = (self._fft_length // 2 + 1) * (2 if self.mode == "stft" else 1)
        frames = _frames(n, self.frame_length, self._frame_step, self.padding)[0]
        if self.expand_dims:
            return (batch, frames, bins, channels) if self.data_format == "channels_last" else (
                batch, channels, frames, bins)
        features = None if channels is None else bins * channels
        return (batch, frames, features) if self.data_format == "channels_last" else (batch, features, frames)

    def get_config(self):
        window = self.window.tolist() if isinstance(self.window, np.ndarray) else self.window
        return {**super().get_config(), "mode": self.mode, "frame_length": self.frame_length,
                "frame_step": self.frame_step, "fft_length": self.fft_length, "window": window,
                "periodic": self.periodic, "scaling": self.scaling, "padding": self.padding,
                "data_format": self.data_format, "expand_dims": self.expand_dims}


class MelSpectrogram(Layer):
    """[batch, samples] -> [batch, num_mel_bins, frames] mel spectrogram, in decibels by default (see the
    module). ``max_freq`` defaults to half the sampling rate; ``sequence_length`` (the window) to
    ``fft_length``."""

    def __init__(self, fft_length=2048, sequence_stride=512, sequence_length=None, window="hann",
                 sampling_rate=16000, num_mel_bins=128, min_freq=20.0, max_freq=None, power_to_db=True,
                 top_db=80.0, mag_exp=2.0, min_power=1e-10, ref_power=1.0, **kwargs):
        self.fft_length, self.sequence_stride = fft_length, sequence_stride
        self.sequence_length = sequence_length or fft_length
        if self.fft_length < self.sequence_length:
            raise ValueError(f"MelSpectrogram: `fft_length` must be at least `sequence_length`; received "
                             f"sequence_length={self.sequence_length}, fft_length={self.fft_length}.")
        if window is not None and window not in ("hann", "hamming"):
            raise ValueError(f"MelSpectrogram: `window` must be 'hann', 'hamming' or None; received {window!r}.")
        self.window, self.sampling_rate, self.num_mel_bins = window, sampling_rate, num_mel_bins
        self.min_freq = min_freq
        self.max_freq = max_freq or int(sampling_rate / 2)
        self.power_to_db, self.top_db, self.mag_exp = power_to_db, top_db, mag_exp
        self.min_power, self.ref_power = min_power, ref_power
        super().__init__(**kwargs)

    def _window(self, dtype):
        """The window (TensorFlow's periodic Hann or Hamming, as Keras's stft takes it) centred in the frame."""
        if self.window is None:
            return None
        n = self.sequence_length
        a = 0.5 if self.window == "hann" else 0.54
        values = np.ones(1) if n == 1 else a - (1 - a) * np.cos(2 * np.pi * np.arange(n) / (n if n % 2 == 0
                                                                                           else n - 1))
        left = (self.fft_length - n) // 2
        return np.pad(values, (left, self.fft_length - n - left)).astype(dtype)

    def call(self, inputs):
        x = inputs if inputs.dtype in (np.float32, np.float64) else ops.cast(inputs, np.float32)
        pad = self.fft_length // 2
        n = x.shape[-1]
        if pad >= n:
            raise ValueError(f"MelSpectrogram: the signal ({n} samples) must be longer than fft_length // 2 = "
                             f"{pad} (the centring pads it by reflection).")
        index = np.concatenate([np.arange(pad, 0, -1), np.arange(n), np.arange(n - 2, n - 2 - pad, -1)])
        framed = spectral.frame(ops.take(x, index, axis=x.ndim - 1), self.fft_length, self.sequence_stride)
        window = self._window(x.dtype)
        if window is not None:
            framed = ops.multiply(framed, window)
        spec = ops.abs(spectral.rfft(framed, (self.fft_length,)))
        if self.mag_exp != 1:
            spec = ops.power(spec, np.asarray(self.mag_exp, dtype=spec.dtype))
        matrix = mel_weight_matrix(self.num_mel_bins, spec.shape[-1], float(self.sampling_rate),
                                   float(self.min_freq), float(self.max_freq)).astype(spec.dtype)
        out = ops.matmul(spec, matrix)
        if self.power_to_db:
            ten_over_ln10 = np.asarray(10.0 / np.log(10.0), dtype=out.dtype)
            out = ops.multiply(ops.log(ops.maximum(out, np.asarray(self.min_power, out.dtype))), ten_over_ln10)
            ref = 10.0 * np.log10(max(abs(float(self.ref_power)), self.min_power))
            out = ops.subtract(out, np.asarray(ref, out.dtype))
            floor = np.asarray(float(np.max(out.value)) - self.top_db, dtype=out.dtype)  # over the whole batch
            out = ops.maximum(out, floor)
        perm = tuple(range(out.ndim - 2)) + (out.ndim - 1, out.ndim - 2)
        out = ops.transpose(out, perm)
        dtype = np.dtype(self.compute_dtype) if getattr(self, "compute_dtype", None) else out.dtype
        return out if out.dtype == dtype else ops.cast(out, dtype)

    def compute_output_shape(self, input_shape):
        n = input_shape[-1]
        frames = None if n is None else (n + 2 * (self.fft_length // 2) - self.fft_length) // self.sequence_stride + 1
        return ((self.num_mel_bins, frames) if len(input_shape) == 1
                else (input_shape[0], self.num_mel_bins, frames))

    def get_config(self):
        return {**super().get_config(), "fft_length": self.fft_length, "sequence_stride": self.sequence_stride,
                "sequence_length": self.sequence_length, "window": self.window,
                "sampling_rate": self.sampling_rate, "num_mel_bins": self.num_mel_bins,
                "min_freq": self.min_freq, "max_freq": self.max_freq, "power_to_db": self.power_to_db,
                "top_db": self.top_db, "mag_exp": self.mag_exp, "min_power": self.min_power,
                "ref_power": self.ref_power}


__all__ = ["STFTSpectrogram", "MelSpectrogram"]
