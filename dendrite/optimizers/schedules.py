"""Learning-rate schedules: callables from the optimizer step to a learning rate.

A schedule passed as an optimizer's ``learning_rate`` is evaluated at
``optimizer.iterations`` before every update. Schedules are plain host-side
arithmetic: called on an int they return a Python float, called on an array of
steps (``schedule(np.arange(1000))``, as tutorials do to plot them) they return
a float32 array of the same shape. Formulas and defaults follow Keras 3.
"""
import math

import numpy as np

from ..saving.builtin_objects import register_builtins
from ..saving.serialization import deserialize_keras_object, serialize_keras_object


class LearningRateSchedule:
    """Base class: subclasses implement ``__call__(step)`` and ``get_config()``."""

    def __call__(self, step):
        raise NotImplementedError(
            f"Learning-rate schedule '{type(self).__name__}' must override `__call__(self, step)`."
        )

    def get_config(self):
        raise NotImplementedError(
            f"Learning-rate schedule '{type(self).__name__}' must override `get_config()` "
            "to be serialisable."
        )

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def __repr__(self):
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items())
        return f"{type(self).__name__}({args})"


def _as_steps(step):
    """The step(s) as a float64 array, and whether the caller passed a scalar."""
    steps = np.asarray(step, dtype=np.float64)
    return steps, steps.ndim == 0


def _result(values, scalar):
    return float(values) if scalar else np.asarray(values, dtype=np.float32)


def _check_decay_steps(owner, decay_steps, name="decay_steps"):
    if isinstance(decay_steps, bool) or not isinstance(decay_steps, (int, float, np.number)) \
            or not decay_steps > 0:
        raise ValueError(
            f"{owner}: argument `{name}` must be a number > 0. "
            f"Received: {name}={decay_steps!r}."
        )


class ExponentialDecay(LearningRateSchedule):
    """``initial_learning_rate * decay_rate ** (step / decay_steps)``.

    With ``staircase=True`` the exponent is floored, so the rate drops in steps.
    """

    def __init__(self, initial_learning_rate, decay_steps, decay_rate, staircase=False,
                 name="ExponentialDecay"):
        _check_decay_steps("ExponentialDecay", decay_steps)
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.decay_rate = decay_rate
        self.staircase = staircase
        self.name = name

    def __call__(self, step):
        steps, scalar = _as_steps(step)
        p = steps / self.decay_steps
        if self.staircase:
            p = np.floor(p)
        return _result(self.initial_learning_rate * np.power(float(self.decay_rate), p), scalar)

    def get_config(self):
        return {"initial_learning_rate": self.initial_learning_rate, "decay_steps": self.decay_steps,
                "decay_rate": self.decay_rate, "staircase": self.staircase, "name": self.name}


class PiecewiseConstantDecay(LearningRateSchedule):
    """``values[0]`` while ``step <= boundaries[0]``, ``values[1]`` while
    ``boundaries[0] < step <= boundaries[1]``, ..., ``values[-1]`` after the last boundary.
    """

    def __init__(self, boundaries, values, name="PiecewiseConstant"):
        boundaries, values = list(boundaries), list(values)
        if len(boundaries) != len(values) - 1:
            raise ValueError(
                "PiecewiseConstantDecay: `boundaries` must have exactly one element fewer than "
                f"`values`. Received: boundaries={boundaries} (length {len(boundaries)}) and "
                f"values={values} (length {len(values)})."
            )
        if any(not lo < hi for lo, hi in zip(boundaries, boundaries[1:])):
            raise ValueError(
                "PiecewiseConstantDecay: `boundaries` must be strictly increasing. "
                f"Received: boundaries={boundaries}. Sort them and drop duplicates."
            )
        self.boundaries = boundaries
        self.values = values
        self.name = name

    def __call__(self, step):
        steps, scalar = _as_steps(step)
        # searchsorted(side="left") counts the boundaries strictly below the step,
        # which is exactly the index of the interval (b[i-1], b[i]] holding it.
        index = np.searchsorted(np.asarray(self.boundaries, dtype=np.float64), steps, side="left")
        return _result(np.asarray(self.values, dtype=np.float64)[index], scalar)

    def get_config(self):
        return {"boundaries": self.boundaries, "values": self.values, "name": self.name}


