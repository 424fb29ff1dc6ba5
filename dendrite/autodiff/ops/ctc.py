"""Connectionist temporal classification (Graves et al., 2006): the negative log likelihood of each sample's
label sequence under per-step class logits, summed over every alignment, by the forward-backward algorithm in
log space.

The label sequence ``l`` of length L is extended with blanks to ``l' = (blank, l1, blank, l2, ..., lL, blank)``
(2L + 1 states). A path moves at each step from state s to s, s + 1, or s + 2 when l'(s + 2) is a label
different from l'(s); it starts in state 0 or 1 and ends in state 2L or 2L - 1. The forward variables alpha and
backward variables beta (both including the step's own log probability) give the loss
``-log P = -logsumexp(alpha_T[final states])`` and the gradient with respect to the logits in closed form:
``softmax(z_t) - sum over states s labelled k of exp(alpha_t(s) + beta_t(s) - log p_t(l'(s)) - log P)``; steps
past a sample's length get no gradient.

A label sequence that cannot fit its steps (L plus its repeats longer than the sample's length) has no path.
As TensorFlow's dense CTC does, a path may then end at any other state of the sequence at a cost of
``log(1e-307)`` (about -706.9), so the loss is large (about 707 plus the cost of the best partial path) and
finite, with a finite gradient, instead of inf; the values equal TensorFlow's. For sequences that fit, those
paths change nothing (e^-707).

The recurrence loops over time and is vectorised over the batch and the states; it runs in float64 and returns
the logits' dtype.
"""
import numpy as np

from ..tape import Op
from ...backend import get_array_module

#: the log "zero" of TensorFlow's dense CTC: log(1e-307) in float32
LOG_ZERO = float(np.float32(np.log(1e-307)))
_NEG_INF = -np.inf


def _logsumexp3(a, b, c):
    """Elementwise log(exp(a) + exp(b) + exp(c)), -inf where all three are -inf."""
    xp = get_array_module(a)
    m = xp.maximum(xp.maximum(a, b), c)
    safe = xp.where(xp.isfinite(m), m, 0.0)
    with np.errstate(divide="ignore"):
        return safe + xp.log(xp.exp(a - safe) + xp.exp(b - safe) + xp.exp(c - safe))


def _shift(x, k, xp):
    """x moved k states to the right along the last axis, -inf shifted in."""
    out = xp.full_like(x, _NEG_INF)
    if k < x.shape[-1]:
        out[..., k:] = x[..., :-k]
    return out


class CTCLoss(Op):
    """Per-sample CTC negative log likelihood of ``logits`` (batch, time, classes).

    ``labels`` (batch, max_labels) integers, ``label_lengths`` and ``logit_lengths`` (batch,) integers, already
    checked (see :func:`check_inputs`); ``blank`` the blank class index.
    """

    def __init__(self, labels, label_lengths, logit_lengths, blank, soft_end=True):
        self.labels = np.asarray(labels, dtype=np.int64)
        self.label_lengths = np.asarray(label_lengths, dtype=np.int64)
        self.logit_lengths = np.asarray(logit_lengths, dtype=np.int64)
        self.blank = int(blank)
        self.missed = LOG_ZERO if soft_end else _NEG_INF

    def _states(self, xp):
        batch, max_labels = self.labels.shape
        n_states = 2 * max_labels + 1
        ext = np.full((batch, n_states), self.blank, dtype=np.int64)
        ext[:, 1::2] = self.labels
        s = np.arange(n_states)
        valid = s[None, :] < (2 * self.label_lengths[:, None] + 1)
        skip = np.zeros((batch, n_states), dtype=bool)
        skip[:, 3::2] = self.labels[:, 1:] != self.labels[:, :-1]
        last = 2 * self.label_lengths
        final = (s[None, :] == last[:, None]) | (s[None, :] == (last - 1)[:, None])
        init = np.where((s[None, :] <= 1) & valid, 0.0, _NEG_INF)
        fin = np.where(final, 0.0, np.where(valid, self.missed, _NEG_INF))
        return [xp.asarray(a) for a in (ext, valid, skip, init, fin)]

    def forward(self, logits):
        xp = get_array_module(logits)
        self.dtype = logits.dtype
        z = logits.astype(np.float64)
        z = z - z.max(axis=-1, keepdims=True)
        logp = z - xp.log(xp.exp(z).sum(axis=-1, keepdims=True))
        batch, steps, _ = logp.shape
        ext, valid, skip, init, fin = self._states(xp)
        rows = xp.arange(batch)[:, None]
        emit = logp[rows, :, ext].transpose(2, 0, 1)  # (batch, states, time) -> (time, batch, states)
        emit = xp.where(valid[None], emit, _NEG_INF)
        lengths = xp.asarray(self.logit_lengths)
        alpha = xp.full(emit.shape, _NEG_INF)
        alpha[0] = emit[0] + init
        for t in range(1, steps):
            prev = alpha[t - 1]
            alpha[t] = emit[t] + _logsumexp3(prev, _shift(prev, 1, xp), xp.where(skip, _shift(prev, 2, xp), _NEG_INF))
        last_t = xp.maximum(lengths - 1, 0)
        end = alpha[last_t, xp.arange(batch)] + fin
        m = end.max(axis=-1)
        m = xp.where(xp.isfinite(m), m, 0.0)
        with np.errstate(divide="ignore"):
            log_p = m + xp.log(xp.exp(end - m[:, None]).sum(axis=-1))
        no_steps = lengths == 0
        # no time steps: only the empty label has a path (probability 1)
        log_p = xp.where(no_steps, xp.where(xp.asarray(self.label_lengths) == 0, 0.0, self.missed), log_p)
        if self.recording:
            self.logp, self.emit, self.alpha, self.log_p = logp, emit, alpha, log_p
            self.tensors = (ext, skip, fin, lengths)
        return (-log_p).astype(self.dtype)

    def vjp(self, g, needed):
        xp = get_array_module(g)
        ext, skip, fin, lengths = self.tensors
        emit, alpha, log_p = self.emit, self.alpha, self.log_p
        steps, batch, n_states = emit.shape
        beta = xp.full(emit.shape, _NEG_INF)
        nxt = xp.full((batch, n_states), _NEG_INF)
        skip_to = xp.zeros_like(skip)
        skip_to[:, :-2] = skip[:, 2:]  # may s jump to s + 2
        for t in range(steps - 1, -1, -1):
            after = _logsumexp3(nxt, _unshift(nxt, 1, xp), xp.where(skip_to, _unshift(nxt, 2, xp), _NEG_INF))
            here = xp.where((t == lengths - 1)[:, None], fin, after)
            beta[t] = xp.where((t < lengths)[:, None], emit[t] + here, _NEG_INF)
            nxt = beta[t]
        with np.errstate(invalid="ignore"):
            post = xp.exp(alpha + beta - emit - log_p[None, :, None])  # (time, batch, states)
        post = xp.where(xp.isfinite(emit) & xp.isfinite(log_p)[None, :, None], post, 0.0)
        occupancy = xp.zeros(self.logp.shape)
        for s in range(n_states):
            occupancy[xp.arange(batch), :, ext[:, s]] += post[:, :, s].T
        active = (xp.arange(steps)[None, :] < lengths[:, None]) & xp.isfinite(log_p)[:, None]
        active = active[..., None]
        grad = xp.where(active, xp.exp(self.logp) - occupancy, 0.0)
        return ((grad * g.astype(np.float64)[:, None, None]).astype(self.dtype),)


