"""Keras 2's ``keras.preprocessing.sequence`` spelling of :func:`dendrite.utils.pad_sequences`."""
from ..utils.sequence_utils import pad_sequences

__all__ = ["pad_sequences"]
