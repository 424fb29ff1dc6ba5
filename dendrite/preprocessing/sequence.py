"""Keras 2's ``keras.preprocessing.sequence``: :func:`dendrite.utils.pad_sequences`, ``TimeseriesGenerator``,
``skipgrams`` and ``make_sampling_table``."""
from ..utils.sequence_utils import pad_sequences
from .skipgrams import make_sampling_table, skipgrams
from .timeseries import TimeseriesGenerator

__all__ = ["pad_sequences", "TimeseriesGenerator", "skipgrams", "make_sampling_table"]
