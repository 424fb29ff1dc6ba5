"""Saving: weights files (HDF5 in Keras 3's and tf.keras 2's layouts, and checkpoint prefixes)."""
from .checkpoint import latest_checkpoint
from .weights_h5 import WeightsFileError

__all__ = ["latest_checkpoint", "WeightsFileError"]
