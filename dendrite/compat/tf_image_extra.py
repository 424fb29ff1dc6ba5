"""``tf.image`` names beyond dendrite.image: saturation, hue and gamma adjustments and their random forms,
colour spaces (HSV, YUV, YIQ), image gradients (image_gradients, sobel_edges), the quality measures
(total_variation, psnr, ssim; differentiable, so they serve as losses), patches, resize_with_pad,
crop_and_resize and non_max_suppression. Colour adjustments take and give float images in [0, 1]."""
import numpy as np

from ..autodiff import ops
from ..image.dtypes import convert_image_dtype
from ..random import generator_for
from .keras_ops import image as _kimage
from .keras_ops.convert import arr, const, flt

rgb_to_hsv = _kimage.rgb_to_hsv
hsv_to_rgb = _kimage.hsv_to_rgb
rgb_to_yuv = _kimage.rgb_to_yuv
yuv_to_rgb = _kimage.yuv_to_rgb
_RGB_TO_YIQ = [[0.299, 0.59590059, 0.2115], [0.587, -0.27455667, -0.52273617], [0.114, -0.32134392, 0.31119955]]


def rgb_to_yiq(images):
    return _kimage._yuv(images, _RGB_TO_YIQ, "channels_last", "rgb_to_yiq")


def yiq_to_rgb(images):
    return _kimage._yuv(images, np.linalg.inv(np.array(_RGB_TO_YIQ)).tolist(), "channels_last", "yiq_to_rgb")


def _in_hsv(image, fn):
    v = arr(image)
    f = convert_image_dtype(v, np.float32) if v.dtype.kind in "iu" else v
    hsv = _kimage.rgb_to_hsv_array(f)
    out = _kimage.hsv_to_rgb_array(fn(hsv))
    return const(convert_image_dtype(out, v.dtype, saturate=True) if v.dtype.kind in "iu" else out.astype(v.dtype))


def adjust_saturation(image, saturation_factor, name=None):
    def fn(hsv):
        hsv[..., 1] = np.clip(hsv[..., 1] * saturation_factor, 0, 1)
        return hsv
    return _in_hsv(image, fn)


def adjust_hue(image, delta, name=None):
    if not -1 <= delta <= 1:
        raise ValueError(f"tf.image.adjust_hue: `delta` must lie in [-1, 1]; received delta={delta}.")

    def fn(hsv):
        hsv[..., 0] = (hsv[..., 0] + delta) % 1.0
        return hsv
    return _in_hsv(image, fn)


def adjust_gamma(image, gamma=1, gain=1):
    if gamma < 0:
        raise ValueError(f"tf.image.adjust_gamma: `gamma` must be non-negative; received gamma={gamma}.")
    v = arr(image)
    f = convert_image_dtype(v, np.float32) if v.dtype.kind in "iu" else v
    out = gain * f ** gamma
    return const(convert_image_dtype(out, v.dtype, saturate=True) if v.dtype.kind in "iu" else out.astype(v.dtype))


def random_saturation(image, lower, upper, seed=None):
    if not 0 <= lower < upper:
        raise ValueError(f"tf.image.random_saturation: expected 0 <= lower < upper; received lower={lower}, "
                         f"upper={upper}.")
    return adjust_saturation(image, float(generator_for(seed).uniform(lower, upper)))


def random_hue(image, max_delta, seed=None):
    if not 0 <= max_delta <= 0.5:
        raise ValueError(f"tf.image.random_hue: `max_delta` must lie in [0, 0.5]; received {max_delta}.")
    return adjust_hue(image, float(generator_for(seed).uniform(-max_delta, max_delta)))


def image_gradients(image):
    """(dy, dx): the differences to the next row and column, zero in the last row and column."""
    x = flt(image)
    if x.ndim != 4:
        raise ValueError(f"tf.image.image_gradients: expected a 4-D batch (batch, height, width, channels); received "
                         f"shape {x.shape}.")
    dy = ops.pad(ops.subtract(x[:, 1:], x[:, :-1]), [(0, 0), (0, 1), (0, 0), (0, 0)])
    dx = ops.pad(ops.subtract(x[:, :, 1:], x[:, :, :-1]), [(0, 0), (0, 0), (0, 1), (0, 0)])
    return dy, dx


