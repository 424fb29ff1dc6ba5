"""The one place where dendrite reaches its array library, and Keras's backend settings.

Every op asks :func:`get_array_module` for ``xp`` instead of importing NumPy
directly, so that a CuPy backend can stand in later without touching anything
above the ops. Random numbers for initializers and dropout come from one
generator owned here, reseeded by :func:`dendrite.utils.set_random_seed`.
floatx, image_data_format and epsilon are Keras's settings of the same names.

How dendrite uses the machine (its threads, the BLAS library's, scratch buffers, the
allocator) is :mod:`dendrite.runtime`; ``num_threads``, ``set_num_threads`` and
``blas_kernels`` are also reachable here (the README names dendrite.backend.set_num_threads).
"""
import sys

import numpy as np

from .runtime import blas_kernels, num_threads, set_num_threads  # noqa: F401 (public here too)

_FLOATX = "float32"
_IMAGE_DATA_FORMAT = "channels_last"
_rng = np.random.default_rng()


def get_array_module(*arrays):
    """Return the array module (NumPy, or CuPy once it is loaded) for ``arrays``."""
    cupy = sys.modules.get("cupy")
    if cupy is not None:
        for a in arrays:
            if isinstance(a, cupy.ndarray):
                return cupy
    return np


def epsilon():
    """The fuzz factor Keras uses in numeric expressions (keras.backend.epsilon()): 1e-7."""
    return 1e-7


def floatx():
    """The default float dtype name ('float32', as in Keras)."""
    return _FLOATX


def set_floatx(dtype):
    global _FLOATX
    name = np.dtype(dtype).name
    if name not in ("float16", "float32", "float64"):
        raise ValueError(
            f"set_floatx: expected one of 'float16', 'float32', 'float64'; received dtype={dtype!r}."
        )
    _FLOATX = name


def image_data_format():
    """The layout that image layers use when their ``data_format`` is None: 'channels_last' (images
    (batch, height, width, channels)) unless set_image_data_format changed it, as in Keras."""
    return _IMAGE_DATA_FORMAT


def set_image_data_format(data_format):
    """Set the layout that image layers built afterwards use when their ``data_format`` is None."""
    global _IMAGE_DATA_FORMAT
    _IMAGE_DATA_FORMAT = standardize_data_format(data_format, "set_image_data_format", allow_none=False)


def standardize_data_format(data_format, who, allow_none=True):
    """A layer's ``data_format`` argument resolved: None gives image_data_format(); the names are taken in any
    case (Keras lower-cases them); anything else raises an error that names ``who``."""
    if data_format is None and allow_none:
        return _IMAGE_DATA_FORMAT
    value = data_format.lower() if isinstance(data_format, str) else data_format
    if value not in ("channels_last", "channels_first"):
        also = " (or None for image_data_format())" if allow_none else ""
        raise ValueError(f"{who}: `data_format` must be 'channels_last' or 'channels_first'{also}; "
                         f"received data_format={data_format!r}.")
    return value


def rng():
    """The generator that initializers, dropout and shuffling draw from."""
    return _rng


def seed(value):
    """Reseed dendrite's generator (use dendrite.utils.set_random_seed for all generators)."""
    global _rng
    _rng = np.random.default_rng(value)
