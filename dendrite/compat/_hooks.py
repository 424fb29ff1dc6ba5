"""The import hook: a meta-path finder that serves ``tensorflow``, ``keras``, ``tf_keras``,
``keras_preprocessing`` (Keras 2's standalone package, as ``keras.preprocessing``) and every module path under
them (``tensorflow.keras.layers``, ``keras.layers.core``, ``tensorflow.python.keras.losses``, ...) from the
compatibility namespaces, built on first import. ``install()`` is idempotent and refuses while a
real TensorFlow or Keras is imported; ``uninstall()`` removes the hook, the served modules and the patches."""
import importlib.abc
import importlib.machinery
import sys

from ._namespace import Namespace
from ._notes import UnsupportedModule, unsupported_module

ROOTS = ("tensorflow", "keras", "tf_keras", "keras_preprocessing")
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
        elif root == "keras_preprocessing":  # Keras 2's standalone package: keras.preprocessing's image, text, ...
            trees["keras_preprocessing"] = trees["keras"].preprocessing
    return trees[root]


def _resolve(fullname):
    parts = fullname.split(".")
    node = _tree(parts[0])
    for i, part in enumerate(parts[1:], 1):
        if part == "keras" and parts[i - 1] == "python":
            node = _tree("keras")
            continue
        if part == "src" and i == 1 and parts[0] != "tensorflow":
            continue  # keras.src.layers, tf_keras.src.engine: the internal paths of Keras 3 and tf_keras 2.13+
        files = getattr(node, "_module_files", False) and part.islower() and part.isidentifier()
        try:
            child = getattr(node, part)
        except UnsupportedModule:
            raise
        except (NotImplementedError, AttributeError) as e:
            if files:
                continue  # a module file of its package (keras.layers.core.dense): the package's names
            if isinstance(e, AttributeError):
                raise unsupported_module(fullname) from None
            raise UnsupportedModule(str(e), name=fullname) from None  # a refused name imported as a module
        if files and not isinstance(child, type(sys)):
            continue  # keras.optimizers.adam as a module (Keras 2's lower-case alias is a class)
        node = child
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
        self.spec_before = getattr(self.module, "__spec__", None)
        return self.module

    def exec_module(self, module):
        if self.spec_before is not None:  # a namespace served under a second name (keras.src, tf.python.keras)
            module.__spec__ = self.spec_before  # keeps the spec of its own name


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
    """Make ``tensorflow``, ``keras``, ``tf_keras`` and ``keras_preprocessing`` importable as dendrite's
    compatibility namespaces."""
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
    from . import _patches, tf_graph
    _patches.undo()
    tf_graph.set_enabled(False)  # eager again: Keras layers' own __call__
    _state["finder"] = None
    _state["trees"].clear()


def installed():
    return _state["finder"] is not None
