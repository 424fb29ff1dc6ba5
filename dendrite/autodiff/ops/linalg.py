"""Matrix products: matmul and the fused dense (x @ kernel + bias) primitive."""
from ..tape import Op
from ..tensor import array_of
from ... import runtime
from ...backend import get_array_module


class MatMul(Op):
    def forward(self, a, b):
        self.a, self.b = a, b
        return a @ b

    def vjp(self, g, needed):
        xp = get_array_module(g)
        a, b = self.a, self.b
        ga = gb = None
        if needed[0]:
            ga = g @ xp.swapaxes(b, -1, -2) if b.ndim > 1 else xp.multiply.outer(g, b)
        if needed[1]:
            if a.ndim == 1:
                gb = xp.multiply.outer(a, g)
            else:
                gb = xp.swapaxes(a, -1, -2) @ g
                if b.ndim == 2 and gb.ndim > 2:
                    gb = gb.reshape(-1, *gb.shape[-2:]).sum(axis=0)
        return ga, gb


class Dense(Op):
    """``x @ kernel + bias`` over the last axis of ``x`` (any leading axes)."""

    def forward(self, x, kernel, bias=None):
        self.x, self.kernel = x, kernel
        lead = x.shape[:-1]
        x2 = x.reshape(-1, x.shape[-1]) if x.ndim != 2 else x
        out = runtime.matmul(x2, kernel)
        if bias is not None:
            out += bias
        return out.reshape(*lead, kernel.shape[1]) if x.ndim != 2 else out

    def vjp(self, g, needed):
        x, kernel = self.x, self.kernel
        g2 = g.reshape(-1, g.shape[-1]) if g.ndim != 2 else g
        gx = gk = gb = None
        if needed[0]:
            gx = runtime.matmul(g2, kernel.T).reshape(x.shape)
        if needed[1]:
            gk = runtime.matmul(x.reshape(-1, x.shape[-1]).T, g2)
        if len(needed) > 2 and needed[2]:
            gb = g2.sum(axis=0)
        return gx, gk, gb


def matmul(a, b):
    if not hasattr(a, "ndim") or not hasattr(b, "ndim"):  # a nested list (``[[1., 2.]] @ w``): the other's dtype
        like = array_of(b if hasattr(b, "ndim") else a)
        xp = get_array_module(like)
        dtype = like.dtype if like.dtype.kind == "f" else None
        a, b = (x if hasattr(x, "ndim") else xp.asarray(x, dtype=dtype) for x in (a, b))
    return MatMul()(a, b)


def dense(x, kernel, bias=None):
    if bias is None:
        return Dense()(x, kernel)
    return Dense()(x, kernel, bias)
