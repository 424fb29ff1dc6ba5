"""Recurrent ops: a whole SimpleRNN, LSTM or GRU sequence as one op with a hand-written backward pass
(backpropagation through time, vectorised over the batch).

Weights in Keras's layouts, gate blocks side by side along the columns:

- SimpleRNN: kernel (F, u), recurrent_kernel (u, u), bias (u,);
  h = act(x @ W + h_prev @ U + b).
- LSTM: kernel (F, 4u), recurrent_kernel (u, 4u), bias (4u,), gates i, f, c, o;
  z = x @ W + h_prev @ U + b, i = ract(z_i), f = ract(z_f), o = ract(z_o),
  c = f * c_prev + i * act(z_c), h = o * act(c). States [h, c].
- GRU: kernel (F, 3u), recurrent_kernel (u, 3u), gates z, r, h. reset_after=True (Keras 3's default):
  bias (2, 3u), row 0 for the inputs, row 1 for the recurrent product; with x_ = x @ W + b[0] and
  h_ = h_prev @ U + b[1]: z = ract(x_z + h_z), r = ract(x_r + h_r), hh = act(x_h + r * h_h).
  reset_after=False: bias (3u,); z, r as before without b[1], hh = act(x_h + (r * h_prev) @ U_h).
  Both: h = z * h_prev + (1 - z) * hh.

Forward: the inputs of all timesteps are projected by the kernel in one matrix product (time-major),
then a loop over the timesteps adds the recurrent product and applies the gates to the whole batch; the
projection's array is overwritten by the gate activations, which the backward pass reads. Backward: a
loop over the timesteps in reverse gives the gradients of the pre-activations of every step; the input,
kernel, recurrent-kernel and bias gradients are then each one matrix product (or sum) over all steps.

The output of the op packs what was asked for along axis 1, (batch, K, units): the outputs (all
timesteps, in processing order, or the last one), then the final states if ``return_state``. The
functions below unpack it.

Masking, as Keras: where ``mask[n, t]`` is False, sample n keeps its states through step t and its
output there is its previous output (zeros before the first step), or zeros with
``zero_output_for_mask``. Dropout masks (already scaled by 1 / (1 - rate)) are fixed for the whole
sequence: one (batch, features) array for all gates, or a (gates, batch, features) stack with one per
gate (Keras's implementation 1, which its LSTM and GRU cells use when recurrent_dropout > 0).
"""
from ..tape import Op
from ..tensor import array_of
from .lstm_fused import FusedLSTMSequence, by_rows, fusable, pack, unpack_grad
from .shape import getitem
from ... import runtime
from ...backend import get_array_module

#: the activations the fused ops compute themselves (by Keras name); a layer with another one steps
#: its cell through the autodiff ops instead
ACTIVATIONS = ("tanh", "sigmoid", "relu", "linear", "hard_sigmoid")


def _activate(name, a):
    """``name(a)`` computed in place on ``a`` (an array or a view the caller owns), which is returned."""
    xp = get_array_module(a)
    if name == "tanh":
        xp.tanh(a, out=a)
    elif name == "sigmoid":  # 1 / (1 + exp(-a)) as 0.5 * tanh(a / 2) + 0.5: nothing overflows
        a *= 0.5
        xp.tanh(a, out=a)
        a *= 0.5
        a += 0.5
    elif name == "relu":
        xp.maximum(a, 0, out=a)
    elif name == "hard_sigmoid":  # Keras 3's: relu6(a + 3) / 6
        a /= 6
        a += 0.5
        xp.clip(a, 0, 1, out=a)
    return a


def _derivative(name, y, g):
    """``g * name'(a)``, from the activation's output ``y = name(a)``."""
    if name == "tanh":
        return g * (1 - y * y)
    if name == "sigmoid":
        return g * y * (1 - y)
    if name == "relu":
        return g * (y > 0)
    if name == "hard_sigmoid":
        return g * ((y > 0) & (y < 1)) / 6
    return g


# --------------------------------------------------------- products with dropout masks
def _per_gate(masks):
    return masks is not None and masks.ndim == 3


