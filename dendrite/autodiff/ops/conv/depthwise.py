"""The depthwise convolution's taps: per-channel convolution has no matmul structure, so it runs as a
loop over the kernel taps that multiplies each strided view of the input by that tap's per-channel
weights, a few images at a time so that the operands stay in cache."""
from ....backend import get_array_module
from .columns import _bias_grad


class _Taps:
    """The taps of a (kh, kw, C, multiplier) kernel over the zero-padded input ``xpad``, which gives an
    (n, *out_hw, C * multiplier) output, channel c * multiplier + j."""

    def __init__(self, xpad, kernel, strides, dilation, out_hw):
        self.xpad, self.kernel, self.strides, self.dilation, self.out_hw = xpad, kernel, strides, dilation, out_hw

    def _tap(self, a, i, j):
        (sh, sw), (dh, dw), (oh, ow) = self.strides, self.dilation, self.out_hw
        return a[:, i * dh:i * dh + sh * (oh - 1) + 1:sh, j * dw:j * dw + sw * (ow - 1) + 1:sw]

    def _chunks(self):
        n, (oh, ow), (c, m) = self.xpad.shape[0], self.out_hw, self.kernel.shape[2:]
        nb = max(1, 2 ** 20 // max(oh * ow * c * m * self.xpad.dtype.itemsize, 1))
        return [(n0, min(n, n0 + nb)) for n0 in range(0, n, nb)]

    def forward(self):
        """The convolution output (without bias)."""
        xp = get_array_module(self.xpad, self.kernel)
        kernel = self.kernel
        n = self.xpad.shape[0]
        kh, kw, c, m = kernel.shape
        dtype = xp.result_type(self.xpad.dtype, kernel.dtype)
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
        return out.reshape(n, *self.out_hw, c * m)

    def backward(self, g, want_input, want_kernel):
        """``(gradient of xpad or None, gradient of the kernel or None)`` for the output gradient ``g``."""
        xp = get_array_module(g)
        kh, kw, c, m = self.kernel.shape
        g5 = g.reshape(g.shape[0], *self.out_hw, c, m)
        dxpad = xp.zeros(self.xpad.shape, g.dtype) if want_input else None
        gk = xp.zeros(self.kernel.shape, g.dtype) if want_kernel else None
        for n0, n1 in self._chunks():
            gm = xp.ascontiguousarray(g5[n0:n1].transpose(4, 0, 1, 2, 3))  # (m, n, oh, ow, c)
            tmp = xp.empty(gm.shape[1:], g.dtype)
            for i in range(kh):
                for j in range(kw):
                    for q in range(m):
                        if want_input:
                            xp.multiply(gm[q], self.kernel[i, j, :, q], out=tmp)
                            self._tap(dxpad[n0:n1], i, j)[...] += tmp
                        if want_kernel:
                            xp.multiply(self._tap(self.xpad[n0:n1], i, j), gm[q], out=tmp)
                            gk[i, j, :, q] += _bias_grad(tmp)
        return dxpad, gk
