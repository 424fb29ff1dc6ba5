"""3-D convolutions on NDHWC volumes: conv3d (grouped, dilated, strided) and conv3d_transpose, with Keras's
kernel layouts, (kd, kh, kw, in/groups, filters) and (kd, kh, kw, filters, in).

One im2col formulation serves both directions. The kernel windows of the zero-padded input are a strided
view, (n, od, oh, ow, kd, kh, kw, groups, in/groups); copied a few volumes at a time into a
(groups, rows, kd*kh*kw*in/groups) matrix, they meet the kernel in one matmul per chunk. The kernel gradient
is columns^T @ grad over the same chunks; the input gradient (which is also the transposed convolution's
forward) is grad @ kernel^T scattered back (col2im), one strided add per kernel offset. The chunks are dealt
out among the threads of a parallel region (conv.columns' _spans and _each_chunk), each writing only its
own volumes. Output lengths and 'same' padding follow TensorFlow (conv.geometry).
"""
from ..tape import Op
from ... import runtime
from ...backend import get_array_module
from ...utils.validation import is_int, positive_int_tuple
from .conv.columns import _add_bias, _bias_grad, _chunk, _each_chunk, _spans
from .conv.geometry import conv_output_length, deconv_output_length

_RANK = 3
_PADDINGS = ("valid", "same")


def _args(op, strides, padding, dilation):
    strides = positive_int_tuple(op, "strides", strides, _RANK)
    dilation = positive_int_tuple(op, "dilation_rate", dilation, _RANK)
    p = padding.lower() if isinstance(padding, str) else padding
    if p not in _PADDINGS:
        raise ValueError(f"{op}: `padding` must be 'valid' or 'same'; received padding={padding!r}.")
    return strides, p, dilation


def _check_input(op, x):
    if x.ndim != _RANK + 2:
        raise ValueError(f"{op}: expected a 5-D input (batch, depth, height, width, channels); received an input "
                         f"of shape {tuple(x.shape)}.")


class _Windows:
    """The kernel windows of a zero-padded NDHWC volume batch ``src`` (k sizes, strides, dilation, output
    sizes, groups), gathered chunk by chunk as columns (groups, rows, K * in/groups), K = kd*kh*kw."""

    def __init__(self, src, k, strides, dil, out, groups):
        self.src, self.k, self.strides, self.dil, self.out, self.groups = src, tuple(k), strides, dil, tuple(out), groups
        self.cg = src.shape[-1] // groups
        self.taps = k[0] * k[1] * k[2]
        self.rows = out[0] * out[1] * out[2]

    def columns(self, n0, n1):
        xp = get_array_module(self.src)
        s = self.src[n0:n1]
        st = s.strides
        view = xp.lib.stride_tricks.as_strided(
            s, (n1 - n0, *self.out, *self.k, self.groups, self.cg),
            (st[0], *(st[1 + a] * self.strides[a] for a in range(_RANK)),
             *(st[1 + a] * self.dil[a] for a in range(_RANK)), st[-1] * self.cg, st[-1]), writeable=False)
        if self.groups == 1:
            return view.reshape(1, (n1 - n0) * self.rows, self.taps * self.cg)
        cols = xp.ascontiguousarray(view.transpose(7, 0, 1, 2, 3, 4, 5, 6, 8))
        return cols.reshape(self.groups, (n1 - n0) * self.rows, self.taps * self.cg)

    def each(self, fn, per_image_out=0):
        """``[fn(n0, n1, columns) for each chunk]``, chunks sized so that their columns (and ``per_image_out``
        values of output per volume) stay small, spread over the threads; results in chunk order."""
        xp = get_array_module(self.src)
        per_image = max(self.rows * self.taps * self.cg * self.groups, per_image_out) * self.src.dtype.itemsize
        spans = _spans(self.src.shape[0], _chunk(self.src.shape[0], per_image), xp)
        return _each_chunk(spans, lambda n0, n1, _: fn(n0, n1, self.columns(n0, n1)), xp)


