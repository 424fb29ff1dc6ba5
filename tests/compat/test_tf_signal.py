"""tf.signal and the complex-number functions through dendrite's compatibility `tensorflow`, against what
TensorFlow 2.21 / Keras 3.15 give for the same expressions on the same inputs (tests/fixtures/tf_signal,
written by tools/make_tf_signal_fixtures.py): values, dtypes and shapes; then the gradients of the
differentiable ones (check_grads), the signal-processing identities, and the errors."""
import json
import os

import numpy as np
import pytest

from dendrite.testing import check_grads

HERE = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "fixtures", "tf_signal")
with open(os.path.join(HERE, "cases.json")) as f:
    CASES = json.load(f)
DATA = dict(np.load(os.path.join(HERE, "signal.npz"), allow_pickle=False))
INPUTS = {k[3:]: v for k, v in DATA.items() if k.startswith("in:")}


def expected(i):
    if f"case:{i}" in DATA:
        return DATA[f"case:{i}"]
    parts, j = [], 0
    while f"case:{i}:{j}" in DATA:
        parts.append(DATA[f"case:{i}:{j}"])
        j += 1
    return parts


def assert_same(got, want, case):
    got = np.asarray(got.numpy() if hasattr(got, "numpy") else got)
    assert got.shape == want.shape, f"{case}: shape {got.shape}, TensorFlow's {want.shape}"
    assert got.dtype == want.dtype, f"{case}: dtype {got.dtype}, TensorFlow's {want.dtype}"
    tol = 1e-9 if want.dtype in (np.float64, np.complex128) else 2e-4
    scale = max(1.0, float(np.abs(want).max()) if want.size else 1.0)
    if "'angle'" in case:  # phases of bins whose imaginary part is rounding noise sit at +-pi either way
        got = want + np.angle(np.exp(1j * (got.astype(np.float64) - want))).astype(want.dtype)
    np.testing.assert_allclose(got, want, rtol=tol * 10, atol=tol * scale, err_msg=case)


@pytest.mark.parametrize("i", range(len(CASES)), ids=[c[:60] for c in CASES])
def test_matches_tensorflow(i, tf, keras):
    env = dict(tf=tf, keras=keras, np=np, **{k: tf.constant(v) for k, v in INPUTS.items()})
    got = eval(CASES[i], env)  # noqa: S307 - the fixed expressions of the fixture script
    want = expected(i)
    if isinstance(want, list):
        assert isinstance(got, (tuple, list)) and len(got) == len(want), CASES[i]
        for g, w in zip(got, want):
            assert_same(g, w, CASES[i])
    else:
        assert_same(got, want, CASES[i])


def test_complex_tensors_and_arithmetic(tf):
    z = tf.complex(tf.constant([3.0, 0.0]), tf.constant([4.0, -2.0]))
    assert z.dtype == tf.complex64
    np.testing.assert_allclose(tf.abs(z).numpy(), [5.0, 2.0])
    assert tf.abs(z).dtype == tf.float32
    np.testing.assert_allclose((z * tf.math.conj(z)).numpy(), [25.0, 4.0])
    assert tf.complex(tf.constant([1.0], tf.float64), tf.constant([2.0], tf.float64)).dtype == tf.complex128
    with pytest.raises(TypeError, match="tf.complex: `real` and `imag`"):
        tf.complex(tf.constant([1.0]), tf.constant([1.0], tf.float64))


