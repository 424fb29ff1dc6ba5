"""Convolutions: conv2d (grouped, dilated, strided), conv1d, depthwise_conv2d and conv2d_transpose.

Layout is Keras's: images NHWC, kernels (kh, kw, in_channels / groups, out_channels).
'same' padding follows TensorFlow: out = ceil(in / stride),
pad_total = max((out - 1) * stride + dilated_k - in, 0), pad_before = pad_total // 2.

Forward: the padded input is unfolded through a strided view (im2col) into one
(M, kh*kw*C) matrix, copied once into a reused buffer, and multiplied by the kernel
in one matmul; the bias add is fused. Weight gradient: columns^T @ grad.
Input gradient (and the forward of conv2d_transpose): instead of a col2im
scatter-add, the gradient is computed as a stride-1 correlation of the upstream
gradient with the flipped kernel, split into stride x stride sub-pixel phases that
share one set of columns; the phases then interleave into the result with one copy.
The unfolded matrices are bounded: a batch whose columns exceed ``_COLS_BUDGET``
bytes is processed in chunks (and its columns are recomputed in the backward).
"""
import math

from ..tape import Op
from .shape import reshape
from ...backend import get_array_module

_COLS_BUDGET = 256 * 2 ** 20  # bytes of unfolded columns held at once


# ------------------------------------------------------------------ geometry
def _pair(value, name, op):
    if isinstance(value, int) and not isinstance(value, bool):
        value = (value, value)
    try:
        out = tuple(int(v) for v in value)
    except TypeError:
        out = ()
    if len(out) != 2 or any(v < 1 for v in out):
        raise ValueError(f"{op}: `{name}` must be a positive int or a tuple of 2 positive ints; "
                         f"received {name}={value!r}.")
    return out


def _padding_arg(padding, op, allowed=("valid", "same")):
    if isinstance(padding, str):
        p = padding.lower()
        if p in allowed:
            return p
    else:
        try:
            (t, b), (l, r) = padding
            pads = ((int(t), int(b)), (int(l), int(r)))
            if min(t, b, l, r) >= 0:
                return pads
        except (TypeError, ValueError):
            pass
    raise ValueError(f"{op}: `padding` must be one of {', '.join(repr(a) for a in allowed)} or explicit "
                     f"((top, bottom), (left, right)) non-negative ints; received padding={padding!r}.")


