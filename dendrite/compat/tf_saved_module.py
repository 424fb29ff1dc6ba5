"""``tf.saved_model.save(module, dir)`` / ``tf.saved_model.load(dir)`` for a ``tf.Module`` (not a Keras model):
the module's variables and the structure of its attributes, saved so that the same program (or one defining the
same class) gets back an object whose ``tf.function`` methods run again.

The directory holds ``dendrite_module.json`` (the class as ``module:qualname`` and its registered Keras name,
the attribute tree: variables by index, sub-modules, tf.random.Generators (their state), lists, dicts, plain
numbers and strings; the ``tf.function`` methods; the signatures) and ``variables/variables`` (dendrite's
checkpoint, which ``tf.train.load_checkpoint`` reads; names as TensorFlow's: ``w/.ATTRIBUTES/VARIABLE_VALUE``,
a generator's ``g/_state_var/.ATTRIBUTES/VARIABLE_VALUE``). Nothing in the file is executed or imported: at
load the class is looked up among the classes the program has already defined or imported (and among
Keras-registered ones). Found, the object is an instance of it (made without
calling ``__init__``) holding the restored attributes, so its methods run as written. Not found, it is a
``RestoredModule`` with the variables and attributes whose saved methods raise naming the class.
"""
import ast
import inspect
import json
import os
import sys
import textwrap

import numpy as np

from ..autodiff import Tensor, Variable
from ..saving.checkpoint import save_checkpoint
from ..saving.object_checkpoint import _Weights
from ._notes import unsupported
from .tf_module import Module
from .tf_random_generator import Generator
from .tf_runtime import ConcreteFunction, Function
from .tf_train_checkpoint import CheckpointReader

MARKER = "dendrite_module.json"
_FORMAT = "dendrite-module"
_VARIABLES = os.path.join("variables", "variables")
_MAX_MARKER_BYTES = 2 ** 22


def is_module_dir(export_dir):
    return os.path.isfile(os.path.join(os.fspath(export_dir), MARKER))


def _class_entry(obj):
    from ..saving import object_registration as registry
    cls = type(obj)
    name = registry.get_registered_name(cls)
    return {"module": cls.__module__, "qualname": cls.__qualname__,
            "registered": name if name != cls.__name__ else None}


def _describe(value, path, variables, who):
    """The JSON tree of an attribute value; Variables are appended to ``variables`` as (path, variable)."""
    if isinstance(value, Variable):
        variables.append((path, value))
        return {"variable": len(variables) - 1, "trainable": bool(value.trainable), "name": value.name}
    if isinstance(value, Module):
        attrs = {k: _describe(v, f"{path}/{k}" if path else k, variables, who) for k, v in sorted(vars(value).items())
                 if not k.startswith("_") and _kept(v)}
        return {"module": dict(_class_entry(value), name=value.name, attributes=attrs,
                               functions=_functions(type(value)))}
    if isinstance(value, (list, tuple)):
        return {"list" if isinstance(value, list) else "tuple":
                [_describe(v, f"{path}/{i}", variables, who) for i, v in enumerate(value) if _kept(v)]}
    if isinstance(value, dict) and all(isinstance(k, str) for k in value):
        return {"dict": {k: _describe(v, f"{path}/{k}", variables, who) for k, v in value.items() if _kept(v)}}
    if value is None or isinstance(value, (bool, int, float, str)):
        return {"value": value}
    if isinstance(value, Tensor):
        return {"constant": np.asarray(value.value).tolist(), "dtype": value.dtype.name}
    if isinstance(value, Generator):  # its state Variable, under TensorFlow's name for it
        variables.append((f"{path}/_state_var", value.state))
        return {"generator": len(variables) - 1, "algorithm": value.algorithm}
    raise unsupported(f"tf.saved_model.save of a tf.Module holding a {type(value).__name__} (at `{path}`)",
                      "dendrite saves a Module's Variables, sub-Modules, tf.random.Generators, lists and dicts of "
                      "them, constants and plain numbers and strings. Save a Keras model with "
                      f"model.save('model.keras'), or keep the {type(value).__name__} out of the module's "
                      "attributes.")


def _kept(value):
    """Whether an attribute is saved (functions and bound methods, like TensorFlow's untracked state, are not)."""
    return not callable(value) or isinstance(value, Module)


def _functions(cls):
    return sorted(n for klass in cls.__mro__ for n, v in vars(klass).items() if isinstance(v, Function))


def _returns_a_value(fn):
    """Whether ``fn``'s source returns something (read, not run: TensorFlow traces the function for this, and a
    call here could change the module's state); True when the source cannot be read."""
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(fn)))
    except (OSError, TypeError, SyntaxError):
        return True
    body = tree.body[0] if tree.body and isinstance(tree.body[0], (ast.FunctionDef, ast.AsyncFunctionDef)) else tree
    nested = {id(n) for node in ast.walk(body) if node is not body and isinstance(
        node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)) for n in ast.walk(node)}
    return any(isinstance(n, ast.Return) and n.value is not None and id(n) not in nested for n in ast.walk(body))


