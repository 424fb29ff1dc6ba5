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
__all__ = ["Model", "Sequential", "Functional", "model_from_json"]
