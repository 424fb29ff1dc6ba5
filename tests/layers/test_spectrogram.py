"""STFTSpectrogram and MelSpectrogram (dendrite/layers/spectrogram.py): configs and symbolic output shapes as
Keras 3.15 gives them (tests/fixtures/tf_signal/layers.json; their values are checked in
tests/compat/test_tf_signal.py), serialization round trips, gradients through both layers (and the trainable
STFT kernels), and a model that learns to tell two tones apart from their spectrograms."""
import json
import os

import numpy as np
import pytest

import dendrite
import dendrite.compat
from dendrite.layers import Dense, GlobalAveragePooling1D, Input, MelSpectrogram, STFTSpectrogram
from dendrite.testing import check_grads

HERE = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "fixtures", "tf_signal")
with open(os.path.join(HERE, "layers.json")) as f:
    KERAS = json.load(f)


@pytest.fixture
def keras():
    dendrite.compat.install()
    import keras as k
    yield k
    dendrite.compat.uninstall()


@pytest.mark.parametrize("expr", list(KERAS["configs"]))
def test_configs_match_keras(expr, keras):
    config = eval(expr, dict(keras=keras)).get_config()  # noqa: S307 - the fixture script's expressions
    got = {k: v for k, v in config.items() if k not in ("name", "dtype", "trainable")}
    assert got == KERAS["configs"][expr]


@pytest.mark.parametrize("expr", list(KERAS["shapes"]))
def test_symbolic_shapes_match_keras(expr, keras):
    assert list(eval(expr, dict(keras=keras))) == KERAS["shapes"][expr]  # noqa: S307


def test_from_config_round_trip():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((2, 200, 1)).astype(np.float32)
    layer = STFTSpectrogram("magnitude", 64, 16, window="hamming", periodic=True)
    again = STFTSpectrogram.from_config(layer.get_config())
    np.testing.assert_allclose(again(x).numpy(), layer(x).numpy())
    mel = MelSpectrogram(fft_length=128, sequence_stride=32, num_mel_bins=16, sampling_rate=8000)
    np.testing.assert_allclose(MelSpectrogram.from_config(mel.get_config())(x[..., 0]).numpy(),
                               mel(x[..., 0]).numpy())


def test_magnitude_peaks_at_tone_bin():
    rate, freq = 8000, 1000.0
    tone = np.sin(2 * np.pi * freq * np.arange(2000) / rate).astype(np.float32)[None, :, None]
    out = STFTSpectrogram("magnitude", 256, 128, window="hann")(tone).numpy()
    assert out.shape == (1, 14, 129)
    assert int(np.argmax(out[0].mean(axis=0))) == int(freq * 256 / rate)
    mel = MelSpectrogram(fft_length=256, sequence_stride=128, num_mel_bins=20, sampling_rate=rate)(tone[..., 0])
    assert mel.shape == (1, 20, 16)
    assert mel.numpy().max() == pytest.approx(mel.numpy().max()) and mel.numpy().min() >= mel.numpy().max() - 80.0


@pytest.mark.parametrize("mode", ["log", "psd", "angle", "stft"])
def test_stft_spectrogram_gradients(mode):
    layer = STFTSpectrogram(mode, 8, 4, window="hann", padding="same")
    x = np.random.default_rng(1).standard_normal((2, 20, 2)) + 0.5
    layer(x.astype(np.float32))
    # (the angle of the zero bin, whose imaginary part is exactly 0, jumps at +-pi when its kernel moves)
    check_grads(layer, [x], params=layer.trainable_weights if mode != "angle" else (), rtol=1e-4)


def test_mel_spectrogram_gradients():
    layer = MelSpectrogram(fft_length=16, sequence_stride=8, num_mel_bins=4, sampling_rate=800, power_to_db=False)
    check_grads(layer, [np.random.default_rng(2).standard_normal((2, 48))], rtol=1e-4)


def test_model_learns_two_tones():
    rng = np.random.default_rng(3)
    rate, n = 4000, 512
    t = np.arange(n) / rate
    labels = rng.integers(0, 2, 64)
    freqs = np.where(labels == 0, 300.0, 900.0) * rng.uniform(0.9, 1.1, 64)
    x = (np.sin(2 * np.pi * freqs[:, None] * t + rng.uniform(0, 6, (64, 1)))
         + 0.3 * rng.standard_normal((64, n))).astype(np.float32)[..., None]
    inputs = Input((n, 1))
    features = STFTSpectrogram("log", 64, 32, trainable=False)(inputs)
    outputs = Dense(2, activation="softmax")(GlobalAveragePooling1D()(features))
    model = dendrite.Model(inputs, outputs)
    model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(x, labels, epochs=15, batch_size=16, verbose=0)
    assert model.evaluate(x, labels, verbose=0)[1] >= 0.95


def test_errors_name_the_argument():
    with pytest.raises(ValueError, match="STFTSpectrogram: `mode` must be one of"):
        STFTSpectrogram("power")
    with pytest.raises(ValueError, match="`frame_step` must be a positive integer not greater than `frame_length`"):
        STFTSpectrogram(frame_length=16, frame_step=32)
    with pytest.raises(ValueError, match="unknown window 'gauss'"):
        STFTSpectrogram(window="gauss")
    with pytest.raises(ValueError, match="MelSpectrogram: `fft_length` must be at least `sequence_length`"):
        MelSpectrogram(fft_length=256, sequence_length=512)