def _unshift(x, k, xp):
    """x moved k states to the left along the last axis, -inf shifted in."""
    out = xp.full_like(x, _NEG_INF)
    if k < x.shape[-1]:
        out[..., :-k] = x[..., k:]
    return out


def ctc_loss(logits, labels, label_lengths, logit_lengths, blank=0, soft_end=True):
    """Per-sample CTC loss (batch,) of ``logits`` (batch, time, classes); see the module. ``soft_end=False``:
    a label sequence that cannot fit gets an infinite loss and no gradient (TensorFlow's sparse CTC, what
    ``tf.compat.v1.nn.ctc_loss`` and Keras 2's ``ctc_batch_cost`` compute)."""
    return CTCLoss(labels, label_lengths, logit_lengths, blank, soft_end)(logits)


def check_inputs(api, names, logits_shape, labels, label_lengths, logit_lengths, blank):
    """The integer arrays (labels, label_lengths, logit_lengths, blank) of a CTC call, checked against
    ``logits_shape`` (batch, time, classes). ``names`` maps labels / logits / label_length / logit_length to
    the caller's argument names, which the errors give with what was expected and what was received."""
    if len(logits_shape) != 3:
        raise ValueError(f"{api}: `{names['logits']}` must have rank 3 (batch, time, classes); received shape "
                         f"{tuple(logits_shape)}.")
    batch, steps, classes = logits_shape
    labels = np.asarray(labels)
    if labels.ndim != 2 or labels.shape[0] != batch:
        raise ValueError(f"{api}: `{names['labels']}` must be integer labels of shape (batch, max_labels) = "
                         f"({batch}, ...); received shape {labels.shape}.")
    out = []
    for key, value, most in (("label_length", label_lengths, labels.shape[1]), ("logit_length", logit_lengths, steps)):
        value = np.asarray(value)
        if value.ndim == 0 or value.shape != (batch,):
            raise ValueError(f"{api}: `{names[key]}` must have shape ({batch},), one length per sample; received "
                             f"shape {value.shape}.")
        if value.dtype.kind not in "iu" and not (value.dtype.kind == "f" and np.all(value == np.round(value))):
            raise ValueError(f"{api}: `{names[key]}` must hold integer lengths; received {value.tolist()}.")
        value = value.astype(np.int64)
        if value.min() < 0 or value.max() > most:
            axis = "labels' second axis" if key == "label_length" else "time axis"
            raise ValueError(f"{api}: `{names[key]}` must lie in [0, {most}] (the length of the {axis}); received "
                             f"{value.tolist()}.")
        out.append(value)
    if labels.dtype.kind == "f" and np.all(labels == np.round(labels)):
        labels = labels.astype(np.int64)  # whole-number floats are read as labels, as Keras casts them
    if labels.dtype.kind not in "iu":
        raise ValueError(f"{api}: `{names['labels']}` must be integer class indices; received dtype "
                         f"{labels.dtype.name}" + (" with fractional values." if labels.dtype.kind == "f" else "."))
    if not -classes <= int(blank) < classes:
        raise ValueError(f"{api}: the blank index must lie in [{-classes}, {classes}) for {classes} classes; "
                         f"received {blank}.")
    blank = int(blank) % classes
    used = np.arange(labels.shape[1])[None, :] < out[0][:, None]
    bad = used & ((labels < 0) | (labels >= classes) | (labels == blank))
    if bad.any():
        b, i = np.argwhere(bad)[0]
        raise ValueError(f"{api}: `{names['labels']}` must hold classes in [0, {classes}) other than the blank "
                         f"{blank} within each sample's length; received {int(labels[b, i])} at [{b}, {i}].")
    return labels.astype(np.int64), out[0], out[1], blank
