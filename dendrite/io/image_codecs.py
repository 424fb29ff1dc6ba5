"""Image files to arrays and back with Pillow (the optional ``images`` extra), as tf.io / tf.image have them:
``decode_image``, ``decode_png``, ``decode_jpeg``, ``decode_gif``, ``decode_bmp``, ``encode_png``,
``encode_jpeg``.

Decoded images are (height, width, channels) uint8 arrays (uint16 for 16-bit PNGs asked for as uint16; GIFs
(frames, height, width, 3)). ``channels``: 0 keeps the file's own (grayscale 1, grayscale+alpha 2, RGB 3,
RGBA 4; palette images become RGB, or RGBA when they have transparency), 1 / 3 / 4 convert. Like
TensorFlow's, ``decode_png`` and ``decode_jpeg`` accept any of the formats (the format is read from the
bytes); only ``decode_image`` returns GIFs' frames. JPEG pixels come from Pillow's libjpeg, so they may differ
from TensorFlow's by a level or two; PNG, GIF and BMP pixels are exact.
"""
import io as _io

import numpy as np

from .raw import scalar_bytes

_SIGNATURES = ((b"\x89PNG\r\n\x1a\n", "png"), (b"\xff\xd8\xff", "jpeg"), (b"GIF87a", "gif"), (b"GIF89a", "gif"),
               (b"BM", "bmp"))


def _pil():
    try:
        from PIL import Image
    except ImportError:
        raise ImportError('Decoding and encoding images needs Pillow: pip install "dendrite[images]" '
                          "(or pip install pillow).") from None
    return Image


def _bytes(contents, who):
    return scalar_bytes(contents, who, "contents must be the bytes of an image file (e.g. from io.read_file)")


def image_format(contents):
    """'png', 'jpeg', 'gif', 'bmp' or 'webp' from the first bytes of an image file, or None."""
    for signature, name in _SIGNATURES:
        if contents.startswith(signature):
            return name
    if contents[:4] == b"RIFF" and contents[8:12] == b"WEBP":
        return "webp"
    return None


def _check_channels(channels, who, allowed=(0, 1, 3, 4)):
    channels = 0 if channels is None else channels
    if isinstance(channels, bool) or channels not in allowed:
        raise ValueError(f"{who}: channels must be one of {', '.join(map(str, allowed))} (0 keeps the file's "
                         f"own); received channels={channels!r}.")
    return channels


def _to_array(img, channels, bits16):
    """One PIL frame as (H, W, C): uint16 values when ``bits16`` and the frame is 16-bit, else uint8."""
    mode = img.mode
    if mode in ("I;16", "I;16B", "I;16L", "I") and bits16:
        arr = np.asarray(img, dtype=np.int64).astype(np.uint16)[..., None]
        if channels in (3, 4):
            arr = np.repeat(arr, 3, axis=-1)
            if channels == 4:
                arr = np.concatenate([arr, np.full(arr.shape[:2] + (1,), 65535, np.uint16)], axis=-1)
        return arr
    if mode.startswith("I"):
        img = _pil().fromarray((np.asarray(img, dtype=np.int64) >> 8).astype(np.uint8))  # mode L
        mode = "L"
    if mode == "P":
        img = img.convert("RGBA" if "transparency" in img.info else "RGB")
    elif mode in ("1", "CMYK", "YCbCr", "RGBX", "LAB", "HSV", "F"):
        img = img.convert("L" if mode in ("1", "F") else "RGB")
    natural = {"L": 1, "LA": 2, "RGB": 3, "RGBA": 4}[img.mode]
    wanted = channels or natural
    if wanted != natural:
        img = img.convert({1: "L", 3: "RGB", 4: "RGBA"}[wanted])
    arr = np.asarray(img, dtype=np.uint8)
    return arr.reshape(arr.shape[0], arr.shape[1], -1)


