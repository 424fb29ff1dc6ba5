"""``convert_image_dtype``: TensorFlow's rules for moving images between integer and float dtypes.

- integer -> float: cast, then multiply by ``1 / max`` of the input type (uint8 255 -> 1.0).
- float -> integer: multiply by ``max + 0.5`` of the output type, then cast (truncating toward zero), so
  [0, 1] maps onto 0 .. max evenly; ``saturate=True`` clips to the output range before the cast (without it,
  values outside [0, 1) wrap as the cast does).
- integer -> integer: divide (floor) or multiply by the ratio of the two ranges, (max_in + 1) // (max_out + 1).
- float -> float: a plain cast. The same dtype: the image itself.
"""
import numpy as np

from ..io.raw import dtype_among

_NAMES = ("float16", "float32", "float64", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64")


def image_dtype(dtype, who, argument="dtype"):
    return dtype_among(dtype, _NAMES, who, argument, "a float or integer dtype (e.g. 'float32', 'uint8')")


def saturate_cast(x, dtype):
    """``x`` clipped to what ``dtype`` holds, then cast (tf.dtypes.saturate_cast)."""
    dtype = np.dtype(dtype)
    if dtype.kind == "f":
        return x.astype(dtype)
    info = np.iinfo(dtype)
    if x.dtype.kind == "f":
        hi = x.dtype.type(info.max)
        if int(hi) > info.max:  # the float type rounds max up (int32 in float32): stay just below it
            hi = np.nextafter(hi, x.dtype.type(0))
        return np.clip(x, x.dtype.type(info.min), hi).astype(dtype)
    in_info = np.iinfo(x.dtype)
    return np.clip(x, max(info.min, in_info.min), min(info.max, in_info.max)).astype(dtype)


def _cast(x, dtype, saturate):
    if saturate:
        return saturate_cast(x, dtype)
    with np.errstate(invalid="ignore", over="ignore"):
        return x.astype(dtype)


def convert_image_dtype(image, dtype, saturate=False):
    """``image`` converted to ``dtype`` with its values rescaled (tf.image.convert_image_dtype)."""
    x = np.asarray(image)
    dtype = image_dtype(dtype, "convert_image_dtype")
    image_dtype(x.dtype, "convert_image_dtype", "image's dtype")
    if x.dtype == dtype:
        return x
    if x.dtype.kind in "iu" and dtype.kind in "iu":
        max_in, max_out = int(np.iinfo(x.dtype).max), int(np.iinfo(dtype).max)
        if max_in > max_out:
            return _cast(x // x.dtype.type((max_in + 1) // (max_out + 1)), dtype, saturate)
        with np.errstate(over="ignore"):
            return _cast(x, dtype, saturate) * dtype.type((max_out + 1) // (max_in + 1))
    if x.dtype.kind == "f" and dtype.kind == "f":
        return x.astype(dtype)
    if x.dtype.kind in "iu":
        return x.astype(dtype) * dtype.type(1.0 / np.iinfo(x.dtype).max)
    return _cast(x * x.dtype.type(np.iinfo(dtype).max + 0.5), dtype, saturate)
