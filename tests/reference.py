"""Slow, loop-based reference implementations that tests compare dendrite's ops against."""
import numpy as np


def _same_pads(size, k, s, d):
    dk = (k - 1) * d + 1
    out = -(-size // s)
    total = max((out - 1) * s + dk - size, 0)
    return out, total // 2


def ref_conv2d(x, w, b=None, strides=(1, 1), padding="valid", dilation=(1, 1), groups=1):
    """Direct convolution: loops over output pixels and kernel taps; zero outside the input."""
    n, h, wd, c = x.shape
    kh, kw, cg, o = w.shape
    og = o // groups
    geo = []
    for size, k, s, d in ((h, kh, strides[0], dilation[0]), (wd, kw, strides[1], dilation[1])):
        if padding == "same":
            geo.append(_same_pads(size, k, s, d))
        else:
            geo.append(((size - (k - 1) * d - 1) // s + 1, 0))
    (oh, pt), (ow, pl) = geo
    y = np.zeros((n, oh, ow, o))
    for a in range(oh):
        for bb in range(ow):
            for i in range(kh):
                for j in range(kw):
                    r, q = a * strides[0] + i * dilation[0] - pt, bb * strides[1] + j * dilation[1] - pl
                    if 0 <= r < h and 0 <= q < wd:
                        for g in range(groups):
                            y[:, a, bb, g * og:(g + 1) * og] += \
                                x[:, r, q, g * cg:(g + 1) * cg] @ w[i, j, :, g * og:(g + 1) * og]
    return y if b is None else y + b