def test_stft_recovers_tone_frequency(tf):
    rate, tone = 8000, 1000.0
    t = np.arange(rate // 4) / rate
    spectrum = tf.abs(tf.signal.stft(tf.constant(np.sin(2 * np.pi * tone * t), tf.float32), 256, 128))
    peak_bin = int(np.argmax(spectrum.numpy().mean(axis=0)))
    assert peak_bin == int(tone * 256 / rate)  # bin k holds k * rate / fft_length Hz


def test_inverse_stft_reconstructs_signal(tf):
    rng = np.random.default_rng(1)
    x = tf.constant(rng.standard_normal(1024).astype(np.float32))
    spec = tf.signal.stft(x, 256, 64)
    back = tf.signal.inverse_stft(spec, 256, 64, window_fn=tf.signal.inverse_stft_window_fn(64))
    # away from the edges (where fewer frames overlap) the signal comes back
    np.testing.assert_allclose(back.numpy()[256:768], x.numpy()[256:768], atol=1e-4)


def test_round_trips(tf):
    rng = np.random.default_rng(2)
    z = tf.complex(*(tf.constant(rng.standard_normal((4, 8)).astype(np.float32)) for _ in range(2)))
    np.testing.assert_allclose(tf.signal.ifft2d(tf.signal.fft2d(z)).numpy(), z.numpy(), atol=1e-5)
    x = tf.constant(rng.standard_normal((3, 16)).astype(np.float32))
    np.testing.assert_allclose(tf.signal.irfft(tf.signal.rfft(x)).numpy(), x.numpy(), atol=1e-5)
    np.testing.assert_allclose(tf.signal.idct(tf.signal.dct(x, norm="ortho"), norm="ortho").numpy(), x.numpy(),
                               atol=1e-5)
    np.testing.assert_allclose(tf.signal.idct(tf.signal.dct(x)).numpy(), 32 * x.numpy(), rtol=1e-4, atol=1e-4)
    np.testing.assert_allclose(tf.signal.ifftshift(tf.signal.fftshift(x)).numpy(), x.numpy())
    frames = tf.signal.frame(x, 4, 4)
    np.testing.assert_allclose(tf.signal.overlap_and_add(frames, 4).numpy(), x.numpy())


def test_mel_filterbank_rows_sum_to_triangles(tf):
    weights = tf.signal.linear_to_mel_weight_matrix(10, 129, 16000, 100.0, 7000.0).numpy()
    assert weights.shape == (129, 10)
    assert (weights >= 0).all() and weights.max() <= 1.0 + 1e-6
    assert (weights[0] == 0).all()
    assert (weights.argmax(axis=0) == np.sort(weights.argmax(axis=0))).all()  # centres rise with frequency


def test_spectrogram_gradient_trains(tf):
    """stft magnitude -> Dense: the tape reaches the signal through the spectrogram."""
    x = tf.Variable(np.sin(np.linspace(0, 40, 512)).astype(np.float32)[None])
    with tf.GradientTape() as tape:
        spectrogram = tf.abs(tf.signal.stft(x, 64, 32))
        loss = tf.reduce_sum(tf.square(spectrogram))
    grad = tape.gradient(loss, x)
    assert grad is not None and grad.shape == (1, 512) and np.abs(grad.numpy()).sum() > 0


RNG = np.random.default_rng(3)


@pytest.mark.parametrize("expr", [
    "tf.abs(tf.signal.stft(v, 8, 4))", "tf.signal.mfccs_from_log_mel_spectrograms(v)", "tf.signal.dct(v, type=4)",
    "tf.signal.frame(v, 3, 2, axis=0)", "tf.signal.fftshift(v)",
    "tf.signal.inverse_stft(tf.signal.stft(v, 8, 4), 8, 4)",
    "tf.math.real(tf.signal.ifft(tf.cast(v, tf.complex128)))",
])
def test_tf_signal_gradients(expr, tf):
    check_grads(lambda v: eval(expr, dict(tf=tf, v=v)), [RNG.standard_normal((3, 16))])  # noqa: S307


def test_errors_name_the_api(tf):
    with pytest.raises(TypeError, match=r"tf.signal.fft: `input` must be a complex64.*tf.cast"):
        tf.signal.fft(tf.constant([1.0, 2.0]))
    with pytest.raises(TypeError, match="tf.signal.rfft: `input_tensor` must be a float32"):
        tf.signal.rfft(tf.complex(tf.constant([1.0]), tf.constant([1.0])))
    with pytest.raises(ValueError, match="tf.signal.dct: `type` must be 1, 2, 3 or 4"):
        tf.signal.dct(tf.constant([1.0, 2.0]), type=5)
    with pytest.raises(ValueError, match="upper_edge_hertz <= sample_rate / 2"):
        tf.signal.linear_to_mel_weight_matrix(sample_rate=4000, upper_edge_hertz=3000.0)
    with pytest.raises(ValueError, match="tf.signal.frame: `frame_length` and `frame_step` must be positive"):
        tf.signal.frame(tf.constant([1.0, 2.0]), 0, 1)