def _signatures(obj, signatures):
    """{signature key: method name} from save's ``signatures`` (or the one method with an input_signature)."""
    if signatures is None:
        with_signature = [n for n in _functions(type(obj)) if getattr(type(obj), n).input_signature is not None]
        # as TensorFlow: the one such method becomes serving_default only if it has outputs
        return {"serving_default": with_signature[0]} if len(with_signature) == 1 and _returns_a_value(
            getattr(type(obj), with_signature[0]).python_function) else {}
    items = signatures.items() if isinstance(signatures, dict) else [("serving_default", signatures)]
    out = {}
    for key, fn in items:
        fn = fn._function if isinstance(fn, ConcreteFunction) else fn
        name = getattr(getattr(fn, "python_function", None), "__name__", None)
        if not isinstance(fn, Function) or getattr(fn, "_instance", None) is not obj or name not in _functions(
                type(obj)):
            raise ValueError(f"tf.saved_model.save: signature {key!r} must be one of the module's own tf.function "
                             f"methods (module.f or module.f.get_concrete_function(...)); received {fn!r}.")
        out[key] = name
    return out


def _signature_specs(signatures):
    """{signature key: the TensorSpecs a concrete function was made for} from save's ``signatures``."""
    items = signatures.items() if isinstance(signatures, dict) else [("serving_default", signatures)]
    return {key: list(fn.structured_input_signature[0]) for key, fn in items if isinstance(fn, ConcreteFunction)}


def _outputs_of(out):
    """A method's result as TensorFlow names a signature's outputs: a dict as it is, else output_0, ..."""
    if isinstance(out, dict):
        return {k: np.asarray(getattr(v, "value", v)) for k, v in out.items()}
    outs = list(out) if isinstance(out, (list, tuple)) else [out]
    return {f"output_{i}": np.asarray(getattr(v, "value", v)) for i, v in enumerate(outs)}


def _probe_outputs(module, name, specs, variables):
    """{output name: {'shape', 'dtype'}} of a signature, found by calling the method twice on zeros (unknown
    dimensions 1 then 2, an unknown rank () then (2,)): a dimension that follows them is unknown, as in the
    TensorSpecs TensorFlow traces. The saved variables (generators' states too) are put back after each call.
    None when the specs are not all TensorSpecs or the call fails."""
    from .tf_runtime import TensorSpec
    if not specs or not all(isinstance(s, TensorSpec) for s in specs):
        return None
    saved = [(v, np.array(v.value, copy=True)) for v in variables]
    runs = []
    for fill in (1, 2):
        args = [Tensor(np.zeros(((fill,) * (fill - 1)) if s.shape.rank is None else
                                tuple(fill if d is None else d for d in s.shape), dtype=np.dtype(s.dtype)))
                for s in specs]
        try:
            runs.append(_outputs_of(getattr(module, name)(*args)))
        except Exception:  # noqa: BLE001 - a signature that cannot run on zeros simply has no recorded outputs
            return None
        finally:
            for v, value in saved:
                v.assign(value)
    first, second = runs
    if set(first) != set(second):
        return None
    return {k: {"shape": None if first[k].ndim != second[k].ndim else [
                a if a == b else None for a, b in zip(first[k].shape, second[k].shape)],
                "dtype": first[k].dtype.name} for k in first}


def save(module, export_dir, signatures=None):
    export_dir = os.fspath(export_dir)
    variables = []
    tree = _describe(module, "", variables, "tf.saved_model.save")
    os.makedirs(os.path.join(export_dir, "variables"), exist_ok=True)
    save_checkpoint(_Weights(variables), os.path.join(export_dir, _VARIABLES))
    named = _signatures(module, signatures)
    given = _signature_specs(signatures) if signatures is not None else {}
    outputs = {}
    for key, name in named.items():
        specs = given.get(key) or getattr(getattr(type(module), name), "input_signature", None)
        probed = _probe_outputs(module, name, list(specs or []), [v for _, v in variables])
        if probed is not None:
            outputs[key] = probed
    with open(os.path.join(export_dir, MARKER), "w", encoding="utf-8") as f:
        json.dump({"format": _FORMAT, "version": 1, "root": tree, "signatures": named,
                   "signature_outputs": outputs}, f, indent=1)


def _find_class(entry):
    """The class the entry names among those already loaded (sys.modules, Keras's registry); None if absent."""
    from ..saving import object_registration as registry
    if entry.get("registered"):
        found = registry.get_registered_object(entry["registered"])
        if isinstance(found, type):
            return found
    owner = sys.modules.get(entry.get("module"))
    found = owner
    for part in str(entry.get("qualname", "")).split("."):
        found = getattr(found, part, None) if part != "<locals>" else None
    return found if isinstance(found, type) and issubclass(found, Module) else None