def sobel_edges(image):
    """(batch, height, width, channels, 2): the vertical then horizontal Sobel responses, reflect-padded."""
    x = flt(image)
    ky = np.array([[-1, -2, -1], [0, 0, 0], [1, 2, 1]], x.dtype)
    kernels = np.stack([ky, ky.T], -1)  # (3, 3, 2)
    xp = ops.take(ops.take(x, np.pad(np.arange(x.shape[1]), 1, mode="reflect"), axis=1),
                  np.pad(np.arange(x.shape[2]), 1, mode="reflect"), axis=2)
    h, w = x.shape[1], x.shape[2]
    out = None
    for i in range(3):
        for j in range(3):
            term = ops.multiply(ops.expand_dims(xp[:, i:i + h, j:j + w], -1), const(kernels[i, j]))
            out = term if out is None else ops.add(out, term)
    return out


def total_variation(images, name=None):
    """The sum of absolute differences between neighbouring pixels, per image (or one number for 3-D input)."""
    x = flt(images)
    axes = tuple(range(x.ndim - 3, x.ndim))
    dh = ops.abs(ops.subtract(x[..., 1:, :, :], x[..., :-1, :, :]))
    dw = ops.abs(ops.subtract(x[..., :, 1:, :], x[..., :, :-1, :]))
    return ops.add(ops.sum(dh, axis=axes), ops.sum(dw, axis=axes))


def psnr(a, b, max_val, name=None):
    """10 log10(max_val^2 / mse), the mean over each image's height, width and channels."""
    x, y = flt(a), flt(b)
    mse = ops.mean(ops.square(ops.subtract(x, y)), axis=(-3, -2, -1))
    return ops.multiply(ops.subtract(2 * np.log(max_val), ops.log(mse)), 10.0 / np.log(10.0))


def _gaussian(size, sigma, dtype):
    g = np.exp(-((np.arange(size) - (size - 1) / 2.0) ** 2) / (2 * sigma * sigma))
    g = g / g.sum()
    return np.outer(g, g).astype(dtype)


def ssim(img1, img2, max_val, filter_size=11, filter_sigma=1.5, k1=0.01, k2=0.03, return_index_map=False):
    """Structural similarity per image (TensorFlow's: an 11x11 Gaussian window of sigma 1.5, valid positions,
    the map averaged over height, width and channels); differentiable."""
    x, y = flt(img1), flt(img2)
    single = x.ndim == 3
    if single:
        x, y = ops.expand_dims(x, 0), ops.expand_dims(y, 0)
    c = x.shape[-1]
    size = min(filter_size, x.shape[1], x.shape[2])
    kernel = const(np.repeat(_gaussian(size, filter_sigma, x.dtype)[:, :, None, None], c, axis=2))

    def blur(v):
        return ops.depthwise_conv2d(v, kernel, strides=1, padding="valid")
    c1, c2 = (k1 * max_val) ** 2, (k2 * max_val) ** 2
    mu_x, mu_y = blur(x), blur(y)
    mu_xy, mu_xx, mu_yy = ops.multiply(mu_x, mu_y), ops.square(mu_x), ops.square(mu_y)
    luminance = ops.divide(ops.add(ops.multiply(mu_xy, 2.0), c1), ops.add(ops.add(mu_xx, mu_yy), c1))
    cov = ops.subtract(blur(ops.multiply(x, y)), mu_xy)
    var = ops.subtract(ops.add(blur(ops.square(x)), blur(ops.square(y))), ops.add(mu_xx, mu_yy))
    cs = ops.divide(ops.add(ops.multiply(cov, 2.0), c2), ops.add(var, c2))
    index = ops.multiply(luminance, cs)
    out = index if return_index_map else ops.mean(index, axis=(1, 2, 3))
    return ops.squeeze(out, 0) if single else out


def extract_patches(images, sizes, strides, rates, padding, name=None):
    return _kimage.extract_patches(images, tuple(sizes[1:3]), tuple(strides[1:3]), tuple(rates[1:3]),
                                   str(padding).lower(), data_format="channels_last")


def resize_with_pad(image, target_height, target_width, method="bilinear", antialias=False):
    """Resized to fit inside (target_height, target_width) keeping the aspect ratio, then zero-padded around."""
    x = flt(image)
    h, w = x.shape[-3], x.shape[-2]
    scale = min(target_height / h, target_width / w)
    nh, nw = max(1, int(h * scale)), max(1, int(w * scale))
    resized = _kimage.resize(x, (nh, nw), interpolation=method, antialias=antialias, data_format="channels_last")
    top, left = (target_height - nh) // 2, (target_width - nw) // 2
    return _kimage.pad_images(resized, top, left, target_height=target_height, target_width=target_width,
                              data_format="channels_last")