def gate_blocks(masks, lo, hi):
    """The masks of gate blocks lo..hi: a per-gate stack is sliced, one shared mask stays."""
    return masks[lo:hi] if _per_gate(masks) else masks


def _rows(masks, r):
    """The dropout masks of the batch rows ``r`` (a slice): masks are (batch, d) or a per-gate (G, batch, d)."""
    return None if masks is None else masks[..., r, :]


def _project(a, w, masks=None):
    """``a @ w`` over the last axis of ``a``; with one dropout mask ``(a * masks) @ w``, with a per-gate
    stack (G, batch, d) the g-th column block of ``w`` is fed ``a * masks[g]``."""
    lead, d = a.shape[:-1], a.shape[-1]
    if not _per_gate(masks):
        if masks is not None:
            a = a * masks
        return runtime.matmul(a.reshape(-1, d), w).reshape(*lead, w.shape[1])
    xp = get_array_module(a)
    k = w.shape[1] // masks.shape[0]
    out = xp.empty(lead + (w.shape[1],), a.dtype)
    for g in range(masks.shape[0]):
        part = (a * masks[g]).reshape(-1, d)
        out[..., g * k:(g + 1) * k] = runtime.matmul(part, w[:, g * k:(g + 1) * k]).reshape(*lead, k)
    return out


def _project_back(grad, w, masks=None):
    """The gradient of ``_project(a, w, masks)`` with respect to ``a``, from the gradient of its output."""
    lead, d = grad.shape[:-1], w.shape[0]
    if not _per_gate(masks):
        out = runtime.matmul(grad.reshape(-1, grad.shape[-1]), w.T).reshape(*lead, d)
        if masks is not None:
            out *= masks
        return out
    k = w.shape[1] // masks.shape[0]
    total = None
    for g in range(masks.shape[0]):
        part = runtime.matmul(grad[..., g * k:(g + 1) * k].reshape(-1, k), w[:, g * k:(g + 1) * k].T)
        part = part.reshape(*lead, d) * masks[g]
        total = part if total is None else total + part
    return total


def _weight_grad(a, grad, masks=None):
    """The gradient of ``_project(a, w, masks)`` with respect to ``w``: one product over all leading axes."""
    d = a.shape[-1]
    if not _per_gate(masks):
        if masks is not None:
            a = a * masks
        return runtime.matmul(a.reshape(-1, d).T, grad.reshape(-1, grad.shape[-1]))
    xp = get_array_module(a)
    k = grad.shape[-1] // masks.shape[0]
    return xp.concatenate([runtime.matmul((a * masks[g]).reshape(-1, d).T,
                                          grad[..., g * k:(g + 1) * k].reshape(-1, k))
                           for g in range(masks.shape[0])], axis=1)


