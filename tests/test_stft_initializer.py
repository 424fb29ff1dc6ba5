"""The STFT initializer (dendrite/stft_initializer.py): its kernels are the windowed Fourier basis, so a
product with a frame gives that frame's DFT bins (scaled by the window's 'density' or 'spectrum' scaling);
config round trip and lookup by Keras's names."""
import numpy as np
import pytest

from dendrite import initializers
from dendrite.stft_initializer import STFT


def test_kernels_compute_the_dft():
    frame = np.random.default_rng(0).standard_normal(16)
    real = STFT("real", None)((16, 1, 9), dtype="float64")[:, 0, :]
    imag = STFT("imag", None)((16, 1, 9), dtype="float64")[:, 0, :]
    np.testing.assert_allclose(frame @ real + 1j * (frame @ imag), np.fft.rfft(frame), atol=1e-10)
    win = np.hanning(16)
    dens = STFT("real", win, "density")((16, 1, 9), dtype="float64")[:, 0, :]
    np.testing.assert_allclose(frame @ dens, np.fft.rfft(frame * win).real / np.sqrt((win ** 2).sum()),
                               atol=1e-10)
    spec = STFT("imag", "hann", "spectrum", periodic=True)((16, 1, 9))
    assert spec.dtype == np.float32 and spec.shape == (16, 1, 9)


def test_config_and_lookup():
    init = STFT("imag", "hamming", None, True)
    assert init.get_config() == {"side": "imag", "window": "hamming", "periodic": True, "scaling": None}
    assert isinstance(initializers.get("STFTInitializer"), STFT) and initializers.STFTInitializer is STFT
    again = initializers.deserialize(initializers.serialize(init))
    np.testing.assert_array_equal(again((8, 1, 5)), init((8, 1, 5)))
    with pytest.raises(ValueError, match="`side` must be 'real' or 'imag'"):
        STFT("both")