class InverseTimeDecay(LearningRateSchedule):
    """``initial_learning_rate / (1 + decay_rate * step / decay_steps)``
    (the ratio floored when ``staircase=True``).
    """

    def __init__(self, initial_learning_rate, decay_steps, decay_rate, staircase=False,
                 name="InverseTimeDecay"):
        _check_decay_steps("InverseTimeDecay", decay_steps)
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.decay_rate = decay_rate
        self.staircase = staircase
        self.name = name

    def __call__(self, step):
        steps, scalar = _as_steps(step)
        p = steps / self.decay_steps
        if self.staircase:
            p = np.floor(p)
        return _result(self.initial_learning_rate / (1.0 + self.decay_rate * p), scalar)

    def get_config(self):
        return {"initial_learning_rate": self.initial_learning_rate, "decay_steps": self.decay_steps,
                "decay_rate": self.decay_rate, "staircase": self.staircase, "name": self.name}


class PolynomialDecay(LearningRateSchedule):
    """``(initial - end) * (1 - step / decay_steps) ** power + end``, with the step
    held at ``decay_steps``; with ``cycle=True`` the horizon is instead the first
    multiple of ``decay_steps`` at or above the step.
    """

    def __init__(self, initial_learning_rate, decay_steps, end_learning_rate=0.0001, power=1.0,
                 cycle=False, name="PolynomialDecay"):
        _check_decay_steps("PolynomialDecay", decay_steps)
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.end_learning_rate = end_learning_rate
        self.power = power
        self.cycle = cycle
        self.name = name

    def __call__(self, step):
        steps, scalar = _as_steps(step)
        horizon = float(self.decay_steps)
        if self.cycle:
            horizon = horizon * np.where(steps == 0, 1.0, np.ceil(steps / horizon))
        else:
            steps = np.minimum(steps, horizon)
        p = steps / horizon
        lr = (self.initial_learning_rate - self.end_learning_rate) * np.power(1.0 - p, self.power) \
            + self.end_learning_rate
        return _result(lr, scalar)

    def get_config(self):
        return {"initial_learning_rate": self.initial_learning_rate, "decay_steps": self.decay_steps,
                "end_learning_rate": self.end_learning_rate, "power": self.power,
                "cycle": self.cycle, "name": self.name}


class CosineDecay(LearningRateSchedule):
    """Cosine decay from the start rate to ``alpha`` times it over ``decay_steps``.

    Without ``warmup_target`` the start rate is ``initial_learning_rate``. With it,
    the rate first rises linearly from ``initial_learning_rate`` to
    ``warmup_target`` over ``warmup_steps``, then decays from ``warmup_target``.
    """

    def __init__(self, initial_learning_rate, decay_steps, alpha=0.0, name="CosineDecay",
                 warmup_target=None, warmup_steps=0):
        _check_decay_steps("CosineDecay", decay_steps)
        if warmup_steps < 0:
            raise ValueError(
                f"CosineDecay: argument `warmup_steps` must be >= 0. Received: warmup_steps={warmup_steps!r}."
            )
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.alpha = alpha
        self.name = name
        self.warmup_target = warmup_target
        self.warmup_steps = warmup_steps

    def _decayed(self, steps, start):
        cosine = 0.5 * (1.0 + np.cos(math.pi * steps / self.decay_steps))
        return start * ((1.0 - self.alpha) * cosine + self.alpha)

    def __call__(self, step):
        steps, scalar = _as_steps(step)
        if self.warmup_target is None:
            return _result(self._decayed(np.minimum(steps, self.decay_steps),
                                         self.initial_learning_rate), scalar)
        warmup = float(self.warmup_steps)
        steps = np.minimum(steps, self.decay_steps + warmup)
        lr = self._decayed(steps - warmup, self.warmup_target)
        if warmup > 0:
            ramp = (self.warmup_target - self.initial_learning_rate) * (steps / warmup) \
                + self.initial_learning_rate
            lr = np.where(steps < warmup, ramp, lr)
        return _result(lr, scalar)

    def get_config(self):
        return {"initial_learning_rate": self.initial_learning_rate, "decay_steps": self.decay_steps,
                "alpha": self.alpha, "name": self.name, "warmup_target": self.warmup_target,
                "warmup_steps": self.warmup_steps}


