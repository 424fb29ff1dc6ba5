"""The options of every Keras 3 optimizer around the update rule, all off by default:

- ``loss_scale_factor``: training multiplies the loss by it (``scale_loss``) and ``apply`` divides the gradients
  by it again;
- ``gradient_accumulation_steps`` (an int >= 2): ``apply`` adds the gradients to one accumulator per variable
  and updates the variables every that many calls, with the mean of the accumulated gradients; ``iterations``
  then counts the updates (calls // steps), which is also the step that schedules and bias corrections see;
- ``use_ema``: after each ``apply`` every variable's exponential moving average is updated,
  ``average = ema_momentum * average + (1 - ema_momentum) * variable`` (the first step copies the variable);
  with ``ema_overwrite_frequency`` n, the variables take their averages every n-th step, and
  ``finalize_variable_values`` (called by fit after the last epoch) gives them their averages at the end.

The accumulators and averages are optimizer variables (``<variable>_gradient_accumulator``,
``<variable>_average``), saved with the optimizer's state, listed before the update rule's own slots as in Keras.
"""
from ..autodiff.tensor import Variable
from ..backend import get_array_module
from ..utils.validation import int_at_least, number

# Keras 3's keys and defaults, in the order its get_config writes them
STEP_OPTIONS = {"use_ema": False, "ema_momentum": 0.99, "ema_overwrite_frequency": None, "loss_scale_factor": None,
                "gradient_accumulation_steps": None}


def set_step_options(optimizer, use_ema=False, ema_momentum=0.99, ema_overwrite_frequency=None,
                     loss_scale_factor=None, gradient_accumulation_steps=None):
    owner = type(optimizer).__name__
    optimizer.use_ema = bool(use_ema)
    optimizer.ema_momentum = number(owner, "ema_momentum", ema_momentum, low=0, high=1)
    optimizer.ema_overwrite_frequency = int_at_least(owner, "ema_overwrite_frequency", ema_overwrite_frequency, 1,
                                                     allow_none=True) or None
    optimizer.loss_scale_factor = number(owner, "loss_scale_factor", loss_scale_factor, low=0, low_open=True,
                                         allow_none=True)
    optimizer.gradient_accumulation_steps = int_at_least(
        owner, "gradient_accumulation_steps", gradient_accumulation_steps or None, 2, allow_none=True,
        hint="It is the number of batches whose gradients are averaged into one update; None updates every batch.")
    optimizer._averages, optimizer._accumulators = [], []


def step_options_config(optimizer):
    return {key: getattr(optimizer, key) for key in STEP_OPTIONS}


def build_step_options(optimizer, new):
    """The moving averages and the accumulators of the variables ``new`` to the optimizer."""
    if optimizer.use_ema:
        optimizer._averages += optimizer._add_slots(new, "average")
    if optimizer.gradient_accumulation_steps:
        optimizer._accumulators += optimizer._add_slots(new, "gradient_accumulator")


class _Counted(Variable):
    """A read-only view of a count, printed and compared as the number it holds."""

    __slots__ = ()

    def __int__(self):
        return int(self.value)

    __index__ = __int__

    def __eq__(self, other):
        return int(self.value) == other

    __hash__ = Variable.__hash__

    def __format__(self, spec):
        return format(int(self.value), spec)


def accumulated_iterations(optimizer):
    """The updates applied so far when gradients accumulate: the calls to apply // gradient_accumulation_steps."""
    count = _Counted(int(optimizer._iterations.value) // optimizer.gradient_accumulation_steps, trainable=False,
                     name="iteration", dtype="int64")
    count.path = optimizer._iterations.path
    return count


def scaled_and_accumulated(optimizer, work):
    """The (index, gradient, variable) triples to update with after the loss scale and accumulation; None on a
    step that only accumulates."""
    if optimizer.loss_scale_factor is not None:
        work = [(i, g / optimizer.loss_scale_factor, v) for i, g, v in work]
    steps = optimizer.gradient_accumulation_steps
    if not steps:
        return work
    accumulators = optimizer._accumulators
    if (int(optimizer._iterations.value) + 1) % steps:
        for i, g, _ in work:
            accumulators[i] += g
        return None
    out = []
    for i, g, v in work:
        out.append((i, (g + accumulators[i]) / steps, v))
    for acc in accumulators:  # all of them, as Keras resets every accumulator on an update
        acc[...] = 0
    return out


def update_moving_averages(optimizer):
    """The EMA step after an apply, over every variable the optimizer has met; every ``ema_overwrite_frequency``
    steps the variables take their averages."""
    momentum = optimizer.ema_momentum if int(optimizer.iterations.value) != 0 else 0.0
    for var, average in zip(optimizer._variables, optimizer._averages):
        value = var.value
        average *= momentum
        average += (1.0 - momentum) * value
    frequency = optimizer.ema_overwrite_frequency
    if frequency and (int(optimizer.iterations.value) + 1) % frequency == 0:
        overwrite_with_averages(optimizer, optimizer._variables)


def overwrite_with_averages(optimizer, variables):
    """Each of ``variables`` set to its moving average (those the optimizer never met have none and stay)."""
    for var in variables:
        i = optimizer._index.get(id(var))
        if i is None:
            continue
        get_array_module(var.value).copyto(var.value, optimizer._averages[i])


def scale_loss(optimizer, loss):
    """``loss * loss_scale_factor`` (the loss itself without one)."""
    if optimizer.loss_scale_factor is None:
        return loss
    from ..autodiff import ops  # (imported here: the ops need the optimizers' package loaded first)
    return ops.multiply(loss, optimizer.loss_scale_factor)
