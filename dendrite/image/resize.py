"""``resize``: tf.image.resize's interpolations, as separable (n_out, n_in) weight matrices per spatial axis.

Pixel centres sit at half-integers: output pixel i samples input position (i + 0.5) * in / out - 0.5.
- 'nearest': the input pixel containing (i + 0.5) * in / out (computed in float32 as TensorFlow does, so
  ties fall the same way); keeps the input's dtype.
- 'bilinear': linear between the two neighbours, clamped at the edges.
- 'bicubic': Keys' cubic (a = -0.5) on four neighbours; taps outside the image get weight 0 and the rest
  are renormalised; the fractional position is rounded to 1/1024 first (TensorFlow reads its weights from a
  1024-step table).
- 'area': each output pixel averages the input area it covers, by overlap.
- 'lanczos3', 'lanczos5', 'gaussian', 'mitchellcubic' (and 'bilinear' / 'bicubic' with ``antialias=True``;
  'gaussian' only without it):
  TensorFlow's scale-and-translate sampling: a kernel centred on each output sample, stretched by the
  downscaling factor when antialiasing, weights renormalised over the taps inside the image.
Every method but 'nearest' returns float32, as tf.image.resize does.
"""
import numpy as np

from ..layers.reshaping import bilinear_matrix

METHODS = ("bilinear", "nearest", "bicubic", "area", "lanczos3", "lanczos5", "gaussian", "mitchellcubic")
_KEYS_TABLE = 1024


def _keys_cubic(x, a=-0.5):
    x = np.abs(x)
    near = ((a + 2) * x - (a + 3)) * x * x + 1
    far = ((a * x - 5 * a) * x + 8 * a) * x - 4 * a
    return np.where(x < 1, near, np.where(x < 2, far, 0.0))


def _mitchell(x):
    x = np.abs(x)
    near = ((7 / 6 * x - 2) * x) * x + 8 / 9
    far = (((-7 / 18) * x + 2) * x - 10 / 3) * x + 16 / 9
    return np.where(x < 1, near, np.where(x < 2, far, 0.0))


def _lanczos(radius):
    def kernel(x):
        x = np.abs(x)
        with np.errstate(invalid="ignore", divide="ignore"):
            v = radius * np.sin(np.pi * x) * np.sin(np.pi * x / radius) / (np.pi ** 2 * x * x)
        return np.where(x > radius, 0.0, np.where(x <= 1e-3, 1.0, v))
    return kernel, radius


_KERNELS = {  # name: (kernel, radius)
    "triangle": (lambda x: np.maximum(0.0, 1 - np.abs(x)), 1.0),
    "keyscubic": (_keys_cubic, 2.0),
    "mitchellcubic": (_mitchell, 2.0),
    "lanczos3": _lanczos(3),
    "lanczos5": _lanczos(5),
    "gaussian": (lambda x: np.where(np.abs(x) < 1.5, np.exp(-np.square(x) / (2 * 0.25)), 0.0), 1.5),
}


def _nearest_index(n_in, n_out):
    scale = np.float32(n_in) / np.float32(n_out)
    pos = (np.arange(n_out, dtype=np.float32) + np.float32(0.5)) * scale
    return np.minimum(np.floor(pos).astype(np.int64), n_in - 1)


def _bicubic_matrix(n_in, n_out):
    scale = np.float32(n_in) / np.float32(n_out)
    pos = (np.arange(n_out, dtype=np.float32) + np.float32(0.5)) * scale - np.float32(0.5)
    base = np.floor(pos)
    delta = np.rint((pos - base) * _KEYS_TABLE) / _KEYS_TABLE
    base = base.astype(np.int64)
    m = np.zeros((n_out, n_in))
    rows = np.arange(n_out)
    for tap in (-1, 0, 1, 2):
        index = base + tap
        inside = (index >= 0) & (index < n_in)
        np.add.at(m, (rows[inside], index[inside]), _keys_cubic(delta[inside] - tap))
    return m / m.sum(axis=1, keepdims=True)