# ----------------------------------------------------------------------- the ops
class _Sequence(Op):
    """The time loop, masking, packing and the input-side gradients, shared by the three cells.

    Inputs: x (batch, timesteps, features), kernel, recurrent_kernel, then bias if ``use_bias``, then the
    initial states. A subclass defines ``_step`` (one timestep forward, keeping what its backward needs
    when ``self.recording``), ``_step_back`` (returns the gradients of the previous states and of the
    step's pre-activations), ``_recurrent_grad`` and ``_bias_grad``.
    """

    gates = 1  # column blocks of the kernels
    n_states = 1

    def __init__(self, activation="tanh", recurrent_activation="sigmoid", mask=None, go_backwards=False,
                 return_sequences=False, return_state=False, zero_output_for_mask=False, dropout_mask=None,
                 recurrent_dropout_mask=None, use_bias=True):
        for arg, name in (("activation", activation), ("recurrent_activation", recurrent_activation)):
            if name not in ACTIVATIONS:
                raise ValueError(f"{type(self).__name__}: `{arg}` must be one of {ACTIVATIONS} (computed inside "
                                 f"the op); received {arg}={name!r}.")
        self.act, self.ract = activation, recurrent_activation
        self.mask, self.go_backwards = mask, bool(go_backwards)
        self.return_sequences, self.return_state = bool(return_sequences), bool(return_state)
        self.zero_output = bool(zero_output_for_mask)
        self.dmask, self.rmask, self.use_bias = dropout_mask, recurrent_dropout_mask, use_bias

    def _input_bias(self, bias):
        return bias

    def forward(self, x, kernel, recurrent_kernel, *rest):
        xp = get_array_module(x, kernel)
        bias = rest[0] if self.use_bias else None
        states = list(rest[1:] if self.use_bias else rest)
        n, t, _ = x.shape
        u = recurrent_kernel.shape[0]
        self.shape, self.kernel, self.rk = x.shape, kernel, recurrent_kernel
        xt = x.transpose(1, 0, 2)
        xt = xp.ascontiguousarray(xt[::-1] if self.go_backwards else xt)
        proj = _project(xt, kernel, self.dmask)  # (t, n, gates * u), then the gate activations step by step
        if bias is not None:
            proj += self._input_bias(bias)
        keep = None
        if self.mask is not None:
            keep = xp.asarray(self.mask, bool).T[:, :, None]
            keep = keep[::-1] if self.go_backwards else keep
        self.keep = keep
        if self.recording:
            self.xt, self.proj = xt, proj
            self.h_prev = xp.empty((t, n, u), proj.dtype)
            self._start(t, n, u, proj.dtype)
        outs = xp.empty((t, n, u), proj.dtype) if self.return_sequences else None
        last = [xp.empty((n, u), proj.dtype) for _ in range(1 + self.n_states)]  # the last output, final states

        def rows(lo, hi):
            r = slice(lo, hi)
            st = [a[r] for a in states]
            out = xp.zeros((hi - lo, u), proj.dtype)  # the previous output, zeros before the first step
            for s in range(t):
                if self.recording:
                    self.h_prev[s, r] = st[0]
                new = self._step(s, proj[s, r], st, bias, r)
                y = new[0]
                if keep is not None:
                    m = keep[s, r]
                    new = [xp.where(m, a, b) for a, b in zip(new, st)]
                    y = xp.where(m, y, 0 if self.zero_output else out)
                st, out = new, y
                if outs is not None:
                    outs[s, r] = out
            for whole, part in zip(last, [out] + st):
                whole[r] = part

        by_rows(n, rows)
        return pack(xp, outs if outs is not None else last[0][None], last[1:] if self.return_state else ())

    def vjp(self, grad, needed):
        xp = get_array_module(grad)
        n, t, _ = self.shape
        u = self.rk.shape[0]
        g, dstates = unpack_grad(xp, grad, self, self.n_states)
        keep = self.keep
        dp = xp.empty((t, n, self.gates * u), grad.dtype)

        def rows(lo, hi):
            r = slice(lo, hi)
            ds = [d[r] for d in dstates]
            carry = None  # the gradient reaching the previous output through masked steps
            for s in range(t - 1, -1, -1):
                gout = g[s, r] if self.return_sequences else (g[0, r] if s == t - 1 else None)
                if carry is not None:
                    gout = carry if gout is None else gout + carry
                if keep is not None:
                    m = keep[s, r]
                    if gout is not None:
                        carry = None if self.zero_output else gout * ~m
                        gout = gout * m
                    passed = [d * ~m for d in ds]
                    ds = [d * m for d in ds]
                if gout is not None:
                    ds[0] = ds[0] + gout  # the output is the new h
                prev, dp[s, r] = self._step_back(s, ds, r)
                ds = prev if keep is None else [a + b for a, b in zip(prev, passed)]
            for whole, part in zip(dstates, ds):
                whole[r] = part

        by_rows(n, rows)
        dx = dk = drk = None
        if needed[0]:
            dx = _project_back(dp, self.kernel, self.dmask)
            dx = (dx[::-1] if self.go_backwards else dx).transpose(1, 0, 2)
        if needed[1]:
            dk = _weight_grad(self.xt, dp, self.dmask)
        if needed[2]:
            drk = self._recurrent_grad(dp)
        grads = [dx, dk, drk]
        if self.use_bias:
            grads.append(self._bias_grad(dp) if needed[3] else None)
        return tuple(grads) + tuple(dstates)

    def _start(self, t, n, u, dtype):
        pass

    def _recurrent_grad(self, dp):
        return _weight_grad(self.h_prev, dp, self.rmask)

    def _bias_grad(self, dp):
        return dp.sum(axis=(0, 1))


