"""Convolutions: conv2d (grouped, dilated, strided), depthwise_conv2d and conv2d_transpose, and their 1-D forms
conv1d, depthwise_conv1d and conv1d_transpose (the 2-D ops on inputs one row high).

Layout is Keras's: images NHWC, kernels (kh, kw, in_channels / groups, out_channels).
'same' padding follows TensorFlow: out = ceil(in / stride),
pad_total = max((out - 1) * stride + dilated_k - in, 0), pad_before = pad_total // 2.

Forward: the padded input is unfolded through a strided view (im2col) into an
(M, kh*kw*C) matrix ((kh*kw, M) for one channel per group, so the copy runs along rows)
and multiplied by the kernel in one matmul; the bias add is fused. The unfolding is done
a few images at a time (~_CHUNK_BYTES of columns, reused buffer), so the columns are
still in cache when the matmul reads them: twice as fast as unfolding the whole batch at
the codelab's sizes, and memory stays bounded whatever the batch. Weight gradient:
columns^T @ grad, chunk by chunk, gathering the columns again.
A strided convolution whose kernel is a multiple of the stride (the codelab's k6 s2) runs as a
stride-1 convolution of the space-to-depth input (s x s pixel blocks stacked on the channels,
built straight from the unpadded input) with the kernel rearranged to match: its gather copies
fewer, longer contiguous rows (used where the rows are short: _use_s2d, measured).
Bias, and relu when asked for (activation='relu': the layers fuse a plain relu activation), are
applied to each chunk's output while it is in cache; the relu mask is kept for the backward.
Input gradient (and the forward of conv2d_transpose): a col2im scatter-add, one strided
add per kernel offset, is slow when the channels are many (short inner loops), so there
the gradient is computed as a stride-1 correlation of the upstream gradient with the
flipped kernel, split into stride x stride sub-pixel phases that share one set of
columns and one matmul; the phases then interleave into the result with one copy. For
few channels per group col2im is faster and is used (see _use_col2im, measured).
Depthwise convolution has no matmul structure: a loop over the taps, in cache-sized chunks.
Scratch buffers too large for malloc to recycle (> 32 MB, e.g. one large image's
columns) are reused through a small pool instead of being page-faulted on every call.
"""
import threading
from collections import OrderedDict

import numpy as np

from ..tape import Op
from .activation import fused_relu, masked, relu_into
from .shape import reshape
from ... import backend
from ...backend import get_array_module

_CHUNK_BYTES = 3 * 2 ** 20  # columns unfolded at once (a few images): stays in cache
_POOL_LIMIT = 256 * 2 ** 20  # bytes of free scratch buffers kept for reuse
_POOL_MIN = 2 ** 20  # smaller buffers come cheaply from malloc
_pool = OrderedDict()  # (size, dtype) -> free flat buffers
_pool_lock = threading.Lock()  # worker threads take and give buffers


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


def _over_batch(n, part, xp, per_image):
    """``part(n0, n1)`` over the batch: split among the threads of a parallel region for NumPy arrays
    (``per_image`` elements written per image), else one call."""
    if xp is np:
        backend.split(n, part, per_image)
    else:
        part(0, n)


def _pad_into(out, x, pads):
    """out[...] = x padded with zeros as ((top, bottom), (left, right)) on axes 1, 2."""
    (t, b), (l, r) = pads
    h, w = x.shape[1:3]
    out[:, :t] = 0
    out[:, t + h:] = 0
    out[:, t:t + h, :l] = 0
    out[:, t:t + h, l + w:] = 0
    out[:, t:t + h, l:l + w] = x


def _pad(x, pads, xp):
    """x padded with zeros as ((top, bottom), (left, right)) on axes 1, 2; x itself when no padding."""
    (t, b), (l, r) = pads
    if not (t or b or l or r):
        return x
    n, h, w, c = x.shape
    out = xp.empty((n, h + t + b, w + l + r, c), x.dtype)
    # split over the batch among the threads of a parallel region
    _over_batch(n, lambda n0, n1: _pad_into(out[n0:n1], x[n0:n1], pads), xp, out[0].size)
    return out


def _take(size, dtype, xp):
    """A flat scratch buffer, reused from the pool when one of that size is free."""
    dtype = np.dtype(dtype)
    if xp is np:
        with _pool_lock:
            free = _pool.get((size, dtype.str))
            if free:
                _pool.move_to_end((size, dtype.str))
                return free.pop()
    return xp.empty(size, dtype)