def conv_output_length(size, k, stride, dilation, padding):
    """Output length and (pad_before, pad_after) of a convolution along one axis (TensorFlow's rule)."""
    dk = (k - 1) * dilation + 1
    if size is None:
        return None, (0, 0)
    if padding == "same":
        out = -(-size // stride)
        total = max((out - 1) * stride + dk - size, 0)
        return out, (total // 2, total - total // 2)
    if padding == "valid":
        return (size - dk) // stride + 1, (0, 0)
    if padding == "causal":
        return (size - 1) // stride + 1, (dk - 1, 0)
    before, after = padding
    return (size + before + after - dk) // stride + 1, (before, after)


def deconv_output_length(size, k, stride, dilation, padding, output_padding=None):
    """Output length of a transposed convolution along one axis (Keras's rule)."""
    if size is None:
        return None
    dk = (k - 1) * dilation + 1
    if output_padding is None:
        return size * stride + max(dk - stride, 0) if padding == "valid" else size * stride
    pad = dk // 2 if padding == "same" else 0
    return (size - 1) * stride + dk - 2 * pad + output_padding


def _pad(x, pads, xp):
    """x padded with zeros as ((top, bottom), (left, right)) on axes 1, 2; x itself when no padding."""
    (t, b), (l, r) = pads
    if not (t or b or l or r):
        return x
    n, h, w, c = x.shape
    out = xp.empty((n, h + t + b, w + l + r, c), x.dtype)
    out[:, :t] = 0
    out[:, t + h:] = 0
    out[:, t:t + h, :l] = 0
    out[:, t:t + h, l + w:] = 0
    out[:, t:t + h, l:l + w] = x
    return out


def _gather(src, n0, n1, out_hw, k_hw, strides, dil, groups, buf, xp):
    """im2col: the kernel windows of src[n0:n1] -> buf of shape (groups, n, oh, ow, kh, kw, c/groups)."""
    s = src[n0:n1]
    n, _, _, c = s.shape
    sn, sh, sw, sc = s.strides
    cg = c // groups
    view = xp.lib.stride_tricks.as_strided(
        s, (n, out_hw[0], out_hw[1], k_hw[0], k_hw[1], groups, cg),
        (sn, sh * strides[0], sw * strides[1], sh * dil[0], sw * dil[1], sc * cg, sc), writeable=False)
    view = view.transpose(5, 0, 1, 2, 3, 4, 6)
    dst = buf[:, :n]
    if cg * k_hw[1] < out_hw[1] // 2:
        # Few channels: copy one kernel offset at a time, so that the inner loop runs along a row.
        for i in range(k_hw[0]):
            for j in range(k_hw[1]):
                dst[:, :, :, :, i, j] = view[:, :, :, :, i, j]
    else:
        xp.copyto(dst, view)
    return dst


def _chunk(n, per_sample_bytes):
    return n if n * per_sample_bytes <= _COLS_BUDGET else max(1, _COLS_BUDGET // max(per_sample_bytes, 1))


class _ConvCore:
    """The unfolded product shared by the conv and conv-transpose ops: src (padded, NHWC) -> NHWC output."""

    def __init__(self, src, k_hw, out_hw, strides, dil, groups):
        self.src, self.k_hw, self.out_hw, self.strides, self.dil = src, tuple(k_hw), tuple(out_hw), strides, dil
        self.groups, self.cg = groups, src.shape[-1] // groups
        self.kg = k_hw[0] * k_hw[1] * self.cg
        self.rows = out_hw[0] * out_hw[1]
        self.nb = _chunk(src.shape[0], self.rows * self.kg * groups * src.dtype.itemsize)
        self.cols = None

    def chunks(self):
        """(n0, n1, columns of shape (groups, rows, kg)) over the batch; a single chunk's columns are kept."""
        n = self.src.shape[0]
        if self.cols is not None:
            yield 0, n, self.cols
            return
        xp = get_array_module(self.src)
        buf = xp.empty((self.groups, min(self.nb, n), *self.out_hw, *self.k_hw, self.cg), self.src.dtype)
        for n0 in range(0, n, self.nb):
            n1 = min(n, n0 + self.nb)
            cols = _gather(self.src, n0, n1, self.out_hw, self.k_hw, self.strides, self.dil, self.groups, buf, xp)
            cols = cols.reshape(self.groups, (n1 - n0) * self.rows, self.kg)
            if n1 - n0 == n:
                self.cols = cols
            yield n0, n1, cols

    def product(self, kernel, bias=None):
        """sum over each window of src * kernel (+ bias): the convolution output (n, oh, ow, out)."""
        xp = get_array_module(self.src, kernel)
        g, o = self.groups, kernel.shape[-1]
        w2 = kernel.reshape(self.kg, g, o // g).transpose(1, 0, 2)
        out = xp.empty((self.src.shape[0], *self.out_hw, o), xp.result_type(self.src.dtype, kernel.dtype))
        for n0, n1, cols in self.chunks():
            if g == 1:
                xp.matmul(cols, w2, out=out[n0:n1].reshape(1, -1, o))
            else:
                out[n0:n1] = xp.matmul(cols, w2).transpose(1, 0, 2).reshape(n1 - n0, *self.out_hw, o)
        if bias is not None:
            out += bias
        return out

    def weight_grad(self, grad):
        """d(sum(out * grad)) / d kernel, in the kernel's (kh, kw, in/groups, out) layout."""
        xp = get_array_module(grad)
        g, o = self.groups, grad.shape[-1]
        gw = None
        for n0, n1, cols in self.chunks():
            g2 = grad[n0:n1].reshape(-1, g, o // g).transpose(1, 0, 2)
            part = xp.matmul(cols.transpose(0, 2, 1), g2)
            if gw is None:
                gw = part
            else:
                gw += part
        return gw.transpose(1, 0, 2).reshape(*self.k_hw, self.cg, o)


def _input_grad(grad, kernel, in_hw, pads_before, strides, dil, groups):
    """Gradient of conv(x, kernel) with respect to x, of spatial size in_hw (the transposed convolution).

    Along each axis with stride s: dxp[s*a + r] = sum_u grad[a - u] . K[r + s*u] (taps u with r + s*u < k),
    i.e. for every phase r a stride-1 correlation of grad with the flipped sub-kernel. All s*s phases share
    the same grad windows, so one gather and one matmul with the phase kernels side by side give them all.
    """
    xp = get_array_module(grad, kernel)
    kh, kw, cg, o = kernel.shape
    og = o // groups
    n, gh, gw_, _ = grad.shape
    k = [kh, kw]
    taps, tap_dil = [], []
    for ax in range(2):
        s, d = strides[ax], dil[ax]
        if s > 1 and d > 1:  # not reachable from Keras layers: dilate the kernel with zeros instead
            z = xp.zeros(kernel.shape[:ax] + ((k[ax] - 1) * d + 1,) + kernel.shape[ax + 1:], kernel.dtype)
            z[(slice(None),) * ax + (slice(None, None, d),)] = kernel
            kernel, k[ax], d = z, (k[ax] - 1) * d + 1, 1
        taps.append(-(-k[ax] // s))
        tap_dil.append(d)
    (sh, sw), (ku, kv) = strides, taps
    if ku * sh != k[0] or kv * sw != k[1]:
        z = xp.zeros((ku * sh, kv * sw, cg, o), kernel.dtype)
        z[:k[0], :k[1]] = kernel
        kernel = z
    # Phase kernels: rows (u', v', og) with u' = ku-1-u, columns (rh, rw, cg), one block per group.
    kp = kernel.reshape(ku, sh, kv, sw, cg, groups, og)[::-1, :, ::-1]
    kp = kp.transpose(5, 0, 2, 6, 1, 3, 4).reshape(groups, ku * kv * og, sh * sw * cg)
    # Phase rows a that cover the unpadded input rows [p, p + in), and the grad rows their windows read.
    first = [pads_before[ax] // strides[ax] for ax in range(2)]
    count = [(pads_before[ax] + in_hw[ax] - 1) // strides[ax] - first[ax] + 1 for ax in range(2)]
    span = [count[ax] + tap_dil[ax] * (taps[ax] - 1) for ax in range(2)]
    start = [first[ax] - tap_dil[ax] * (taps[ax] - 1) for ax in range(2)]
    win = xp.zeros((n, span[0], span[1], o), grad.dtype)
    src_lo = [max(start[ax], 0) for ax in range(2)]
    src_hi = [min(start[ax] + span[ax], (gh, gw_)[ax]) for ax in range(2)]
    if src_hi[0] > src_lo[0] and src_hi[1] > src_lo[1]:
        win[:, src_lo[0] - start[0]:src_hi[0] - start[0], src_lo[1] - start[1]:src_hi[1] - start[1]] = \
            grad[:, src_lo[0]:src_hi[0], src_lo[1]:src_hi[1]]
    core = _ConvCore(win, (ku, kv), count, (1, 1), tap_dil, groups)
    dx = xp.empty((n, in_hw[0], in_hw[1], cg * groups), xp.result_type(grad.dtype, kernel.dtype))
    off = [pads_before[ax] - strides[ax] * first[ax] for ax in range(2)]
    direct = strides == (1, 1) and groups == 1
    for n0, n1, cols in core.chunks():
        if direct:  # a single phase that covers exactly the input
            xp.matmul(cols, kp, out=dx[n0:n1].reshape(1, -1, cg))
            continue
        r = xp.matmul(cols, kp).reshape(groups, n1 - n0, count[0], count[1], sh, sw, cg)
        r = r.transpose(1, 2, 4, 3, 5, 0, 6).reshape(n1 - n0, count[0] * sh, count[1] * sw, groups * cg)
        dx[n0:n1] = r[:, off[0]:off[0] + in_hw[0], off[1]:off[1] + in_hw[1]]
    return dx


# ----------------------------------------------------------------------- ops
class Conv2D(Op):
    """NHWC convolution with a (kh, kw, in/groups, out) kernel and an optional fused bias."""

    def __init__(self, strides=(1, 1), padding="valid", dilation=(1, 1), groups=1):
        self.strides = _pair(strides, "strides", "conv2d")
        self.dilation = _pair(dilation, "dilation_rate", "conv2d")
        self.padding = _padding_arg(padding, "conv2d", ("valid", "same"))
        self.groups = int(groups)

    def forward(self, x, kernel, bias=None):
        n, h, w, c = x.shape
        kh, kw, cg, o = kernel.shape
        if cg * self.groups != c or o % self.groups:
            raise ValueError(
                f"conv2d: input has {c} channels and groups={self.groups}, so the kernel must have shape "
                f"(kh, kw, {c // max(self.groups, 1)}, filters) with filters divisible by {self.groups}; "
                f"received kernel shape {kernel.shape} for input shape {x.shape}.")
        geo = [conv_output_length(size, k, s, d, self.padding if isinstance(self.padding, str) else self.padding[ax])
               for ax, (size, k, s, d) in enumerate(zip((h, w), (kh, kw), self.strides, self.dilation))]
        out_hw = (geo[0][0], geo[1][0])
        if min(out_hw) < 1:
            raise ValueError(
                f"conv2d: the dilated kernel {((kh - 1) * self.dilation[0] + 1, (kw - 1) * self.dilation[1] + 1)} "
                f"is larger than the padded input {(h + sum(geo[0][1]), w + sum(geo[1][1]))} "
                f"(input shape {x.shape}). Use padding='same' or a larger input.")
        self.pads = (geo[0][1], geo[1][1])
        self.x_shape = x.shape
        self.kernel = kernel
        self.core = _ConvCore(_pad(x, self.pads, get_array_module(x)), (kh, kw), out_hw, self.strides,
                              self.dilation, self.groups)
        return self.core.product(kernel, bias)

    def vjp(self, g, needed):
        gx = gk = gb = None
        if needed[0]:
            gx = _input_grad(g, self.kernel, self.x_shape[1:3], (self.pads[0][0], self.pads[1][0]),
                             self.strides, self.dilation, self.groups)
        if needed[1]:
            gk = self.core.weight_grad(g)
        if len(needed) > 2 and needed[2]:
            gb = g.reshape(-1, g.shape[-1]).sum(axis=0)
        self.core = None
        return gx, gk, gb


class Conv2DTranspose(Op):
    """The transpose (input gradient) of conv2d: kernel (kh, kw, out_channels, in_channels), as Keras stores it."""

    def __init__(self, strides=(1, 1), padding="valid", output_padding=None, dilation=(1, 1)):
        self.strides = _pair(strides, "strides", "conv2d_transpose")
        self.dilation = _pair(dilation, "dilation_rate", "conv2d_transpose")
        self.padding = _padding_arg(padding, "conv2d_transpose")
        if output_padding is not None:
            output_padding = tuple(int(v) for v in ((output_padding,) * 2 if isinstance(output_padding, int)
                                                    else output_padding))
            if any(p < 0 or p >= s for p, s in zip(output_padding, self.strides)):
                raise ValueError(f"conv2d_transpose: `output_padding` must be smaller than the strides "
                                 f"{self.strides}; received output_padding={output_padding}.")
        self.output_padding = output_padding

    def forward(self, x, kernel, bias=None):
        n, h, w, c = x.shape
        kh, kw, f, ck = kernel.shape
        if ck != c:
            raise ValueError(f"conv2d_transpose: the kernel must have shape (kh, kw, filters, {c}) for an input "
                             f"with {c} channels; received kernel shape {kernel.shape} for input shape {x.shape}.")
        op = self.output_padding or (None, None)
        out_hw, pads = [], []
        for ax, (size, k) in enumerate(((h, kh), (w, kw))):
            s, d = self.strides[ax], self.dilation[ax]
            length = deconv_output_length(size, k, s, d, self.padding, op[ax])
            dk = (k - 1) * d + 1
            before = max((size - 1) * s + dk - length, 0) // 2 if self.padding == "same" else 0
            out_hw.append(length)
            pads.append((before, max((size - 1) * s + dk - length - before, 0)))
        self.x, self.kernel, self.pads, self.out_hw = x, kernel, tuple(pads), tuple(out_hw)
        out = _input_grad(x, kernel, self.out_hw, (pads[0][0], pads[1][0]), self.strides, self.dilation, 1)
        if bias is not None:
            out += bias
        return out

    def vjp(self, g, needed):
        gx = gk = gb = None
        if needed[0] or needed[1]:
            xp = get_array_module(g)
            core = _ConvCore(_pad(g, self.pads, xp), self.kernel.shape[:2], self.x.shape[1:3], self.strides,
                             self.dilation, 1)
            if needed[0]:
                gx = core.product(self.kernel)
            if needed[1]:
                kh, kw, f, c = self.kernel.shape
                gk = xp.zeros((kh * kw * f, c), xp.result_type(g.dtype, self.x.dtype))
                for n0, n1, cols in core.chunks():
                    gk += cols[0].T @ self.x[n0:n1].reshape(-1, c)
                gk = gk.reshape(self.kernel.shape)
        if len(needed) > 2 and needed[2]:
            gb = g.reshape(-1, g.shape[-1]).sum(axis=0)
        return gx, gk, gb


# ----------------------------------------------------------------- functions
def _call(op, x, kernel, bias):
    return op(x, kernel) if bias is None else op(x, kernel, bias)


def conv2d(x, kernel, bias=None, strides=1, padding="valid", dilation_rate=1, groups=1):
    """2-D convolution of NHWC ``x`` with a (kh, kw, in/groups, out) kernel, plus ``bias`` if given."""
    return _call(Conv2D(strides, padding, dilation_rate, groups), x, kernel, bias)


def conv1d(x, kernel, bias=None, strides=1, padding="valid", dilation_rate=1, groups=1):
    """1-D convolution of (N, L, C) ``x`` with a (k, in/groups, out) kernel; padding also 'causal'."""
    stride = _pair(strides, "strides", "conv1d")[0] if isinstance(strides, int) else int(strides[0])
    dil = _pair(dilation_rate, "dilation_rate", "conv1d")[0] if isinstance(dilation_rate, int) \
        else int(dilation_rate[0])
    pad = _padding_arg(padding, "conv1d", ("valid", "same", "causal"))
    if pad == "causal":
        pad = ((0, 0), ((kernel.shape[0] - 1) * dil, 0))
    n, length, c = x.shape
    x4 = reshape(x, (n, 1, length, c))
    k4 = reshape(kernel, (1,) + tuple(kernel.shape))
    out = conv2d(x4, k4, bias, (1, stride), pad, (1, dil), groups)
    return reshape(out, (n, out.shape[2], out.shape[3]))


def depthwise_conv2d(x, kernel, bias=None, strides=1, padding="valid", dilation_rate=1):
    """Depthwise convolution: kernel (kh, kw, C, depth_multiplier); output channel c*multiplier + j."""
    kh, kw, c, m = kernel.shape
    return conv2d(x, reshape(kernel, (kh, kw, 1, c * m)), bias, strides, padding, dilation_rate, groups=c)


def conv2d_transpose(x, kernel, bias=None, strides=1, padding="valid", output_padding=None, dilation_rate=1):
    """Transposed 2-D convolution (the gradient of conv2d with respect to its input), Keras's output shape."""
    return _call(Conv2DTranspose(strides, padding, output_padding, dilation_rate), x, kernel, bias)


__all__ = ["conv2d", "conv1d", "depthwise_conv2d", "conv2d_transpose", "Conv2D", "Conv2DTranspose",
           "conv_output_length", "deconv_output_length"]
