"""Batch normalization whose training moments are those of the global batch: every process's samples.

``SyncBatchNormalization`` (tf.keras 2's name) is ``BatchNormalization(synchronized=True)`` (Keras 3's): in
training, each process sums its batch's values and squares per channel, one allreduce gives the sums over all
processes, and the mean and (biased) variance follow from them; the gradient flows back through the same sums
across processes. Inference uses the moving averages, which, fed the same global moments everywhere, stay
equal on every process. On one process it is plain BatchNormalization (the same fused op).

Every process must run the layer for every batch (a process whose share of a short last batch is empty does
not, and the job then ends at the collectives' timeout).
"""
import numpy as np

from ..autodiff import Tensor, ops
from ..autodiff.ops.normalization import batch_norm
from ..autodiff.tape import Op
from ..layers.normalization import BatchNormalization
from . import collectives
from .comm import world


class CrossProcessSum(Op):
    """An array summed over the processes. Backward: this process's gradient of the global loss, which is
    the processes' gradients summed, each weighted by its share of the global batch (``n`` samples here; fit
    then weights this process's gradients by n over the global count)."""

    def __init__(self, n):
        self.n = float(n)

    def forward(self, a):
        (out,), _ = collectives.allreduce_arrays([a], what="SyncBatchNormalization's moments")
        return out

    def vjp(self, g, needed):
        (out,), _ = collectives.allreduce_arrays([g], scale=self.n, what="SyncBatchNormalization's gradient")
        return (out / self.n,)


def cross_process_batch_norm(x, gamma=None, beta=None, axis=-1, epsilon=1e-3, activation=None):
    """batch_norm's ``(y, mean, variance)`` with the moments of every process's batch (built of autodiff ops)."""
    ndim = len(x.shape)
    axis %= ndim
    axes = tuple(a for a in range(ndim) if a != axis)
    n = int(np.prod([x.shape[a] for a in axes]))
    (count,) = collectives.allreduce_arrays([np.array([n], np.float64)], what="SyncBatchNormalization's count")[0]
    total = float(count[0])
    mean = ops.divide(CrossProcessSum(n)(ops.sum(x, axis=axes, keepdims=True)), total)
    square = ops.divide(CrossProcessSum(n)(ops.sum(ops.square(x), axis=axes, keepdims=True)), total)
    var = ops.subtract(square, ops.square(mean))
    y = ops.divide(ops.subtract(x, mean), ops.sqrt(ops.add(var, epsilon)))
    channels = [1] * ndim
    channels[axis] = x.shape[axis]
    if gamma is not None:
        y = ops.multiply(y, ops.reshape(gamma, tuple(channels)))
    if beta is not None:
        y = ops.add(y, ops.reshape(beta, tuple(channels)))
    if activation == "relu":
        y = ops.relu(y)
    return y, Tensor(mean.value.reshape(-1)), Tensor(var.value.reshape(-1))


def sync_batch_norm(x, gamma=None, beta=None, axis=-1, epsilon=1e-3, activation=None):
    """BatchNormalization(synchronized=True)'s training op: over every process's batch; batch_norm on one."""
    if world().size == 1:
        return batch_norm(x, gamma, beta, axis, epsilon, activation)
    return cross_process_batch_norm(x, gamma, beta, axis, epsilon, activation)


class SyncBatchNormalization(BatchNormalization):
    """tf.keras.layers.experimental.SyncBatchNormalization: BatchNormalization(synchronized=True)."""

    def __init__(self, axis=-1, momentum=0.99, epsilon=1e-3, center=True, scale=True, **kwargs):
        kwargs["synchronized"] = True
        super().__init__(axis=axis, momentum=momentum, epsilon=epsilon, center=center, scale=scale, **kwargs)
