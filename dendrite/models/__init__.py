"""Models: the Model base (compile / fit / evaluate / predict), Sequential and the functional Model."""
from .training import Model
from .sequential import Sequential
from .functional import Functional

__all__ = ["Model", "Sequential", "Functional"]
