"""The import hook: a meta-path finder that serves ``tensorflow``, ``keras``, ``tf_keras`` and every module
path under them (``tensorflow.keras.layers``, ``keras.layers.core``, ``tensorflow.python.keras.losses``, ...)
from the compatibility namespaces, built on first import. ``install()`` is idempotent and refuses while a
real TensorFlow or Keras is imported; ``uninstall()`` removes the hook, the served modules and the patches."""
import importlib.abc
import importlib.machinery
import sys

from ._namespace import Namespace
from ._notes import UnsupportedModule, unsupported_module

ROOTS = ("tensorflow", "keras", "tf_keras")
_state = {"finder": None, "trees": {}}


def _tree(root):
    trees = _state["trees"]
    if root not in trees:
        from . import keras_tree, tf_tree
        if "keras" not in trees:
            trees["keras"] = keras_tree.build("keras")
        if root == "tensorflow":
            trees["tensorflow"] = tf_tree.build(trees["keras"])
        elif root == "tf_keras":
            trees["tf_keras"] = trees["keras"]
    return trees[root]


def _resolve(fullname):
    parts = fullname.split(".")
    node = _tree(parts[0])
    for i, part in enumerate(parts[1:], 1):
        if part == "keras" and parts[i - 1] == "python":
            node = _tree("keras")
            continue
        try:
            node = getattr(node, part)
        except UnsupportedModule:
            raise
        except NotImplementedError as e:  # a name the table refuses, imported as a module: the same message
            raise UnsupportedModule(str(e), name=fullname) from None
        except AttributeError:
            raise unsupported_module(fullname) from None
        if not isinstance(node, Namespace):
            if isinstance(node, type(sys)):  # a dendrite module offered as is (dendrite.data as tf.data)
                return node
            raise ModuleNotFoundError(f"`{'.'.join(parts[:i + 1])}` is not a module (it is a "
                                      f"{type(node).__name__}); import it with `from {'.'.join(parts[:i])} import "
                                      f"{part}`.", name=fullname)
    return node


class _Loader(importlib.abc.Loader):
    def __init__(self, module):
        self.module = module

    def create_module(self, spec):
        return self.module

    def exec_module(self, module):
        pass


class _Finder(importlib.abc.MetaPathFinder):
    def find_spec(self, fullname, path=None, target=None):
        if fullname.split(".")[0] not in ROOTS:
            return None
        module = _resolve(fullname)
        return importlib.machinery.ModuleSpec(fullname, _Loader(module), is_package=True)


def _real(root):
    module = sys.modules.get(root)
    if module is None or isinstance(module, Namespace):
        return None
    return module


def install():
    """Make ``tensorflow``, ``keras`` and ``tf_keras`` importable as dendrite's compatibility namespaces."""
    if _state["finder"] is not None:
        return
    for root in ROOTS:
        real = _real(root)
        if real is not None:
            where = getattr(real, "__file__", None) or "an unknown location"
            raise RuntimeError(
                f"dendrite.compat.install(): a real `{root}` is already imported in this process (from {where}), "
                f"so dendrite cannot stand in for it. Install the hooks before anything imports {root}, or run the "
                "program with `dendrite run program.py` in a fresh process.")
    from . import _patches
    _patches.apply()
    _state["finder"] = _Finder()
    sys.meta_path.insert(0, _state["finder"])


def uninstall():
    """Remove the hook, the modules it served and the patches (for tests)."""
    finder = _state["finder"]
    if finder is None:
        return
    if finder in sys.meta_path:
        sys.meta_path.remove(finder)
    for name in [n for n in sys.modules if n.split(".")[0] in ROOTS]:
        if isinstance(sys.modules[name], Namespace) or name.split(".")[0] in ROOTS:
            del sys.modules[name]
    from . import _patches
    _patches.undo()
    _state["finder"] = None
    _state["trees"].clear()


def installed():
    return _state["finder"] is not None