class SimpleRNNSequence(_Sequence):
    def _step(self, s, p, states, bias, r):
        p += _project(states[0], self.rk, _rows(self.rmask, r))
        return [_activate(self.act, p)]

    def _step_back(self, s, d, r):
        da = _derivative(self.act, self.proj[s, r], d[0])
        return [_project_back(da, self.rk, _rows(self.rmask, r))], da


class LSTMSequence(_Sequence):
    gates, n_states = 4, 2

    def _start(self, t, n, u, dtype):
        xp = get_array_module(self.proj)
        self.c_prev = xp.empty((t, n, u), dtype)
        self.tanh_c = xp.empty((t, n, u), dtype)

    def _step(self, s, p, states, bias, r):
        h, c = states
        u = h.shape[1]
        p += _project(h, self.rk, _rows(self.rmask, r))
        _activate(self.ract, p[:, :2 * u])
        _activate(self.act, p[:, 2 * u:3 * u])
        _activate(self.ract, p[:, 3 * u:])
        c_new = p[:, u:2 * u] * c
        c_new += p[:, :u] * p[:, 2 * u:3 * u]
        act_c = _activate(self.act, c_new.copy())
        if self.recording:
            self.c_prev[s, r], self.tanh_c[s, r] = c, act_c
        return [p[:, 3 * u:] * act_c, c_new]

    def _step_back(self, s, d, r):
        dh, dc = d
        z = self.proj[s, r]
        u = dh.shape[1]
        i, f, g, o = z[:, :u], z[:, u:2 * u], z[:, 2 * u:3 * u], z[:, 3 * u:]
        act_c = self.tanh_c[s, r]
        dc = dc + _derivative(self.act, act_c, dh * o)
        dz = get_array_module(dh).empty_like(z)
        dz[:, :u] = _derivative(self.ract, i, dc * g)
        dz[:, u:2 * u] = _derivative(self.ract, f, dc * self.c_prev[s, r])
        dz[:, 2 * u:3 * u] = _derivative(self.act, g, dc * i)
        dz[:, 3 * u:] = _derivative(self.ract, o, dh * act_c)
        return [_project_back(dz, self.rk, _rows(self.rmask, r)), dc * f], dz


