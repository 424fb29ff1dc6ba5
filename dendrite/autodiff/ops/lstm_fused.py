"""The LSTM sequence op for the common case, with its per-timestep elementwise work cut to a few passes:
tanh activation, sigmoid recurrent activation, no mask and no dropout (the general op in recurrent.py
handles everything else; both give the same values).

Forward. sigmoid(z) = 0.5 * tanh(z / 2) + 0.5, so with the i, f and o columns of the kernel, recurrent
kernel and bias halved (exact: a power of two), one tanh over a timestep's four gate blocks gives all of
them, and the sigmoid gates need only a multiply-add each. The states are written where the backward pass
reads them: h and c of every step into (timesteps + 1, batch, units) arrays, through ``out=``, so that no
step allocates or copies.

Backward. A timestep costs one recurrent product and about a dozen elementwise passes over that step's
arrays while they are in cache: the activations' derivatives from the stored activations (for a sigmoid gate
y (1 - y), for the tanh gate 1 - y * y, both as y (beta - y) + alpha with per-column beta and alpha, and
1 - tanh(c) ** 2), then the pre-activations' gradients written through ``out=``. The kernel, recurrent-kernel
and bias gradients are one product (or sum) each over all timesteps, as in the general op.
"""
from ..tape import Op
from ... import runtime
from ...backend import get_array_module


def pack(xp, outputs, states):
    """A sequence op's output: ``outputs`` (timesteps or 1, batch, units), then each final state (batch, units),
    along axis 1 of a (batch, K, units) array."""
    return xp.ascontiguousarray(xp.concatenate([outputs] + [st[None] for st in states]).transpose(1, 0, 2))


def fusable(activation, recurrent_activation, mask, dropout_mask, recurrent_dropout_mask):
    """Whether :class:`FusedLSTMSequence` computes this LSTM."""
    return (activation == "tanh" and recurrent_activation == "sigmoid" and mask is None and dropout_mask is None
            and recurrent_dropout_mask is None)


