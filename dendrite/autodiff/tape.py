"""Reverse-mode differentiation: the op contract, the tape, and its backward walk.

An op is a small class with ``forward(*arrays)`` (returns the output array and
keeps what its gradient needs on ``self``) and ``vjp(grad, needed)`` (returns
one input gradient per input, ``None`` where ``needed`` is False). Calling an op
instance on tensors runs the forward and, when a tape is recording and an input
is watched, appends ``(op, inputs, needed, output)`` to every such tape.
The tape, not the op, sums gradients back to each input's broadcast shape.

As in TensorFlow, the recording tapes belong to the thread that opened them: ops run on
another thread (a data pipeline's worker, a user's thread) are not recorded on them.
"""
import threading
from collections.abc import MappingView

from .. import backend
from .tensor import Tensor, Variable, array_of


class _Tapes(threading.local):
    """The tapes recording on the calling thread (a fresh empty list on each thread)."""

    def __init__(self):
        self.active = []


_tapes = _Tapes()


class Op:
    """Base of every differentiable primitive."""

    def forward(self, *arrays):  # pragma: no cover - interface
        raise NotImplementedError

    def vjp(self, grad, needed):  # pragma: no cover - interface
        raise NotImplementedError

    #: False while the op runs outside any GradientTape (inference): forward may skip what only vjp needs
    recording = True

    def __call__(self, *inputs):
        arrays = [array_of(x) for x in inputs]
        active = _tapes.active
        self.recording = bool(active)
        out = Tensor(self.forward(*arrays))
        if active:
            for tape in active:
                tape._record(self, inputs, out)
        return out


def unbroadcast(grad, shape):
    """Sum ``grad`` over the axes along which an input of ``shape`` was broadcast."""
    if grad.shape == shape:
        return grad
    extra = grad.ndim - len(shape)
    if extra > 0:
        grad = grad.sum(axis=tuple(range(extra)))
    axes = tuple(i for i, n in enumerate(shape) if n == 1 and grad.shape[i] != 1)
    if axes:
        grad = grad.sum(axis=axes, keepdims=True)
    return grad.reshape(shape)


