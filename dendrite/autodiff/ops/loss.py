"""Fused, numerically exact cross-entropies. Each returns one loss per sample
(reduced over the class axis); the loss classes in dendrite.losses do the batch
reduction. Gradients are the closed forms, e.g. softmax(z) - y for softmax
cross-entropy, so extreme logits (+-150 in float32) never give inf or NaN."""
from ..tape import Op
from ...backend import get_array_module


class SoftmaxCrossEntropy(Op):
    """-sum(y * log_softmax(z)) over the last axis, from logits ``z`` and target distribution ``y``."""

    def forward(self, logits, labels):
        xp = get_array_module(logits)
        z = logits - logits.max(axis=-1, keepdims=True)
        e = xp.exp(z)
        s = e.sum(axis=-1, keepdims=True)
        self.softmax = e / s
        self.labels = labels
        log_sm = z - xp.log(s)
        return -(labels * log_sm).sum(axis=-1)

    def vjp(self, g, needed):
        g = g[..., None]
        gz = None
        if needed[0]:
            total = self.labels.sum(axis=-1, keepdims=True)
            gz = g * (self.softmax * total - self.labels)
        gy = None
        if needed[1]:
            xp = get_array_module(g)
            gy = -g * xp.log(xp.maximum(self.softmax, xp.finfo(self.softmax.dtype).tiny))
        return gz, gy


class SparseSoftmaxCrossEntropy(Op):
    """Softmax cross-entropy with integer class labels (any leading shape)."""

    def __init__(self, labels):
        self.labels = labels

    def forward(self, logits):
        xp = get_array_module(logits)
        z = logits - logits.max(axis=-1, keepdims=True)
        e = xp.exp(z)
        s = e.sum(axis=-1, keepdims=True)
        self.softmax = e / s
        picked = xp.take_along_axis(z, self.labels[..., None], axis=-1)[..., 0]
        return xp.log(s[..., 0]) - picked

    def vjp(self, g, needed):
        xp = get_array_module(g)
        grad = self.softmax * g[..., None]
        flat = grad.reshape(-1, grad.shape[-1])
        flat[xp.arange(flat.shape[0]), self.labels.reshape(-1)] -= g.reshape(-1)
        return (grad,)


class SigmoidCrossEntropy(Op):
    """Binary cross-entropy from logits, elementwise: max(z, 0) - z*y + log(1 + exp(-|z|))."""

    def forward(self, logits, labels):
        xp = get_array_module(logits)
        self.z, self.labels = logits, labels
        return xp.maximum(logits, 0) - logits * labels + xp.log1p(xp.exp(-xp.abs(logits)))

    def vjp(self, g, needed):
        xp = get_array_module(g)
        z = self.z
        e = xp.exp(-xp.abs(z))
        sig = xp.where(z >= 0, 1 / (1 + e), e / (1 + e)).astype(g.dtype, copy=False)
        gz = g * (sig - self.labels) if needed[0] else None
        gy = -g * z if needed[1] else None
        return gz, gy


def softmax_cross_entropy(logits, labels):
    return SoftmaxCrossEntropy()(logits, labels)


def sparse_softmax_cross_entropy(logits, labels):
    """``labels``: integer array of class indices, shape = logits.shape[:-1]."""
    return SparseSoftmaxCrossEntropy(labels)(logits)


def sigmoid_cross_entropy(logits, labels):
    return SigmoidCrossEntropy()(logits, labels)