class FusedLSTMSequence(Op):
    """Inputs: x (batch, timesteps, features), kernel (features, 4u), recurrent_kernel (u, 4u), bias (4u,)
    when ``use_bias``, h0 and c0 (batch, u). Output packed as recurrent.py's ops pack it."""

    gates, n_states = 4, 2

    def __init__(self, go_backwards=False, return_sequences=False, return_state=False, use_bias=True):
        self.go_backwards, self.return_sequences = bool(go_backwards), bool(return_sequences)
        self.return_state, self.use_bias = bool(return_state), use_bias

    @staticmethod
    def _gate_columns(xp, u, dtype, sigmoid, tanh):
        """A (4u,) vector holding ``sigmoid`` in the i, f, o blocks and ``tanh`` in the c block."""
        v = xp.full(4 * u, sigmoid, dtype)
        v[2 * u:3 * u] = tanh
        return v

    @runtime.blas_threads()  # 2 x timesteps small products in a row: OpenBLAS's threads take them best
    def forward(self, x, kernel, recurrent_kernel, *rest):
        xp = get_array_module(x, kernel)
        bias = rest[0] if self.use_bias else None
        h0, c0 = rest[-2:]
        n, t, f = x.shape
        u = recurrent_kernel.shape[0]
        self.shape, self.kernel, self.rk = x.shape, kernel, recurrent_kernel
        xt = x.transpose(1, 0, 2)
        xt = xp.ascontiguousarray(xt[::-1] if self.go_backwards else xt)
        dtype = xp.result_type(x.dtype, kernel.dtype)
        half = self._gate_columns(xp, u, dtype, 0.5, 1.0)
        # every step's gates, halved where they feed a sigmoid; overwritten by the activations step by step
        p = runtime.matmul(xt.reshape(-1, f), kernel * half).reshape(t, n, 4 * u)
        if bias is not None:
            p += bias * half
        rk = recurrent_kernel * half
        # h of every step is kept for the backward pass or the output, c and tanh(c) for the backward pass;
        # what is not kept lives in two alternating slots
        keep_h = self.recording or self.return_sequences
        hi = (lambda s: s) if keep_h else (lambda s: s % 2)
        ci = (lambda s: s) if self.recording else (lambda s: s % 2)
        h = xp.empty((t + 1 if keep_h else 2, n, u), dtype)
        c = xp.empty((t + 1 if self.recording else 2, n, u), dtype)
        tc = xp.empty((t if self.recording else 1, n, u), dtype)
        h[0], c[0] = h0, c0
        r = xp.empty((n, 4 * u), dtype)
        ig = xp.empty((n, u), dtype)
        for s in range(t):
            z, c_prev, c_new, h_new = p[s], c[ci(s)], c[ci(s + 1)], h[hi(s + 1)]
            tanh_c = tc[s if self.recording else 0]
            runtime.matmul(h[hi(s)], rk, out=r)
            z += r
            xp.tanh(z, out=z)
            for block in (z[:, :2 * u], z[:, 3 * u:]):  # i, f and o: sigmoid = 0.5 * tanh(z / 2) + 0.5
                block *= 0.5
                block += 0.5
            xp.multiply(z[:, u:2 * u], c_prev, out=c_new)  # f * c
            xp.multiply(z[:, :u], z[:, 2 * u:3 * u], out=ig)  # i * g
            c_new += ig
            xp.tanh(c_new, out=tanh_c)
            xp.multiply(z[:, 3 * u:], tanh_c, out=h_new)  # o * tanh(c)
        last_h, last_c = h[hi(t)], c[ci(t)]
        if self.recording:
            self.xt, self.gates_, self.h, self.c, self.tc = xt, p, h, c, tc
        return pack(xp, h[1:] if self.return_sequences else last_h[None],
                    (last_h, last_c) if self.return_state else ())

    @runtime.blas_threads()
    def vjp(self, grad, needed):
        xp = get_array_module(grad)
        n, t, _ = self.shape
        u = self.rk.shape[0]
        y, c, tc = self.gates_, self.c, self.tc
        g = grad.transpose(1, 0, 2)
        k = t if self.return_sequences else 1
        if self.return_state:
            dh, dc = g[k].copy(), g[k + 1].copy()
        else:
            dh, dc = xp.zeros((n, u), grad.dtype), xp.zeros((n, u), grad.dtype)
        # the activations' derivatives, step by step while the step's gates are in cache: y (beta - y) + alpha
        # is y (1 - y) for a sigmoid gate and 1 - y * y for the tanh one
        beta = self._gate_columns(xp, u, y.dtype, 1.0, 0.0)
        alpha = self._gate_columns(xp, u, y.dtype, 0.0, 1.0)
        d = xp.empty((n, 4 * u), y.dtype)
        dz = xp.empty_like(y)
        tmp, dtc = xp.empty((n, u), grad.dtype), xp.empty((n, u), grad.dtype)
        rk_t = xp.ascontiguousarray(self.rk.T)
        for s in range(t - 1, -1, -1):
            if self.return_sequences:
                dh += g[s]
            elif s == t - 1:
                dh += g[0]
            z, dzs = y[s], dz[s]
            xp.multiply(tc[s], tc[s], out=dtc)
            xp.subtract(1, dtc, out=dtc)  # tanh'(c)
            xp.multiply(dh, z[:, 3 * u:], out=tmp)  # through h = o * tanh(c)
            tmp *= dtc
            dc += tmp
            xp.multiply(dc, z[:, 2 * u:3 * u], out=dzs[:, :u])  # i
            xp.multiply(dc, c[s], out=dzs[:, u:2 * u])  # f
            xp.multiply(dc, z[:, :u], out=dzs[:, 2 * u:3 * u])  # g
            xp.multiply(dh, tc[s], out=dzs[:, 3 * u:])  # o
            xp.subtract(beta, z, out=d)
            d *= z
            d += alpha
            dzs *= d
            runtime.matmul(dzs, rk_t, out=dh)
            dc *= z[:, u:2 * u]
        flat = dz.reshape(-1, 4 * u)
        dx = dk = drk = db = None
        if needed[0]:
            dx = runtime.matmul(flat, self.kernel.T).reshape(t, n, -1)
            dx = (dx[::-1] if self.go_backwards else dx).transpose(1, 0, 2)
        if needed[1]:
            dk = runtime.matmul(self.xt.reshape(-1, self.xt.shape[-1]).T, flat)
        if needed[2]:
            drk = runtime.matmul(self.h[:t].reshape(-1, u).T, flat)
        if self.use_bias and needed[3]:
            db = flat.sum(axis=0)
        grads = (dx, dk, drk) + ((db,) if self.use_bias else ())
        return grads + (dh, dc)