def _give(buf):
    """Return a scratch buffer to the pool (large NumPy buffers only; least recently used dropped first)."""
    if type(buf) is not np.ndarray or buf.nbytes < _POOL_MIN:
        return
    key = (buf.size, buf.dtype.str)
    with _pool_lock:
        _pool.setdefault(key, []).append(buf)
        _pool.move_to_end(key)
        total = sum(b.nbytes for bufs in _pool.values() for b in bufs)
        while total > _POOL_LIMIT:
            old = next(iter(_pool))
            total -= sum(b.nbytes for b in _pool.pop(old))


def _gather(src, n0, n1, out_hw, k_hw, strides, dil, groups, flat, xp):
    """im2col: the kernel windows of src[n0:n1] copied into ``flat``, returned as (groups, rows, kh*kw*c/groups).

    With one channel per group the columns are stored transposed, (groups, kh*kw, rows), so that the copy
    runs along image rows; the returned view is then the transpose of that array.
    """
    s = src[n0:n1]
    n, _, _, c = s.shape
    sn, sh, sw, sc = s.strides
    cg = c // groups
    view = xp.lib.stride_tricks.as_strided(
        s, (n, out_hw[0], out_hw[1], k_hw[0], k_hw[1], groups, cg),
        (sn, sh * strides[0], sw * strides[1], sh * dil[0], sw * dil[1], sc * cg, sc), writeable=False)
    rows, kg = n * out_hw[0] * out_hw[1], k_hw[0] * k_hw[1] * cg
    if cg == 1:
        dst = flat[:groups * rows * kg].reshape(groups, *k_hw, cg, n, *out_hw)
        xp.copyto(dst, view.transpose(5, 3, 4, 6, 0, 1, 2))
        return dst.reshape(groups, kg, rows).transpose(0, 2, 1)
    dst = flat[:groups * rows * kg].reshape(groups, n, *out_hw, *k_hw, cg)
    xp.copyto(dst, view.transpose(5, 0, 1, 2, 3, 4, 6))
    return dst.reshape(groups, rows, kg)


