"""The input gradient of a convolution, which is also the forward of the transposed convolution.

A col2im scatter-add, one strided add per kernel offset, is slow when the channels are many (short inner
loops), so there the gradient is computed as a stride-1 correlation of the upstream gradient with the
flipped kernel, split into stride x stride sub-pixel phases that share one set of columns and one
matmul; the phases then interleave into the result with one copy. For few channels per group col2im is
faster and is used (see _use_col2im, measured).
"""
from .columns import _ConvCore, _chunk, _each_chunk, _spans
from .geometry import _pad, _pad_into
from ....backend import get_array_module


def _use_col2im(cg, og):
    """The faster input-gradient method for cg input and og output channels per group (measured on CPU)."""
    return cg <= 4 or (cg <= 8 and og >= 4 * cg)


def _col2im_grad(grad, kernel, in_hw, pads_before, strides, dil, groups):
    """Input gradient for few input channels: columns (groups, kh*kw*c, rows) = kernel @ grad^T, then one
    scatter-add per kernel offset into the padded gradient, each running along image rows."""
    xp = get_array_module(grad, kernel)
    kh, kw, cg, o = kernel.shape
    og = o // groups
    n, oh, ow, _ = grad.shape
    (sh, sw), (dh, dw) = strides, dil
    hp = max((oh - 1) * sh + (kh - 1) * dh + 1, pads_before[0] + in_hw[0])
    wp = max((ow - 1) * sw + (kw - 1) * dw + 1, pads_before[1] + in_hw[1])
    dtype = xp.result_type(grad.dtype, kernel.dtype)
    dxp = xp.zeros((n, hp, wp, groups * cg), dtype)
    planes = dxp.transpose(3, 0, 1, 2).reshape(groups, cg, n, hp, wp)
    w2 = kernel.reshape(kh * kw * cg, groups, og).transpose(1, 0, 2)
    spans = _spans(n, _chunk(n, oh * ow * kh * kw * cg * groups * grad.dtype.itemsize), xp)

    def chunk(n0, n1, flat):  # each chunk adds into its own images' planes only
        m = (n1 - n0) * oh * ow
        cols = flat[:groups * kh * kw * cg * m].reshape(groups, kh * kw * cg, m)
        xp.matmul(w2, grad[n0:n1].reshape(m, groups, og).transpose(1, 2, 0), out=cols)
        cols = cols.reshape(groups, kh, kw, cg, n1 - n0, oh, ow)
        for i in range(kh):
            for j in range(kw):
                planes[:, :, n0:n1, i * dh:i * dh + sh * (oh - 1) + 1:sh, j * dw:j * dw + sw * (ow - 1) + 1:sw] \
                    += cols[:, i, j]
    if spans:
        _each_chunk(spans, chunk, xp, groups * kh * kw * cg * max(b - a for a, b in spans) * oh * ow, dtype)
    return dxp[:, pads_before[0]:pads_before[0] + in_hw[0], pads_before[1]:pads_before[1] + in_hw[1]]