class RestoredModule(Module):
    """A saved tf.Module whose class this program does not define: its variables and attributes, and its
    saved tf.function methods, which raise naming the class."""

    def __init__(self, entry):
        super().__init__(entry.get("name") or "restored_module")
        object.__setattr__(self, "_entry", entry)

    def __getattr__(self, name):
        entry = self.__dict__.get("_entry", {})
        if name in entry.get("functions", ()):
            raise unsupported(f"`{name}` of the loaded module (class {entry.get('module')}.{entry.get('qualname')})",
                              "dendrite's SavedModel keeps the variables, not a graph of the methods: define or "
                              "import the class (or register it with keras.saving.register_keras_serializable) "
                              "before tf.saved_model.load to call them. `.variables` holds the restored values.")
        raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")

    def __call__(self, *args, **kwargs):
        if "__call__" in self.__dict__.get("_entry", {}).get("functions", ()):
            return self.__getattr__("__call__")
        raise TypeError(f"The loaded module (class {self._entry.get('module')}.{self._entry.get('qualname')}) "
                        "saved no tf.function __call__; it is not callable.")


def _rebuild(node, values, who):
    if "variable" in node:
        v = values[node["variable"]]
        return Variable(v, trainable=node.get("trainable", True), name=node.get("name"), dtype=v.dtype)
    if "module" in node:
        entry = node["module"]
        cls = _find_class(entry)
        if cls is None:
            obj = RestoredModule(entry)
        else:
            obj = cls.__new__(cls)
            Module.__init__(obj, entry.get("name"))
        for key, child in entry.get("attributes", {}).items():
            object.__setattr__(obj, key, _rebuild(child, values, who))
        return obj
    if "list" in node or "tuple" in node:
        items = [_rebuild(c, values, who) for c in node.get("list", node.get("tuple"))]
        return items if "list" in node else tuple(items)
    if "dict" in node:
        return {k: _rebuild(c, values, who) for k, c in node["dict"].items()}
    if "generator" in node:
        return Generator.from_state(values[node["generator"]], node.get("algorithm"))
    if "constant" in node:
        return Tensor(np.asarray(node["constant"], dtype=node.get("dtype")))
    if "value" in node:
        return node["value"]
    raise ValueError(f"{who}: {MARKER} holds an entry it cannot read ({sorted(node)}); it was not written by "
                     "dendrite's tf.saved_model.save.")


class _Signature:
    """``loaded.signatures[key]``: the method called with keyword (or positional) tensors, giving a dict of
    outputs (``output_0``, ... unless the method returns a dict), as TensorFlow's concrete functions."""

    def __init__(self, obj, name, outputs=None):
        self._obj, self._name, self._outputs = obj, name, outputs

    def __call__(self, *args, **kwargs):
        out = getattr(self._obj, self._name)(*args, **kwargs)
        if isinstance(out, dict):
            return out
        outs = list(out) if isinstance(out, (list, tuple)) else [out]
        return {f"output_{i}": o for i, o in enumerate(outs)}

    @property
    def structured_outputs(self):
        """{output name: TensorSpec} (the shapes and dtypes recorded at save; unknown dimensions None)."""
        from .tf_runtime import TensorSpec
        if not isinstance(self._outputs, dict):
            raise ValueError(f"The signature {self._name!r} was saved without a record of its outputs (its "
                             "input signature was not a list of tf.TensorSpec, or it failed on zeros).")
        return {k: TensorSpec(o.get("shape"), np.dtype(o.get("dtype", "float32")), name=k)
                for k, o in self._outputs.items()}


def load(export_dir):
    export_dir = os.fspath(export_dir)
    who = "tf.saved_model.load"
    path = os.path.join(export_dir, MARKER)
    if os.path.getsize(path) > _MAX_MARKER_BYTES:
        raise ValueError(f"{who}: {path} is too large to be dendrite's module description.")
    with open(path, encoding="utf-8") as f:
        try:
            meta = json.load(f)
        except ValueError as e:
            raise ValueError(f"{who}: {path} is not dendrite's module description ({e}).") from None
    if not isinstance(meta, dict) or meta.get("format") != _FORMAT or not isinstance(meta.get("root"), dict):
        raise ValueError(f"{who}: {path} is not dendrite's module description.")
    reader = CheckpointReader(os.path.join(export_dir, _VARIABLES))
    keys = {i: k for k, (i, _) in reader._entries.items()}
    values = {i: reader.get_tensor(keys[i]) for i in keys}
    obj = _rebuild(meta["root"], values, who)
    outputs = meta.get("signature_outputs") if isinstance(meta.get("signature_outputs"), dict) else {}
    object.__setattr__(obj, "signatures", {k: _Signature(obj, n, outputs.get(k))
                                           for k, n in meta.get("signatures", {}).items()})
    return obj
