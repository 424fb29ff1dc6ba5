"""Lambda: a Python function as a layer, as keras.layers.Lambda.

``Lambda(function, output_shape=None, mask=None, arguments=None)`` calls ``function(inputs, **arguments)``
(passing ``training`` and ``mask`` too when the function takes arguments of those names), eagerly and inside
models. Without ``output_shape`` the output shape on symbolic inputs is found by running the function on
zeros twice, with every unknown size set to 2 and then to 3 (sizes that change are unknown in the output);
the global random generator is restored afterwards, so this leaves no trace on random draws.

Configs record a function by name only when it is a named function defined at the top level of its module
(``{"module", "class_name": "function", "config": name}``, Keras's form); anything else (a lambda, a nested
function, a callable object) is written as ``{"class_name": "__lambda__", "config": {"name", "module"}}``,
which describes it but holds no code. Loading never executes code: ``from_config`` finds a named function in
``custom_objects``, in its module if that module is already imported, or among dendrite's activations by
name, and refuses a lambda (dendrite's entry, or the bytecode that Keras writes), saying why.
"""
import inspect
import sys

import numpy as np

from .. import activations, backend
from ..autodiff import Tensor
from .base import Layer
from .node import flatten


def _is_named(fn):
    """Whether ``fn`` is a named function defined at the top level of its (imported) module."""
    name, module = getattr(fn, "__name__", None), getattr(fn, "__module__", None)
    return (isinstance(name, str) and name != "<lambda>" and getattr(fn, "__qualname__", name) == name
            and module in sys.modules and getattr(sys.modules[module], name, None) is fn)


def _function_config(fn):
    if _is_named(fn):
        return {"module": fn.__module__, "class_name": "function", "config": fn.__name__,
                "registered_name": "function"}
    name = getattr(fn, "__qualname__", None) or getattr(fn, "__name__", None) or type(fn).__name__
    return {"class_name": "__lambda__", "config": {"name": name, "module": getattr(fn, "__module__", None)}}


def _refuse_code(owner, what):
    return ValueError(
        f"{owner}.from_config: the layer's `{what}` is a Python lambda, a nested function or another callable "
        "that a config cannot name, and dendrite never executes code when loading (Keras writes such a "
        "function as bytecode; running it could run anything). Rebuild the layer in code, e.g. "
        f"Lambda(your_function), or make `{what}` a named function defined at the top level of a module: "
        "configs record those by name.")


def _function_from_config(entry, owner, what, custom_objects):
    """The callable a config entry names (see the module's docstring)."""
    if callable(entry):
        return entry
    if isinstance(entry, dict) and entry.get("class_name") == "__lambda__":
        raise _refuse_code(owner, what)
    if isinstance(entry, dict) and entry.get("class_name") == "function":
        name, module = entry.get("config"), entry.get("module")
    elif isinstance(entry, str):
        name, module = entry, None
    else:
        raise ValueError(f"{owner}.from_config: `{what}` must be a function entry as Lambda.get_config writes it "
                         f"({{'class_name': 'function', 'config': name, 'module': ...}}); received {entry!r}.")
    if custom_objects and name in custom_objects:
        return custom_objects[name]
    found = getattr(sys.modules[module], name, None) if module in sys.modules else None
    if found is None and module in (None, "builtins"):  # Keras writes module 'builtins' for every function
        try:
            found = activations.get(name)
        except ValueError:
            found = None
    if not callable(found):
        raise ValueError(f"{owner}.from_config: cannot find the function {name!r} (module {module!r}) of "
                         f"`{what}`. Import the module that defines it before loading, or pass "
                         f"custom_objects={{{name!r}: {name}}}. (Nothing is imported or run while loading.)")
    return found


def _tensors(out):
    """What the function returned, with arrays (say, from a NumPy function) made Tensors; lists stay lists."""
    if isinstance(out, (list, tuple)):
        return [_tensors(item) for item in out]
    return out if isinstance(out, Tensor) else Tensor(np.asarray(out))


def _parameters(fn):
    try:
        return set(inspect.signature(fn).parameters)
    except (TypeError, ValueError):  # some builtins and NumPy ufuncs have no signature
        return set()


