"""WAV audio, 16-bit PCM, as TensorFlow's ``tf.audio`` reads and writes it: samples as float32 in [-1, 1)
(the integer over 32768), shaped [samples, channels], and the sample rate. Python's ``wave`` module parses
the file."""
import io
import wave

import numpy as np


def _bytes(contents, api):
    if hasattr(contents, "value"):  # a dendrite Tensor
        contents = contents.value
    if isinstance(contents, np.ndarray):
        if contents.shape != ():
            raise ValueError(f"{api}: `contents` must be a scalar string (one file's bytes), received an array of "
                             f"shape {contents.shape}.")
        contents = contents.item()
    if isinstance(contents, str):
        contents = contents.encode("latin-1")
    if not isinstance(contents, (bytes, bytearray)):
        raise TypeError(f"{api}: `contents` must be the bytes of a WAV file (e.g. tf.io.read_file(path)), "
                        f"received {type(contents).__name__}.")
    return bytes(contents)


def _int(value, api, name):
    if hasattr(value, "value"):
        value = value.value
    value = np.asarray(value)
    if value.shape != () or value.dtype.kind not in "iu":
        raise TypeError(f"{api}: `{name}` must be an integer scalar, received {value!r}.")
    return int(value)


def decode_wav(contents, desired_channels=-1, desired_samples=-1):
    """(audio float32 [samples, channels], sample_rate) of a 16-bit PCM WAV file's bytes. ``desired_samples``
    cuts or zero-pads to that many samples; ``desired_channels`` keeps the first channels, or repeats a mono
    file's one channel (-1: as in the file)."""
    api = "tf.audio.decode_wav"
    data = _bytes(contents, api)
    desired_channels = _int(desired_channels, api, "desired_channels")
    desired_samples = _int(desired_samples, api, "desired_samples")
    try:
        with wave.open(io.BytesIO(data), "rb") as reader:
            channels, width, rate = reader.getnchannels(), reader.getsampwidth(), reader.getframerate()
            frames = reader.readframes(reader.getnframes())
    except (wave.Error, EOFError) as error:
        raise ValueError(f"{api}: the contents are not a PCM WAV file ({error}). Only 16-bit PCM WAV is "
                         "supported.") from None
    if width != 2:
        raise ValueError(f"{api}: only 16-bit PCM WAV files can be decoded (as in TensorFlow); this file has "
                         f"{8 * width}-bit samples. Convert it first (e.g. with the `wave` module or sox).")
    samples = np.frombuffer(frames, dtype="<i2")
    samples = samples[:len(samples) // channels * channels].reshape(-1, channels).astype(np.float32) / 32768.0
    if desired_channels > 0 and desired_channels != channels:
        if desired_channels < channels:
            samples = samples[:, :desired_channels]
        elif channels == 1:
            samples = np.repeat(samples, desired_channels, axis=1)
        else:
            raise ValueError(f"{api}: the file has {channels} channels; desired_channels={desired_channels} can "
                             "keep fewer, or repeat a mono file's channel, but not add channels to it.")
    if desired_samples >= 0:
        if len(samples) >= desired_samples:
            samples = samples[:desired_samples]
        else:
            samples = np.concatenate([samples, np.zeros((desired_samples - len(samples), samples.shape[1]),
                                                        np.float32)])
    return np.ascontiguousarray(samples, dtype=np.float32), rate


def encode_wav(audio, sample_rate):
    """The bytes of a 16-bit PCM WAV file of ``audio`` [samples, channels] (floats, clipped to [-1, 1])."""
    api = "tf.audio.encode_wav"
    audio = np.asarray(audio.value if hasattr(audio, "value") else audio)
    if audio.ndim != 2 or audio.dtype.kind != "f":
        raise ValueError(f"{api}: `audio` must be a float tensor of shape [samples, channels], received "
                         f"{audio.dtype.name} of shape {audio.shape}.")
    rate = _int(sample_rate, api, "sample_rate")
    if rate <= 0:
        raise ValueError(f"{api}: `sample_rate` must be positive, received {rate}.")
    ints = np.clip(np.round(audio.astype(np.float64) * 32768.0), -32768, 32767).astype("<i2")
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as writer:
        writer.setnchannels(audio.shape[1])
        writer.setsampwidth(2)
        writer.setframerate(rate)
        writer.writeframes(ints.tobytes())
    return buffer.getvalue()
