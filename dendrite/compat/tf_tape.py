"""``tf.GradientTape``: dendrite's tape with TensorFlow's eager answers: gradients as Tensors (``.numpy()``),
``jacobian`` and ``batch_jacobian`` (one backward pass per element of the target), and a clear refusal for a
gradient of a gradient (dendrite's tape differentiates once: a tape inside another records no second-order
graph, where TensorFlow would)."""
import weakref

import numpy as np

from ..autodiff import GradientTape as _GradientTape, Tensor
from ..autodiff.tape import _flatten, _tapes
from ._notes import unsupported

_FIRST_ORDER = {}  # id -> weak reference: gradients computed while an outer tape was recording (by identity:
#                   a tensor's == is elementwise under the hooks, so no WeakSet)


def _is_first_order(t):
    ref = _FIRST_ORDER.get(id(t))
    return ref is not None and ref() is t


def _wrap(grads):
    if isinstance(grads, (list, tuple)):
        return type(grads)(_wrap(g) for g in grads)
    if isinstance(grads, dict):
        return {k: _wrap(v) for k, v in grads.items()}
    return grads if grads is None or isinstance(grads, Tensor) else Tensor(grads)


def _mark(grads):
    for g in _flatten(grads, "gradients", leaves=True):
        if isinstance(g, Tensor):
            key = id(g)
            _FIRST_ORDER[key] = weakref.ref(g, lambda _, key=key: _FIRST_ORDER.pop(key, None))


class GradientTape(_GradientTape):
    """dendrite's tape, whose ``gradient`` gives Tensors (``.numpy()``), as TensorFlow's eager tape does."""

    def _refuse_second_order(self, target):
        leaves = _flatten(target, "target", leaves=True)
        if any(isinstance(t, Tensor) and _is_first_order(t) for t in leaves):
            raise unsupported("A gradient of a gradient (tape.gradient of a result of an inner GradientTape)",
                              "dendrite's tape differentiates once; compute second derivatives with finite "
                              "differences of first derivatives, or analytically.")

    def gradient(self, target, sources, output_gradients=None, **kwargs):
        self._refuse_second_order(target)
        grads = _wrap(super().gradient(target, sources, output_gradients, **kwargs))
        if any(tape is not self for tape in _tapes.active):
            _mark(grads)
        return grads

    def jacobian(self, target, sources, unconnected_gradients="none", parallel_iterations=None,
                 experimental_use_pfor=True):
        """d target[i...] / d source[j...] for every element: shape target.shape + source.shape per source."""
        self._refuse_second_order(target)
        if not isinstance(target, Tensor):
            raise TypeError(f"GradientTape.jacobian: target must be one Tensor; received {type(target).__name__}.")
        flat_sources = _flatten(sources, "sources")
        if self._used and not self.persistent:
            raise RuntimeError("GradientTape.jacobian can only be called once on a non-persistent tape (after "
                               "gradient or jacobian). Create the tape with GradientTape(persistent=True).")
        self._used = True
        rows = []
        ids = {id(s) for s in flat_sources}
        for k in range(max(target.value.size, 1)):
            seed = np.zeros(target.value.shape, dtype=target.value.dtype)
            seed.reshape(-1)[k] = 1
            grads = self._backward([target], [seed], ids)
            rows.append([grads.get(id(s)) for s in flat_sources])
        out = []
        for j, s in enumerate(flat_sources):
            if all(r[j] is None for r in rows):
                out.append(None if unconnected_gradients == "none" else
                           Tensor(np.zeros(target.value.shape + s.value.shape, s.value.dtype)))
                continue
            stacked = np.stack([r[j] if r[j] is not None else np.zeros(s.value.shape, s.value.dtype) for r in rows])
            out.append(Tensor(stacked.reshape(target.value.shape + s.value.shape)))
        if not self.persistent:
            self._nodes = []
        it = iter(out)
        return next(it) if isinstance(sources, Tensor) else _pack_like(sources, it)

    def batch_jacobian(self, target, source, unconnected_gradients="none", parallel_iterations=None,
                       experimental_use_pfor=True):
        """Per example of the batch: d target[b, i...] / d source[b, j...], shape (batch,) + target's rest +
        source's rest (examples are assumed independent, as TensorFlow assumes)."""
        full = self.jacobian(target, source, unconnected_gradients)
        if full is None:
            return None
        b = target.value.shape[0]
        if source.value.shape[0] != b:
            raise ValueError(f"GradientTape.batch_jacobian: target and source need the same batch size; received "
                             f"{b} and {source.value.shape[0]}.")
        v = full.value.reshape((b, -1, b) + source.value.shape[1:])
        return Tensor(np.stack([v[i, :, i] for i in range(b)]).reshape(target.value.shape + source.value.shape[1:]))


def _pack_like(structure, it):
    from ..autodiff.tape import _pack
    return _pack(structure, it)
