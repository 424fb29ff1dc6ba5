"""Window functions by name and the HTK mel filterbank (dendrite/audio_windows.py): symmetric windows equal
NumPy's (hanning, hamming, blackman, bartlett, kaiser), periodic ones are one period of the window one sample
longer, and the filterbank's triangles peak at 1 in rising order."""
import numpy as np
import pytest

from dendrite.audio_windows import get_window, hertz_to_mel, mel_weight_matrix


@pytest.mark.parametrize("name, numpy_window", [("hann", np.hanning), ("hamming", np.hamming),
                                                ("blackman", np.blackman), ("bartlett", np.bartlett)])
def test_symmetric_and_periodic(name, numpy_window):
    np.testing.assert_allclose(get_window(name, 9, periodic=False), numpy_window(9), atol=1e-12)
    np.testing.assert_allclose(get_window(name, 8, periodic=True), numpy_window(9)[:8], atol=1e-12)
    np.testing.assert_allclose(get_window(("kaiser", 5.0), 7, periodic=False), np.kaiser(7, 5.0))
    assert get_window("boxcar", 4).tolist() == [1, 1, 1, 1] and get_window("hann", 1).tolist() == [1.0]


def test_values_and_errors():
    np.testing.assert_array_equal(get_window([1, 2, 3], 3), [1, 2, 3])
    with pytest.raises(ValueError, match=r"the shape of `window` must be \[4\]"):
        get_window([1, 2, 3], 4, owner="x")
    with pytest.raises(ValueError, match="unknown window 'tukey'"):
        get_window("tukey", 4)


def test_mel_matrix():
    w = mel_weight_matrix(12, 257, 16000, 50.0, 7600.0)
    assert w.shape == (257, 12) and (w[0] == 0).all() and np.all(w >= 0)
    peaks = w.argmax(axis=0)
    assert (np.diff(peaks) > 0).all() and w.max(axis=0).min() > 0.8
    assert hertz_to_mel(700.0) == pytest.approx(1127.0 * np.log(2.0))
