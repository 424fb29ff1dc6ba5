"""``tf.GradientTape``: dendrite's tape with TensorFlow's eager answers: gradients as Tensors (``.numpy()``),
``jacobian`` and ``batch_jacobian`` (one backward pass per element of the target). A gradient computed while
another tape records (nested tapes, or a persistent tape inside its own context) is recorded by that tape, so
it can be differentiated again (dendrite/autodiff/higher_order.py)."""
import numpy as np

from ..autodiff import GradientTape as _GradientTape, Tensor, Variable, ops
from ..autodiff.tape import _flatten


def _wrap(grads):
    if isinstance(grads, (list, tuple)):
        return type(grads)(_wrap(g) for g in grads)
    if isinstance(grads, dict):
        return {k: _wrap(v) for k, v in grads.items()}
    return grads if grads is None or isinstance(grads, Tensor) else Tensor(grads)


def _integer(source):
    return isinstance(source, Tensor) and source.dtype.kind in "iub"


class GradientTape(_GradientTape):
    """dendrite's tape, whose ``gradient`` gives Tensors (``.numpy()``), as TensorFlow's eager tape does; the
    gradient for an integer source is None (TensorFlow differentiates floating values only), and
    ``watched_variables()`` still answers after ``gradient``."""

    def gradient(self, target, sources, output_gradients=None, **kwargs):
        self._remember_watched()
        grads = _wrap(super().gradient(target, sources, output_gradients, **kwargs))
        if not any(_integer(s) for s in _flatten(sources, "sources")):
            return grads
        return _pack_like(sources, iter(None if _integer(s) else g
                                        for s, g in zip(_flatten(sources, "sources"), _flatten(grads, "", True))))

    def _remember_watched(self):
        """Adds the variables watched so far (trainable ones an op read, and those given to ``watch``) to the
        record ``watched_variables`` answers from, which, unlike the recorded ops, outlives ``gradient``."""
        known = self.__dict__.setdefault("_watched_record", [])
        ids = {id(v) for v in known} | self.__dict__.get("_watched_before_reset", set())
        used = [x for _, inputs, needed, _ in self._nodes for x, need in zip(inputs, needed) if need]
        for v in used + list(self._keep):
            if isinstance(v, Variable) and id(v) not in ids:
                ids.add(id(v))
                known.append(v)
        return known

    def watched_variables(self):
        """A tuple of the variables this tape watches, as TensorFlow's (also after ``gradient``)."""
        return tuple(self._remember_watched())

    def reset(self):
        """Clears the tape, as TensorFlow's: also what ``watched_variables`` answers."""
        super().reset()
        self.__dict__["_watched_record"] = []
        self.__dict__["_watched_before_reset"] = {id(t) for t in self._keep}

    def jacobian(self, target, sources, unconnected_gradients="none", parallel_iterations=None,
                 experimental_use_pfor=True):
        """d target[i...] / d source[j...] for every element: shape target.shape + source.shape per source."""
        if not isinstance(target, Tensor):
            raise TypeError(f"GradientTape.jacobian: target must be one Tensor; received {type(target).__name__}.")
        flat_sources = _flatten(sources, "sources")
        if self._used and not self.persistent:
            raise RuntimeError("GradientTape.jacobian can only be called once on a non-persistent tape (after "
                               "gradient or jacobian). Create the tape with GradientTape(persistent=True).")
        self._remember_watched()
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
            column = [r[j] if r[j] is not None else np.zeros(s.value.shape, s.value.dtype) for r in rows]
            if any(isinstance(c, Tensor) for c in column):  # recorded by another tape: stacked differentiably
                out.append(ops.reshape(ops.stack(column), target.value.shape + s.value.shape))
            else:
                out.append(Tensor(np.stack(column).reshape(target.value.shape + s.value.shape)))
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
