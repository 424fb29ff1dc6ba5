"""Models: the Model base (compile / fit / evaluate / predict), Sequential and the functional Model;
``model.to_json()`` and ``model_from_json``."""
from ..saving.builtin_objects import register_builtins
from .training import Model
from .sequential import Sequential
from .functional import Functional
from .model_json import model_from_json

register_builtins("keras", "model", classes=[Model, Sequential])
register_builtins("keras.src.models.functional", "model", classes=[Functional],
                  registered_names={Functional: "Functional"})


def load_model(filepath, custom_objects=None, compile=True, safe_mode=True):
    """A model saved by ``model.save`` (dendrite's or Keras's ``.keras`` / ``.h5``); see dendrite.saving."""
    from ..saving.saving_lib import load_model as load
    return load(filepath, custom_objects=custom_objects, compile=compile, safe_mode=safe_mode)


def save_model(model, filepath, overwrite=True, include_optimizer=True):
    """``model.save(filepath)``."""
    model.save(filepath, overwrite=overwrite, include_optimizer=include_optimizer)


__all__ = ["Model", "Sequential", "Functional", "model_from_json", "load_model", "save_model"]
