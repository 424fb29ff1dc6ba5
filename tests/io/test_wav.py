"""16-bit PCM WAV (dendrite/io/wav.py): the bytes tf.audio.encode_wav writes (checked against TensorFlow 2.21's
own output for the same samples), decoding with desired_channels / desired_samples, and the errors."""
import io
import wave

import numpy as np
import pytest

from dendrite.io import wav

SAMPLES = np.array([[0.0, 0.5], [1.0, -1.0], [0.25, 2.0], [-0.3, 0.00002]], np.float32)
# tf.audio.encode_wav(SAMPLES, 16000).numpy() under TensorFlow 2.21
TF_BYTES = (b"RIFF4\x00\x00\x00WAVEfmt \x10\x00\x00\x00\x01\x00\x02\x00\x80>\x00\x00\x00\xfa\x00\x00\x04\x00\x10"
            b"\x00data\x10\x00\x00\x00" + np.array([0, 16384, 32767, -32768, 8192, 32767, -9830, 1], "<i2").tobytes())


def mono(values, rate=8000):
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(np.array(values, "<i2").tobytes())
    return buffer.getvalue()


def test_encode_matches_tensorflow_bytes():
    assert wav.encode_wav(SAMPLES, 16000) == TF_BYTES


def test_decode_round_trip_and_rate():
    audio, rate = wav.decode_wav(TF_BYTES)
    assert rate == 16000 and audio.dtype == np.float32 and audio.shape == (4, 2)
    np.testing.assert_allclose(audio, np.clip(SAMPLES, -1, 32767 / 32768), atol=1 / 32768)


def test_desired_channels_and_samples():
    data = mono([100, -32768, 32767])
    audio, rate = wav.decode_wav(data, desired_channels=2, desired_samples=5)
    assert rate == 8000
    np.testing.assert_array_equal(audio, [[100 / 32768] * 2, [-1, -1], [32767 / 32768] * 2, [0, 0], [0, 0]])
    audio, _ = wav.decode_wav(data, desired_samples=2)
    assert audio.shape == (2, 1)
    audio, _ = wav.decode_wav(TF_BYTES, desired_channels=1)
    np.testing.assert_allclose(audio[:, 0], [0.0, 32767 / 32768, 0.25, -9830 / 32768])


def test_errors():
    with pytest.raises(ValueError, match="tf.audio.decode_wav: the contents are not a PCM WAV file"):
        wav.decode_wav(b"not a wav file")
    with pytest.raises(ValueError, match="not add channels"):
        wav.decode_wav(TF_BYTES, desired_channels=3)
    with pytest.raises(ValueError, match=r"tf.audio.encode_wav: `audio` must be a float tensor of shape \[samples"):
        wav.encode_wav(np.zeros(5, np.float32), 8000)
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(1)
        w.setframerate(8000)
        w.writeframes(b"\x80\x80")
    with pytest.raises(ValueError, match="only 16-bit PCM"):
        wav.decode_wav(buffer.getvalue())
