"""The Optimizer base: learning rate, iterations, clipping, weight decay and slots.

A subclass adds its hyperparameters in ``__init__``, creates its slots in
``build`` (extending the base, which returns the variables that are new, and
calling ``_add_slots``) and implements ``update_step(grad, value, lr)``.
``update_step`` updates ``value`` (the variable's live array) and the slots in
place; the slots of the variable being updated sit at index ``self._i`` of each
slot list, and ``self._tmp[self._i]`` holds ``_n_scratch`` scratch arrays of the
variable's shape, views into one pool shared by all variables, so a step
allocates nothing. ``self._t`` is the number of the step being applied
(``iterations + 1``).

State is keyed by variable: each variable the optimizer meets gets its own index
(held with the variable itself, so it stays valid), whatever the order or subset
of variables a later ``apply`` passes. As in Keras 3, ``iterations`` is a
non-trainable Variable, the slots are non-trainable Variables named
``<variable path>_<slot>`` under the optimizer's name, and ``variables`` lists
``iterations``, the learning rate (unless it is a schedule), then the slots.
"""
import math
import warnings

from ..autodiff.tensor import Tensor, Variable, array_of
from ..backend import get_array_module
from ..utils.validation import number
from . import schedules as _schedules
from .step_options import (STEP_OPTIONS, accumulated_iterations, build_step_options, overwrite_with_averages,
                           scale_loss, scaled_and_accumulated, set_step_options, step_options_config,
                           update_moving_averages)

_DEFAULT_EPSILON = 1e-7

# Keys that tf.keras 2.11+ wrote into optimizer configs; they mean nothing here.
_IGNORED = ("is_legacy_optimizer", "jit_compile")


class _Default(float):
    """A default ``learning_rate``, told apart from the same number passed explicitly.

    It lets ``Adam(lr=0.01)`` through while ``Adam(learning_rate=0.001, lr=0.01)``
    is refused; in signatures and reprs it is a plain number.
    """

    __slots__ = ()


_NEGATIVE_RATE = "A negative learning rate climbs the loss instead of descending it."


def _epsilon(owner, value):
    """``epsilon``, a number >= 0; Keras 2 wrote epsilon=None to mean the backend epsilon, 1e-7."""
    return _DEFAULT_EPSILON if value is None else number(owner, "epsilon", value, low=0)


def _decay_rate(owner, name, value, closed=True):
    """A moving-average decay (``beta_1``, ``beta_2``, ``rho``, ``momentum``): a number in [0, 1], or in [0, 1)
    when ``closed`` is False (Adam's betas: 1 would divide by zero in the bias correction)."""
    return number(owner, name, value, low=0, high=1, high_open=not closed)


class _Iterations(Variable):
    """``optimizer.iterations``: a non-trainable int64 Variable (as Keras 3) that compares, formats and
    indexes as the number it holds, so ``opt.iterations == 3`` and ``range(opt.iterations)`` work."""

    __slots__ = ()

    def __init__(self, optimizer_name):
        super().__init__(0, trainable=False, name="iteration", dtype="int64")
        self.path = f"{optimizer_name}/iteration"

    def __eq__(self, other):
        return self.value == array_of(other)

    def __ne__(self, other):
        return self.value != array_of(other)

    __hash__ = Variable.__hash__

    def __index__(self):
        return int(self.value)

    def __format__(self, spec):
        return format(int(self.value), spec)


def _check_learning_rate(owner, value):
    if isinstance(value, _schedules.LearningRateSchedule) or callable(value):
        return value
    if isinstance(value, bool) or not hasattr(value, "__float__") or getattr(value, "ndim", 0) != 0:
        raise TypeError(
            f"{owner}: argument `learning_rate` must be a float, a LearningRateSchedule, or a "
            f"callable taking no arguments. Received: learning_rate={value!r} "
            f"(type {type(value).__name__})."
        )
    return number(owner, "learning_rate", value, low=0, hint=_NEGATIVE_RATE)