class GRUSequence(_Sequence):
    gates = 3

    def __init__(self, reset_after=True, **kwargs):
        super().__init__(**kwargs)
        self.reset_after = bool(reset_after)

    def _input_bias(self, bias):
        return bias[0] if self.reset_after else bias

    def _start(self, t, n, u, dtype):
        # reset_after: the recurrent product of the h block (bias included); else r * h_prev
        self.rh = get_array_module(self.proj).empty((t, n, u), dtype)

    def _step(self, s, p, states, bias, r):
        h = states[0]
        u = h.shape[1]
        rmask = _rows(self.rmask, r)
        if self.reset_after:
            rec = _project(h, self.rk, rmask)
            if bias is not None:
                rec += bias[1]
            p[:, :2 * u] += rec[:, :2 * u]
            _activate(self.ract, p[:, :2 * u])
            rh = rec[:, 2 * u:]
            p[:, 2 * u:] += p[:, u:2 * u] * rh
        else:
            p[:, :2 * u] += _project(h, self.rk[:, :2 * u], gate_blocks(rmask, 0, 2))
            _activate(self.ract, p[:, :2 * u])
            rh = p[:, u:2 * u] * h
            p[:, 2 * u:] += _project(rh, self.rk[:, 2 * u:], gate_blocks(rmask, 2, 3))
        hh = _activate(self.act, p[:, 2 * u:])
        if self.recording:
            self.rh[s, r] = rh
        h_new = h - hh
        h_new *= p[:, :u]
        h_new += hh
        return [h_new]

    def _step_back(self, s, d, r):
        dh = d[0]
        u = dh.shape[1]
        gates, h = self.proj[s, r], self.h_prev[s, r]
        rmask = _rows(self.rmask, r)
        z, reset, hh = gates[:, :u], gates[:, u:2 * u], gates[:, 2 * u:]
        dp = get_array_module(dh).empty_like(gates)
        dp[:, :u] = _derivative(self.ract, z, dh * (h - hh))
        dah = dp[:, 2 * u:] = _derivative(self.act, hh, dh * (1 - z))
        dh_prev = dh * z
        if self.reset_after:
            dp[:, u:2 * u] = _derivative(self.ract, reset, dah * self.rh[s, r])
            drec = dp.copy()
            drec[:, 2 * u:] *= reset
            dh_prev += _project_back(drec, self.rk, rmask)
        else:
            drh = _project_back(dah, self.rk[:, 2 * u:], gate_blocks(rmask, 2, 3))
            dp[:, u:2 * u] = _derivative(self.ract, reset, drh * h)
            dh_prev += drh * reset
            dh_prev += _project_back(dp[:, :2 * u], self.rk[:, :2 * u], gate_blocks(rmask, 0, 2))
        return [dh_prev], dp

    def _recurrent(self, dp):
        """The gradient of the recurrent product (reset_after): the pre-activations' but r * dh for h."""
        u = self.rk.shape[0]
        drec = dp.copy()
        drec[..., 2 * u:] *= self.proj[..., u:2 * u]
        return drec

    def _recurrent_grad(self, dp):
        if self.reset_after:
            return _weight_grad(self.h_prev, self._recurrent(dp), self.rmask)
        xp = get_array_module(dp)
        u = self.rk.shape[0]
        return xp.concatenate([_weight_grad(self.h_prev, dp[..., :2 * u], gate_blocks(self.rmask, 0, 2)),
                               _weight_grad(self.rh, dp[..., 2 * u:], gate_blocks(self.rmask, 2, 3))], axis=1)

    def _bias_grad(self, dp):
        db = dp.sum(axis=(0, 1))
        if not self.reset_after:
            return db
        return get_array_module(dp).stack([db, self._recurrent(dp).sum(axis=(0, 1))])


# --------------------------------------------------------------------- functions
def _check(name, x, kernel, recurrent_kernel, bias, states, gates, bias_shape, mask, dropout_mask,
           recurrent_dropout_mask):
    """Shapes checked with errors that name the op, the argument, the shape expected and the one given."""
    xs = array_of(x).shape
    if len(xs) != 3 or xs[1] == 0:
        raise ValueError(f"{name}: `x` must have shape (batch, timesteps, features) with at least one timestep; "
                         f"received shape {xs}.")
    n, t, f = xs
    u = array_of(recurrent_kernel).shape[0]
    expected = [("kernel", kernel, (f, gates * u)), ("recurrent_kernel", recurrent_kernel, (u, gates * u))]
    if bias is not None:
        expected.append(("bias", bias, bias_shape(u)))
    expected += [(f"initial_state[{i}]", s, (n, u)) for i, s in enumerate(states or ())]
    if mask is not None:
        expected.append(("mask", mask, (n, t)))
    for arg, value, size in (("dropout_mask", dropout_mask, f), ("recurrent_dropout_mask",
                                                                 recurrent_dropout_mask, u)):
        if value is not None:
            shape = array_of(value).shape
            expected.append((arg, value, (n, size) if len(shape) != 3 else (gates, n, size)))
    for arg, value, shape in expected:
        if array_of(value).shape != shape:
            raise ValueError(f"{name}: `{arg}` must have shape {shape} for inputs of shape {xs} and {u} units; "
                             f"received shape {array_of(value).shape}.")


def _run(op, x, kernel, recurrent_kernel, bias, initial_state):
    """Apply ``op`` and unpack its output: the output, or [output, *final states] with return_state."""
    xv = array_of(x)
    xp = get_array_module(xv)
    n, t, _ = xv.shape
    u = array_of(recurrent_kernel).shape[0]
    if initial_state is None:
        dtype = xp.result_type(xv.dtype, array_of(kernel).dtype)
        initial_state = [xp.zeros((n, u), dtype) for _ in range(op.n_states)]
    inputs = [x, kernel, recurrent_kernel] + ([bias] if bias is not None else []) + list(initial_state)
    packed = op(*inputs)
    k = t if op.return_sequences else 1
    if op.return_sequences:
        out = getitem(packed, (slice(None), slice(0, t))) if op.return_state else packed
    else:
        out = getitem(packed, (slice(None), 0))
    if not op.return_state:
        return out
    return [out] + [getitem(packed, (slice(None), k + i)) for i in range(op.n_states)]


