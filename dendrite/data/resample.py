"""``rejection_resample``: elements kept with a probability per class, so that the classes come out in
``target_dist``'s proportions. Each element of class c is accepted with probability
``(target[c] / initial[c]) / max_k(target[k] / initial[k])``, ``initial`` given or, when not, estimated from
the class counts seen so far in the pass. The output elements are ``(class, element)`` pairs, as
TensorFlow's. (TensorFlow also mixes in unfiltered elements to waste fewer; the distribution aimed at is the
same, the draws are not.)"""
import numpy as np

from . import cardinality as counts
from . import structure
from .transforms import Passthrough, call, check_callable, function_name, note

INT64 = structure.TensorSpec((), np.int64)


def _distribution(value, name):
    if value is None:
        return None
    if hasattr(value, "numpy") and not isinstance(value, np.ndarray):
        value = value.numpy()
    dist = np.asarray(value, dtype=np.float64)
    if dist.ndim != 1 or not len(dist) or (dist < 0).any() or dist.sum() <= 0:
        raise ValueError(f"Dataset.rejection_resample: `{name}` must be a 1-D list of non-negative class "
                         f"probabilities, not all zero. Received: {name}={value!r}.")
    return dist / dist.sum()


class RejectionResample(Passthrough):
    def __init__(self, input_dataset, class_func, target_dist, initial_dist=None, seed=None):
        from .shuffle import epoch_rng
        super().__init__(input_dataset)
        self._fn = check_callable(class_func, "rejection_resample", "class_func")
        self._target = _distribution(target_dist, "target_dist")
        self._initial = _distribution(initial_dist, "initial_dist")
        if self._initial is not None and len(self._initial) != len(self._target):
            raise ValueError("Dataset.rejection_resample: `initial_dist` and `target_dist` must have one entry per "
                             f"class each; received {len(self._initial)} and {len(self._target)}.")
        self._rng = epoch_rng(seed, True, "rejection_resample")

    def _cardinality(self):
        return counts.UNKNOWN

    def _spec(self):
        return (INT64, self._input.element_spec)

    def _class_of(self, element):
        try:
            c = int(np.asarray(call(self._fn, element)))
        except Exception as e:
            note(e, f"(raised by the class_func {function_name(self._fn)!r} given to Dataset.rejection_resample)")
            raise
        if not 0 <= c < len(self._target):
            raise ValueError(f"Dataset.rejection_resample: class_func gave class {c}, outside the "
                             f"{len(self._target)} classes of target_dist.")
        return c

    def _iterate(self):
        rng, target = self._rng(), self._target
        seen = np.zeros(len(target))
        for element in self._input._iterate():
            c = self._class_of(element)
            seen[c] += 1
            initial = self._initial if self._initial is not None else seen / seen.sum()
            with np.errstate(divide="ignore", invalid="ignore"):
                ratio = np.where(initial > 0, target / initial, 0.0)
            top = ratio.max()
            if top > 0 and rng.random() < ratio[c] / top:
                yield np.int64(c), element