class Optimizer:
    """Base class of dendrite's optimizers (Keras 3 semantics)."""

    _n_scratch = 1  # scratch arrays per variable that update_step may use

    def __init__(self, learning_rate, weight_decay=None, clipnorm=None, clipvalue=None,
                 global_clipnorm=None, name=None, **kwargs):
        owner = type(self).__name__
        legacy_lr = kwargs.pop("lr", None)
        if legacy_lr is not None:
            if not isinstance(learning_rate, _Default):
                raise ValueError(
                    f"{owner}: both `learning_rate={learning_rate!r}` and the legacy `lr={legacy_lr!r}` "
                    "were given. Pass only `learning_rate` (`lr` is its Keras 2 spelling)."
                )
            learning_rate = legacy_lr
        decay = number(owner, "decay", kwargs.pop("decay", None) or 0.0, low=0,
                       hint="`decay` is Keras 2's time-based decay of the learning rate.")
        for key in _IGNORED:
            kwargs.pop(key, None)
        step_options = {key: kwargs.pop(key) for key in STEP_OPTIONS if key in kwargs}
        if kwargs:
            raise ValueError(
                f"Argument(s) not recognized: {kwargs}. Valid arguments for {owner}: "
                f"{', '.join(self._valid_arguments())}. Check the spelling or remove them."
            )
        clips = {"clipnorm": clipnorm, "clipvalue": clipvalue, "global_clipnorm": global_clipnorm}
        if sum(v is not None for v in clips.values()) > 1:
            raise ValueError(
                f"{owner}: only one of `clipnorm`, `clipvalue` and `global_clipnorm` can be set. "
                f"Received: clipnorm={clipnorm}, clipvalue={clipvalue}, global_clipnorm={global_clipnorm}."
            )
        for key, value in clips.items():
            setattr(self, key, number(owner, key, value, low=0, low_open=True, allow_none=True))
        self.weight_decay = number(owner, "weight_decay", weight_decay, low=0, allow_none=True)
        self.decay = decay
        self.name = name if name is not None else owner.lower()
        self._learning_rate = None
        self._store_learning_rate(_check_learning_rate(owner, learning_rate))
        self._iterations = _Iterations(self.name)
        set_step_options(self, **step_options)  # use_ema, ..., gradient_accumulation_steps (off by default)
        self.built = False
        self._variables = []  # the variables met, in order (held, so that their ids stay theirs)
        self._index = {}  # id(variable) -> position in self._variables and in every slot list
        self._slot_blocks = {}  # slot names -> one tuple of slot Variables per variable, in self._variables' order
        self._tmp = []
        self._i = 0
        self._t = 1
        self._exclude_ids, self._exclude_pattern, self._decay_cache = set(), None, {}
        from ..distribute.distribution import current  # (imported here: dendrite.distribute needs the optimizers)
        self._distribution = current()  # made in a strategy's scope over several processes: updates all-reduce

    @property
    def iterations(self):
        """The number of updates applied (a non-trainable Variable); with ``gradient_accumulation_steps`` the
        number of accumulated updates, the calls to ``apply`` divided by the steps (as Keras 3 counts them)."""
        if self.gradient_accumulation_steps:
            return accumulated_iterations(self)
        return self._iterations

    # ---------------------------------------------------------------- learning rate
    @property
    def learning_rate(self):
        """The current learning rate as a float (a schedule is evaluated at ``iterations``)."""
        lr = self._learning_rate
        if isinstance(lr, Variable):
            return float(lr.value)
        if isinstance(lr, _schedules.LearningRateSchedule):
            return self._scheduled_rate(lr(int(self.iterations.value)), f"the schedule {type(lr).__name__}")
        return self._scheduled_rate(lr(), f"the callable {getattr(lr, '__name__', type(lr).__name__)}")

    def _store_learning_rate(self, value):
        """A fixed rate is kept in a float64 Variable (listed in ``variables``, as Keras 3 lists its
        learning_rate), the same one from then on; a schedule or callable as it is."""
        if isinstance(value, _schedules.LearningRateSchedule) or callable(value):
            self._learning_rate = value
        elif isinstance(self._learning_rate, Variable):
            self._learning_rate.assign(value)
        else:
            self._learning_rate = Variable(value, trainable=False, name="learning_rate", dtype="float64")
            self._learning_rate.path = f"{self.name}/learning_rate"

    def _scheduled_rate(self, value, source):
        """What a schedule or callable gave, checked where it happens: a finite number >= 0."""
        if isinstance(value, float) and 0.0 <= value < math.inf:
            return value
        step = int(self.iterations.value)
        return number(f"{type(self).__name__} '{self.name}'", "learning_rate", value, low=0,
                      label=f"the learning rate that {source} gave at step {step} (optimizer.iterations)",
                      hint="A learning rate must be a float >= 0 at every step: check the schedule's arguments.")

    @learning_rate.setter
    def learning_rate(self, value):
        is_schedule = isinstance(value, _schedules.LearningRateSchedule) or callable(value)
        if not is_schedule and isinstance(self._learning_rate, _schedules.LearningRateSchedule):
            raise TypeError(
                f"{type(self).__name__} '{self.name}' was created with a LearningRateSchedule "
                f"({type(self._learning_rate).__name__}) as its learning rate, so a fixed value "
                f"cannot be set (received {value!r}). Create the optimizer with a float "
                "`learning_rate` if callbacks must change it, or assign a new schedule."
            )
        self._store_learning_rate(_check_learning_rate(type(self).__name__, value))

    lr = learning_rate  # the Keras 2 name, reading and writing the same property

    def _step_learning_rate(self):
        lr = self.learning_rate
        if self.decay:  # Keras 2 time-based decay, from the legacy `decay=` argument
            lr = lr / (1.0 + self.decay * (self._t - 1))
        return lr

    # ---------------------------------------------------------------- slots
    def build(self, variables):
        """Register variables (each only once) and return the new ones.

        Subclasses extend it to create their slots for the returned variables.
        """
        new = []
        for var in variables:
            if id(var) in self._index:
                continue
            if not isinstance(var, Variable) and type(var).__name__ == "Tensor":
                raise TypeError(
                    f"{type(self).__name__}.apply_gradients: a Tensor (a constant, tf.constant) cannot be updated; "
                    f"received {var!r} among the variables. Hold the values to train in a Variable, e.g. "
                    "w = tf.Variable(initial_value).")
            if not hasattr(getattr(var, "value", None), "shape"):
                raise TypeError(
                    f"{type(self).__name__}: expected dendrite Variables (objects with a `.value` "
                    f"array). Received: {var!r} (type {type(var).__name__}). Pass "
                    "`model.trainable_weights` or Variables you created."
                )
            self._index[id(var)] = len(self._variables)
            self._variables.append(var)
            new.append(var)
        if new:
            self._make_scratch()
            build_step_options(self, new)  # the EMA's averages and the gradient accumulators, when used
        self.built = True
        return new

    def _add_slots(self, variables, *names, fill=0.0):
        """For each of ``variables``, one slot Variable per name in ``names``, shaped and typed like it and
        filled with ``fill``, named as Keras names them (``<variable path, '/' as '_'>_<name>``). Returns
        their live arrays, one list per name (a single list for one name), for ``update_step``."""
        arrays = tuple([] for _ in names)
        block = self._slot_blocks.setdefault(names, [])
        for var in variables:
            value, slots = var.value, []
            prefix = str(getattr(var, "path", None) or var.name).replace("/", "_")
            for name, out in zip(names, arrays):
                slot = Variable(get_array_module(value).full(value.shape, fill, dtype=value.dtype), trainable=False,
                                name=f"{prefix}_{name}", dtype=value.dtype)
                slot.path = f"{self.name}/{slot.name}"
                slots.append(slot)
                out.append(slot.value)
            block.append(tuple(slots))
        return arrays if len(names) > 1 else arrays[0]

    def _extra_variables(self):
        """State other than the slots, listed last in ``variables`` (Nadam's momentum-schedule product)."""
        return []

    @property
    def variables(self):
        """The optimizer's state as Keras 3 lists it: ``iterations``, the learning rate (unless it is a
        schedule or a callable), then the slots (for each kind of slot, one per variable, in the order the
        variables were met; kinds made together interleave per variable), then other state."""
        out = [self._iterations]
        if isinstance(self._learning_rate, Variable):
            out.append(self._learning_rate)
        for block in self._slot_blocks.values():
            for slots in block:
                out.extend(slots)
        return out + self._extra_variables()

    def _make_scratch(self):
        # One pool per (array module, dtype), sized for the largest variable; each
        # variable gets _n_scratch views into it. Updates run one variable at a
        # time, so sharing the memory is safe and keeps it hot in cache.
        groups = {}
        for var in self._variables:
            value = var.value
            xp = get_array_module(value)
            groups.setdefault((xp, value.dtype), []).append(var)
        self._tmp = [None] * len(self._variables)
        for (xp, dtype), group in groups.items():
            largest = max(int(v.value.size) for v in group)
            pool = xp.empty(self._n_scratch * largest, dtype=dtype)
            for v in group:
                size, shape = int(v.value.size), v.value.shape
                self._tmp[self._index[id(v)]] = tuple(
                    pool[k * largest:k * largest + size].reshape(shape) for k in range(self._n_scratch))

    # ---------------------------------------------------------------- applying
    def apply_gradients(self, grads_and_vars):
        """Apply ``(gradient, variable)`` pairs; returns ``iterations`` (as tf.keras does)."""
        pairs = list(grads_and_vars)
        if pairs:
            grads, variables = zip(*pairs)
            self.apply(grads, variables)
        return self.iterations

    def apply(self, grads, variables=None):
        """Update ``variables`` in place from ``grads`` (one per variable, None skipped).

        Without ``variables``, the gradients go 1:1 to the variables the optimizer
        was built with. Under a strategy over several processes the gradients are first all-reduced as
        TensorFlow's are (dendrite.distribute.distribution.gradients_to_apply).
        """
        from ..distribute.distribution import gradients_to_apply
        grads = list(gradients_to_apply(self, grads))
        owner = f"{type(self).__name__} '{self.name}'"
        if variables is None:
            if not self.built:
                raise ValueError(f"{owner}: `apply(grads)` without variables needs a built optimizer. "
                                 "Call `optimizer.build(variables)` first, or pass the variables.")
            variables = self._variables
        variables = list(variables)
        if len(grads) != len(variables):
            raise ValueError(f"{owner}: expected one gradient per variable; received {len(grads)} "
                             f"gradients for {len(variables)} variables.")
        if any(id(v) not in self._index for v in variables):
            self.build(variables)
        missing = [v.name for g, v in zip(grads, variables) if g is None]
        if missing:
            if len(missing) == len(variables):
                raise ValueError(f"{owner}: no gradients provided for any variable ({missing}). Check "
                                 "that the loss depends on the variables and was computed inside the tape.")
            warnings.warn(f"Gradients do not exist for variables {missing} when minimizing the loss; "
                          "they are left unchanged.", stacklevel=2)
        work = given = self._prepare(grads, variables)
        if self.loss_scale_factor is not None or self.gradient_accumulation_steps:
            work = scaled_and_accumulated(self, work)  # None while gradients accumulate
        if work is not None:
            self._update(work)
        if self.use_ema:
            update_moving_averages(self)
        self._apply_constraints(given)
        self._iterations.assign_add(1)

    def _update(self, work):
        """Clip, decay the weights and take one step of the update rule on ``work``'s variables."""
        work = self._clip(work)
        self._t = int(self.iterations.value) + 1
        lr = self._step_learning_rate()
        self._apply_weight_decay(work, lr)
        self._before_update()
        for i, grad, value in work:
            self._i = i
            self.update_step(grad, value, lr)

    def _apply_constraints(self, work):
        """Project each updated variable that has a constraint (e.g. max-norm) back after the update, as
        Keras 3's apply does: custom training loops get the constraints too."""
        for i, _, value in work:
            constraint = getattr(self._variables[i], "constraint", None)
            if constraint is not None:
                projected = constraint(value)
                value[...] = array_of(projected)

    def _prepare(self, grads, variables):
        work = []
        for grad, var in zip(grads, variables):
            if grad is None:
                continue
            value = var.value
            xp = get_array_module(value)
            if not isinstance(grad, xp.ndarray) or grad.dtype != value.dtype:
                if isinstance(grad, Tensor) and grad.value.dtype == value.dtype:
                    grad = grad.value  # (as it is: a lookup table's gradient keeps its occurrences)
                else:
                    grad = xp.asarray(grad, dtype=value.dtype)
            if grad.shape != value.shape:
                raise ValueError(
                    f"{type(self).__name__}: the gradient for variable '{var.name}' has shape "
                    f"{grad.shape}, but the variable has shape {value.shape}. Each gradient must "
                    "have its variable's shape; check the order of the (gradient, variable) pairs."
                )
            work.append((self._index[id(var)], grad, value))
        return work

    def _clip(self, work):
        if self.clipvalue is not None:
            c = self.clipvalue
            return [(i, get_array_module(g).clip(g, -c, c), v) for i, g, v in work]
        if self.clipnorm is not None:
            out = []
            for i, g, v in work:
                norm = math.sqrt(float(get_array_module(g).vdot(g, g)))
                out.append((i, g * (self.clipnorm / norm), v) if norm > self.clipnorm else (i, g, v))
            return out
        if self.global_clipnorm is not None:
            norm = math.sqrt(sum(float(get_array_module(g).vdot(g, g)) for _, g, _ in work))
            if not math.isfinite(norm):  # as Keras: a non-finite norm makes every gradient NaN
                return [(i, g * math.nan, v) for i, g, v in work]
            if norm > self.global_clipnorm:
                scale = self.global_clipnorm / norm
                return [(i, g * scale, v) for i, g, v in work]
        return work

    # ---------------------------------------------------------------- weight decay
    def exclude_from_weight_decay(self, var_list=None, var_names=None):
        """Exempt variables from weight decay: by object, or by a substring of their name."""
        import re

        self._exclude_ids = {id(v) for v in var_list or ()}
        self._exclude_pattern = re.compile("|".join(map(re.escape, var_names))) if var_names else None
        self._decay_cache = {}

    def _uses_weight_decay(self, i):
        use = self._decay_cache.get(i)
        if use is None:
            var = self._variables[i]
            use = id(var) not in self._exclude_ids and not (
                self._exclude_pattern is not None and self._exclude_pattern.search(str(var.name)))
            self._decay_cache[i] = use
        return use

    def _apply_weight_decay(self, work, lr):
        if not self.weight_decay:
            return
        factor = self.weight_decay * lr
        for i, _, value in work:
            if self._uses_weight_decay(i):
                scratch = self._tmp[i][0]
                get_array_module(value).multiply(value, factor, out=scratch)
                value -= scratch  # Keras: var = var - var * wd * lr, before the step

    # ---------------------------------------------------------------- loss scale and moving averages
    def scale_loss(self, loss):
        """The loss that training differentiates: ``loss * loss_scale_factor`` when one is set (``apply`` divides
        the gradients by it again), else ``loss``."""
        return scale_loss(self, loss)

    def finalize_variable_values(self, var_list):
        """With ``use_ema``, set ``var_list`` to their moving averages (fit calls it after the last epoch, as
        Keras 3 does); otherwise nothing."""
        if self.use_ema:
            overwrite_with_averages(self, var_list)

    # ---------------------------------------------------------------- subclass API
    def _before_update(self):
        """Hook run once per step, before the per-variable updates."""

    def update_step(self, grad, value, lr):
        raise NotImplementedError(
            f"{type(self).__name__} must implement `update_step(grad, value, lr)`, updating `value` "
            "in place."
        )

    # ---------------------------------------------------------------- config
    def get_config(self):
        lr = self._learning_rate
        if isinstance(lr, Variable):
            lr = float(lr.value)
        elif isinstance(lr, _schedules.LearningRateSchedule):
            lr = _schedules.serialize(lr)
        config = {"name": self.name, "learning_rate": lr, "weight_decay": self.weight_decay,
                  "clipnorm": self.clipnorm, "global_clipnorm": self.global_clipnorm,
                  "clipvalue": self.clipvalue, **step_options_config(self)}  # Keras 3's keys, in its order
        if self.decay:
            config["decay"] = self.decay
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = dict(config)
        if isinstance(config.get("learning_rate"), dict):
            config["learning_rate"] = _schedules.deserialize(config["learning_rate"], custom_objects)
        return cls(**config)

    def _valid_arguments(self):
        import inspect

        params = inspect.signature(type(self).__init__).parameters.values()
        names = [p.name for p in params if p.name != "self" and p.kind is not p.VAR_KEYWORD]
        return names + ["lr (legacy)", "decay (legacy)"]

    def __repr__(self):
        lr = self._learning_rate
        lr = float(lr.value) if isinstance(lr, Variable) else type(lr).__name__
        return (f"<{type(self).__name__} name={self.name!r} learning_rate={lr} "
                f"iterations={int(self.iterations.value)}>")
