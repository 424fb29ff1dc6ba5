"""What the compatibility hooks change on dendrite's classes while installed, and undo on uninstall:
the Keras 2 model methods (legacy_models), ``fit`` returning a history whose 'acc'/'accuracy' keys find each
other and honouring ``dendrite run``'s caps (``--max-epochs``, ``--max-steps``), and ``optimizer.lr`` /
``optimizer.learning_rate`` read as a number that ``K.set_value`` / ``K.get_value`` can change and read (Keras 2's
and Keras 3's Variable)."""
import inspect

import numpy as np

from ..autodiff import Variable
from ..losses import inputs as loss_inputs
from ..models.training import Model
from ..optimizers.base import Optimizer
from . import (eager, legacy_models, legacy_optimizer, mixed_precision, tensor_refs, tf_arguments, tf_data_repr,
               tf_ragged, tf_saved_model)
from ._notes import note

LIMITS = {"max_epochs": None, "max_steps": None}
_saved = {}


class LearningRate(float):
    """``optimizer.lr`` under the hooks: the rate as a float that remembers its optimizer, so
    ``K.set_value(model.optimizer.lr, 0.01)`` sets the optimizer's learning rate as in Keras 2."""

    def __new__(cls, value, optimizer):
        self = super().__new__(cls, value)
        self.optimizer = optimizer
        return self

    def numpy(self):
        return np.float32(self)

    def assign(self, value):
        self.optimizer.learning_rate = float(value)


def _lr_get(self):
    return LearningRate(_LEARNING_RATE.fget(self), self)


def _learning_rate_get(self):
    """``optimizer.learning_rate`` under the hooks: a fixed rate as a LearningRate, which K.set_value and
    ``.assign`` can change, as Keras 3's learning-rate Variable; a schedule's current rate as a float."""
    value = _LEARNING_RATE.fget(self)
    return LearningRate(value, self) if isinstance(self._learning_rate, Variable) else value


_LEARNING_RATE = Optimizer.__dict__["learning_rate"]


def _lr_set(self, value):
    self.learning_rate = value


def _head(x, n):
    """The first ``n`` samples of fit's ``x`` / ``y`` (arrays, lists or dicts of arrays, pandas)."""
    if x is None:
        return None
    if isinstance(x, dict):
        return {k: _head(v, n) for k, v in x.items()}
    if isinstance(x, (list, tuple)) and x and hasattr(x[0], "shape"):
        return type(x)(_head(v, n) for v in x)
    if hasattr(x, "iloc"):
        return x.iloc[:n]
    if hasattr(x, "shape") and hasattr(x, "__getitem__"):
        return x[:n]
    return x


def _capped_fit(fit):
    signature = inspect.signature(fit)

    def fit_(self, *args, **kwargs):
        bound = signature.bind(self, *args, **kwargs)
        a = bound.arguments
        if "nb_epoch" in a.get("kwargs", {}):
            a["epochs"] = a["kwargs"].pop("nb_epoch")
            note(("fit", "nb_epoch"), "fit: `nb_epoch` is the Keras 1 spelling of `epochs`.")
        max_epochs, max_steps = LIMITS["max_epochs"], LIMITS["max_steps"]
        if max_epochs is not None:
            a["epochs"] = min(a.get("epochs", 1), a.get("initial_epoch", 0) + max_epochs)
        if max_steps is not None:
            x = a.get("x")
            if hasattr(x, "shape") or isinstance(x, (dict, list)) or hasattr(x, "iloc"):
                n = max_steps * (a.get("batch_size") or 32)
                a["x"], a["y"] = _head(x, n), _head(a.get("y"), n)
                a["sample_weight"] = _head(a.get("sample_weight"), n)
            else:
                given = a.get("steps_per_epoch")
                a["steps_per_epoch"] = max_steps if given is None else min(given, max_steps)
        history = fit(*bound.args, **bound.kwargs)
        if history is not None and isinstance(getattr(history, "history", None), dict):
            history.history = legacy_models.KeyAliases(history.history)
        return history

    fit_.__wrapped__ = fit
    fit_.__doc__ = fit.__doc__
    return fit_


def apply():
    if _saved:
        return
    for name, method in legacy_models.METHODS.items():
        _saved[(Model, name)] = Model.__dict__.get(name)
        setattr(Model, name, method)
    _saved[(Model, "fit")] = Model.__dict__["fit"]
    Model.fit = _capped_fit(Model.fit)
    _saved[(Optimizer, "lr")] = Optimizer.__dict__["lr"]
    Optimizer.lr = property(_lr_get, _lr_set)
    _saved[(Optimizer, "learning_rate")] = _LEARNING_RATE
    Optimizer.learning_rate = property(_learning_rate_get, _LEARNING_RATE.fset)
    for cls, name, value in (eager.targets() + tf_saved_model.targets() + mixed_precision.targets()
                             + mixed_precision.loss_scale_targets()
                             + [(loss_inputs, "KERAS_LENIENT", True)]
                             + tf_ragged.targets() + tensor_refs.targets() + tf_arguments.targets()
                             + legacy_models.model_targets() + legacy_optimizer.targets()
                             + tf_data_repr.targets()):
        _saved[(cls, name)] = cls.__dict__.get(name)
        setattr(cls, name, value)


def undo():
    for (cls, name), value in _saved.items():
        if value is None:
            delattr(cls, name)
        else:
            setattr(cls, name, value)
    _saved.clear()


