"""``tf.audio``: ``decode_wav`` and ``encode_wav`` (16-bit PCM, dendrite/io/wav.py) on Tensors."""
import numpy as np

from ..autodiff import Tensor
from ..io import wav
from ._namespace import Namespace


def decode_wav(contents, desired_channels=-1, desired_samples=-1, name=None):
    """(audio, sample_rate): float32 [samples, channels] in [-1, 1) and an int32 scalar."""
    audio, rate = wav.decode_wav(contents, desired_channels, desired_samples)
    return Tensor(audio), Tensor(np.int32(rate))


def encode_wav(audio, sample_rate, name=None):
    """A scalar string Tensor: the 16-bit PCM WAV file of ``audio`` [samples, channels]."""
    return Tensor(np.array(wav.encode_wav(audio, sample_rate), dtype=object))


def namespace():
    return Namespace("tensorflow.audio", __doc__, members=dict(decode_wav=decode_wav, encode_wav=encode_wav))
