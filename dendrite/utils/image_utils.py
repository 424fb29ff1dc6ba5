"""Images as Keras's utilities read and write them, through Pillow (the optional extra ``images``):
``load_img`` (a PIL image, converted to a colour mode and resized), ``img_to_array`` and ``array_to_img``
(between PIL images and (height, width, channels) arrays, or channels first), ``save_img``.
"""
import io
import os
import pathlib
import warnings

import numpy as np

from .. import backend

INTERPOLATIONS = ("nearest", "bilinear", "bicubic", "hamming", "box", "lanczos")
COLOR_MODES = {"grayscale": "L", "rgb": "RGB", "rgba": "RGBA"}


def pil_image(who):
    """PIL.Image, or an ImportError naming ``who`` and how to install Pillow."""
    try:
        from PIL import Image
    except ImportError:
        raise ImportError(f"{who} needs Pillow to read and write images; install it with "
                          '`pip install "dendrite[images]"` (or `pip install pillow`).') from None
    return Image


def _resampling(Image, interpolation, who):
    if interpolation not in INTERPOLATIONS:
        raise ValueError(f"{who}: `interpolation` must be one of {INTERPOLATIONS}; received "
                         f"interpolation={interpolation!r}.")
    methods = getattr(Image, "Resampling", Image)
    return getattr(methods, interpolation.upper())


def open_image(path, who="load_img"):
    """The PIL image at ``path`` (a path, str, bytes or an io.BytesIO), read fully; a file Pillow cannot read
    raises a ValueError naming it."""
    Image = pil_image(who)
    if isinstance(path, io.BytesIO):
        source, name = path, "the io.BytesIO given"
    elif isinstance(path, (str, bytes, os.PathLike)):
        name = os.fsdecode(path)
        with open(path, "rb") as f:
            source = io.BytesIO(f.read())
    else:
        raise TypeError(f"{who}: `path` must be a file path (str, bytes or pathlib.Path) or an io.BytesIO; "
                        f"received an object of type {type(path).__name__}.")
    try:
        img = Image.open(source)
        img.load()
    except (OSError, SyntaxError, ValueError) as e:  # PIL.UnidentifiedImageError is an OSError
        raise ValueError(f"{who}: cannot read the image file {name!r}: {e}. The file is not an image Pillow "
                         "reads (PNG, JPEG, BMP, GIF...) or it is damaged; remove or replace it.") from None
    return img


def load_img(path, color_mode="rgb", target_size=None, interpolation="nearest", keep_aspect_ratio=False):
    """Read an image into a PIL image of ``color_mode`` ('rgb', 'rgba' or 'grayscale'; a 16- or 32-bit grayscale
    image stays as it is), resized to ``target_size`` = (height, width) when given with Pillow's
    ``interpolation``; with ``keep_aspect_ratio``, the largest centred box of the target's aspect ratio is
    resized instead of the whole image."""
    if color_mode not in COLOR_MODES:
        raise ValueError(f"load_img: `color_mode` must be one of {tuple(COLOR_MODES)}; received "
                         f"color_mode={color_mode!r}.")
    if isinstance(path, pathlib.Path):
        path = str(path.resolve())
    img = open_image(path)
    mode = COLOR_MODES[color_mode]
    if img.mode != mode and not (color_mode == "grayscale" and img.mode in ("I;16", "I")):
        img = img.convert(mode)
    if target_size is None:
        return img
    if (not isinstance(target_size, (tuple, list)) or len(target_size) != 2
            or not all(isinstance(v, (int, np.integer)) and v > 0 for v in target_size)):
        raise ValueError("load_img: `target_size` must be None or (height, width), two positive integers; received "
                         f"target_size={target_size!r}.")
    size = (int(target_size[1]), int(target_size[0]))  # Pillow counts (width, height)
    if img.size == size:
        return img
    resample = _resampling(pil_image("load_img"), interpolation, "load_img")
    if not keep_aspect_ratio:
        return img.resize(size, resample)
    width, height = img.size
    crop_h = min(height, width * size[1] // size[0])
    crop_w = min(width, height * size[0] // size[1])
    top, left = (height - crop_h) // 2, (width - crop_w) // 2
    return img.resize(size, resample, box=(left, top, left + crop_w, top + crop_h))


def img_to_array(img, data_format=None, dtype=None):
    """A PIL image as a (height, width, channels) array (or channels first), of ``dtype`` (floatx by
    default); a single-channel image gets a channel axis of 1."""
    data_format = backend.standardize_data_format(data_format, "img_to_array")
    x = np.asarray(img, dtype=dtype or backend.floatx())
    if x.ndim == 2:
        x = x[None] if data_format == "channels_first" else x[..., None]
    elif x.ndim == 3:
        if data_format == "channels_first":
            x = x.transpose(2, 0, 1)
    else:
        raise ValueError(f"img_to_array: expected an image of rank 2 or 3; received an array of shape {x.shape}.")
    return x


def array_to_img(x, data_format=None, scale=True, dtype=None):
    """A (height, width, channels) array (or channels first) as a PIL image: 4 channels give RGBA, 3 RGB, 1
    grayscale ('L', or 32-bit 'I' when values exceed 255). ``scale`` first maps the values' range onto
    [0, 255]."""
    data_format = backend.standardize_data_format(data_format, "array_to_img")
    Image = pil_image("array_to_img")
    x = np.array(x, dtype=dtype or backend.floatx())
    if x.ndim != 3:
        raise ValueError("array_to_img: expected one image, an array of rank 3 (height, width, channels); "
                         f"received shape {x.shape}. Pick one image (x[0]) or add a channel axis (x[..., None]).")
    if data_format == "channels_first":
        x = x.transpose(1, 2, 0)
    if scale:
        x = x - np.min(x)
        top = np.max(x)
        if top != 0:
            x = x / top
        x = x * 255
    channels = x.shape[2]
    if channels in (3, 4):
        return Image.fromarray(x.astype(np.uint8), "RGBA" if channels == 4 else "RGB")
    if channels == 1:
        if np.max(x) > 255:
            return Image.fromarray(x[:, :, 0].astype(np.int32), "I")
        return Image.fromarray(x[:, :, 0].astype(np.uint8), "L")
    raise ValueError(f"array_to_img: an image must have 1, 3 or 4 channels; received {channels} (shape "
                     f"{x.shape}, {data_format}).")


def save_img(path, x, data_format=None, file_format=None, scale=True, **kwargs):
    """Write the array ``x`` as an image file (array_to_img, then Pillow's save with ``kwargs``);
    ``file_format`` defaults to the path's extension. An RGBA image saved as JPEG is converted to RGB, with a
    warning."""
    if file_format is None and isinstance(path, (str, os.PathLike)):
        file_format = pathlib.Path(path).suffix[1:].lower() or None
    if file_format and file_format.lower() == "jpg":
        file_format = "jpeg"
    img = array_to_img(x, data_format=data_format, scale=scale)
    if img.mode == "RGBA" and file_format == "jpeg":
        warnings.warn("save_img: JPEG does not support RGBA images; converting to RGB.", stacklevel=2)
        img = img.convert("RGB")
    img.save(path, format=file_format, **kwargs)
