"""Keras 3's spectral keras.ops (dendrite/compat/keras_ops/spectral.py) on generated tones: the (real, imag)
convention, the STFT's peak bin and its inverse, complex views, gradients and the errors. Their values
against Keras 3.15 are in tests/compat/test_tf_signal.py (fixtures from tools/make_tf_signal_fixtures.py)."""
import numpy as np
import pytest

from dendrite.testing import check_grads


def tone(freq, rate=8000, seconds=0.25):
    return np.sin(2 * np.pi * freq * np.arange(int(rate * seconds)) / rate).astype(np.float32)


def test_stft_peak_and_istft_round_trip(keras):
    x = tone(500.0)[None]
    real, imag = keras.ops.stft(x, 256, 64, 256)
    assert real.shape == (1, 1 + len(x[0]) // 64, 129)
    magnitude = np.sqrt(real.numpy() ** 2 + imag.numpy() ** 2)
    assert int(np.argmax(magnitude.mean(axis=1)[0])) == 16  # 500 Hz * 256 / 8000
    back = keras.ops.istft((real, imag), 256, 64, 256, length=x.shape[-1])
    assert back.shape == x.shape
    # away from the ends (where the frames overlap fully; Keras 3 gives the same edges) the tone comes back
    np.testing.assert_allclose(back.numpy()[:, 300:1700], x[:, 300:1700], atol=1e-4)


def test_fft_pairs_and_views(keras):
    rng = np.random.default_rng(0)
    x, y = rng.standard_normal((2, 3, 8)).astype(np.float32)
    real, imag = keras.ops.fft((x, y))
    np.testing.assert_allclose(real.numpy() + 1j * imag.numpy(), np.fft.fft(x + 1j * y), rtol=1e-4, atol=1e-4)
    z = keras.ops.view_as_complex(np.stack([x, y], -1))
    assert z.dtype == np.complex64
    np.testing.assert_allclose(keras.ops.view_as_real(z).numpy(), np.stack([x, y], -1))
    p = keras.ops.polar(np.float32(2.0) * np.ones(3, np.float32), np.array([0, np.pi / 2, np.pi], np.float32))
    np.testing.assert_allclose(p.numpy(), [2, 2j, -2], atol=1e-6)
    assert keras.ops.nn.polar is keras.ops.polar and keras.ops.math.stft is keras.ops.stft


def test_stft_magnitude_is_differentiable(keras):
    def magnitude(v):
        real, imag = keras.ops.stft(v, 8, 4, 16, window="hamming")
        return keras.ops.sqrt(real * real + imag * imag + 1e-3)
    check_grads(magnitude, [np.random.default_rng(1).standard_normal((2, 40))])


def test_errors_name_the_op(keras):
    with pytest.raises(ValueError, match=r"keras.ops.fft: `x` must be a tuple of two tensors"):
        keras.ops.fft(np.ones(4, np.float32))
    with pytest.raises(ValueError, match="keras.ops.stft: a string `window` must be 'hann' or 'hamming'"):
        keras.ops.stft(np.ones((1, 64), np.float32), 16, 8, 16, window="blackman")
    with pytest.raises(ValueError, match="`fft_length` must be at least `sequence_length`"):
        keras.ops.stft(np.ones((1, 64), np.float32), 16, 8, 8)