def _states(name, initial_state, count):
    if initial_state is None:
        return None
    states = list(initial_state) if isinstance(initial_state, (list, tuple)) else [initial_state]
    if len(states) != count:
        raise ValueError(f"{name}: `initial_state` must hold {count} array{'s' if count > 1 else ''} of shape "
                         f"(batch, units); received {len(states)}.")
    return states


def simple_rnn(x, kernel, recurrent_kernel, bias=None, initial_state=None, mask=None, activation="tanh",
               go_backwards=False, return_sequences=False, return_state=False, zero_output_for_mask=False,
               dropout_mask=None, recurrent_dropout_mask=None):
    """A SimpleRNN over the sequence ``x``: the last output (batch, units) or, with ``return_sequences``,
    all of them (batch, timesteps, units); with ``return_state``, [output, final h]."""
    states = _states("simple_rnn", initial_state, 1)
    _check("simple_rnn", x, kernel, recurrent_kernel, bias, states, 1, lambda u: (u,), mask, dropout_mask,
           recurrent_dropout_mask)
    op = SimpleRNNSequence(activation, "sigmoid", mask, go_backwards, return_sequences, return_state,
                           zero_output_for_mask, dropout_mask, recurrent_dropout_mask, bias is not None)
    return _run(op, x, kernel, recurrent_kernel, bias, states)


def lstm(x, kernel, recurrent_kernel, bias=None, initial_state=None, mask=None, activation="tanh",
         recurrent_activation="sigmoid", go_backwards=False, return_sequences=False, return_state=False,
         zero_output_for_mask=False, dropout_mask=None, recurrent_dropout_mask=None):
    """An LSTM over the sequence ``x`` (gates i, f, c, o); ``initial_state`` is [h0, c0]; with
    ``return_state``, [output, final h, final c]."""
    states = _states("lstm", initial_state, 2)
    _check("lstm", x, kernel, recurrent_kernel, bias, states, 4, lambda u: (4 * u,), mask, dropout_mask,
           recurrent_dropout_mask)
    if fusable(activation, recurrent_activation, mask, dropout_mask, recurrent_dropout_mask):
        op = FusedLSTMSequence(go_backwards, return_sequences, return_state, bias is not None)
    else:
        op = LSTMSequence(activation, recurrent_activation, mask, go_backwards, return_sequences, return_state,
                          zero_output_for_mask, dropout_mask, recurrent_dropout_mask, bias is not None)
    return _run(op, x, kernel, recurrent_kernel, bias, states)


def gru(x, kernel, recurrent_kernel, bias=None, initial_state=None, mask=None, activation="tanh",
        recurrent_activation="sigmoid", reset_after=True, go_backwards=False, return_sequences=False,
        return_state=False, zero_output_for_mask=False, dropout_mask=None, recurrent_dropout_mask=None):
    """A GRU over the sequence ``x`` (gates z, r, h; bias (2, 3u) with ``reset_after``, else (3u,));
    with ``return_state``, [output, final h]."""
    states = _states("gru", initial_state, 1)
    _check("gru", x, kernel, recurrent_kernel, bias, states, 3,
           (lambda u: (2, 3 * u)) if reset_after else (lambda u: (3 * u,)), mask, dropout_mask,
           recurrent_dropout_mask)
    op = GRUSequence(reset_after, activation=activation, recurrent_activation=recurrent_activation, mask=mask,
                     go_backwards=go_backwards, return_sequences=return_sequences, return_state=return_state,
                     zero_output_for_mask=zero_output_for_mask, dropout_mask=dropout_mask,
                     recurrent_dropout_mask=recurrent_dropout_mask, use_bias=bias is not None)
    return _run(op, x, kernel, recurrent_kernel, bias, states)
