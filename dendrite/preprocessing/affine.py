"""Keras 2's image transform functions (``keras.preprocessing.image``): ``apply_affine_transform`` and its
random forms ``random_rotation``, ``random_shift``, ``random_shear``, ``random_zoom``; ``apply_channel_shift`` /
``random_channel_shift``; ``apply_brightness_shift`` / ``random_brightness``; ``smart_resize``.

One image is rank 3; by default channels first (``channel_axis=0, row_axis=1, col_axis=2``), as Keras 2's
functions take it. The transform is the product rotation · shift · shear · zoom (degrees for angles),
taken about the image centre; each output pixel reads the input at the transformed position, interpolated
linearly (``order=1``) or from the nearest pixel (``order=0``), positions outside the image filled by
``fill_mode``: 'nearest' (the edge pixel), 'constant' (``cval``), 'reflect' (mirrored about the edge,
``d c b a | a b c d``) or 'wrap' (the image repeated). The random forms draw from dendrite's generator
(``keras.utils.set_random_seed`` repeats them), not from NumPy's global one.
"""
import numpy as np

from ..random import generator_for

FILL_MODES = ("nearest", "constant", "reflect", "wrap")
NAMES = ("apply_affine_transform random_rotation random_shift random_shear random_zoom apply_channel_shift "
         "random_channel_shift apply_brightness_shift random_brightness smart_resize")


def _check_axes(x, row_axis, col_axis, channel_axis, who):
    if len({row_axis, col_axis, channel_axis}) != 3 or {row_axis, col_axis, channel_axis} != {0, 1, 2}:
        raise ValueError(f"{who}: `row_axis`, `col_axis` and `channel_axis` must be 0, 1 and 2 in some order. "
                         f"Received: row_axis={row_axis}, col_axis={col_axis}, channel_axis={channel_axis}.")
    if np.ndim(x) != 3:
        raise ValueError(f"{who}: `x` must be one image of rank 3 (with a channel axis). Received shape "
                         f"{np.shape(x)}; add a channel axis with x[..., None] (and channel_axis=2).")
    if channel_axis not in (0, 2):
        raise ValueError(f"{who}: the channel axis must be the first or the last (0 or 2). Received: {channel_axis}.")


def _index(i, n, mode):
    if mode == "reflect":
        m = np.mod(i, 2 * n)
        return np.where(m >= n, 2 * n - 1 - m, m)
    if mode == "wrap":
        return np.mod(i, n)
    return np.clip(i, 0, n - 1)


def _sample(images, rows, cols, order, mode, cval):
    """``images`` (n, h, w, channels) read at the float positions ``rows``, ``cols`` (n, points): (n, points,
    channels), every channel of an image read at once (a take from the flattened batch)."""
    n, h, w, c = images.shape
    flat = images.reshape(n * h * w, c)
    base = (np.arange(n) * h)[:, None]

    def read(r, col):
        return flat.take(((base + _index(r, h, mode)) * w + _index(col, w, mode)).ravel(), axis=0).reshape(
            *r.shape, c)
    if order == 0:
        out = read(np.floor(rows + 0.5).astype(np.int64), np.floor(cols + 0.5).astype(np.int64))
    else:  # linear along the columns in the two rows, then between the rows
        r0, c0 = np.floor(rows), np.floor(cols)
        fr, fc = (rows - r0)[..., None].astype(images.dtype), (cols - c0)[..., None].astype(images.dtype)
        r0, c0 = r0.astype(np.int64), c0.astype(np.int64)
        top, bottom = read(r0, c0), read(r0 + 1, c0)
        top += fc * (read(r0, c0 + 1) - top)
        bottom += fc * (read(r0 + 1, c0 + 1) - bottom)
        out = top
        out += fr * (bottom - top)
    if mode == "constant":
        eps = 1e-9
        outside = (rows < -eps) | (rows > h - 1 + eps) | (cols < -eps) | (cols > w - 1 + eps)
        out = np.where(outside[..., None], out.dtype.type(cval), out)
    return out


