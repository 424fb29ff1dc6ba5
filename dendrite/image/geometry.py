"""Flips, rotations and crops: ``flip_left_right``, ``flip_up_down``, ``rot90``, ``transpose``,
``central_crop``, ``crop_to_bounding_box``, ``pad_to_bounding_box``, ``resize_with_crop_or_pad`` and the random
``random_flip_left_right`` / ``random_flip_up_down`` / ``random_crop``, as tf.image has them.

Images are (height, width, channels) or (batch, height, width, channels); a batch's random flips are drawn
per image. Random draws come from dendrite's generator, or from a fresh one when ``seed`` is an int (see
dendrite.random).
"""
import numpy as np

from ..random import generator_for


def _image(image, who):
    x = np.asarray(image)
    if x.ndim not in (3, 4):
        raise ValueError(f"{who}: image must be 3-D (height, width, channels) or 4-D (batch, height, width, "
                         f"channels); received shape {x.shape}.")
    return x


def flip_left_right(image):
    """Mirror the width axis."""
    return _image(image, "flip_left_right")[..., ::-1, :].copy()


def flip_up_down(image):
    """Mirror the height axis."""
    return _image(image, "flip_up_down")[..., ::-1, :, :].copy()


def rot90(image, k=1):
    """Rotate by ``k`` quarter turns counter-clockwise."""
    x = _image(image, "rot90")
    return np.rot90(x, k, axes=(x.ndim - 3, x.ndim - 2)).copy()


def transpose(image):
    """Swap height and width."""
    x = _image(image, "transpose")
    return np.swapaxes(x, -3, -2).copy()


def _random_flip(image, seed, axis, who):
    x = _image(image, who)
    rng = generator_for(seed)
    if x.ndim == 3:
        return np.flip(x, axis).copy() if rng.uniform() < 0.5 else x
    flip = rng.uniform(size=x.shape[0]) < 0.5
    out = x.copy()
    out[flip] = np.flip(x[flip], axis + 1)
    return out


def random_flip_left_right(image, seed=None):
    """Mirror the width axis with probability 1/2 (each image of a batch on its own draw)."""
    return _random_flip(image, seed, 1, "random_flip_left_right")


def random_flip_up_down(image, seed=None):
    """Mirror the height axis with probability 1/2 (each image of a batch on its own draw)."""
    return _random_flip(image, seed, 0, "random_flip_up_down")


def random_crop(value, size, seed=None):
    """A random window of shape ``size`` (one entry per axis of ``value``, each at most that axis's length),
    its offset drawn uniformly (tf.image.random_crop; any rank)."""
    x = np.asarray(value)
    size = tuple(int(s) for s in np.asarray(size).ravel())
    if len(size) != x.ndim or any(s < 0 or s > d for s, d in zip(size, x.shape)):
        raise ValueError(f"random_crop: size must give one length per axis of value, each at most that axis's "
                         f"length; received size={list(size)} for value of shape {x.shape}.")
    rng = generator_for(seed)
    start = [int(rng.integers(0, d - s + 1)) for s, d in zip(size, x.shape)]
    return x[tuple(slice(b, b + s) for b, s in zip(start, size))].copy()


def central_crop(image, central_fraction):
    """The centre ``central_fraction`` (in (0, 1]) of the height and width."""
    x = _image(image, "central_crop")
    if not 0 < central_fraction <= 1:
        raise ValueError(f"central_crop: central_fraction must be in (0, 1]; received {central_fraction!r}.")
    if central_fraction == 1:
        return x
    h, w = x.shape[-3:-1]
    top = int((h - h * central_fraction) / 2)
    left = int((w - w * central_fraction) / 2)
    return x[..., top:h - top, left:w - left, :].copy()


def _box(image, who, **values):
    """The image checked, and its height and width, after checking each of ``values`` is an int >= 0."""
    for name, v in values.items():
        if isinstance(v, bool) or not isinstance(v, (int, np.integer)) or v < 0:
            raise ValueError(f"{who}: {name} must be a non-negative int; received {name}={v!r}.")
    x = _image(image, who)
    return x, x.shape[-3], x.shape[-2]


def crop_to_bounding_box(image, offset_height, offset_width, target_height, target_width):
    """The (target_height, target_width) window whose top-left corner is (offset_height, offset_width)."""
    x, h, w = _box(image, "crop_to_bounding_box", offset_height=offset_height, offset_width=offset_width,
                   target_height=target_height, target_width=target_width)
    if offset_height + target_height > h or offset_width + target_width > w or not target_height or not target_width:
        raise ValueError(f"crop_to_bounding_box: the box rows {offset_height}..{offset_height + target_height} and columns "
                         f"{offset_width}..{offset_width + target_width} must be non-empty and lie inside the "
                         f"{h}x{w} image.")
    return x[..., offset_height:offset_height + target_height, offset_width:offset_width + target_width, :].copy()


def pad_to_bounding_box(image, offset_height, offset_width, target_height, target_width):
    """``image`` placed at (offset_height, offset_width) on a zero canvas of (target_height, target_width)."""
    x, h, w = _box(image, "pad_to_bounding_box", offset_height=offset_height, offset_width=offset_width,
                   target_height=target_height, target_width=target_width)
    bottom, right = target_height - offset_height - h, target_width - offset_width - w
    if bottom < 0 or right < 0:
        raise ValueError(f"pad_to_bounding_box: the {h}x{w} image at offset ({offset_height}, {offset_width}) does not fit in "
                         f"{target_height}x{target_width}; make the target at least "
                         f"{offset_height + h}x{offset_width + w}.")
    pad = [(0, 0)] * (x.ndim - 3) + [(offset_height, bottom), (offset_width, right), (0, 0)]
    return np.pad(x, pad)


def resize_with_crop_or_pad(image, target_height, target_width):
    """Centre-crop and/or zero-pad to (target_height, target_width); when the difference is odd, the extra
    row or column is cropped from (or padded at) the bottom and right."""
    x, h, w = _box(image, "resize_with_crop_or_pad", target_height=target_height, target_width=target_width)
    crop_h, crop_w = max((h - target_height) // 2, 0), max((w - target_width) // 2, 0)
    pad_h, pad_w = max((target_height - h) // 2, 0), max((target_width - w) // 2, 0)
    x = crop_to_bounding_box(x, crop_h, crop_w, min(target_height, h), min(target_width, w))
    return pad_to_bounding_box(x, pad_h, pad_w, target_height, target_width)