def _grad_phases(grad_shape, kernel, in_hw, pads_before, strides, dil, groups):
    """The _Phases that compute the input gradient, or None where col2im is the faster method for the
    kernel's channels (see _use_col2im)."""
    cg, o = kernel.shape[2:]
    if _use_col2im(cg, o // groups):
        return None
    return _Phases(grad_shape, kernel, in_hw, pads_before, strides, dil, groups)


def _input_grad(grad, kernel, in_hw, pads_before, strides, dil, groups):
    """Gradient of conv(x, kernel) with respect to x, of spatial size in_hw (the transposed convolution).

    By sub-pixel phases (see _Phases); with few input channels per group (relative to the filters) a
    col2im scatter-add is faster (measured) and is used instead.
    """
    phases = _grad_phases(grad.shape, kernel, in_hw, pads_before, strides, dil, groups)
    if phases is None:
        return _col2im_grad(grad, kernel, in_hw, pads_before, strides, dil, groups)
    xp = get_array_module(grad, kernel)
    core = phases.core(phases.window(grad))
    dx = xp.empty(phases.dx_shape, xp.result_type(grad.dtype, kernel.dtype))
    core.each(lambda n0, n1, cols: phases.apply(cols, dx, n0, n1))
    return dx


class _Phases:
    """The input gradient of a convolution as stride-1 correlations of the upstream gradient.

    Along each axis with stride s: dxp[s*a + r] = sum_u grad[a - u] . K[r + s*u] (taps u with r + s*u < k),
    i.e. for every phase r a stride-1 correlation of grad with the flipped sub-kernel. All s*s phases share
    the same grad windows (a zero-bordered crop of grad, ``window``), so one gather serves them all: one
    matmul with the phase kernels side by side, or, when a kernel size is not a multiple of the stride (the
    phases then have different tap counts, the missing taps zero), one matmul per row phase over its real
    taps only. The phases then interleave into the result with one copy (``apply``).
    """

    def __init__(self, grad_shape, kernel, in_hw, pads_before, strides, dil, groups):
        xp = get_array_module(kernel)
        kh, kw, cg, o = kernel.shape
        og = o // groups
        n, gh, gw_, _ = grad_shape
        k, pads_before = [kh, kw], list(pads_before)
        taps, tap_dil = [], []
        for ax in range(2):
            s, d, p = strides[ax], dil[ax], pads_before[ax]
            if s > 1 and d > 1:  # not reachable from Keras layers: dilate the kernel with zeros instead
                z = xp.zeros(kernel.shape[:ax] + ((k[ax] - 1) * d + 1,) + kernel.shape[ax + 1:], kernel.dtype)
                z[(slice(None),) * ax + (slice(None, None, d),)] = kernel
                kernel, k[ax], d = z, (k[ax] - 1) * d + 1, 1
            # Leading zero taps with as much more padding leave the convolution unchanged; they can align the
            # phases with the input (fewer phase rows). Keep them where rows x taps gets smaller.
            lead = (s - p % s) % s
            cost = [((p + z + in_hw[ax] - 1) // s - (p + z) // s + 1) * -(-(k[ax] + z) // s) for z in (0, lead)]
            if lead and cost[1] < cost[0]:
                z = xp.zeros(kernel.shape[:ax] + (lead,) + kernel.shape[ax + 1:], kernel.dtype)
                kernel, pads_before[ax] = xp.concatenate([z, kernel], axis=ax), p + lead
            else:
                lead = 0
            t = -(-(k[ax] + lead) // s)
            if ax == 0:  # per row phase r, the flipped taps u' = t-1-u on the kernel, not on the zero padding
                real = [[u for u in range(t) if lead <= (t - 1 - u) * s + r < lead + k[ax]] for r in range(s)]
            k[ax] += lead
            taps.append(t)
            tap_dil.append(d)
        (sh, sw), (ku, kv) = strides, taps
        if ku * sh != k[0] or kv * sw != k[1]:
            z = xp.zeros((ku * sh, kv * sw, cg, o), kernel.dtype)
            z[:k[0], :k[1]] = kernel
            kernel = z
        # Phase kernels: rows (u', v', og) with u' = ku-1-u, columns (rh, rw, cg), one block per group.
        kp = kernel.reshape(ku, sh, kv, sw, cg, groups, og)[::-1, :, ::-1]
        self.kp = kp.transpose(5, 0, 2, 6, 1, 3, 4).reshape(groups, ku * kv * og, sh * sw * cg)
        # Row phases whose real taps are fewer than ku: their matmul runs over the rows of those taps only
        # (contiguous: rows are u'-major); None when every row phase has all ku taps.
        spans = [(min(u), max(u) + 1) if u else (0, 0) for u in real]
        self.row_taps = None if all(b - a == ku for a, b in spans) else [
            (slice(a * kv * og, b * kv * og), slice(r * sw * cg, (r + 1) * sw * cg)) for r, (a, b) in enumerate(spans)]
        # Phase rows a that cover the unpadded input rows [p, p + in), and the grad rows their windows read.
        first = [pads_before[ax] // strides[ax] for ax in range(2)]
        count = [(pads_before[ax] + in_hw[ax] - 1) // strides[ax] - first[ax] + 1 for ax in range(2)]
        span = [count[ax] + tap_dil[ax] * (taps[ax] - 1) for ax in range(2)]
        start = [first[ax] - tap_dil[ax] * (taps[ax] - 1) for ax in range(2)]
        # the grad rows/columns that the windows read (span from start), zero-padded outside grad
        self.lo = [max(start[ax], 0) for ax in range(2)]
        self.inside = [max(min(start[ax] + span[ax], (gh, gw_)[ax]) - self.lo[ax], 0) for ax in range(2)]
        before = [min(max(-start[ax], 0), span[ax]) for ax in range(2)]
        self.pads = [(before[ax], span[ax] - before[ax] - self.inside[ax]) for ax in range(2)]
        self.win_shape = (n, span[0], span[1], o)
        self.dx_shape = (n, in_hw[0], in_hw[1], cg * groups)
        self.off = [pads_before[ax] - strides[ax] * first[ax] for ax in range(2)]
        self.direct = strides == (1, 1) and groups == 1
        self.in_hw, self.count, self.taps, self.tap_dil = tuple(in_hw), count, (ku, kv), tap_dil
        self.strides, self.groups, self.cg = strides, groups, cg

    def _crop(self, grad):
        return grad[:, self.lo[0]:self.lo[0] + self.inside[0], self.lo[1]:self.lo[1] + self.inside[1]]

    def window(self, grad):
        """The grad windows' source: the rows/columns of grad they read, zero-bordered."""
        return _pad(self._crop(grad), self.pads, get_array_module(grad))

    def fill(self, win, grad, n0):
        """Write window() of the images ``grad`` (a slice of the batch starting at image n0) into ``win``."""
        _pad_into(win[n0:n0 + grad.shape[0]], self._crop(grad), self.pads)

    def core(self, win):
        return _ConvCore(win, self.taps, self.count, (1, 1), self.tap_dil, self.groups)

    def apply(self, cols, dx, n0, n1):
        """dx[n0:n1] from the gathered windows ``cols`` of those images."""
        xp = get_array_module(cols)
        cg, groups, (sh, sw) = self.cg, self.groups, self.strides
        if self.direct:  # a single phase that covers exactly the input
            xp.matmul(cols, self.kp, out=dx[n0:n1].reshape(1, -1, cg))
            return
        if self.row_taps is None:
            r = xp.matmul(cols, self.kp)
        else:
            r = xp.empty(cols.shape[:2] + self.kp.shape[2:], xp.result_type(cols.dtype, self.kp.dtype))
            for rows, columns in self.row_taps:
                if rows.stop > rows.start:
                    xp.matmul(cols[:, :, rows], self.kp[:, rows, columns], out=r[:, :, columns])
                else:  # a phase that no tap reaches
                    r[:, :, columns] = 0
        (c0, c1), (o0, o1), (h, w) = self.count, self.off, self.in_hw
        r = r.reshape(groups, n1 - n0, c0, c1, sh, sw, cg)
        r = r.transpose(1, 2, 4, 3, 5, 0, 6).reshape(n1 - n0, c0 * sh, c1 * sw, groups * cg)
        dx[n0:n1] = r[:, o0:o0 + h, o1:o1 + w]
