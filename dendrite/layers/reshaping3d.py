"""Reshaping layers for volumes (batch, depth, height, width, channels) or channels_first: ZeroPadding3D,
Cropping3D and UpSampling3D.

They are the 2-D layers (reshaping.py) with three spatial axes. ``padding`` and ``cropping`` take Keras's
forms: an int (the same on every side), or three entries, one per spatial axis, each an int (symmetric)
or a pair: (1, 2, 0) or ((left_dim1, right_dim1), (left_dim2, right_dim2), (left_dim3, right_dim3)).
"""
from ..autodiff import ops
from ..utils.validation import is_int
from .input_spec import normalize_tuple
from .reshaping import _Cropping, _ends, _nearest, _Spatial, _ZeroPadding


def _triples(value, arg, owner):
    """Keras's forms -> three (before, after) pairs of non-negative ints: an int, or three entries that are
    each an int (the same at both ends) or a pair (each entry read as a 1-D layer's argument)."""
    entries = (value,) * 3 if is_int(value) else value
    if not (isinstance(entries, (tuple, list)) and len(entries) == 3):
        raise ValueError(
            f"Layer '{owner}': `{arg}` must be a non-negative int, a tuple of 3 non-negative ints (symmetric on "
            f"each spatial axis), or a tuple of 3 tuples of 2 ints ((left_dim1, right_dim1), (left_dim2, "
            f"right_dim2), (left_dim3, right_dim3)); received {arg}={value!r}.")
    return tuple(_ends(entry, f"{arg}[{k}]", owner)[0] for k, entry in enumerate(entries))


class _Volume:
    """Mixin, listed first: three spatial axes, and the padding / cropping arguments in their 3-D forms."""

    rank = 3

    def _ends_arg(self, value, arg):
        return _triples(value, arg, self.name)

    def _ends_config(self, pairs):
        return pairs


class ZeroPadding3D(_Volume, _ZeroPadding):
    """Adds zeros around each volume, on its depth, height and width axes."""

    def __init__(self, padding=((1, 1), (1, 1), (1, 1)), data_format=None, **kwargs):
        super().__init__(padding, data_format, **kwargs)


class Cropping3D(_Volume, _Cropping):
    """Removes cells from the edges of each volume, on its depth, height and width axes."""

    def __init__(self, cropping=((1, 1), (1, 1), (1, 1)), data_format=None, **kwargs):
        super().__init__(cropping, data_format, **kwargs)


class UpSampling3D(_Volume, _Spatial):
    """Repeats each cell of a volume ``size`` times along depth, height and width (nearest neighbour)."""

    def __init__(self, size=(2, 2, 2), data_format=None, **kwargs):
        super().__init__(data_format, **kwargs)
        self.size = normalize_tuple(size, 3, "size", self.name)

    def _new_sizes(self, shape):
        return tuple(None if shape[a] is None else shape[a] * f for a, f in zip(self._hw_axes(), self.size))

    def call(self, inputs, training=None):
        first = self.data_format == "channels_first"
        x = ops.transpose(inputs, (0, 2, 3, 4, 1)) if first else inputs
        x = _nearest(x, self.size)
        return ops.transpose(x, (0, 4, 1, 2, 3)) if first else x

    def get_config(self):
        return {**super().get_config(), "size": self.size}


__all__ = ["ZeroPadding3D", "Cropping3D", "UpSampling3D"]