class CosineDecayRestarts(LearningRateSchedule):
    """Cosine decay with warm restarts (SGDR, Loshchilov & Hutter 2016): a cosine decay over
    ``first_decay_steps``, then again from the start over ``t_mul`` times as many steps, and so on; the i-th
    period starts from ``m_mul**i`` times the rate. Each period decays to ``alpha`` times the initial rate
    (``initial * ((1 - alpha) * m_mul**i * (1 + cos(pi * f)) / 2 + alpha)``, f the fraction of the period done).
    """

    def __init__(self, initial_learning_rate, first_decay_steps, t_mul=2.0, m_mul=1.0, alpha=0.0, name="SGDRDecay"):
        _check_decay_steps("CosineDecayRestarts", first_decay_steps, "first_decay_steps")
        if not t_mul > 0:
            raise ValueError(f"CosineDecayRestarts: argument `t_mul` must be > 0 (the growth of the periods). "
                             f"Received: t_mul={t_mul!r}.")
        self.initial_learning_rate = initial_learning_rate
        self.first_decay_steps = first_decay_steps
        self._t_mul = t_mul
        self._m_mul = m_mul
        self.alpha = alpha
        self.name = name

    def __call__(self, step):
        steps, scalar = _as_steps(step)
        done = steps / float(self.first_decay_steps)  # in first periods
        t_mul = float(self._t_mul)
        if t_mul == 1.0:
            restarts = np.floor(done)
            done = done - restarts
        else:  # periods grow geometrically: the i-th restart comes after (1 - t_mul**i) / (1 - t_mul) first periods
            restarts = np.floor(np.log(1.0 - done * (1.0 - t_mul)) / math.log(t_mul))
            before = (1.0 - np.power(t_mul, restarts)) / (1.0 - t_mul)
            # at a restart the rounded logarithm can count one period too many: then the step is in the one before
            over = done - before < 0
            restarts, before = np.where(over, restarts - 1, restarts), np.where(
                over, (1.0 - np.power(t_mul, restarts - 1)) / (1.0 - t_mul), before)
            done = (done - before) / np.power(t_mul, restarts)
        cosine = 0.5 * np.power(float(self._m_mul), restarts) * (1.0 + np.cos(math.pi * done))
        return _result(self.initial_learning_rate * ((1.0 - self.alpha) * cosine + self.alpha), scalar)

    def get_config(self):
        return {"initial_learning_rate": self.initial_learning_rate, "first_decay_steps": self.first_decay_steps,
                "t_mul": self._t_mul, "m_mul": self._m_mul, "alpha": self.alpha, "name": self.name}


_ALL = register_builtins("keras.optimizers.schedules", "learning-rate schedule", classes=[
    LearningRateSchedule, ExponentialDecay, PiecewiseConstantDecay, InverseTimeDecay, PolynomialDecay, CosineDecay,
    CosineDecayRestarts])


def serialize(schedule):
    """A schedule's config in Keras 3's format ({'module', 'class_name', 'config', 'registered_name'}),
    as optimizer configs hold it."""
    if not isinstance(schedule, LearningRateSchedule):
        raise TypeError(
            "schedules.serialize: expected a LearningRateSchedule instance. "
            f"Received: {schedule!r} of type {type(schedule).__name__}."
        )
    return serialize_keras_object(schedule)


def deserialize(config, custom_objects=None):
    """Rebuild a schedule from its config (Keras 3's, or tf.keras 2's ``{'class_name', 'config'}``).

    Only known classes are created: the built-in schedules, classes registered with
    ``dendrite.saving.register_keras_serializable`` and those given in ``custom_objects`` (or an active
    ``custom_object_scope``). Nothing in the config is imported or executed.
    """
    if not isinstance(config, dict) or "class_name" not in config:
        raise ValueError(
            "schedules.deserialize: expected a dict {'class_name': ..., 'config': {...}}. "
            f"Received: {config!r}."
        )
    return deserialize_keras_object(config, custom_objects, module_objects=_ALL,
                                    printable_module_name="learning-rate schedule")