class Lambda(Layer):
    """``function(inputs, **arguments)`` as a layer."""

    _several_inputs = True  # a list of tensors reaches the function as a list
    supports_masking = False  # True for an instance given `mask`, as Keras sets it

    def __init__(self, function, output_shape=None, mask=None, arguments=None, **kwargs):
        super().__init__(**kwargs)
        if not callable(function):
            raise TypeError(f"{self.who}: `function` must be callable (a function of the input tensor); "
                            f"received {function!r} of type {type(function).__name__}.")
        if arguments is not None and not isinstance(arguments, dict):
            raise TypeError(f"{self.who}: `arguments` must be a dict of keyword arguments for the function, or "
                            f"None; received {arguments!r}.")
        if output_shape is not None and not callable(output_shape):
            output_shape = self._shape_argument(output_shape)
        self.function, self.arguments, self.mask = function, dict(arguments or {}), mask
        self.output_shape_arg = output_shape
        self.supports_masking = mask is not None
        params = _parameters(function)
        self._takes_training, self._takes_mask = "training" in params, "mask" in params
        self._inferred = {}

    def _shape_argument(self, value):
        """A tuple (one output, without the batch axis) or a list of tuples (several outputs)."""
        def one(shape):
            if isinstance(shape, (list, tuple)) and all(d is None or isinstance(d, (int, np.integer))
                                                        for d in shape):
                return tuple(None if d is None else int(d) for d in shape)
            return None
        single = one(value)
        if single is not None:
            return single
        several = [one(s) for s in value] if isinstance(value, (list, tuple)) else [None]
        if not several or any(s is None for s in several):
            raise ValueError(f"{self.who}: `output_shape` must be a tuple (the output shape without the batch "
                             "axis), a list of such tuples (one per output), or a function of the input shape; "
                             f"received output_shape={value!r}.")
        return several

    def call(self, inputs, training=None, mask=None):
        kwargs = dict(self.arguments)
        if self._takes_training:
            kwargs["training"] = training
        if self._takes_mask:
            kwargs["mask"] = mask
        return _tensors(self.function(inputs, **kwargs))

    def compute_output_shape(self, input_shape):
        given = self.output_shape_arg
        if callable(given):
            return given(input_shape)
        batch = flatten(input_shape)[0] if input_shape else None
        if isinstance(given, tuple):
            return (batch,) + given
        if isinstance(given, list):
            return [(batch,) + shape for shape in given]
        key = repr(input_shape)
        if key not in self._inferred:
            self._inferred[key] = self._infer_shape(input_shape)
        return self._inferred[key]

    def _infer_shape(self, input_shape):
        """The output shape(s), found by running the function on zeros (see the module's docstring)."""
        def zeros(shape, fill):
            return Tensor(np.zeros(tuple(fill if d is None else d for d in shape), backend.floatx()))

        def is_shape(s):
            return isinstance(s, tuple) and all(d is None or isinstance(d, (int, np.integer)) for d in s)

        rng = backend.rng()
        state = rng.bit_generator.state
        runs = []
        try:
            for fill in (2, 3):
                dummy = zeros(input_shape, fill) if is_shape(tuple(input_shape)) else \
                    [zeros(s, fill) for s in input_shape]
                with np.errstate(all="ignore"):
                    runs.append(self.call(dummy, training=False))
        except Exception as e:
            raise ValueError(f"{self.who}: could not infer the output shape of the function by running it on "
                             f"zeros of the input shape {input_shape} ({type(e).__name__}: {e}). Pass "
                             "`output_shape` to the Lambda layer.") from e
        finally:
            rng.bit_generator.state = state

        def merged(a, b):
            return tuple(x if x == y else None for x, y in zip(a.shape, b.shape))
        if isinstance(runs[0], list):
            return [merged(a, b) for a, b in zip(runs[0], runs[1])]
        return merged(runs[0], runs[1])

    def compute_mask(self, inputs, mask=None):
        """``mask(inputs, mask)`` when the layer was given a callable mask, the given mask itself otherwise."""
        return self.mask(inputs, mask) if callable(self.mask) else self.mask

    def get_config(self):
        config = {**super().get_config(), "function": _function_config(self.function)}
        if self.output_shape_arg is not None:
            given = self.output_shape_arg
            config["output_shape"] = _function_config(given) if callable(given) else given
        if self.mask is not None:
            config["mask"] = _function_config(self.mask) if callable(self.mask) else np.asarray(self.mask).tolist()
        config["arguments"] = dict(self.arguments)
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = dict(config)
        owner = f"Lambda '{config.get('name', 'lambda')}'"
        # tf.keras 2 wrote function_type / module (and output_shape_type / output_shape_module) beside the names
        function_type, module = config.pop("function_type", None), config.pop("module", None)
        shape_type, shape_module = config.pop("output_shape_type", None), config.pop("output_shape_module", None)
        if function_type == "lambda":
            raise _refuse_code(owner, "function")
        function = config.get("function")
        if function_type == "function" and isinstance(function, str):
            function = {"class_name": "function", "config": function, "module": module}
        config["function"] = _function_from_config(function, owner, "function", custom_objects)
        shape = config.get("output_shape")
        if shape_type == "lambda":
            raise _refuse_code(owner, "output_shape")
        if shape_type == "function" and isinstance(shape, str):
            shape = {"class_name": "function", "config": shape, "module": shape_module}
        if isinstance(shape, (dict, str)):
            config["output_shape"] = _function_from_config(shape, owner, "output_shape", custom_objects)
        if isinstance(config.get("mask"), dict):
            config["mask"] = _function_from_config(config["mask"], owner, "mask", custom_objects)
        return cls(**config)
