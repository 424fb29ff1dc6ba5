"""The one place where dendrite reaches its array library.

Every op asks :func:`get_array_module` for ``xp`` instead of importing NumPy
directly, so that a CuPy backend can stand in later without touching anything
above the ops. Random numbers for initializers and dropout come from one
generator owned here, reseeded by :func:`dendrite.utils.set_random_seed`.
"""
import sys

import numpy as np

_FLOATX = "float32"
_rng = np.random.default_rng()


def get_array_module(*arrays):
    """Return the array module (NumPy, or CuPy once it is loaded) for ``arrays``."""
    cupy = sys.modules.get("cupy")
    if cupy is not None:
        for a in arrays:
            if isinstance(a, cupy.ndarray):
                return cupy
    return np


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


def rng():
    """The generator that initializers, dropout and shuffling draw from."""
    return _rng


def seed(value):
    """Reseed dendrite's generator (use dendrite.utils.set_random_seed for all generators)."""
    global _rng
    _rng = np.random.default_rng(value)


def tune_allocator():
    """Keep large temporaries in glibc's heap instead of fresh mmap'd pages each step.

    A training step allocates and frees the same multi-megabyte temporaries over and
    over; by default glibc returns each to the OS and takes it back zeroed, which costs
    more than the arithmetic on them (2-3x on the conv/batch-norm sizes of MNIST nets).
    Raising the mmap and trim thresholds keeps that memory in the process. Linux/glibc
    only; elsewhere (or if the call fails) nothing changes.
    """
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes
        libc = ctypes.CDLL("libc.so.6")
        m_trim_threshold, m_mmap_threshold = -1, -3
        ok = libc.mallopt(m_mmap_threshold, 32 * 1024 * 1024)
        ok &= libc.mallopt(m_trim_threshold, 512 * 1024 * 1024)
        return bool(ok)
    except (OSError, AttributeError):
        return False
