"""``tf.Module``: a named container whose variables and sub-modules are found by walking its attributes, as
TensorFlow's guides build models and optimizers from it (``class Dense(tf.Module)`` with ``tf.Variable``
attributes, ``model.trainable_variables`` given to a GradientTape).

Attributes are walked in the order of their names, into lists, tuples and dicts (dict entries by key), other
Modules and Keras layers (their weights); each Variable is listed once."""
import contextlib
import re

from ..autodiff import Variable
from ..layers.base import Layer

_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.\-]*$")


class Module:
    """``tf.Module(name=None)``."""

    def __init__(self, name=None):
        if name is None:
            name = re.sub(r"(?<!^)(?=[A-Z])", "_", type(self).__name__).lower()
        elif not isinstance(name, str) or not _NAME.match(name):
            raise ValueError(f"tf.Module: `name` must be a valid Python identifier-like string (letters, digits, "
                             f"'_', '.', '-'); received {name!r}.")
        self._name = name

    @property
    def name(self):
        return getattr(self, "_name", type(self).__name__.lower())

    @property
    def name_scope(self):
        """A context manager (TensorFlow's name scope; names are not scoped in dendrite) with ``.name``."""
        scope = contextlib.nullcontext()
        scope.name = self.name + "/"
        return scope

    @classmethod
    def with_name_scope(cls, method):
        """Decorator TensorFlow uses to enter the module's name scope in a method: the method as it is here."""
        return method

    def _walk(self):
        """(variables, submodules) reachable from the attributes, each once, in attribute-name order."""
        variables, modules, seen = [], [], set()

        def visit(value):
            if id(value) in seen:
                return
            if isinstance(value, Variable):
                seen.add(id(value))
                variables.append(value)
            elif isinstance(value, Module):
                seen.add(id(value))
                modules.append(value)
                for key in sorted(vars(value)):
                    visit(vars(value)[key])
            elif isinstance(value, Layer):
                seen.add(id(value))
                for w in value.weights:
                    visit(w)
            elif isinstance(value, dict):
                for key in sorted(value, key=str):
                    visit(value[key])
            elif isinstance(value, (list, tuple)):
                for item in value:
                    visit(item)

        seen.add(id(self))
        for key in sorted(vars(self)):
            visit(vars(self)[key])
        return variables, modules

    @property
    def variables(self):
        return tuple(self._walk()[0])

    @property
    def trainable_variables(self):
        return tuple(v for v in self._walk()[0] if v.trainable)

    @property
    def non_trainable_variables(self):
        return tuple(v for v in self._walk()[0] if not v.trainable)

    @property
    def submodules(self):
        return tuple(self._walk()[1])

    def __repr__(self):
        return f"<{type(self).__module__}.{type(self).__name__} object named {self.name!r}>"