class GradientTape:
    """Records ops on watched tensors so that :meth:`gradient` can run them backwards.

    As in TensorFlow: trainable variables are watched automatically
    (``watch_accessed_variables=True``), other tensors through :meth:`watch`;
    a non-persistent tape can compute gradients once.
    """

    def __init__(self, persistent=False, watch_accessed_variables=True):
        self.persistent = persistent
        self.watch_accessed_variables = watch_accessed_variables
        self._nodes = []
        self._tracked = set()
        self._keep = []
        self._used = False
        self._recording = False

    def __enter__(self):
        self._recording = True
        _tapes.active.append(self)
        return self

    def __exit__(self, *exc):
        self._recording = False
        if self in _tapes.active:
            _tapes.active.remove(self)
        return False

    def watch(self, tensor):
        """Watch a tensor (or a list of tensors) so that gradients flow to it."""
        if isinstance(tensor, (list, tuple)):
            for t in tensor:
                self.watch(t)
            return
        if not isinstance(tensor, Tensor):
            raise TypeError(
                f"GradientTape.watch expects a dendrite Tensor or Variable, received {type(tensor).__name__}. "
                "Wrap arrays with dendrite.constant(...) or dendrite.Variable(...) first."
            )
        self._tracked.add(id(tensor))
        self._keep.append(tensor)

    def watched_variables(self):
        seen, out = set(), []
        for _, inputs, _, _ in self._nodes:
            for x in inputs:
                if isinstance(x, Variable) and id(x) not in seen:
                    seen.add(id(x))
                    out.append(x)
        return out

    def stop_recording(self):
        tape = self

        class _Pause:
            def __enter__(self_inner):
                if tape in _tapes.active:
                    _tapes.active.remove(tape)

            def __exit__(self_inner, *exc):
                if tape._recording:
                    _tapes.active.append(tape)
                return False

        return _Pause()

    def reset(self):
        self._nodes.clear()
        self._tracked = {i for i in self._tracked if any(id(t) == i for t in self._keep)}

    def _is_tracked(self, x):
        if not isinstance(x, Tensor):
            return False
        if id(x) in self._tracked:
            return True
        return self.watch_accessed_variables and isinstance(x, Variable) and x.trainable

    def _record(self, op, inputs, out):
        needed = tuple(self._is_tracked(x) for x in inputs)
        if True in needed:
            self._nodes.append((op, inputs, needed, out))
            self._tracked.add(id(out))

    def gradient(self, target, sources, output_gradients=None, unconnected_gradients="none"):
        """Gradients of ``target`` with respect to ``sources``, in the structure of ``sources``.

        As TensorFlow: ``sources`` is a tensor or any nesting of lists, tuples and dicts of them, and
        the gradients come back in that same nesting; ``target`` may be a tensor or such a nesting too
        (the gradient of the sum of its tensors), with ``output_gradients`` matching it.
        """
        if self._used and not self.persistent:
            raise RuntimeError(
                "GradientTape.gradient can only be called once on a non-persistent tape. "
                "Create the tape with GradientTape(persistent=True) to call it more than once."
            )
        if unconnected_gradients not in ("none", "zero"):
            raise ValueError(
                f"GradientTape.gradient: unconnected_gradients must be 'none' or 'zero', "
                f"received {unconnected_gradients!r}."
            )
        targets = _flatten(target, "target")
        seeds = None if output_gradients is None else _flatten(output_gradients, "output_gradients", leaves=True)
        if seeds is not None and len(seeds) != len(targets):
            raise ValueError(f"GradientTape.gradient: `output_gradients` must match `target`: {len(targets)} "
                             f"target tensor(s), received {len(seeds)} output gradient(s).")
        source_list = _flatten(sources, "sources")
        self._used = True
        grads = self._backward(targets, seeds, {id(s) for s in source_list})
        out = []
        for s in source_list:
            g = grads.get(id(s))
            if g is None and unconnected_gradients == "zero":
                g = s.value * 0
            out.append(g)
        if not self.persistent:
            self._nodes = []
        return _pack(sources, iter(out))

    def _backward(self, targets, seeds, keep_ids):
        active = _tapes.active
        if active and (self.persistent or len(active) > 1 or active[0] is not self):
            # another tape records (or this persistent one, inside its context): differentiable gradients
            recorders = [t for t in active if t is not self or self.persistent]
            if recorders:
                from . import higher_order
                with higher_order.paused(None if self.persistent else self):
                    return higher_order.backward(self, targets, seeds, keep_ids, recorders)
        grads = {}
        for i, target in enumerate(targets):
            if seeds is None:
                seed = backend.get_array_module(target.value).ones_like(target.value)
            else:
                seed = array_of(seeds[i])
                if seed.shape != target.value.shape:
                    raise ValueError(f"GradientTape.gradient: output_gradients[{i}] has shape {seed.shape}, "
                                     f"but its target has shape {target.value.shape}; they must match.")
            prev = grads.get(id(target))
            grads[id(target)] = seed if prev is None else prev + seed
        for op, inputs, needed, out in reversed(self._nodes):
            key = id(out)
            g = grads.get(key) if key in keep_ids else grads.pop(key, None)
            if g is None:
                continue
            in_grads = op.vjp(g, needed)
            for x, need, gx in zip(inputs, needed, in_grads):
                if not need or gx is None:
                    continue
                gx = unbroadcast(gx, x.value.shape)
                k = id(x)
                prev = grads.get(k)
                grads[k] = gx if prev is None else prev + gx
        return grads


def _flatten(structure, what, leaves=False):
    """The tensors of a tensor or a nesting of lists, tuples and dicts of them, in order (dict values
    in the dict's order; a dict's ``values()`` / ``keys()`` / ``items()`` view as a list, as tf.nest reads
    them). With ``leaves`` any non-container counts as a leaf (arrays for output_gradients); otherwise a leaf
    that is not a Tensor is refused, naming ``what``."""
    if isinstance(structure, Tensor):
        return [structure]
    if isinstance(structure, dict):
        return [t for key in structure for t in _flatten(structure[key], what, leaves)]
    if isinstance(structure, (list, tuple, MappingView)):
        return [t for item in structure for t in _flatten(item, what, leaves)]
    if leaves:
        return [structure]
    raise TypeError(
        f"GradientTape.gradient: `{what}` must be a Tensor or Variable, or a list, tuple or dict of them; "
        f"received an element of type {type(structure).__name__}. Wrap arrays with dendrite.constant(...) "
        "(and tape.watch them) or use dendrite.Variable(...)."
    )


def _pack(structure, flat):
    """``structure`` with each tensor replaced by the next item of the iterator ``flat``."""
    if isinstance(structure, Tensor):
        return next(flat)
    if isinstance(structure, dict):
        return type(structure)((key, _pack(value, flat)) for key, value in structure.items())
    if isinstance(structure, tuple) and hasattr(structure, "_fields"):  # a namedtuple
        return type(structure)(*(_pack(item, flat) for item in structure))
    if isinstance(structure, (list, tuple)):
        return type(structure)(_pack(item, flat) for item in structure)
    if isinstance(structure, MappingView):  # tape.gradient(loss, weights.values()) gives a list, as TensorFlow
        return [_pack(item, flat) for item in structure]
    return next(flat)


def recording():
    """True while some tape is recording on the calling thread."""
    return bool(_tapes.active)