def affine_matrix(theta=0, tx=0, ty=0, shear=0, zx=1, zy=1, height=1, width=1, swap=True):
    """The 3x3 matrix taking an output pixel's (row, column) to the input position it reads (``swap``: the
    columns come after the rows in the array, as Keras swaps its (x, y) matrix), or None for no transform."""
    matrix = np.eye(3)
    changed = False
    if theta != 0:
        t = np.deg2rad(theta)
        matrix = matrix @ np.array([[np.cos(t), -np.sin(t), 0], [np.sin(t), np.cos(t), 0], [0, 0, 1]])
        changed = True
    if tx != 0 or ty != 0:
        matrix = matrix @ np.array([[1, 0, tx], [0, 1, ty], [0, 0, 1]])
        changed = True
    if shear != 0:
        s = np.deg2rad(shear)
        matrix = matrix @ np.array([[1, -np.sin(s), 0], [0, np.cos(s), 0], [0, 0, 1]])
        changed = True
    if zx != 1 or zy != 1:
        matrix = matrix @ np.array([[zx, 0, 0], [0, zy, 0], [0, 0, 1]])
        changed = True
    if not changed:
        return None
    h, w = height, width
    centre = np.array([[1, 0, h / 2 - 0.5], [0, 1, w / 2 - 0.5], [0, 0, 1]])
    back = np.array([[1, 0, -(h / 2 - 0.5)], [0, 1, -(w / 2 - 0.5)], [0, 0, 1]])
    matrix = centre @ matrix @ back
    if swap:  # the matrix is built in (x, y) order; arrays index (row, col): swap, as Keras does
        matrix = matrix[[1, 0, 2]][:, [1, 0, 2]]
    return matrix


def affine_sample(images, matrices, fill_mode="nearest", cval=0.0, order=1):
    """Channels-last ``images`` (n, rows, columns, channels), each read through its own matrix from
    affine_matrix (n, 3, 3): a float batch of the same shape (the images' float type, else float64). One
    gather per corner for the whole batch."""
    n, n0, n1, c = images.shape
    grid0, grid1 = np.meshgrid(np.arange(n0), np.arange(n1), indexing="ij")
    grid = np.stack([grid0.ravel(), grid1.ravel()]).astype(np.float64)
    pos = matrices[:, :2, :2] @ grid + matrices[:, :2, 2:]
    images = images if images.dtype.kind == "f" else images.astype(np.float64)
    return _sample(images, pos[:, 0], pos[:, 1], order, fill_mode, cval).reshape(n, n0, n1, c)


def apply_affine_transform(x, theta=0, tx=0, ty=0, shear=0, zx=1, zy=1, row_axis=1, col_axis=2, channel_axis=0,
                           fill_mode="nearest", cval=0.0, order=1):
    """``x`` under rotation by ``theta`` degrees, the shift (``tx`` along the rows, ``ty`` along the columns,
    in pixels), ``shear`` degrees and zoom ``zx`` / ``zy`` (see the module)."""
    who = "apply_affine_transform"
    x = np.asarray(x)
    _check_axes(x, row_axis, col_axis, channel_axis, who)
    check_sampling(who, fill_mode, order)
    matrix = affine_matrix(theta, tx, ty, shear, zx, zy, x.shape[row_axis], x.shape[col_axis], col_axis > row_axis)
    if matrix is None:
        return x
    out = affine_sample(np.moveaxis(x, channel_axis, -1)[None], matrix[None], fill_mode, cval, order)[0]
    return np.moveaxis(out.astype(x.dtype if x.dtype.kind == "f" else np.float64), -1, channel_axis)


def check_sampling(who, fill_mode, order):
    if fill_mode not in FILL_MODES:
        raise ValueError(f"{who}: `fill_mode` must be one of {FILL_MODES}. Received: {fill_mode!r}.")
    if order not in (0, 1):
        raise NotImplementedError(f"{who}: only order=0 (nearest) and order=1 (linear) interpolation are "
                                  f"supported by dendrite (received order={order}); see docs/compat.md.")


def random_rotation(x, rg, row_axis=1, col_axis=2, channel_axis=0, fill_mode="nearest", cval=0.0,
                    interpolation_order=1):
    """A rotation by an angle drawn uniformly from [-rg, rg] degrees."""
    theta = generator_for(None).uniform(-rg, rg)
    return apply_affine_transform(x, theta=theta, row_axis=row_axis, col_axis=col_axis, channel_axis=channel_axis,
                                  fill_mode=fill_mode, cval=cval, order=interpolation_order)


def random_shift(x, wrg, hrg, row_axis=1, col_axis=2, channel_axis=0, fill_mode="nearest", cval=0.0,
                 interpolation_order=1):
    """A shift by fractions of the height (drawn from [-hrg, hrg]) and width ([-wrg, wrg])."""
    h, w = np.shape(x)[row_axis], np.shape(x)[col_axis]
    rng = generator_for(None)
    tx = rng.uniform(-hrg, hrg) * h
    ty = rng.uniform(-wrg, wrg) * w
    return apply_affine_transform(x, tx=tx, ty=ty, row_axis=row_axis, col_axis=col_axis, channel_axis=channel_axis,
                                  fill_mode=fill_mode, cval=cval, order=interpolation_order)


def random_shear(x, intensity, row_axis=1, col_axis=2, channel_axis=0, fill_mode="nearest", cval=0.0,
                 interpolation_order=1):
    """A shear by an angle drawn from [-intensity, intensity] degrees."""
    shear = generator_for(None).uniform(-intensity, intensity)
    return apply_affine_transform(x, shear=shear, row_axis=row_axis, col_axis=col_axis, channel_axis=channel_axis,
                                  fill_mode=fill_mode, cval=cval, order=interpolation_order)


