"""Strided convolutions as stride-1 ones on the space-to-depth input.

A strided convolution whose kernel is a multiple of the stride (the codelab's k6 s2) runs as a stride-1
convolution of the space-to-depth input (s x s pixel blocks stacked on the channels, built straight from
the unpadded input) with the kernel rearranged to match: its gather copies fewer, longer contiguous rows
(used where the rows are short: _use_s2d, measured).
"""
from .columns import _ConvCore
from .geometry import _over_batch

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


def _s2d_core(x, kernel, pads_before, out_hw, strides, dil, groups, xp):
    """``(core, kernel)``: the _ConvCore over the space-to-depth input of ``x`` and the kernel rearranged for
    it, where _use_s2d picks this path for the convolution; else None (the plain gather of the padded input)."""
    kh, kw, cg, _ = kernel.shape
    if not _use_s2d((kh, kw), strides, dil, groups, kw * cg * x.dtype.itemsize):
        return None
    kq = (kh // strides[0], kw // strides[1])
    src = _space_to_depth(x, pads_before, out_hw, kq, strides, xp)
    return _ConvCore(src, kq, out_hw, (1, 1), (1, 1), 1), _s2d_kernel(kernel, strides)
