"""tf.audio through the compatibility `tensorflow` (dendrite/compat/tf_audio.py): encode_wav gives a scalar
string Tensor that tf.io.write_file / read_file carry, decode_wav gives (float32 audio, int32 rate), as in the
simple-audio tutorial's decoding step."""
import numpy as np


def test_write_read_decode(tf, tmp_path):
    rate = 16000
    tone = np.sin(2 * np.pi * 440 * np.arange(rate // 10) / rate).astype(np.float32)[:, None] * 0.5
    encoded = tf.audio.encode_wav(tone, rate)
    assert encoded.dtype == tf.string and encoded.shape == ()
    path = str(tmp_path / "tone.wav")
    tf.io.write_file(path, encoded)
    audio, sample_rate = tf.audio.decode_wav(tf.io.read_file(path), desired_channels=1, desired_samples=rate)
    assert sample_rate.dtype == tf.int32 and int(sample_rate) == rate
    assert audio.shape == (rate, 1) and audio.dtype == tf.float32
    np.testing.assert_allclose(audio.numpy()[:len(tone)], tone, atol=1 / 32768)
    assert np.all(audio.numpy()[len(tone):] == 0)
    squeezed = tf.squeeze(audio, axis=-1)
    spectrum = tf.abs(tf.signal.stft(squeezed, 255, 128))
    assert spectrum.shape == (124, 129)