def _chunk(n, per_sample_bytes):
    """Images per chunk: columns of ~_CHUNK_BYTES stay in cache between the gather and the matmul."""
    return max(1, min(n, _CHUNK_BYTES // max(per_sample_bytes, 1)))


def _spans(n, nb, xp):
    """The batch cut into chunks of at most ``nb`` images, as (n0, n1) pairs; on NumPy with several threads,
    into a multiple of the thread count of even chunks, so that the threads get equal shares."""
    count = -(-n // nb) if n else 0
    workers = min(backend.parallel_threads(), n) if xp is np else 1
    if workers > 1:
        count = -(-count // workers) * workers
    nb = -(-n // count) if count else 1
    return [(n0, min(n, n0 + nb)) for n0 in range(0, n, nb)]


def _each_chunk(spans, fn, xp, scratch=0, dtype=None):
    """``[fn(n0, n1, buf) for (n0, n1) in spans]``, the spans dealt in turn to backend.parallel's threads;
    each thread gets its own scratch buffer ``buf`` of ``scratch`` elements (None when 0). Results come back
    in span order, so that sums over them do not depend on the threads."""
    workers = min(backend.parallel_threads(), len(spans)) if xp is np else 1

    def share(w):
        buf = _take(scratch, dtype, xp) if scratch else None
        try:
            return [fn(n0, n1, buf) for n0, n1 in spans[w::workers]]
        finally:
            if buf is not None:
                _give(buf)

    out = [None] * len(spans)
    for w, results in enumerate(backend.parallel(share, workers)):
        out[w::workers] = results
    return out


class _ConvCore:
    """The unfolded product shared by the conv and conv-transpose ops: src (padded, NHWC) -> NHWC output.

    Columns are gathered a few images at a time into one reused buffer and consumed at once (forward
    product, weight gradient); the backward gathers them again rather than keeping the whole unfolded
    batch, which measured faster (cache-resident) and holds far less memory. The chunks are shared out
    among the worker threads (backend.parallel), each with its own column buffer.
    """

    def __init__(self, src, k_hw, out_hw, strides, dil, groups):
        self.src, self.k_hw, self.out_hw, self.strides, self.dil = src, tuple(k_hw), tuple(out_hw), strides, dil
        self.groups, self.cg = groups, src.shape[-1] // groups
        self.kg = k_hw[0] * k_hw[1] * self.cg
        self.rows = out_hw[0] * out_hw[1]
        self.nb = _chunk(src.shape[0], self.rows * self.kg * groups * src.dtype.itemsize)

    def scratch(self, images):
        """Elements of the column buffer for ``images`` images."""
        return self.groups * images * self.rows * self.kg

    def columns(self, n0, n1, flat):
        """The columns of images n0..n1 gathered into the buffer ``flat``: (groups, (n1 - n0) * rows, kg)."""
        return _gather(self.src, n0, n1, self.out_hw, self.k_hw, self.strides, self.dil, self.groups, flat,
                       get_array_module(self.src))

    def each(self, fn, nb=None):
        """``[fn(n0, n1, columns) for each chunk]``, columns of shape (groups, (n1 - n0) * rows, kg), the
        chunks (of ``nb`` images, default self.nb) spread over the threads (see _each_chunk): fn must write
        only its own images' part."""
        xp = get_array_module(self.src)
        spans = _spans(self.src.shape[0], nb or self.nb, xp)
        size = self.scratch(max(n1 - n0 for n0, n1 in spans)) if spans else 0
        return _each_chunk(spans, lambda n0, n1, flat: fn(n0, n1, self.columns(n0, n1, flat)), xp, size,
                           self.src.dtype)

    def weight_grads(self, grad, mask=None, bias=False, phases=None, keep=True):
        """d(sum(out * grad)) / d kernel as (groups, kg, out/groups): per-chunk products summed in order.

        Returns ``(kernel grad, bias grad or None, grad)``. With ``mask`` (relu fused into the forward)
        grad is multiplied by it chunk by chunk, while the chunk is in cache, and the masked gradient is
        returned as the third item; with ``bias`` the bias gradient is summed chunk by chunk too.
        With ``phases`` (a _Phases) the input gradient is computed in the same pass and returned as the
        third item instead: each chunk's (masked) gradient goes straight into the windows' buffer, whose
        columns are gathered and multiplied while that part is in cache (one pass over the batch, not two).
        With ``keep=False`` (no input gradient wanted) the masked gradient is not kept: each chunk's is made
        in cache and used there (the chunks sized to hold it), and the third item is None."""
        xp = get_array_module(grad)
        gm = None if mask is None or phases is not None or not keep else xp.empty(grad.shape, grad.dtype)
        if phases is not None:
            win = xp.empty(phases.win_shape, grad.dtype)
            wcore = phases.core(win)
            dx = xp.empty(phases.dx_shape, xp.result_type(grad.dtype, phases.kp.dtype))

        def chunk(n0, n1, cols):
            src = grad[n0:n1]
            if mask is not None:  # the relu gradient, made while the chunk is in cache (kept in gm when wanted)
                src = xp.multiply(src, mask[n0:n1], out=None if gm is None else gm[n0:n1])
            parts = self.weight_grad(src, cols, 0, n1 - n0), (_bias_grad(src) if bias else None)
            if phases is not None:
                phases.fill(win, src, n0)
                flat = _take(wcore.scratch(n1 - n0), win.dtype, xp)
                try:
                    phases.apply(wcore.columns(n0, n1, flat), dx, n0, n1)
                finally:
                    _give(flat)
            return parts
        # with the input gradient in the same pass, size the chunks for the larger of the two column sets
        # (a stride-1 3x3 layer's window columns are 2.8x its own: 20% faster backward; equal elsewhere);
        # with the masked gradient made per chunk, for the larger of the columns and that gradient
        per_image = wcore.scratch(1) if phases is not None else \
            self.rows * grad.shape[-1] if mask is not None and gm is None else 0
        parts = self.each(chunk, _chunk(grad.shape[0], max(self.scratch(1), per_image) * grad.dtype.itemsize)
                          if per_image else None)
        gb = backend.sum_in_order([b for _, b in parts]) if bias else None
        third = dx if phases is not None else grad if mask is None else gm  # gm: None when not kept
        return backend.sum_in_order([k for k, _ in parts]), gb, third

    def product(self, kernel, bias=None, mask=None, relu=False):
        """sum over each window of src * kernel (+ bias): the convolution output (n, oh, ow, out).

        With ``relu``, max(., 0) is applied too, and ``mask`` (a boolean array of the output's shape, None
        when no gradient will be asked for) records where the output is positive. Bias and relu are applied
        chunk by chunk, while the chunk's output is in cache, on rows of ow * out values (see _bias_row)."""
        xp = get_array_module(self.src, kernel)
        g, o = self.groups, kernel.shape[-1]
        w2 = kernel.reshape(self.kg, g, o // g).transpose(1, 0, 2)
        out = xp.empty((self.src.shape[0], *self.out_hw, o), xp.result_type(self.src.dtype, kernel.dtype))
        row = self.out_hw[1] * o
        tiled = None if bias is None else _bias_row(bias, self.out_hw[1], out.dtype)

        def chunk(n0, n1, cols):
            part = out[n0:n1]
            if g == 1:
                xp.matmul(cols, w2, out=part.reshape(1, -1, o))
            else:
                part[...] = xp.matmul(cols, w2).transpose(1, 0, 2).reshape(n1 - n0, *self.out_hw, o)
            part = part.reshape(-1, row)
            if tiled is not None:
                part += tiled
            if relu:
                relu_into(part, None if mask is None else mask[n0:n1].reshape(-1, row), part)
        # chunks sized for the larger of their columns and their output, which bias and relu go over in cache
        self.each(chunk, _chunk(out.shape[0], max(self.scratch(1), self.rows * o) * out.dtype.itemsize))
        return out

    def weight_grad(self, grad, cols, n0, n1):
        """This chunk's d(sum(out * grad)) / d kernel, as (groups, kg, out/groups).

        For fewer than 32 outputs per group the product is taken transposed, grad^T @ columns, so that
        the BLAS kernel's vector dimension runs over the long kg side rather than the few outputs: measured
        1.15-1.5x faster (kg 216-432 with 12-24 outputs; OpenBLAS, Haswell and SkylakeX kernels), except
        for one-channel columns (stored transposed, see _gather) with kg >= 16, which are faster as they are."""
        xp = get_array_module(grad)
        g, o = self.groups, grad.shape[-1]
        gg = grad[n0:n1].reshape(-1, g, o // g)
        if o // g < 32 and (self.cg > 1 or self.kg < 16):
            return xp.matmul(gg.transpose(1, 2, 0), cols).transpose(0, 2, 1)
        return xp.matmul(cols.transpose(0, 2, 1), gg.transpose(1, 0, 2))

    def kernel_layout(self, gw):
        """(groups, kg, out/groups) -> the kernel's (kh, kw, in/groups, out)."""
        return gw.transpose(1, 0, 2).reshape(*self.k_hw, self.cg, -1)


_S2D_MAX_ROW = 640  # bytes: window rows (kw * channels) at least this long gain nothing from space-to-depth


def _use_s2d(k_hw, strides, dil, groups, row_bytes=0):
    """Whether a strided convolution runs as a stride-1 one on the space-to-depth input (see _space_to_depth):
    when the kernel is a multiple of the stride (no zero taps added), undilated and ungrouped, and the
    gather's contiguous copies (window rows of ``row_bytes``) are short. Measured per layer, forward +
    backward: 28x28x12 k6 s2 (288-byte rows) 6% faster, 14x14x24 k6 s2 (576 B) 1-2%, 14x14x48 k4 s2
    (768 B) 3% slower (building z costs more than the longer copies save)."""
    return (groups == 1 and dil == (1, 1) and strides != (1, 1) and row_bytes < _S2D_MAX_ROW
            and all(k % s == 0 for k, s in zip(k_hw, strides)))


def _axis_pieces(size, before, s, length):
    """Blocks (i0, count, rows, a0, r0) that together place input positions i (padded position p = i + before,
    read by the convolution while p < length * s) at space-to-depth position a = p // s, phase r = p % s:
    input rows i0 .. i0 + count * rows go to positions a0 .. a0 + count, phases r0 .. r0 + rows.
    Also returns how many input positions are placed."""
    end = max(0, min(size, length * s - before))
    pieces, i = [], 0
    head = min((-before) % s, end)  # the rows before the first phase-0 row share one position
    if head:
        pieces.append((0, 1, head, before // s, before % s))
        i = head
    blocks = (end - i) // s
    if blocks:
        pieces.append((i, blocks, s, (i + before) // s, 0))
        i += blocks * s
    if end > i:
        pieces.append((i, 1, end - i, (i + before) // s, 0))
    return pieces, end


def _space_to_depth(x, pads_before, out_hw, kq, strides, xp):
    """The zero-padded input rearranged as z[n, a, b, (r, q, c)] = xpad[n, a*sh + r, b*sw + q, c].

    A stride-(sh, sw) convolution of xpad with a (kq0*sh, kq1*sw) kernel is the stride-1 'valid' convolution
    of z with the kernel rearranged the same way (_s2d_kernel): the im2col gather then copies kq1*sh*sw*c
    contiguous values per window row instead of kw*c (fewer, longer copies). z has just the rows and columns
    that convolution reads: (out + kq - 1) positions per axis. Built without a padded copy of x: the
    border positions are zeroed and x is copied in a few phase-aligned blocks.
    """
    n, h, w, c = x.shape
    (sh, sw), (t, l) = strides, pads_before
    hs, ws = out_hw[0] + kq[0] - 1, out_hw[1] + kq[1] - 1
    z = xp.empty((n, hs, ws, sh * sw * c), x.dtype)
    ph, eh = _axis_pieces(h, t, sh, hs)
    pw, ew = _axis_pieces(w, l, sw, ws)
    rows = -(-t // sh), (t + eh) // sh  # positions whose every phase holds input values
    cols = -(-l // sw), (l + ew) // sw

    def part(n0, n1):  # split over the batch among the threads of a parallel region
        zn = z[n0:n1]
        zn[:, :rows[0]] = 0
        zn[:, max(rows[1], rows[0]):] = 0
        zn[:, :, :cols[0]] = 0
        zn[:, :, max(cols[1], cols[0]):] = 0
        zv = zn.reshape(n1 - n0, hs, ws, sh, sw, c).transpose(0, 1, 3, 2, 4, 5)  # (n, a, r, b, q, c)
        for i0, ci, ri, a0, r0 in ph:
            for j0, cj, rj, b0, q0 in pw:
                zv[:, a0:a0 + ci, r0:r0 + ri, b0:b0 + cj, q0:q0 + rj] = \
                    x[n0:n1, i0:i0 + ci * ri, j0:j0 + cj * rj].reshape(n1 - n0, ci, ri, cj, rj, c)
    _over_batch(n, part, xp, z[0].size)
    return z


def _s2d_kernel(kernel, strides):
    """(kq0*sh, kq1*sw, c, o) -> (kq0, kq1, (sh, sw, c), o): K'[u, v, (r, q, c)] = K[u*sh + r, v*sw + q, c]."""
    kh, kw, c, o = kernel.shape
    (sh, sw) = strides
    return kernel.reshape(kh // sh, sh, kw // sw, sw, c, o).transpose(0, 2, 1, 3, 4, 5) \
        .reshape(kh // sh, kw // sw, sh * sw * c, o)


def _s2d_kernel_back(k2, strides):
    """The inverse of _s2d_kernel (for the kernel gradient)."""
    kqh, kqw, _, o = k2.shape
    (sh, sw) = strides
    c = k2.shape[2] // (sh * sw)
    return k2.reshape(kqh, kqw, sh, sw, c, o).transpose(0, 2, 1, 3, 4, 5).reshape(kqh * sh, kqw * sw, c, o)


def _bias_row(bias, width, dtype):
    """The bias repeated ``width`` times: added to rows of width * channels values, which runs ~3x faster
    than a (..., channels) broadcast when the channels are few."""
    return get_array_module(bias).tile(bias.astype(dtype, copy=False), width)


def _add_bias(out, bias):
    """out += bias along the last axis, on rows of out.shape[-2] * channels values when out is contiguous."""
    if out.ndim < 2 or not out.flags.c_contiguous:
        out += bias
        return out
    row = out.reshape(-1, out.shape[-2] * out.shape[-1])
    row += _bias_row(bias, out.shape[-2], out.dtype)
    return out


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


def _input_grad(grad, kernel, in_hw, pads_before, strides, dil, groups):
    """Gradient of conv(x, kernel) with respect to x, of spatial size in_hw (the transposed convolution).

    By sub-pixel phases (see _Phases); with few input channels per group (relative to the filters) a
    col2im scatter-add is faster (measured) and is used instead.
    """
    cg, o = kernel.shape[2:]
    if _use_col2im(cg, o // groups):
        return _col2im_grad(grad, kernel, in_hw, pads_before, strides, dil, groups)
    xp = get_array_module(grad, kernel)
    phases = _Phases(grad.shape, kernel, in_hw, pads_before, strides, dil, groups)
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


def _bias_grad(g):
    """Sum of g over all axes but the last, as a matrix-vector product (much faster than sum(axis=0) here)."""
    xp = get_array_module(g)
    g2 = g.reshape(-1, g.shape[-1])
    return xp.ones(g2.shape[0], g.dtype) @ g2


# ----------------------------------------------------------------------- ops
class Conv2D(Op):
    """NHWC convolution with a (kh, kw, in/groups, out) kernel and an optional fused bias."""

    def __init__(self, strides=(1, 1), padding="valid", dilation=(1, 1), groups=1, activation=None):
        self.strides = _pair(strides, "strides", "conv2d")
        self.dilation = _pair(dilation, "dilation_rate", "conv2d")
        self.padding = _padding_arg(padding, "conv2d", ("valid", "same"))
        self.groups = int(groups)
        self.relu = fused_relu(activation, "conv2d")

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
        xp = get_array_module(x)
        self.s2d = _use_s2d((kh, kw), self.strides, self.dilation, self.groups, kw * cg * x.dtype.itemsize)
        if self.s2d:
            kq = (kh // self.strides[0], kw // self.strides[1])
            src = _space_to_depth(x, (self.pads[0][0], self.pads[1][0]), out_hw, kq, self.strides, xp)
            self.core = _ConvCore(src, kq, out_hw, (1, 1), (1, 1), 1)
            kernel = _s2d_kernel(kernel, self.strides)
        else:
            self.core = _ConvCore(_pad(x, self.pads, xp), (kh, kw), out_hw, self.strides, self.dilation,
                                  self.groups)
        self.mask = xp.empty((n, *out_hw, o), bool) if self.relu and self.recording else None
        return self.core.product(kernel, bias, self.mask, relu=self.relu)

    def vjp(self, g, needed):
        gx = gk = gb = None
        want_bias = len(needed) > 2 and needed[2]
        pads_before = (self.pads[0][0], self.pads[1][0])
        if needed[1]:  # first: it applies the relu mask and sums the bias gradient on the way
            cg, o = self.kernel.shape[2:]
            phases = None  # the input gradient by phases is computed in the same pass over the batch
            if needed[0] and not _use_col2im(cg, o // self.groups):
                phases = _Phases(g.shape, self.kernel, self.x_shape[1:3], pads_before, self.strides,
                                 self.dilation, self.groups)
            gk, gb, g = self.core.weight_grads(g, self.mask if self.relu else None, want_bias, phases,
                                               keep=needed[0])
            if phases is not None:
                gx, g = g, None
            gk = self.core.kernel_layout(gk)
            if self.s2d:
                gk = _s2d_kernel_back(gk, self.strides)
        elif self.relu:
            g = masked(g, self.mask)
        if needed[0] and gx is None:
            gx = _input_grad(g, self.kernel, self.x_shape[1:3], pads_before, self.strides, self.dilation,
                             self.groups)
        if want_bias and gb is None:
            gb = _bias_grad(g)
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
        return out if bias is None else _add_bias(out, bias)

    def vjp(self, g, needed):
        gx = gk = gb = None
        if needed[0] or needed[1]:
            xp = get_array_module(g)
            core = _ConvCore(_pad(g, self.pads, xp), self.kernel.shape[:2], self.x.shape[1:3], self.strides,
                             self.dilation, 1)
            kernel = self.kernel
            w2 = kernel.reshape(1, -1, kernel.shape[-1])
            if needed[0]:
                gx = xp.empty((g.shape[0], *self.x.shape[1:3], kernel.shape[-1]), xp.result_type(g, kernel))

            def chunk(n0, n1, cols):  # one gather serves both gradients
                if needed[0]:
                    xp.matmul(cols, w2, out=gx[n0:n1].reshape(1, -1, kernel.shape[-1]))
                if needed[1]:
                    return core.weight_grad(self.x, cols, n0, n1)
            parts = core.each(chunk)
            if needed[1]:
                gk = core.kernel_layout(backend.sum_in_order(parts))
        if len(needed) > 2 and needed[2]:
            gb = _bias_grad(g)
        return gx, gk, gb


class DepthwiseConv2D(Op):
    """Per-channel convolution, kernel (kh, kw, C, multiplier), output channel c * multiplier + j.

    No matmul structure here: a loop over the kernel taps multiplies each strided view of the input by
    that tap's per-channel weights, over a few images at a time so that the operands stay in cache.
    """

    def __init__(self, strides=(1, 1), padding="valid", dilation=(1, 1)):
        self.strides = _pair(strides, "strides", "depthwise_conv2d")
        self.dilation = _pair(dilation, "dilation_rate", "depthwise_conv2d")
        self.padding = _padding_arg(padding, "depthwise_conv2d")

    def _tap(self, a, i, j):
        (sh, sw), (dh, dw), (oh, ow) = self.strides, self.dilation, self.out_hw
        return a[:, i * dh:i * dh + sh * (oh - 1) + 1:sh, j * dw:j * dw + sw * (ow - 1) + 1:sw]

    def _chunks(self):
        n, (oh, ow), (c, m) = self.xpad.shape[0], self.out_hw, self.kernel.shape[2:]
        nb = max(1, 2 ** 20 // max(oh * ow * c * m * self.xpad.dtype.itemsize, 1))
        return [(n0, min(n, n0 + nb)) for n0 in range(0, n, nb)]

    def forward(self, x, kernel, bias=None):
        xp = get_array_module(x, kernel)
        n, h, w, c = x.shape
        kh, kw, kc, m = kernel.shape
        if kc != c:
            raise ValueError(f"depthwise_conv2d: the kernel must have shape (kh, kw, {c}, depth_multiplier) for "
                             f"an input with {c} channels; received kernel shape {kernel.shape} for input shape "
                             f"{x.shape}.")
        geo = [conv_output_length(size, k, s, d, self.padding)
               for size, k, s, d in zip((h, w), (kh, kw), self.strides, self.dilation)]
        self.out_hw = (geo[0][0], geo[1][0])
        if min(self.out_hw) < 1:
            raise ValueError(f"depthwise_conv2d: the dilated kernel is larger than the input (input shape {x.shape}, "
                             f"kernel shape {kernel.shape}, dilation_rate {self.dilation}). Use padding='same'.")
        self.pads, self.x_shape, self.kernel = (geo[0][1], geo[1][1]), x.shape, kernel
        self.xpad = _pad(x, self.pads, xp)
        dtype = xp.result_type(x.dtype, kernel.dtype)
        out = xp.empty((n, *self.out_hw, c, m), dtype)
        for n0, n1 in self._chunks():
            acc = xp.empty((m, n1 - n0, *self.out_hw, c), dtype)  # one block per multiplier: inner loops run over c
            tmp = xp.empty(acc.shape[1:], dtype)
            for i in range(kh):
                for j in range(kw):
                    xs = self._tap(self.xpad[n0:n1], i, j)
                    for q in range(m):
                        xp.multiply(xs, kernel[i, j, :, q], out=tmp if i or j else acc[q])
                        if i or j:
                            acc[q] += tmp
            out[n0:n1] = acc.transpose(1, 2, 3, 4, 0)
        out = out.reshape(n, *self.out_hw, c * m)
        return out if bias is None else _add_bias(out, bias)

    def vjp(self, g, needed):
        xp = get_array_module(g)
        kh, kw, c, m = self.kernel.shape
        g5 = g.reshape(g.shape[0], *self.out_hw, c, m)
        gx = gk = gb = None
        dxpad = xp.zeros(self.xpad.shape, g.dtype) if needed[0] else None
        gk = xp.zeros(self.kernel.shape, g.dtype) if needed[1] else None
        for n0, n1 in self._chunks():
            gm = xp.ascontiguousarray(g5[n0:n1].transpose(4, 0, 1, 2, 3))  # (m, n, oh, ow, c)
            tmp = xp.empty(gm.shape[1:], g.dtype)
            for i in range(kh):
                for j in range(kw):
                    for q in range(m):
                        if needed[0]:
                            xp.multiply(gm[q], self.kernel[i, j, :, q], out=tmp)
                            self._tap(dxpad[n0:n1], i, j)[...] += tmp
                        if needed[1]:
                            xp.multiply(self._tap(self.xpad[n0:n1], i, j), gm[q], out=tmp)
                            gk[i, j, :, q] += _bias_grad(tmp)
        if needed[0]:
            (t, _), (l, _) = self.pads
            gx = dxpad[:, t:t + self.x_shape[1], l:l + self.x_shape[2]]
        if len(needed) > 2 and needed[2]:
            gb = _bias_grad(g)
        return gx, gk, gb


# ----------------------------------------------------------------- functions
def _call(op, x, kernel, bias):
    return op(x, kernel) if bias is None else op(x, kernel, bias)


def conv2d(x, kernel, bias=None, strides=1, padding="valid", dilation_rate=1, groups=1, activation=None):
    """2-D convolution of NHWC ``x`` with a (kh, kw, in/groups, out) kernel, plus ``bias`` if given;
    ``activation='relu'`` applies max(., 0) inside the op (one op instead of two, no extra pass over the
    output; the gradient is masked by the kept output)."""
    return _call(Conv2D(strides, padding, dilation_rate, groups, activation), x, kernel, bias)


def _single(value, name, op):
    """A 1-D op's ``name`` argument, an int or a tuple of one, as a positive int."""
    v = value[0] if isinstance(value, (tuple, list)) and len(value) == 1 else value
    if isinstance(v, bool) or not isinstance(v, (int, np.integer)) or v < 1:
        raise ValueError(f"{op}: `{name}` must be a positive int (or a tuple of one); received {name}={value!r}.")
    return int(v)


def _one_row(op2d, x, kernel, strides, dilation_rate, name, *args, **kwargs):
    """A 1-D op as its 2-D form on images one row high: (N, L, C) -> (N, 1, L, C), kernel (k, ...) ->
    (1, k, ...), strides and dilation (1, s); ``args`` / ``kwargs`` pass through. Returns (N, L', C')."""
    stride, dil = _single(strides, "strides", name), _single(dilation_rate, "dilation_rate", name)
    n, length, c = x.shape
    x4 = reshape(x, (n, 1, length, c))
    k4 = reshape(kernel, (1,) + tuple(kernel.shape))
    out = op2d(x4, k4, *args, strides=(1, stride), dilation_rate=(1, dil), **kwargs)
    return reshape(out, (n, out.shape[2], out.shape[3]))


def conv1d(x, kernel, bias=None, strides=1, padding="valid", dilation_rate=1, groups=1, activation=None):
    """1-D convolution of (N, L, C) ``x`` with a (k, in/groups, out) kernel; padding also 'causal';
    ``activation`` as for conv2d."""
    pad = _padding_arg(padding, "conv1d", ("valid", "same", "causal"))
    if pad == "causal":
        pad = ((0, 0), ((kernel.shape[0] - 1) * _single(dilation_rate, "dilation_rate", "conv1d"), 0))
    return _one_row(conv2d, x, kernel, strides, dilation_rate, "conv1d", bias, padding=pad, groups=groups,
                    activation=activation)


def depthwise_conv1d(x, kernel, bias=None, strides=1, padding="valid", dilation_rate=1):
    """Depthwise 1-D convolution of (N, L, C) ``x``: kernel (k, C, depth_multiplier)."""
    return _one_row(depthwise_conv2d, x, kernel, strides, dilation_rate, "depthwise_conv1d", bias, padding=padding)


def conv1d_transpose(x, kernel, bias=None, strides=1, padding="valid", output_padding=None, dilation_rate=1):
    """Transposed 1-D convolution of (N, L, C) ``x``: kernel (k, out_channels, C), Keras's output length."""
    if output_padding is not None:
        output_padding = (0, output_padding if isinstance(output_padding, int) else int(output_padding[0]))
    return _one_row(conv2d_transpose, x, kernel, strides, dilation_rate, "conv1d_transpose", bias, padding=padding,
                    output_padding=output_padding)


def depthwise_conv2d(x, kernel, bias=None, strides=1, padding="valid", dilation_rate=1):
    """Depthwise convolution: kernel (kh, kw, C, depth_multiplier); output channel c*multiplier + j."""
    return _call(DepthwiseConv2D(strides, padding, dilation_rate), x, kernel, bias)


def conv2d_transpose(x, kernel, bias=None, strides=1, padding="valid", output_padding=None, dilation_rate=1):
    """Transposed 2-D convolution (the gradient of conv2d with respect to its input), Keras's output shape."""
    return _call(Conv2DTranspose(strides, padding, output_padding, dilation_rate), x, kernel, bias)


__all__ = ["conv2d", "conv1d", "depthwise_conv2d", "conv2d_transpose", "depthwise_conv1d", "conv1d_transpose",
           "Conv2D", "Conv2DTranspose", "DepthwiseConv2D", "conv_output_length", "deconv_output_length"]
