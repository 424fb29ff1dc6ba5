"""Namespace: a module object standing for one TensorFlow or Keras module path (``tf.nn``,
``keras.layers.core``, ...). It holds its own members, reads further names from dendrite modules it is
given, builds sub-namespaces lazily, and answers any other public name with a NotImplementedError that names
the API and points at docs/compat.md, never with an AttributeError from deep inside. Every Namespace has a
``__path__``, so the import hook can serve ``import keras.layers.core`` from it."""
import importlib
import types

from ._notes import unsupported


class Namespace(types.ModuleType):
    def __init__(self, name, doc=None, members=None, sources=(), lazy=None, hints=None, module_files=False):
        super().__init__(name, doc)
        self.__path__ = []
        self.__package__ = name
        # whether an import of a module below it that it does not have (keras.layers.core.dense, Keras 2.6+'s
        # one file per class) is served by this namespace itself: its names are the same
        self._module_files = module_files
        self._sources = tuple(sources)
        self._lazy = dict(lazy or {})
        self._hints = dict(hints or {})  # name -> the hint for a name known to be unsupported
        for key, value in (members or {}).items():
            setattr(self, key, value)
        names = set(k for k in (members or {}) if not k.startswith("_")) | set(self._lazy)
        for source in self._sources:
            names |= set(getattr(source, "__all__", [n for n in vars(source) if not n.startswith("_")]))
        self.__all__ = sorted(names)

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(f"module '{self.__name__}' has no attribute '{name}'")
        if name in self._lazy:
            value = self._lazy[name]()
            setattr(self, name, value)
            return value
        for source in self._sources:
            try:
                return getattr(source, name)
            except AttributeError:
                pass
        raise unsupported(f"`{self.__name__}.{name}`", self._hints.get(name))

    def __dir__(self):
        return sorted(set(super().__dir__()) | set(self.__all__))

    def __repr__(self):
        return f"<module '{self.__name__}' (dendrite compatibility namespace)>"


def names_from(module, names):
    """{name: getattr(module, name)} for the names given (a compact way to list members)."""
    return {n: getattr(module, n) for n in names.split()}


def dendrite_module(name, api, attribute=None):
    """A loader for ``dendrite.<name>`` (or one attribute of it), a module another part of dendrite may not
    have added yet: used lazily, and refused clearly naming ``api`` where it is missing."""
    def load():
        try:
            module = importlib.import_module(f"dendrite.{name}")
        except ImportError:
            raise unsupported(f"`{api}`", f"This dendrite has no dendrite.{name} module yet.") from None
        return module if attribute is None else getattr(module, attribute)
    return load
