"""Kept for ``layers/preprocessing.py``, which imports ``_as_array`` from here; the adapters live in the
``data_adapters`` package."""
from .data_adapters.arrays import _as_array  # noqa: F401