def random_zoom(x, zoom_range, row_axis=1, col_axis=2, channel_axis=0, fill_mode="nearest", cval=0.0,
                interpolation_order=1):
    """A zoom by factors (rows, columns) drawn from ``zoom_range`` = (lower, upper)."""
    if np.ndim(zoom_range) != 1 or len(zoom_range) != 2:
        raise ValueError(f"random_zoom: `zoom_range` must be a tuple or list of two floats. Received: {zoom_range!r}.")
    if zoom_range[0] == 1 and zoom_range[1] == 1:
        zx, zy = 1, 1
    else:
        zx, zy = generator_for(None).uniform(zoom_range[0], zoom_range[1], 2)
    return apply_affine_transform(x, zx=zx, zy=zy, row_axis=row_axis, col_axis=col_axis, channel_axis=channel_axis,
                                  fill_mode=fill_mode, cval=cval, order=interpolation_order)


def apply_channel_shift(x, intensity, channel_axis=0):
    """``intensity`` added to every channel, clipped to the image's own range."""
    x = np.asarray(x)
    if np.ndim(x) != 3:
        raise ValueError(f"apply_channel_shift: `x` must be one image of rank 3. Received shape {np.shape(x)}.")
    lo, hi = np.min(x), np.max(x)
    channels = np.moveaxis(x, channel_axis, 0)
    out = np.stack([np.clip(c + intensity, lo, hi) for c in channels])
    return np.moveaxis(out, 0, channel_axis)


def random_channel_shift(x, intensity_range, channel_axis=0):
    """apply_channel_shift by an intensity drawn from [-intensity_range, intensity_range]."""
    intensity = generator_for(None).uniform(-intensity_range, intensity_range)
    return apply_channel_shift(x, intensity, channel_axis=channel_axis)


def apply_brightness_shift(x, brightness, scale=True):
    """One channels-last image with its brightness scaled by ``brightness`` (Pillow's ImageEnhance on the
    image as 8 bits: 0 black, 1 unchanged); values outside [0, 255] are rescaled in and, with
    ``scale=False``, back out."""
    from ..utils.image_utils import array_to_img, img_to_array
    try:
        from PIL import ImageEnhance
    except ImportError:
        raise ImportError("apply_brightness_shift needs Pillow: pip install pillow") from None
    x = np.asarray(x)
    if np.ndim(x) != 3:
        raise ValueError(f"apply_brightness_shift: `x` must be one image of rank 3. Received shape {np.shape(x)}.")
    lo, hi = np.min(x), np.max(x)
    local_scale = lo < 0 or hi > 255
    img = array_to_img(x, data_format="channels_last", scale=bool(local_scale or scale))
    out = img_to_array(ImageEnhance.Brightness(img).enhance(brightness), data_format="channels_last")
    if not scale and local_scale:
        out = out / 255 * (hi - lo) + lo
    return out


def random_brightness(x, brightness_range, scale=True):
    """apply_brightness_shift by a factor drawn from ``brightness_range`` = (lower, upper)."""
    if np.ndim(brightness_range) != 1 or len(brightness_range) != 2:
        raise ValueError("random_brightness: `brightness_range` must be a tuple or list of two floats. "
                         f"Received: {brightness_range!r}.")
    u = generator_for(None).uniform(brightness_range[0], brightness_range[1])
    return apply_brightness_shift(x, u, scale)


def smart_resize(x, size, interpolation="bilinear", data_format="channels_last", backend_module=None):
    """One image (rank 3) or a batch (rank 4) resized to ``size`` = (height, width) without distorting it:
    the largest centred window of the target's aspect ratio is cropped, then resized."""
    from ..image.resize import resize
    x = np.asarray(x)
    if x.ndim not in (3, 4):
        raise ValueError(f"smart_resize: `x` must be an image of rank 3 or a batch of rank 4. Received shape "
                         f"{x.shape}.")
    if len(size) != 2:
        raise ValueError(f"smart_resize: `size` must be (height, width). Received: {size!r}.")
    channels_first = data_format == "channels_first"
    img = np.moveaxis(x, -3, -1) if channels_first else x
    height, width = img.shape[-3], img.shape[-2]
    th, tw = int(size[0]), int(size[1])
    rows = max(min(height, int(float(width * th) / tw)), 1)
    cols = max(min(width, int(float(height * tw) / th)), 1)
    top, left = int(float(height - rows) / 2), int(float(width - cols) / 2)
    img = img[..., top:top + rows, left:left + cols, :]
    out = resize(img, (th, tw), method=interpolation)
    return np.moveaxis(out, -1, -3) if channels_first else out
