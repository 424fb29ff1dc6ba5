"""keras.ops.image: resize (differentiable: the interpolation is a pair of weight matrices applied by einsum),
colour-space conversions (grayscale, HSV, YUV), patches, and cropping or padding to a box. Images are
(batch,) height, width, channels, or channels-first with ``data_format='channels_first'``."""
from ... import backend
from ...image.color import hsv_to_rgb_array, rgb_to_hsv_array
from ...image.resize import METHODS, _nearest_index, weight_matrix
from .convert import arr, const, flt, np, ops, shape_of
from .numpy_array import einsum, moveaxis


def _nhwc(images, data_format, who):
    x = flt(images)
    if x.ndim not in (3, 4):
        raise ValueError(f"keras.ops.image.{who}: expected images of rank 3 (height, width, channels) or 4 (batch, "
                         f"...); received shape {x.shape}.")
    fmt = data_format or backend.image_data_format()
    if fmt == "channels_first":
        x = moveaxis(x, -3, -1)
    return x, fmt == "channels_first"


def _back(x, first):
    return moveaxis(x, -1, -3) if first else x


def resize(images, size, interpolation="bilinear", antialias=False, crop_to_aspect_ratio=False,
           pad_to_aspect_ratio=False, fill_mode="constant", fill_value=0.0, data_format=None):
    x, first = _nhwc(images, data_format, "resize")
    height, width = shape_of(size)
    if interpolation not in METHODS:
        raise ValueError(f"keras.ops.image.resize: interpolation must be one of {', '.join(METHODS)}; received "
                         f"{interpolation!r}.")
    h, w = x.shape[-3], x.shape[-2]
    if crop_to_aspect_ratio or pad_to_aspect_ratio:
        target = width / height
        if crop_to_aspect_ratio:
            ch, cw = (h, int(round(h * target))) if w / h > target else (int(round(w / target)), w)
            ch, cw = min(ch, h), min(cw, w)
            top, left = (h - ch) // 2, (w - cw) // 2
            x = ops.getitem(x, (Ellipsis, slice(top, top + ch), slice(left, left + cw), slice(None)))
        else:
            ph, pw = (int(round(w / target)), w) if w / h > target else (h, int(round(h * target)))
            pad = [(0, 0)] * (x.ndim - 3) + [((ph - h) // 2, ph - h - (ph - h) // 2),
                                            ((pw - w) // 2, pw - w - (pw - w) // 2), (0, 0)]
            border = np.pad(np.zeros(x.shape, bool), pad, constant_values=True)
            x = ops.add(ops.pad(x, pad), const(np.where(border, fill_value, 0).astype(x.dtype)))
        h, w = x.shape[-3], x.shape[-2]
    if interpolation == "nearest":
        out = ops.getitem(x, (Ellipsis, _nearest_index(h, height)[:, None], _nearest_index(w, width)[None, :],
                              slice(None)))
    else:
        rows = const(weight_matrix(h, height, interpolation, antialias).astype(x.dtype))
        cols = const(weight_matrix(w, width, interpolation, antialias).astype(x.dtype))
        out = einsum("ph,...hwc,qw->...pqc", rows, x, cols)
    return _back(out, first)


_GRAY = np.array([0.2989, 0.5870, 0.1140])


def rgb_to_grayscale(images, data_format=None):
    x, first = _nhwc(images, data_format, "rgb_to_grayscale")
    gray = ops.matmul(x, const(_GRAY.astype(x.dtype).reshape(3, 1)))
    return _back(gray, first)


def rgb_to_hsv(images, data_format=None):
    x, first = _nhwc(images, data_format, "rgb_to_hsv")
    return _back(const(rgb_to_hsv_array(x.value)), first)


def hsv_to_rgb(images, data_format=None):
    x, first = _nhwc(images, data_format, "hsv_to_rgb")
    return _back(const(hsv_to_rgb_array(x.value)), first)


def extract_patches(images, size, strides=None, dilation_rate=1, padding="valid", data_format=None):
    """(batch, rows, cols, ph * pw * channels) patches, each flattened row by row then by channel (as
    tf.image.extract_patches)."""
    x, first = _nhwc(images, data_format, "extract_patches")
    single = x.ndim == 3
    x = ops.expand_dims(x, 0) if single else x
    ph, pw = (size, size) if isinstance(size, int) else shape_of(size)
    sh, sw = (ph, pw) if strides is None else ((strides, strides) if isinstance(strides, int) else shape_of(strides))
    dh, dw = (dilation_rate, dilation_rate) if isinstance(dilation_rate, int) else shape_of(dilation_rate)
    n, h, w, c = x.shape
    eh, ew = (ph - 1) * dh + 1, (pw - 1) * dw + 1
    if str(padding).lower() == "same":
        oh, ow = -(-h // sh), -(-w // sw)
        pad_h, pad_w = max((oh - 1) * sh + eh - h, 0), max((ow - 1) * sw + ew - w, 0)
        x = ops.pad(x, [(0, 0), (pad_h // 2, pad_h - pad_h // 2), (pad_w // 2, pad_w - pad_w // 2), (0, 0)])
    else:
        oh, ow = (h - eh) // sh + 1, (w - ew) // sw + 1
    rows = (np.arange(oh) * sh)[:, None, None, None] + (np.arange(ph) * dh)[None, None, :, None]
    cols = (np.arange(ow) * sw)[None, :, None, None] + (np.arange(pw) * dw)[None, None, None, :]
    patches = ops.getitem(x, (slice(None), rows, cols))  # (n, oh, ow, ph, pw, c)
    out = ops.reshape(patches, (n, oh, ow, ph * pw * c))
    out = ops.squeeze(out, 0) if single else out
    return _back(out, first)


def crop_images(images, top_cropping=None, left_cropping=None, bottom_cropping=None, right_cropping=None,
                target_height=None, target_width=None, data_format=None):
    x, first = _nhwc(images, data_format, "crop_images")
    h, w = x.shape[-3], x.shape[-2]
    top, left = top_cropping or 0, left_cropping or 0
    height = target_height if target_height is not None else h - top - (bottom_cropping or 0)
    width = target_width if target_width is not None else w - left - (right_cropping or 0)
    if top + height > h or left + width > w or height <= 0 or width <= 0:
        raise ValueError(f"keras.ops.image.crop_images: the box (top={top}, left={left}, height={height}, "
                         f"width={width}) does not fit images of height {h} and width {w}.")
    return _back(ops.getitem(x, (Ellipsis, slice(top, top + height), slice(left, left + width), slice(None))), first)


def pad_images(images, top_padding=None, left_padding=None, bottom_padding=None, right_padding=None,
               target_height=None, target_width=None, data_format=None):
    x, first = _nhwc(images, data_format, "pad_images")
    h, w = x.shape[-3], x.shape[-2]
    top, left = top_padding or 0, left_padding or 0
    bottom = bottom_padding if bottom_padding is not None else (target_height - h - top if target_height else 0)
    right = right_padding if right_padding is not None else (target_width - w - left if target_width else 0)
    if min(top, left, bottom, right) < 0:
        raise ValueError(f"keras.ops.image.pad_images: the target ({target_height}, {target_width}) is smaller than "
                         f"the images ({h}, {w}) with the given offsets.")
    pad = [(0, 0)] * (x.ndim - 3) + [(top, bottom), (left, right), (0, 0)]
    return _back(ops.pad(x, pad), first)


def _yuv(images, matrix, data_format, who):
    x, first = _nhwc(images, data_format, who)
    return _back(ops.matmul(x, const(np.asarray(matrix, x.dtype))), first)


_RGB_TO_YUV = [[0.299, -0.14714119, 0.61497538], [0.587, -0.28886916, -0.51496512], [0.114, 0.43601035, -0.10001026]]
_YUV_TO_RGB = np.linalg.inv(np.array(_RGB_TO_YUV)).tolist()


def rgb_to_yuv(images, data_format=None):
    return _yuv(images, _RGB_TO_YUV, data_format, "rgb_to_yuv")


def yuv_to_rgb(images, data_format=None):
    return _yuv(images, _YUV_TO_RGB, data_format, "yuv_to_rgb")


def _batch_of(x):
    return (ops.expand_dims(x, 0), True) if x.ndim == 3 else (x, False)


def _one_of(who, name, value, allowed):
    if value not in allowed:
        raise ValueError(f"keras.ops.image.{who}: `{name}` must be one of {allowed}; received {name}={value!r}.")
    return value


def _rows(who, name, value, width, n):
    rows = arr(value).astype(np.float64)
    if rows.shape[-len(width):] != width or rows.ndim not in (len(width), len(width) + 1):
        raise ValueError(f"keras.ops.image.{who}: `{name}` must have shape {width} or (batch,) + {width}; received "
                         f"shape {rows.shape}.")
    rows = rows.reshape((-1,) + width)
    return np.repeat(rows, n, axis=0) if rows.shape[0] == 1 else rows


def affine_transform(images, transform, interpolation="bilinear", fill_mode="constant", fill_value=0,
                     data_format=None):
    """Each image resampled through its row [a0, a1, a2, b0, b1, b2, c0, c1] of ``transform``: output pixel
    (x, y) reads the input at ((a0 x + a1 y + a2) / k, (b0 x + b1 y + b2) / k), k = c0 x + c1 y + 1."""
    from ...layers.image_augmentation_geometric import FILL_MODES, INTERPOLATIONS, affine_transform as warp
    x, first = _nhwc(images, data_format, "affine_transform")
    x, single = _batch_of(x)
    _one_of("affine_transform", "interpolation", interpolation, INTERPOLATIONS)
    _one_of("affine_transform", "fill_mode", fill_mode, FILL_MODES)
    out = warp(x, _rows("affine_transform", "transform", transform, (8,), x.shape[0]), interpolation, fill_mode,
               float(fill_value))
    return _back(ops.squeeze(out, 0) if single else out, first)


def perspective_transform(images, start_points, end_points, interpolation="bilinear", fill_value=0,
                          data_format=None):
    """Each image warped so that its ``start_points`` (4 (x, y) corners) land on ``end_points``; outside the
    image, ``fill_value``."""
    from ...layers.image_warp import homographies
    x, first = _nhwc(images, data_format, "perspective_transform")
    n = x.shape[0] if x.ndim == 4 else 1
    start = _rows("perspective_transform", "start_points", start_points, (4, 2), n)
    end = _rows("perspective_transform", "end_points", end_points, (4, 2), n)
    return affine_transform(_back(x, first), homographies(start, end), interpolation, "constant", fill_value,
                            "channels_first" if first else "channels_last")


def gaussian_blur(images, kernel_size=(3, 3), sigma=(1.0, 1.0), data_format=None):
    """Each channel convolved with the Gaussian of ``kernel_size`` taps and standard deviations ``sigma`` (x,
    y), zero padding ('same')."""
    from ...layers.image_filters import depthwise, gaussian_kernel
    x, first = _nhwc(images, data_format, "gaussian_blur")
    x, single = _batch_of(x)
    sizes = tuple(int(k) for k in (kernel_size if isinstance(kernel_size, (tuple, list)) else (kernel_size,) * 2))
    sigmas = tuple(float(v) for v in (sigma if isinstance(sigma, (tuple, list)) else (sigma,) * 2))
    out = depthwise(x, gaussian_kernel(sizes, sigmas))
    return _back(ops.squeeze(out, 0) if single else out, first)


def elastic_transform(images, alpha=20.0, sigma=5.0, interpolation="bilinear", fill_mode="reflect",
                      fill_value=0.0, seed=None, data_format=None):
    """Each image's pixels moved by alpha times a Gaussian-smoothed (``sigma``) field of N(0, sigma^2) draws,
    as Keras 3.15 draws it (one field for both axes); ``seed``: as keras.random's."""
    from ...layers.image_warp import ELASTIC_FILL_MODES, elastic_warp
    from ...random import generator_for
    x, first = _nhwc(images, data_format, "elastic_transform")
    x, single = _batch_of(x)
    _one_of("elastic_transform", "interpolation", interpolation, ("nearest", "bilinear"))
    _one_of("elastic_transform", "fill_mode", fill_mode, ELASTIC_FILL_MODES)
    out = elastic_warp(x, float(alpha), float(sigma), interpolation, fill_mode, float(fill_value),
                       generator_for(seed))
    return _back(ops.squeeze(out, 0) if single else out, first)


NAMES = ("resize rgb_to_grayscale rgb_to_hsv hsv_to_rgb extract_patches crop_images pad_images rgb_to_yuv "
         "yuv_to_rgb affine_transform perspective_transform gaussian_blur elastic_transform")
