"""Keras 3's ``STFT`` initializer (also ``STFTInitializer``): the kernel [frame_length, 1, bins] of a
convolution that computes a short-time Fourier transform: cos (side 'real') or sin (side 'imag') of
-2 pi t k / (2 (bins - 1)), times the window and divided by the window's scaling ('density': the root of its
summed squares; 'spectrum': its sum; None: 1). keras.layers.STFTSpectrogram starts from it."""
import numpy as np

from . import backend
from .audio_windows import get_window
from .initializers import Initializer


class STFT(Initializer):
    def __init__(self, side="real", window="hann", scaling="density", periodic=False):
        if side not in ("real", "imag"):
            raise ValueError(f"STFT initializer: `side` must be 'real' or 'imag', received side={side!r}.")
        if isinstance(window, (str, tuple)):
            get_window(window, 1, owner="STFT initializer")  # an unknown name fails now, as in Keras
        if scaling not in (None, "density", "spectrum"):
            raise ValueError(f"STFT initializer: `scaling` must be None, 'density' or 'spectrum', received "
                             f"scaling={scaling!r}.")
        self.side, self.window, self.scaling, self.periodic = side, window, scaling, periodic

    def __call__(self, shape, dtype=None):
        if len(shape) != 3:
            raise ValueError(f"STFT initializer: the shape must be (frame_length, 1, fft_length // 2 + 1), "
                             f"received {tuple(shape)}.")
        frame_length, _, bins = (int(s) for s in shape)
        time = np.arange(frame_length, dtype=np.float64).reshape(frame_length, 1, 1)
        freq = np.arange(bins, dtype=np.float64).reshape(1, 1, bins) / ((bins - 1) * 2)
        angle = -2 * time * freq * np.pi
        kernel = np.cos(angle) if self.side == "real" else np.sin(angle)
        if self.window is not None:
            win = get_window(self.window, frame_length, self.periodic, owner="STFT initializer")
            win = win.reshape(frame_length, 1, 1)
            scale = {"density": np.sqrt(np.sum(win ** 2)), "spectrum": np.sum(np.abs(win))}.get(self.scaling, 1.0)
            kernel = kernel * win / scale
        return kernel.astype(dtype or backend.floatx())

    def get_config(self):
        window = self.window.tolist() if isinstance(self.window, np.ndarray) else self.window
        return {"side": self.side, "window": window, "periodic": self.periodic, "scaling": self.scaling}


STFTInitializer = STFT
