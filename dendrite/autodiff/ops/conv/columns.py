"""The unfolded product shared by the convolution paths (im2col): the padded input's kernel windows
gathered through a strided view into an (M, kh*kw*C) matrix ((kh*kw, M) for one channel per group, so
that the copy runs along rows) and multiplied by the kernel in one matmul.

The unfolding is done a few images at a time (~_CHUNK_BYTES of columns, in a reused buffer), so the
columns are still in cache when the matmul reads them: twice as fast as unfolding the whole batch at
the codelab's sizes, and memory stays bounded whatever the batch. The chunks are dealt out among the
threads of a parallel region (_spans, _each_chunk), each thread with its own column buffer from the
runtime's scratch pool. Bias, and relu when asked for, are applied to each chunk's output while it is
in cache (the relu mask kept for the backward). Weight gradient: columns^T @ grad, chunk by chunk,
gathering the columns again.
"""
import numpy as np

from ..activation import relu_into
from .... import runtime
from ....backend import get_array_module

_CHUNK_BYTES = 3 * 2 ** 20  # columns unfolded at once (a few images): stays in cache


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
    workers = min(runtime.parallel_threads(), n) if xp is np else 1
    if workers > 1:
        count = -(-count // workers) * workers
    nb = -(-n // count) if count else 1
    return [(n0, min(n, n0 + nb)) for n0 in range(0, n, nb)]


def _each_chunk(spans, fn, xp, scratch=0, dtype=None):
    """``[fn(n0, n1, buf) for (n0, n1) in spans]``, the spans dealt in turn to runtime.parallel's threads;
    each thread gets its own scratch buffer ``buf`` of ``scratch`` elements (None when 0). Results come back
    in span order, so that sums over them do not depend on the threads."""
    workers = min(runtime.parallel_threads(), len(spans)) if xp is np else 1

    def share(w):
        buf = runtime.take_buffer(scratch, dtype, xp) if scratch else None
        try:
            return [fn(n0, n1, buf) for n0, n1 in spans[w::workers]]
        finally:
            if buf is not None:
                runtime.give_buffer(buf)

    out = [None] * len(spans)
    for w, results in enumerate(runtime.parallel(share, workers)):
        out[w::workers] = results
    return out


class _ConvCore:
    """The unfolded product shared by the conv and conv-transpose ops: src (padded, NHWC) -> NHWC output.

    Columns are gathered a few images at a time into one reused buffer and consumed at once (forward
    product, weight gradient); the backward gathers them again rather than keeping the whole unfolded
    batch, which measured faster (cache-resident) and holds far less memory. The chunks are shared out
    among the worker threads (runtime.parallel), each with its own column buffer.
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
        With ``phases`` (an input_grad._Phases) the input gradient is computed in the same pass and returned as the
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
                flat = runtime.take_buffer(wcore.scratch(n1 - n0), win.dtype, xp)
                try:
                    phases.apply(wcore.columns(n0, n1, flat), dx, n0, n1)
                finally:
                    runtime.give_buffer(flat)
            return parts
        # with the input gradient in the same pass, size the chunks for the larger of the two column sets
        # (a stride-1 3x3 layer's window columns are 2.8x its own: 20% faster backward; equal elsewhere);
        # with the masked gradient made per chunk, for the larger of the columns and that gradient
        per_image = wcore.scratch(1) if phases is not None else \
            self.rows * grad.shape[-1] if mask is not None and gm is None else 0
        parts = self.each(chunk, _chunk(grad.shape[0], max(self.scratch(1), per_image) * grad.dtype.itemsize)
                          if per_image else None)
        gb = runtime.sum_in_order([b for _, b in parts]) if bias else None
        third = dx if phases is not None else grad if mask is None else gm  # gm: None when not kept
        return runtime.sum_in_order([k for k, _ in parts]), gb, third

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


def _bias_grad(g):
    """Sum of g over all axes but the last, as a matrix-vector product (much faster than sum(axis=0) here)."""
    xp = get_array_module(g)
    g2 = g.reshape(-1, g.shape[-1])
    return xp.ones(g2.shape[0], g.dtype) @ g2