def _grouped(kernel, groups):
    """A (k..., cg, o) kernel as (groups, K * cg, o / groups): what the columns of each group multiply."""
    *k, cg, o = kernel.shape
    return kernel.reshape(-1, cg, groups, o // groups).transpose(2, 0, 1, 3).reshape(groups, -1, o // groups)


def _ungrouped(gw, kernel_shape):
    """(groups, K * cg, o / groups) back to the (k..., cg, o) layout."""
    groups = gw.shape[0]
    *k, cg, o = kernel_shape
    return gw.reshape(groups, -1, cg, o // groups).transpose(1, 2, 0, 3).reshape(kernel_shape)


def _pad(x, pads):
    if not any(b or a for b, a in pads):
        return x
    return get_array_module(x).pad(x, ((0, 0), *pads, (0, 0)))


def _product(win, kernel):
    """The convolution of the windows ``win`` with ``kernel`` (no bias): (n, *out, filters)."""
    xp = get_array_module(win.src, kernel)
    o = kernel.shape[-1]
    w2 = _grouped(kernel, win.groups)
    out = xp.empty((win.src.shape[0], *win.out, o), xp.result_type(win.src.dtype, kernel.dtype))

    def chunk(n0, n1, cols):
        r = xp.matmul(cols, w2)  # (groups, rows, o / groups)
        out[n0:n1] = r.transpose(1, 0, 2).reshape(n1 - n0, *win.out, o)
    win.each(chunk, win.rows * o)
    return out


def _kernel_grad(win, g, kernel_shape):
    """d(sum(conv(src, kernel) * g)) / d kernel, summed chunk by chunk in order."""
    xp = get_array_module(g)
    groups = win.groups

    def chunk(n0, n1, cols):
        gg = g[n0:n1].reshape(-1, groups, g.shape[-1] // groups).transpose(1, 0, 2)
        return xp.matmul(cols.transpose(0, 2, 1), gg)
    return _ungrouped(runtime.sum_in_order(win.each(chunk)), kernel_shape)


def _col2im(g, kernel, in_sp, pads_before, strides, dil, groups):
    """The gradient of conv(x, kernel) with respect to x (spatial size ``in_sp``) for the output gradient
    ``g``: g @ kernel^T per group, each kernel offset's part added into the strided window it came from.
    Also the forward of the transposed convolution."""
    xp = get_array_module(g, kernel)
    n, *out, o = g.shape
    *k, cg, _ = kernel.shape
    c = cg * groups
    size = [max((out[a] - 1) * strides[a] + (k[a] - 1) * dil[a] + 1, pads_before[a] + in_sp[a]) for a in range(_RANK)]
    dtype = xp.result_type(g.dtype, kernel.dtype)
    dxp = xp.zeros((n, *size, c), dtype)
    wt = _grouped(kernel, groups).transpose(0, 2, 1)  # (groups, o / groups, K * cg)
    rows = out[0] * out[1] * out[2]
    per_image = rows * k[0] * k[1] * k[2] * c * g.dtype.itemsize
    spans = _spans(n, _chunk(n, per_image), xp)

    def chunk(n0, n1, _):
        gg = g[n0:n1].reshape(-1, groups, o // groups).transpose(1, 0, 2)
        d = xp.matmul(gg, wt)  # (groups, rows, K * cg)
        d = d.reshape(groups, n1 - n0, *out, *k, cg).transpose(1, 2, 3, 4, 5, 6, 7, 0, 8)
        d = d.reshape(n1 - n0, *out, *k, c)
        dst = dxp[n0:n1]
        for i in range(k[0]):
            for j in range(k[1]):
                for m in range(k[2]):
                    window = tuple(slice(t * dil[a], t * dil[a] + strides[a] * (out[a] - 1) + 1, strides[a])
                                   for a, t in enumerate((i, j, m)))
                    dst[(slice(None),) + window] += d[:, :, :, :, i, j, m]
    _each_chunk(spans, chunk, xp)
    crop = tuple(slice(p, p + s) for p, s in zip(pads_before, in_sp))
    return dxp[(slice(None),) + crop]


class Conv3DOp(Op):
    """NDHWC convolution with a (kd, kh, kw, in/groups, filters) kernel and an optional bias."""

    name = "conv3d"

    def __init__(self, strides=1, padding="valid", dilation=1, groups=1):
        self.strides, self.padding, self.dilation = _args(self.name, strides, padding, dilation)
        self.groups = int(groups)

    def forward(self, x, kernel, bias=None):
        _check_input(self.name, x)
        c = x.shape[-1]
        *k, cg, o = kernel.shape
        if len(k) != _RANK or cg * self.groups != c or o % self.groups:
            raise ValueError(
                f"{self.name}: an input with {c} channels and groups={self.groups} needs a kernel of shape "
                f"(kd, kh, kw, {c // max(self.groups, 1)}, filters) with filters divisible by {self.groups}; "
                f"received kernel shape {kernel.shape} for input shape {x.shape}.")
        geo = [conv_output_length(x.shape[1 + a], k[a], self.strides[a], self.dilation[a], self.padding)
               for a in range(_RANK)]
        out = [length for length, _ in geo]
        if min(out) < 1:
            dk = tuple((k[a] - 1) * self.dilation[a] + 1 for a in range(_RANK))
            raise ValueError(f"{self.name}: the dilated kernel {dk} is larger than the input's spatial size "
                             f"{x.shape[1:-1]} with padding='valid' (input shape {x.shape}). Use padding='same' "
                             "or a larger input.")
        self.pads = [p for _, p in geo]
        self.x_shape, self.kernel = x.shape, kernel
        self.win = _Windows(_pad(x, self.pads), k, self.strides, self.dilation, out, self.groups)
        y = _product(self.win, kernel)
        return y if bias is None else _add_bias(y, bias)

    def vjp(self, g, needed):
        gx = gk = gb = None
        if needed[0]:
            gx = _col2im(g, self.kernel, self.x_shape[1:-1], [p[0] for p in self.pads], self.strides,
                         self.dilation, self.groups)
        if needed[1]:
            gk = _kernel_grad(self.win, g, self.kernel.shape)
        if len(needed) > 2 and needed[2]:
            gb = _bias_grad(g)
        return gx, gk, gb


class Conv3DTransposeOp(Op):
    """The transpose (input gradient) of conv3d: kernel (kd, kh, kw, filters, in), Keras's output shape."""

    name = "conv3d_transpose"

    def __init__(self, strides=1, padding="valid", output_padding=None, dilation=1):
        self.strides, self.padding, self.dilation = _args(self.name, strides, padding, dilation)
        if output_padding is not None:
            given = output_padding
            try:
                output_padding = tuple(int(v) for v in ((given,) * _RANK if is_int(given) else given))
            except (TypeError, ValueError):
                output_padding = ()
            if len(output_padding) != _RANK or any(not 0 <= p < s for p, s in zip(output_padding, self.strides)):
                raise ValueError(f"{self.name}: `output_padding` must be an int or {_RANK} ints, each >= 0 and "
                                 f"smaller than the strides {self.strides}; received output_padding={given!r}.")
        self.output_padding = output_padding

    def forward(self, x, kernel, bias=None):
        _check_input(self.name, x)
        c = x.shape[-1]
        *k, f, ck = kernel.shape
        if len(k) != _RANK or ck != c:
            raise ValueError(f"{self.name}: the kernel must have shape (kd, kh, kw, filters, {c}) for an input with "
                             f"{c} channels; received kernel shape {kernel.shape} for input shape {x.shape}.")
        op = self.output_padding or (None,) * _RANK
        out, pads = [], []
        for a in range(_RANK):
            size, s, d = x.shape[1 + a], self.strides[a], self.dilation[a]
            length = deconv_output_length(size, k[a], s, d, self.padding, op[a])
            extent = (size - 1) * s + (k[a] - 1) * d + 1
            before = max(extent - length, 0) // 2 if self.padding == "same" else 0
            out.append(length)
            pads.append((before, max(extent - length - before, 0)))
        self.x, self.kernel, self.pads, self.out = x, kernel, pads, out
        y = _col2im(x, kernel, out, [p[0] for p in pads], self.strides, self.dilation, 1)
        return y if bias is None else _add_bias(y, bias)

    def vjp(self, g, needed):
        gx = gk = gb = None
        if needed[0] or needed[1]:
            win = _Windows(_pad(g, self.pads), self.kernel.shape[:_RANK], self.strides, self.dilation,
                           self.x.shape[1:-1], 1)
            if needed[0]:
                gx = _product(win, self.kernel)
            if needed[1]:
                gk = _kernel_grad(win, self.x, self.kernel.shape)
        if len(needed) > 2 and needed[2]:
            gb = _bias_grad(g)
        return gx, gk, gb


def _call(op, x, kernel, bias):
    return op(x, kernel) if bias is None else op(x, kernel, bias)


def conv3d(x, kernel, bias=None, strides=1, padding="valid", dilation_rate=1, groups=1):
    """3-D convolution of NDHWC ``x`` with a (kd, kh, kw, in/groups, filters) kernel, plus ``bias`` if given."""
    return _call(Conv3DOp(strides, padding, dilation_rate, groups), x, kernel, bias)


def conv3d_transpose(x, kernel, bias=None, strides=1, padding="valid", output_padding=None, dilation_rate=1):
    """Transposed 3-D convolution (the gradient of conv3d with respect to its input) of NDHWC ``x`` with a
    (kd, kh, kw, filters, in) kernel, Keras's output shape."""
    return _call(Conv3DTransposeOp(strides, padding, output_padding, dilation_rate), x, kernel, bias)
