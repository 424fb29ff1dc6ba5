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

Threads. The rows of a batch never meet in the recurrence, so in a parallel region each of dendrite's threads
runs the whole sequence, forward and backward, for its own block of rows, with BLAS on one thread: no step
waits for another thread, and the gates' elementwise work is split as well as the products (when the
recurrence ran as one block, its products on OpenBLAS's threads, the elementwise half of each step ran on
one core while the other spun).
"""
from ..tape import Op
from ... import runtime
from ...backend import get_array_module


def pack(xp, outputs, states):
    """A sequence op's output: ``outputs`` (timesteps or 1, batch, units), then each final state (batch, units),
    along axis 1 of a (batch, K, units) array."""
    return xp.ascontiguousarray(xp.concatenate([outputs] + [st[None] for st in states]).transpose(1, 0, 2))


def unpack_grad(xp, grad, op, n_states):
    """The inverse of :func:`pack` for a gradient: (the outputs' gradient as (timesteps or 1, batch, units),
    a fresh array per final state's gradient, zeros where the op returns no states)."""
    g = grad.transpose(1, 0, 2)
    k = g.shape[0] - (n_states if op.return_state else 0)
    if op.return_state:
        return g, [g[k + i].copy() for i in range(n_states)]
    return g, [xp.zeros(g.shape[1:], grad.dtype) for _ in range(n_states)]


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
        h = xp.empty((t + 1 if keep_h else 2, n, u), dtype)
        c = xp.empty((t + 1 if self.recording else 2, n, u), dtype)
        tc = xp.empty((t if self.recording else 1, n, u), dtype)
        h[0], c[0] = h0, c0
        by_rows(n, lambda lo, hi: self._forward_rows(xp, lo, hi, p, rk, h, c, tc, keep_h))
        last_h, last_c = h[t if keep_h else t % 2], c[t if self.recording else t % 2]
        if self.recording:
            self.xt, self.gates_, self.h, self.c, self.tc = xt, p, h, c, tc
        return pack(xp, h[1:] if self.return_sequences else last_h[None],
                    (last_h, last_c) if self.return_state else ())

    def _forward_rows(self, xp, lo, hi, p, rk, h, c, tc, keep_h):
        """The recurrence for the batch rows lo:hi (rows never meet in an LSTM: each thread takes its own)."""
        t, u = p.shape[0], rk.shape[0]
        r = xp.empty((hi - lo, 4 * u), p.dtype)
        ig = xp.empty((hi - lo, u), p.dtype)
        rec = self.recording
        for s in range(t):
            z = p[s, lo:hi]
            c_prev, c_new = c[s if rec else s % 2, lo:hi], c[s + 1 if rec else (s + 1) % 2, lo:hi]
            h_prev, h_new = h[s if keep_h else s % 2, lo:hi], h[s + 1 if keep_h else (s + 1) % 2, lo:hi]
            tanh_c = tc[s if rec else 0, lo:hi]
            xp.matmul(h_prev, rk, out=r)  # on this thread: the rows are already split
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

    def vjp(self, grad, needed):
        xp = get_array_module(grad)
        n, t, _ = self.shape
        u = self.rk.shape[0]
        g, (dh, dc) = unpack_grad(xp, grad, self, 2)
        dz = xp.empty_like(self.gates_)
        rk_t = xp.ascontiguousarray(self.rk.T)
        by_rows(n, lambda lo, hi: self._backward_rows(xp, lo, hi, g, dz, dh, dc, rk_t))
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

    def _backward_rows(self, xp, lo, hi, g, dz, dh, dc, rk_t):
        """The gradients of the pre-activations dz, and of h0 and c0 (left in dh and dc), for rows lo:hi.
        The activations' derivatives are taken step by step while the step's gates are in cache:
        y (beta - y) + alpha is y (1 - y) for a sigmoid gate and 1 - y * y for the tanh one."""
        y, c, tc = self.gates_, self.c, self.tc
        t, u = y.shape[0], self.rk.shape[0]
        beta = self._gate_columns(xp, u, y.dtype, 1.0, 0.0)
        alpha = self._gate_columns(xp, u, y.dtype, 0.0, 1.0)
        d = xp.empty((hi - lo, 4 * u), y.dtype)
        tmp, dtc = xp.empty((hi - lo, u), dh.dtype), xp.empty((hi - lo, u), dh.dtype)
        dh, dc = dh[lo:hi], dc[lo:hi]
        for s in range(t - 1, -1, -1):
            if self.return_sequences:
                dh += g[s, lo:hi]
            elif s == t - 1:
                dh += g[0, lo:hi]
            z, dzs, tcs = y[s, lo:hi], dz[s, lo:hi], tc[s, lo:hi]
            xp.multiply(tcs, tcs, out=dtc)
            xp.subtract(1, dtc, out=dtc)  # tanh'(c)
            xp.multiply(dh, z[:, 3 * u:], out=tmp)  # through h = o * tanh(c)
            tmp *= dtc
            dc += tmp
            xp.multiply(dc, z[:, 2 * u:3 * u], out=dzs[:, :u])  # i
            xp.multiply(dc, c[s, lo:hi], out=dzs[:, u:2 * u])  # f
            xp.multiply(dc, z[:, :u], out=dzs[:, 2 * u:3 * u])  # g
            xp.multiply(dh, tcs, out=dzs[:, 3 * u:])  # o
            xp.subtract(beta, z, out=d)
            d *= z
            d += alpha
            dzs *= d
            xp.matmul(dzs, rk_t, out=dh)
            dc *= z[:, u:2 * u]


def by_rows(n, fn):
    """``fn(lo, hi)`` over the batch rows of a recurrence (rows never meet in one: the recurrent ops of
    recurrent.py use this too): one even block of rows per thread of a parallel region, each thread running
    the whole recurrence for its rows with BLAS on one thread (no step waits for another thread); a single
    block, its products on OpenBLAS's own threads, when the batch is too small to split (or outside a
    region)."""
    workers = min(runtime.parallel_threads(), n // _MIN_ROWS)
    if workers <= 1:
        with runtime.blas_threads():  # 2 x timesteps small products in a row: OpenBLAS's threads take them best
            fn(0, n)
        return
    step = -(-n // workers)
    runtime.parallel(lambda i: fn(i * step, min(n, (i + 1) * step)), workers)


_MIN_ROWS = 16  # a thread takes at least this many batch rows
