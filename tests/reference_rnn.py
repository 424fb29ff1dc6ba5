"""Step-by-step NumPy references of Keras 3's recurrent cells (float64), written gate by gate from Keras's
formulas with its weight layouts: kernel (features, gates * units), recurrent_kernel (units, gates * units),
gate blocks side by side (LSTM i, f, c, o; GRU z, r, h); GRU bias (2, 3u) with reset_after (inputs' row,
then the recurrent row), else (3u,)."""
import numpy as np


def sigmoid(a):
    return 1 / (1 + np.exp(-a))


def _block(w, g, u):
    return w[..., g * u:(g + 1) * u]


def _gate_masks(mask, gates):
    """Per-gate dropout masks: a list of one per gate, or one mask (or None) repeated."""
    return list(mask) if mask is not None and np.ndim(mask) == 3 else [mask] * gates


def _drop(a, m):
    return a if m is None else a * m


def simple_rnn_step(x, states, kernel, rk, bias, act=np.tanh, dmask=None, rmask=None, **_):
    h = states[0]
    a = _drop(x, dmask) @ kernel + _drop(h, rmask) @ rk
    if bias is not None:
        a = a + bias
    y = act(a)
    return y, [y]


def lstm_step(x, states, kernel, rk, bias, act=np.tanh, ract=sigmoid, dmask=None, rmask=None, **_):
    h, c = states
    u = h.shape[1]
    dm, rm = _gate_masks(dmask, 4), _gate_masks(rmask, 4)
    pre = [_drop(x, dm[g]) @ _block(kernel, g, u) + _drop(h, rm[g]) @ _block(rk, g, u)
           + (0 if bias is None else _block(bias, g, u)) for g in range(4)]
    i, f, o = ract(pre[0]), ract(pre[1]), ract(pre[3])
    c_new = f * c + i * act(pre[2])
    h_new = o * act(c_new)
    return h_new, [h_new, c_new]


def gru_step(x, states, kernel, rk, bias, act=np.tanh, ract=sigmoid, dmask=None, rmask=None, reset_after=True):
    h = states[0]
    u = h.shape[1]
    dm, rm = _gate_masks(dmask, 3), _gate_masks(rmask, 3)
    in_bias = None if bias is None else (bias[0] if reset_after else bias)
    rec_bias = bias[1] if bias is not None and reset_after else None
    xs = [_drop(x, dm[g]) @ _block(kernel, g, u) + (0 if in_bias is None else _block(in_bias, g, u))
          for g in range(3)]
    rz = _drop(h, rm[0]) @ _block(rk, 0, u) + (0 if rec_bias is None else _block(rec_bias, 0, u))
    rr = _drop(h, rm[1]) @ _block(rk, 1, u) + (0 if rec_bias is None else _block(rec_bias, 1, u))
    z, r = ract(xs[0] + rz), ract(xs[1] + rr)
    if reset_after:
        rh = _drop(h, rm[2]) @ _block(rk, 2, u) + (0 if rec_bias is None else _block(rec_bias, 2, u))
        hh = act(xs[2] + r * rh)
    else:
        hh = act(xs[2] + (r * _drop(h, rm[2])) @ _block(rk, 2, u))
    h_new = z * h + (1 - z) * hh
    return h_new, [h_new]


STEPS = {"simple_rnn": simple_rnn_step, "lstm": lstm_step, "gru": gru_step}


def run(kind, x, kernel, rk, bias=None, states=None, mask=None, go_backwards=False, zero_output_for_mask=False,
        **step_args):
    """(outputs in processing order (batch, timesteps, units), last output, final states), as Keras's RNN
    loop: at a masked step the states are kept and the output is the previous output (zeros at first), or
    zeros with zero_output_for_mask."""
    x = np.asarray(x, np.float64)
    n, t, _ = x.shape
    u = rk.shape[0]
    states = [np.zeros((n, u))] * (2 if kind == "lstm" else 1) if states is None else [np.asarray(s) for s in states]
    prev, outs = np.zeros((n, u)), []
    for s in range(t):
        step = t - 1 - s if go_backwards else s
        out, new = STEPS[kind](x[:, step], states, kernel, rk, bias, **step_args)
        if mask is not None:
            m = np.asarray(mask, bool)[:, step:step + 1]
            new = [np.where(m, a, b) for a, b in zip(new, states)]
            out = np.where(m, out, 0 if zero_output_for_mask else prev)
        states, prev = new, out
        outs.append(out)
    return np.stack(outs, axis=1), prev, states