def crop_and_resize(image, boxes, box_indices, crop_size, method="bilinear", extrapolation_value=0.0, name=None):
    """TensorFlow's crop_and_resize: each box (y1, x1, y2, x2, normalized) of image box_indices[i] sampled on a
    crop_size grid, bilinearly (or nearest), extrapolation_value outside the image. Differentiable in image."""
    x = flt(image)
    b = np.asarray(arr(boxes), np.float64)
    idx = np.asarray(arr(box_indices), np.int64)
    ch, cw = (int(v) for v in crop_size)
    n, h, w, _ = x.shape

    def grid(lo, hi, count, size):
        steps = np.arange(count) / (count - 1) if count > 1 else np.full(1, 0.5)
        start = lo[:, None] * (size - 1)
        span = (hi - lo)[:, None] * (size - 1)
        return start + (steps[None, :] * span if count > 1 else 0.5 * span)
    ys, xs = grid(b[:, 0], b[:, 2], ch, h), grid(b[:, 1], b[:, 3], cw, w)  # (boxes, ch), (boxes, cw)
    inside = ((ys >= 0) & (ys <= h - 1))[:, :, None] & ((xs >= 0) & (xs <= w - 1))[:, None, :]
    if method == "nearest":
        yi, xi = np.clip(np.rint(ys), 0, h - 1).astype(np.int64), np.clip(np.rint(xs), 0, w - 1).astype(np.int64)
        out = ops.getitem(x, (idx[:, None, None], yi[:, :, None], xi[:, None, :]))
    else:
        y0, x0 = np.clip(np.floor(ys), 0, h - 1).astype(np.int64), np.clip(np.floor(xs), 0, w - 1).astype(np.int64)
        y1, x1 = np.minimum(y0 + 1, h - 1), np.minimum(x0 + 1, w - 1)
        wy, wx = (ys - y0)[:, :, None, None].astype(x.dtype), (xs - x0)[:, None, :, None].astype(x.dtype)
        at = lambda yy, xx: ops.getitem(x, (idx[:, None, None], yy[:, :, None], xx[:, None, :]))  # noqa: E731
        top = ops.add(ops.multiply(at(y0, x0), const(1 - wx)), ops.multiply(at(y0, x1), const(wx)))
        bottom = ops.add(ops.multiply(at(y1, x0), const(1 - wx)), ops.multiply(at(y1, x1), const(wx)))
        out = ops.add(ops.multiply(top, const(1 - wy)), ops.multiply(bottom, const(wy)))
    return ops.where(inside[..., None], out, const(np.asarray(extrapolation_value, x.dtype)))


def _iou(box, others):
    y1, x1 = np.maximum(box[0], others[:, 0]), np.maximum(box[1], others[:, 1])
    y2, x2 = np.minimum(box[2], others[:, 2]), np.minimum(box[3], others[:, 3])
    inter = np.clip(y2 - y1, 0, None) * np.clip(x2 - x1, 0, None)
    area = lambda bx: np.abs(bx[..., 2] - bx[..., 0]) * np.abs(bx[..., 3] - bx[..., 1])  # noqa: E731
    union = area(box) + area(others) - inter
    return np.where(union > 0, inter / np.where(union > 0, union, 1), 0)


def non_max_suppression(boxes, scores, max_output_size, iou_threshold=0.5, score_threshold=float("-inf"),
                        name=None):
    """Greedy NMS: the indices (int32) of the kept boxes, best score first."""
    b, s = np.asarray(arr(boxes), np.float64), np.asarray(arr(scores), np.float64)
    order = [i for i in np.argsort(-s, kind="stable") if s[i] > score_threshold]
    keep = []
    for i in order:
        if len(keep) >= int(max_output_size):
            break
        if not keep or np.all(_iou(b[i], b[keep]) <= iou_threshold):
            keep.append(i)
    return const(np.asarray(keep, np.int32))


NAMES = ("rgb_to_hsv hsv_to_rgb rgb_to_yuv yuv_to_rgb rgb_to_yiq yiq_to_rgb adjust_saturation adjust_hue "
         "adjust_gamma random_saturation random_hue image_gradients sobel_edges total_variation psnr ssim "
         "extract_patches resize_with_pad crop_and_resize non_max_suppression")