def _open(contents, who, ratio=1):
    Image = _pil()
    try:
        img = Image.open(_io.BytesIO(contents))
        if ratio > 1 and img.format == "JPEG":  # libjpeg scales by 1/2, 1/4, 1/8 while decoding
            img.draft(img.mode, (-(-img.width // ratio), -(-img.height // ratio)))
        img.load()
    except Exception as e:  # Pillow raises several types for a file it cannot decode
        kind = image_format(contents)
        raise ValueError(f"{who}: cannot decode the image ({len(contents)} bytes, "
                         f"{'a damaged ' + kind if kind else 'not a PNG, JPEG, GIF, BMP or WebP'} file: {e}).") from None
    return img


def _frames(img):
    out = []
    for i in range(getattr(img, "n_frames", 1)):
        img.seek(i)
        out.append(img.convert("RGB"))
    return out


def _finish(arr, dtype, who):
    dtype = np.dtype(dtype)
    if dtype == arr.dtype:
        return arr
    if dtype == np.uint16 and arr.dtype == np.uint8:
        return arr.astype(np.uint16) * np.uint16(257)  # as libpng widens 8-bit samples
    if dtype.kind == "f":
        from ..image.dtypes import convert_image_dtype
        return convert_image_dtype(arr, dtype)
    raise ValueError(f"{who}: dtype must be uint8, uint16 or a float dtype; received dtype={dtype.name!r}.")


def decode_image(contents, channels=None, dtype="uint8", expand_animations=True):
    """Decode a PNG, JPEG, GIF, BMP or WebP file's bytes to (H, W, C) (GIFs: (frames, H, W, 3) unless
    ``expand_animations=False``, which keeps the first frame). A float ``dtype`` scales to [0, 1] as
    convert_image_dtype does."""
    who = "decode_image"
    contents = _bytes(contents, who)
    channels = _check_channels(channels, who)
    img = _open(contents, who)
    if image_format(contents) == "gif":
        frames = [_to_array(f, channels or 3, False) for f in _frames(img)]
        arr = np.stack(frames) if expand_animations else frames[0]
    else:
        arr = _to_array(img, channels, np.dtype(dtype) == np.uint16)
    return _finish(arr, dtype, who)


def decode_png(contents, channels=0, dtype="uint8"):
    """Decode a PNG (or another still image) to (H, W, C) uint8 or uint16."""
    who = "decode_png"
    if np.dtype(dtype) not in (np.uint8, np.uint16):
        raise ValueError(f"{who}: dtype must be uint8 or uint16; received dtype={dtype!r}.")
    contents = _bytes(contents, who)
    img = _open(contents, who)
    return _finish(_to_array(img, _check_channels(channels, who), np.dtype(dtype) == np.uint16), dtype, who)


def decode_jpeg(contents, channels=0, ratio=1):
    """Decode a JPEG (or another still image) to (H, W, C) uint8; ``ratio`` 1, 2, 4 or 8 downscales by that
    factor while decoding (Pillow's draft mode, as libjpeg's)."""
    who = "decode_jpeg"
    if ratio not in (1, 2, 4, 8):
        raise ValueError(f"{who}: ratio must be 1, 2, 4 or 8; received ratio={ratio!r}.")
    contents = _bytes(contents, who)
    channels = _check_channels(channels, who)
    return _to_array(_open(contents, who, ratio), channels, False)


def decode_gif(contents):
    """Decode a GIF to (frames, H, W, 3) uint8."""
    return decode_image(_check_gif(contents), channels=3)


def _check_gif(contents):
    contents = _bytes(contents, "decode_gif")
    if image_format(contents) != "gif":
        raise ValueError("decode_gif: contents is not a GIF file (it does not start with GIF87a or GIF89a).")
    return contents


def decode_bmp(contents, channels=0):
    """Decode a BMP to (H, W, C) uint8."""
    return decode_png(contents, channels)


def _image_for_encoding(image, who, channels_allowed, dtypes):
    arr = np.asarray(image)
    if arr.ndim != 3 or arr.shape[-1] not in channels_allowed:
        raise ValueError(f"{who}: image must be (height, width, channels) with {channels_allowed} channels; "
                         f"received shape {arr.shape}.")
    if arr.dtype not in dtypes:
        raise ValueError(f"{who}: image dtype must be {' or '.join(np.dtype(d).name for d in dtypes)}; received "
                         f"{arr.dtype.name}. Use image.convert_image_dtype(image, 'uint8') first.")
    return arr


def encode_png(image, compression=-1):
    """PNG file bytes of an (H, W, C) uint8 or uint16 image with 1, 2, 3 or 4 channels; ``compression`` 0-9
    (-1 for the default)."""
    who = "encode_png"
    arr = _image_for_encoding(image, who, (1, 2, 3, 4), (np.uint8, np.uint16))
    Image = _pil()
    if arr.dtype == np.uint16:
        if arr.shape[-1] != 1:
            raise ValueError(f"{who}: 16-bit images can be encoded with 1 channel only here (Pillow writes no "
                             f"16-bit colour PNGs); received {arr.shape[-1]} channels.")
        img = Image.fromarray(np.ascontiguousarray(arr[..., 0]))  # mode I;16
    else:
        img = Image.fromarray(np.ascontiguousarray(arr[..., 0] if arr.shape[-1] == 1 else arr))  # L, LA, RGB, RGBA
    out = _io.BytesIO()
    img.save(out, format="PNG", compress_level=6 if compression == -1 else int(compression))
    return out.getvalue()


_DENSITY_UNITS = {"in": 1, "cm": 2}


def encode_jpeg(image, format="", quality=95, progressive=False, optimize_size=False,  # noqa: A002
                chroma_downsampling=True, density_unit="in", x_density=300, y_density=300, xmp_metadata=""):
    """JPEG file bytes of an (H, W, C) uint8 image with 1 or 3 channels, at ``quality`` 0-100, with tf.io's
    options: ``format`` '' (by the channels), 'grayscale' (1 channel) or 'rgb' (3); ``progressive``;
    ``optimize_size`` (optimised Huffman tables); ``chroma_downsampling`` (4:2:0, else 4:4:4); the JFIF density
    ``x_density`` x ``y_density`` per ``density_unit`` ('in' or 'cm'); ``xmp_metadata`` (an XMP packet)."""
    who = "encode_jpeg"
    arr = _image_for_encoding(image, who, (1, 3), (np.uint8,))
    wanted = {"": arr.shape[-1], "grayscale": 1, "rgb": 3}.get(format)
    if wanted is None:
        raise ValueError(f"{who}: format must be '', 'grayscale' or 'rgb'; received format={format!r}.")
    if wanted != arr.shape[-1]:
        raise ValueError(f"{who}: format={format!r} needs an image with {wanted} channel(s); received "
                         f"{arr.shape[-1]}.")
    if density_unit not in _DENSITY_UNITS:
        raise ValueError(f"{who}: density_unit must be 'in' or 'cm'; received density_unit={density_unit!r}.")
    img = _pil().fromarray(np.ascontiguousarray(arr[..., 0] if arr.shape[-1] == 1 else arr))
    options = dict(quality=int(quality), progressive=bool(progressive), optimize=bool(optimize_size),
                   subsampling=2 if chroma_downsampling else 0, dpi=(int(x_density), int(y_density)))
    if xmp_metadata:
        options["xmp"] = xmp_metadata.encode("utf-8") if isinstance(xmp_metadata, str) else bytes(xmp_metadata)
    out = _io.BytesIO()
    img.save(out, format="JPEG", **options)
    data = out.getvalue()
    if data[6:11] == b"JFIF\0":  # the JFIF header's density unit (Pillow writes dots per inch)
        data = data[:13] + bytes([_DENSITY_UNITS[density_unit]]) + data[14:]
    return data