def _area_matrix(n_in, n_out):
    scale = n_in / n_out
    lo, hi = np.arange(n_out) * scale, (np.arange(n_out) + 1) * scale
    edges = np.arange(n_in + 1)
    overlap = np.clip(np.minimum(hi[:, None], edges[None, 1:]) - np.maximum(lo[:, None], edges[None, :-1]), 0, None)
    return overlap / scale


def _scale_and_translate_matrix(n_in, n_out, kernel_name, antialias):
    kernel, radius = _KERNELS[kernel_name]
    scale = n_out / n_in
    kernel_scale = max(1 / scale, 1.0) if antialias else 1.0
    sample = (np.arange(n_out) + 0.5) / scale
    start = np.clip(np.ceil(sample - radius * kernel_scale - 0.5), 0, n_in - 1).astype(np.int64)
    end = np.clip(np.floor(sample + radius * kernel_scale - 0.5), 0, n_in - 1).astype(np.int64) + 1
    source = np.arange(n_in)
    taps = (source[None, :] >= start[:, None]) & (source[None, :] < end[:, None])
    m = np.where(taps, kernel((source[None, :] + 0.5 - sample[:, None]) / kernel_scale), 0.0)
    total = m.sum(axis=1, keepdims=True)
    return np.where(np.abs(total) >= 1000 * np.finfo(np.float32).tiny, m / np.where(total == 0, 1, total), m)


def weight_matrix(n_in, n_out, method, antialias):
    """(n_out, n_in) float64 weights that resample one axis (any method but 'nearest')."""
    if method == "area":
        return _area_matrix(n_in, n_out)
    if method in ("bilinear", "bicubic") and antialias:
        return _scale_and_translate_matrix(n_in, n_out, "triangle" if method == "bilinear" else "keyscubic", True)
    if method == "bilinear":
        return bilinear_matrix(n_in, n_out, np.float64)
    if method == "bicubic":
        return _bicubic_matrix(n_in, n_out)
    return _scale_and_translate_matrix(n_in, n_out, method, antialias)


def _size(size, who):
    size = tuple(np.asarray(size).tolist()) if size is not None else ()
    if len(size) != 2 or any(isinstance(s, bool) or not isinstance(s, int) or s < 1 for s in size):
        raise ValueError(f"{who}: size must be 2 positive ints (new_height, new_width); received size={size!r}.")
    return size


def resize(images, size, method="bilinear", preserve_aspect_ratio=False, antialias=False):
    """Resize (height, width, channels) or (batch, height, width, channels) images to ``size``
    (tf.image.resize); see the module docstring for the methods."""
    who = "resize"
    x = np.asarray(images)
    if x.ndim not in (3, 4):
        raise ValueError(f"{who}: images must be 3-D (height, width, channels) or 4-D (batch, height, width, "
                         f"channels); received shape {x.shape}.")
    height, width = _size(size, who)
    name = method.lower() if isinstance(method, str) else method
    if name not in METHODS:
        raise ValueError(f"{who}: method must be one of {', '.join(METHODS)}; received method={method!r}.")
    if name == "gaussian" and antialias:
        raise ValueError(f"{who}: method='gaussian' with antialias=True is not supported (TensorFlow's weights for "
                         f"it do not follow its documented kernel, so dendrite cannot match them); use "
                         f"antialias=False, or another method such as 'lanczos3'.")
    batch = x if x.ndim == 4 else x[None]
    h, w = batch.shape[1:3]
    if preserve_aspect_ratio:
        f = min(np.float32(height) / np.float32(h), np.float32(width) / np.float32(w))
        height, width = int(np.rint(f * np.float32(h))), int(np.rint(f * np.float32(w)))
    if name == "nearest":
        out = batch[:, _nearest_index(h, height)][:, :, _nearest_index(w, width)]
    else:
        rows, cols = weight_matrix(h, height, name, antialias), weight_matrix(w, width, name, antialias)
        out = np.einsum("ph,nhwc->npwc", rows, batch.astype(np.float64), optimize=True)
        out = np.einsum("qw,npwc->npqc", cols, out, optimize=True).astype(np.float32)
    return out if x.ndim == 4 else out[0]
