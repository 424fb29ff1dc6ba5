"""The Layer contract: __init__ validates and stores config, build(input_shape)
creates weights with add_weight, call(inputs, training) is the forward pass
written with autodiff ops, compute_output_shape gives shapes without data, and
get_config returns the constructor arguments."""
import contextlib
import functools
import inspect
import threading
import warnings

import numpy as np

from . import call_binding, shape_tracing, weight_making
from .node import KerasTensor, Node, flatten, is_symbolic, shapes_of
from .layer_introspection import LayerIntrospection
from .layer_metrics import LayerMetrics
from .layer_losses import LayerLosses
from .. import backend, constraints, initializers, regularizers
from ..autodiff import Tensor, Variable, array_of, ops
from ..utils.naming import to_snake_case
from ..utils.validation import numeric_array

_name_counts = {}


def unique_name(base):
    """Keras-style automatic names: 'dense', 'dense_1', 'dense_2', ..."""
    n = _name_counts.get(base, 0)
    _name_counts[base] = n + 1
    return base if n == 0 else f"{base}_{n}"


def reset_names():
    _name_counts.clear()


_FLOATS = {name: np.dtype(name) for name in ("float16", "float32", "float64")}
_FLOAT32 = _FLOATS["float32"]
_AUTOCAST = [True]  # off inside no_autocast()


@contextlib.contextmanager
def no_autocast():
    """Layers keep floating Tensors in their own precision: dendrite.testing.check_grads runs layers built in
    float32 on float64 values and weights, which autocast would round back to float32."""
    _AUTOCAST[0] = False
    try:
        yield
    finally:
        _AUTOCAST[0] = True


def _dtype_name(dtype, who):
    """A layer's ``dtype`` argument as a NumPy dtype name: None gives backend.floatx(); a dtype, its name, or the
    DTypePolicy config that Keras 3 writes ({'class_name': 'DTypePolicy', 'config': {'name': 'float32'}})."""
    if isinstance(dtype, dict):
        if dtype.get("class_name") not in ("DTypePolicy", "FloatDTypePolicy"):
            raise ValueError(f"{who}: a `dtype` given as a dict must be a Keras DTypePolicy config, "
                             f"{{'class_name': 'DTypePolicy', 'config': {{'name': 'float32'}}}}; received "
                             f"dtype={dtype!r}. Quantized and per-layer policies are not supported.")
        dtype = (dtype.get("config") or {}).get("name")
    if dtype is None:
        return backend.floatx()
    if dtype == "string":
        return dtype  # Keras's name for text inputs: Input(shape=(1,), dtype='string') feeds TextVectorization
    if isinstance(dtype, str) and dtype.startswith("mixed_"):
        raise ValueError(f"{who}: mixed precision (dtype={dtype!r}) is not supported; dendrite computes each layer "
                         f"in one dtype. Use dtype='float32' (the default) or 'float64'.")
    try:
        return np.dtype(dtype).name
    except (TypeError, ValueError):
        raise ValueError(f"{who}: `dtype` must be a dtype or its name, such as 'float32'; received "
                         f"dtype={dtype!r}.") from None


def _shape_record(shape):
    """A build shape as kept: a tuple, or a list (dict) of tuples for a layer built on several inputs."""
    if isinstance(shape, dict):
        return {k: _shape_record(v) for k, v in shape.items()}
    if isinstance(shape, list) and not all(s is None or isinstance(s, int) for s in shape):
        return [tuple(s) for s in shape]
    return tuple(shape)  # (a list of sizes, build(input_shape=[None, 784]), is one shape, as TensorFlow reads it)


def _several_arrays(inputs):
    """Whether ``inputs`` is a list or tuple of several arrays / tensors (not nested lists of numbers)."""
    return isinstance(inputs, (list, tuple)) and len(inputs) > 1 and all(hasattr(x, "shape") for x in inputs)


def _unbatched(shape):
    """``shape`` (or each shape of a list) with its batch size shown as None, as input_shape reports it."""
    if isinstance(shape, list):
        return [_unbatched(s) for s in shape]
    return (None,) + tuple(shape[1:])


def _unique(variables):
    """``variables`` with repeats removed, first place kept (a layer reachable twice has its weights once)."""
    if len(variables) < 2:
        return variables
    seen, out = set(), []
    for v in variables:
        if id(v) not in seen:
            seen.add(id(v))
            out.append(v)
    return out


_CALL_ARGS = {}


def _call_args(cls):
    """(takes ``mask``, takes ``training``) for ``cls.call``, a ``**kwargs`` taking both (looked up once per
    class): a custom layer may write ``def call(self, x)`` with neither, as in Keras."""
    found = _CALL_ARGS.get(cls)
    if found is None:
        params = inspect.signature(cls.call).parameters
        var = any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values())
        found = _CALL_ARGS[cls] = ("mask" in params or var, "training" in params or var)
    return found


def _takes_mask(cls):
    return _call_args(cls)[0]


class _CallContext(threading.local):
    """The ``training`` value of the layer call in progress on this thread: a sublayer called without one
    takes it, as Keras 3 passes training down to the layers a subclassed model or layer calls."""

    def __init__(self):
        self.training = None
        self.active = False  # whether a layer call is in progress (the outermost call starts a forward pass)


_CONTEXT = _CallContext()


def _symbolic_outputs(shapes, name):
    """KerasTensors for what compute_output_shape gave: a tuple is one tensor's shape, a list holds several
    (and may nest, as the states of stacked recurrent cells do)."""
    if isinstance(shapes, list):
        return [_symbolic_outputs(shape, f"{name}_{i}") for i, shape in enumerate(shapes)]
    return KerasTensor(shapes, name=name)


def to_tensor(x, dtype=None, who="A layer"):
    """Turn user data (arrays, lists, DataFrames, tensors) into a Tensor of ``dtype`` (floatx by default); text
    and ragged nested lists are refused naming the layer ``who``."""
    if isinstance(x, Tensor):
        return x
    dtype = dtype or backend.floatx()
    arr = numeric_array(x, who, "inputs", backend.get_array_module(x).asarray)
    if arr.dtype != dtype:
        arr = arr.astype(dtype)
    return Tensor(arr)


class Layer(LayerLosses, LayerMetrics, LayerIntrospection):
    """Base class of all layers."""

    _autocast = True  # integer data becomes the layer's float dtype (False: it stays integer, see _as_tensor)
    _several_inputs = False  # True for layers called on a list of tensors (merge layers, multi-input models)
    _structured_inputs = False  # True for subclassed models: call() gets a dict / list of arrays as such
    _text_inputs = False  # True for layers that read strings (TextVectorization, StringLookup, Hashing)
    #: whether the layer's output carries a mask (compute_mask's) when its input has one, as in Keras 3; a layer
    #: that does not support masking drops the mask, with a warning
    supports_masking = False
    _masks_from_inside = False  # a model: its output's mask is whatever its own layers left on it

    def __init_subclass__(cls, **kwargs):
        # Kept on purpose (docs/style-notes.md): a layer's build may be reached three ways (the first call, a
        # model's build, or the user's own `layer.build((None, 3))`), and a subclass's build need not call
        # super().build; wrapping each class's own build once records the shape and sets `built` on every
        # path, as Keras 3 does by wrapping build in Layer.__new__.
        super().__init_subclass__(**kwargs)
        original = cls.__dict__.get("build")
        if original is None or getattr(original, "_marks_built", False):
            return

        @functools.wraps(original)
        def build(self, input_shape=None):
            if input_shape is not None and self._build_shape is None:
                self._build_shape = _shape_record(input_shape)
            original(self, input_shape)
            self.built = True
            self._set_initial_weights()

        build._marks_built = True
        cls.build = build

    def __setattr__(self, name, value):
        # A layer assigned to an attribute (alone, or in a list, tuple or dict) is a sublayer: its weights
        # become this layer's; a Variable assigned to one is a weight of this layer (how subclassed models and
        # custom layers hold their parts, as in Keras).
        if not name.startswith("_") and value is not self:
            if isinstance(value, Layer):
                self._track_layer(value, name)
            elif isinstance(value, Variable):
                weights = self.__dict__.get("_weights")
                if weights is not None and not any(w is value for w in weights):
                    weights.append(value)
            elif isinstance(value, (list, tuple, dict)):
                containers = self.__dict__.get("_containers")
                if containers is None:
                    containers = self.__dict__["_containers"] = []
                if name not in containers:
                    containers.append(name)  # looked into again when the weights are read (_sublayers)
                for item in (value.values() if isinstance(value, dict) else value):
                    if isinstance(item, Layer) and item is not self:
                        self._track_layer(item, name)
        object.__setattr__(self, name, value)

    def _sublayers(self):
        """The sublayers, in the order met: those tracked when assigned, and any added since to a list, tuple
        or dict attribute (``self.blocks = []`` then ``self.blocks.append(Dense(4))``, as Keras tracks them)."""
        layers = self.__dict__.get("_layers")
        if layers is None:
            return []
        for key in self.__dict__.get("_containers", ()):  # only the attributes that hold lists and dicts
            value = self.__dict__.get(key)
            if isinstance(value, (list, tuple, dict)):
                for item in (value.values() if isinstance(value, dict) else value):
                    if isinstance(item, Layer) and item is not self and not any(item is known for known in layers):
                        layers.append(item)
        return layers

    def _track_layer(self, layer, name):
        layers = self.__dict__.get("_layers")
        if layers is None:
            raise RuntimeError(
                f"{type(self).__name__}: call super().__init__() in __init__ before assigning sublayers "
                f"(here `self.{name}`)."
            )
        if not any(existing is layer for existing in layers):
            layers.append(layer)

    def __init__(self, trainable=True, name=None, dtype=None, input_shape=None, input_dim=None,
                 batch_input_shape=None, batch_size=None, activity_regularizer=None, weights=None, dynamic=False,
                 **kwargs):
        # (tf.keras 2's `weights=`: the layer's first weights, set when it is built; `dynamic`: dendrite always
        # runs eagerly, as such a layer asks)
        if kwargs:
            raise TypeError(
                f"{type(self).__name__}: unrecognized keyword argument(s) {sorted(kwargs)}. "
                "Check the spelling against the layer's documented arguments."
            )
        self.name = name or unique_name(to_snake_case(type(self).__name__))
        if weights is not None:
            self._initial_weights = list(weights)
        self._trainable = bool(trainable)
        self.dtype = _dtype_name(dtype, self.who)
        self.built = False
        self._weights = []
        self._layers = []
        self.input_spec = None
        self._build_shape = None
        self._output_shape = None
        self._inbound_nodes = []  # the Node of each call on symbolic tensors, in order
        # a penalty on the layer's output (any layer takes one, as in Keras 3), added to the model's loss
        self.activity_regularizer = regularizers.get(activity_regularizer)
        self._activity_losses = []
        self._added_losses = []  # what add_loss gave during the latest forward pass
        self._loss_callables = []  # tf.keras 2's add_loss(zero-argument callable): evaluated at each .losses
        if input_dim is not None and input_shape is None:
            input_shape = (input_dim,)
        if batch_input_shape is not None:
            self._batch_input_shape = tuple(batch_input_shape)
        elif input_shape is not None:
            shape = (input_shape,) if isinstance(input_shape, (int, np.integer)) else tuple(input_shape)
            self._batch_input_shape = (batch_size,) + shape
        else:
            self._batch_input_shape = None

    # ------------------------------------------------------------- weights
    def add_weight(self, *args, name=None, shape=None, initializer=None, trainable=True, regularizer=None,
                   constraint=None, dtype=None, **kwargs):
        """A new weight of this layer, in either order Keras used (layers/weight_making.py): ``add_weight("kernel",
        (3, 4))`` or Keras 3's ``add_weight((3, 4), ...)`` (name optional, glorot_uniform / zeros by default)."""
        if args:  # by position: Keras 2's order (a name first), dendrite's, or Keras 3's (the shape first)
            given = dict(name=name, shape=shape, initializer=initializer, trainable=trainable,
                         regularizer=regularizer, constraint=constraint, dtype=dtype)
            bound = weight_making.positional_arguments(self, args, kwargs, given)
            name, shape, initializer, trainable, regularizer, constraint, dtype = (
                bound[k] for k in ("name", "shape", "initializer", "trainable", "regularizer", "constraint", "dtype"))
        name, shape, initializer = weight_making.weight_arguments(self, name, shape, initializer, dtype, kwargs)
        return weight_making.make_weight(self, name, shape, initializer, trainable, regularizer, constraint, dtype)

    def add_variable(self, *args, **kwargs):
        """Keras 3's ``add_variable(shape, initializer, dtype, trainable, autocast, regularizer, constraint, name)``:
        ``add_weight`` with the shape and initializer first (Keras 2's ``add_variable(name, shape, ...)``, a name
        first, is read as its ``add_weight``)."""
        if args and isinstance(args[0], str):
            return self.add_weight(*args, **kwargs)
        kwargs.update(zip(("shape", "initializer", "dtype", "trainable", "autocast", "regularizer", "constraint",
                           "name"), args))
        kwargs.pop("autocast", None)
        return self.add_weight(**kwargs)

    # ------------------------------------------------------- weight arguments
    def _weight_args(self, weight, initializer, regularizer=None, constraint=None):
        """A weight's initializer, regularizer and constraint arguments (names, configs or objects) resolved
        onto ``self.<weight>_initializer``, ``<weight>_regularizer`` and ``<weight>_constraint``, as Keras's
        layers keep them."""
        setattr(self, f"{weight}_initializer", initializers.get(initializer))
        setattr(self, f"{weight}_regularizer", regularizers.get(regularizer))
        setattr(self, f"{weight}_constraint", constraints.get(constraint, f"{self.who} {weight}_constraint"))

    def _add_weight_for(self, weight, shape, name=None):
        """The weight built from what _weight_args resolved for ``weight`` (named ``name``, default ``weight``)."""
        return self.add_weight(name or weight, shape, getattr(self, f"{weight}_initializer"),
                               regularizer=getattr(self, f"{weight}_regularizer"),
                               constraint=getattr(self, f"{weight}_constraint"))

    def _weight_config(self, *weights):
        """Those weights' arguments as Keras's configs write them: initializers, regularizers, constraints."""
        return {f"{w}_{kind}": module.serialize(getattr(self, f"{w}_{kind}"))
                for kind, module in (("initializer", initializers), ("regularizer", regularizers),
                                     ("constraint", constraints)) for w in weights}

    @property
    def who(self):
        """How error messages name this layer: its class and name, e.g. "Conv2D 'conv2d_1'"."""
        return f"{type(self).__name__} '{self.name}'"

    @property
    def trainable(self):
        return self._trainable

    @trainable.setter
    def trainable(self, value):
        self._trainable = bool(value)
        for layer in self._sublayers():
            layer.trainable = value

    @property
    def weights(self):
        out = list(self._weights)
        for layer in self._sublayers():
            out.extend(layer.weights)
        return _unique(out)

    variables = weights

    @property
    def trainable_weights(self):
        if not self._trainable:
            return []
        out = [w for w in self._weights if w.trainable]
        for layer in self._sublayers():
            out.extend(layer.trainable_weights)
        return _unique(out)

    trainable_variables = trainable_weights

    @property
    def non_trainable_weights(self):
        if not self._trainable:
            return self.weights
        out = [w for w in self._weights if not w.trainable]
        for layer in self._sublayers():
            out.extend(layer.non_trainable_weights)
        return _unique(out)

    non_trainable_variables = non_trainable_weights

    def get_weights(self):
        return [w.value.copy() for w in self.weights]

    def set_weights(self, weights):
        mine = self.weights
        weights = list(weights)
        if len(weights) != len(mine):
            raise ValueError(
                f"Layer '{self.name}' expected {len(mine)} weight arrays, but received {len(weights)}. "
                f"Its weights are {[w.name for w in mine]} with shapes {[w.shape for w in mine]}."
            )
        for var, value in zip(mine, weights):
            value = np.asarray(value)
            if value.shape != var.shape:
                raise ValueError(
                    f"Layer '{self.name}' weight '{var.name}' has shape {var.shape}, but the array given for it "
                    f"has shape {value.shape}. Pass arrays in the order and shapes of layer.get_weights()."
                )
            var.value[...] = value

    def count_params(self):
        if not self.built:
            raise ValueError(
                f"Layer '{self.name}' has no weights yet: call it on data or give it an input shape "
                "(input_shape=... or an Input) before count_params()."
            )
        return int(sum(int(np.prod(w.shape)) for w in self.weights))

    # ----------------------------------------------------------- the call
    def build(self, input_shape):
        self.built = True

    def call(self, inputs, training=None):
        return inputs

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def _maybe_build(self, shape):
        if not self.built:
            if self.input_spec is not None and isinstance(shape, tuple):
                self.input_spec.check(shape, self)
            self._build_shape = _shape_record(shape)
            self.build(_shape_record(shape))
            self._set_initial_weights()

    def _set_initial_weights(self):
        """tf.keras 2's ``weights=[...]`` given to the constructor: set once the layer has built its weights."""
        initial = self.__dict__.pop("_initial_weights", None)
        if initial is not None:
            self.set_weights(initial)

    def _symbolic_call(self, inputs, kwargs):
        """The call on KerasTensors: build from their shapes, make the output tensors from
        compute_output_shape (a tuple: one tensor; a list of shapes: one tensor each), record the Node."""
        shapes = shapes_of(inputs)
        if not self._text_inputs and any(getattr(t, "dtype", None) == "string" for t in flatten(inputs)):
            raise ValueError(f"{self.who} takes numbers, but its input is text (a tensor of dtype 'string', as "
                             "Input(dtype='string') makes). Put a layer that reads text first, such as "
                             "TextVectorization, StringLookup or Hashing, to turn the strings into numbers.")
        try:
            self._maybe_build(shapes)
            if self.input_spec is not None and isinstance(shapes, tuple):
                self.input_spec.check(shapes, self)
            traced = shape_tracing.traced_output_shape(self, inputs, kwargs) \
                if shape_tracing.needs_tracing(self) else None
            out_shapes = self.compute_output_shape(shapes) if traced is None else traced
        except ValueError as e:  # name where the tensors came from too: the mistake may be upstream
            producers = [t.node.layer.name for t in flatten(inputs) if isinstance(t, KerasTensor) and t.node]
            if not producers:
                raise
            raise ValueError(f"{e} (The input{'s' if len(producers) > 1 else ''} of '{self.name}' come"
                             f"{'' if len(producers) > 1 else 's'} from layer{'s' if len(producers) > 1 else ''} "
                             f"{', '.join(repr(p) for p in producers)}.)") from None
        outputs = _symbolic_outputs(out_shapes, self.name)
        Node(self, inputs, outputs, kwargs)
        return outputs

    def __call__(self, inputs, *args, training=None, **kwargs):
        if args:  # layer(x, True), layer(x, mask): bound to call's parameters by position, as tf.keras 2 does
            training = call_binding.bind_positional(self, args, kwargs, training)
        if type(inputs) is not Tensor and is_symbolic(inputs):
            if training is not None:
                kwargs["training"] = training  # fixed by this call, as Keras records it
            return self._symbolic_call(inputs, kwargs)
        if isinstance(inputs, dict) or (self._structured_inputs and not self._several_inputs
                                        and _several_arrays(inputs)):
            # a subclassed model called on a dict (or list) of arrays: call() gets the same structure, of Tensors
            inputs = type(inputs)((k, self._as_tensor(v)) for k, v in inputs.items()) if isinstance(inputs, dict) \
                else [self._as_tensor(x) for x in inputs]
            shape = ({k: tuple(v.shape) for k, v in inputs.items()} if isinstance(inputs, dict)
                     else [tuple(x.shape) for x in inputs])
            mask = None
        elif (self._several_inputs and isinstance(inputs, (list, tuple))) or (
                type(inputs) in (list, tuple) and _several_arrays(inputs)):
            # a list of tensors stays a list (Keras 3 keeps the structure): a user's layer doing `a, b = inputs`
            # gets the tensors themselves, on the tape, not one stacked copy of their values
            inputs = [self._as_tensor(x) for x in inputs]
            shape = [tuple(x.shape) for x in inputs]
            mask = [x._keras_mask for x in inputs]
            if all(m is None for m in mask):
                mask = None
        else:
            if type(inputs) is not Tensor or inputs.value.dtype is not _FLOAT32 or self.dtype != "float32":
                inputs = self._as_tensor(inputs)  # (a float32 Tensor for a float32 layer is taken as it is)
            shape = inputs.shape
            if self.input_spec is not None and self.built:
                self.input_spec.check(shape, self)
            mask = inputs._keras_mask
        if not self.built:
            self._maybe_build(shape)
        context = _CONTEXT
        entered = context.active
        if not entered:
            self._clear_losses()  # a new forward pass: the losses of the one before are gone
        takes_mask, takes_training = _call_args(type(self))
        if mask is not None and kwargs.get("mask") is None and takes_mask:
            kwargs["mask"] = mask  # as Keras: the input's mask goes to a call that takes one
        outer = context.training
        if training is None:
            training = outer  # the enclosing call's (a sublayer of a model being trained trains too)
            if training is None:
                training = call_binding.signature(type(self))[1]  # else call's default (training=False), as Keras 3
        if takes_training:
            kwargs["training"] = training
        context.training, context.active = training, True
        try:
            out = self.call(inputs, **kwargs)
        finally:
            context.training, context.active = outer, entered
        if type(out) is Tensor or isinstance(out, Tensor):
            # what a subclassed model's summary() shows for this layer (a model of nodes knows its shapes)
            self._output_shape = (None,) + out.shape[1:]
            if self.activity_regularizer is not None:
                # as Keras: the penalty of each call of the forward pass, averaged over the batch
                self._activity_losses.append(ops.divide(self.activity_regularizer(out), out.shape[0]))
            if self.supports_masking:
                out_mask = self.compute_mask(inputs, kwargs.get("mask", mask))
                if out_mask is not None or out._keras_mask is not None:
                    # (a layer that returns its input, Dropout in inference, passes that same mask on)
                    out._keras_mask = None if out_mask is None else np.asarray(array_of(out_mask), bool)
            elif mask is not None and not self._masks_from_inside:
                self._warn_mask_dropped()
        return out

    def compute_mask(self, inputs, mask=None):
        """The mask of this layer's output, for a layer that supports masking: by default the input's
        (``mask``), as Keras 3's. Layers that make masks (Embedding(mask_zero=True), Masking) or change
        them (merges, recurrent layers) override it."""
        return mask

    def _warn_mask_dropped(self):
        if not self.__dict__.get("_mask_warned"):
            self._mask_warned = True
            warnings.warn(f"Layer '{self.name}' (of type {type(self).__name__}) was passed an input with a mask "
                          "attached to it. However, this layer does not support masking and will therefore destroy "
                          "the mask information. Downstream layers will not see the mask.", UserWarning, stacklevel=3)

    def _checked_input(self, inputs):
        """``inputs`` as a Tensor, checked against the layer's input spec: how a built layer's fused call
        (models/fusion.py), which does not go through __call__, still refuses a wrong input."""
        inputs = self._as_tensor(inputs)
        if self.input_spec is not None:
            self.input_spec.check(inputs.shape, self)
        return inputs

    def _as_tensor(self, x):
        """Data as a Tensor of the layer's dtype; with ``_autocast`` off, integer data stays integer (indices,
        tokens, 8-bit images: layers/integer_inputs.py), and so for a user's own Layer subclass, as Keras casts
        only floating inputs (a custom embedding's call gets its integer ids). A floating Tensor of another
        precision (a float64 ``tf.constant`` of NumPy data) is cast to the layer's, as Keras 3's autocast does."""
        if isinstance(x, Tensor):
            dtype, want = x.value.dtype, _FLOATS.get(self.dtype)
            if want is not None and dtype.kind == "f" and dtype is not want and _AUTOCAST[0]:
                return ops.cast(x, want)
            return x
        if not self._autocast or _custom_layer(type(self)):
            x = numeric_array(x, self.who, "inputs", backend.get_array_module(x).asarray)
            if x.dtype.kind in "iu":
                return Tensor(x)
        return to_tensor(x, self.dtype, self.who)

    # ------------------------------------------------------------- config
    def get_config(self):
        config = {"name": self.name, "trainable": self.trainable, "dtype": self.dtype}
        if self._batch_input_shape is not None:
            config["batch_input_shape"] = self._batch_input_shape
        if self.activity_regularizer is not None:
            config["activity_regularizer"] = regularizers.serialize(self.activity_regularizer)
        return config

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    # ------------------------------------------------------ symbolic graph
    def _first_node(self, what):
        nodes = self.__dict__.get("_inbound_nodes")
        if not nodes:
            raise AttributeError(
                f"The layer {self.name} has never been called and thus has no defined {what}. Call it on a "
                f"symbolic tensor first, e.g. `x = keras.Input(shape=...)` then `{self.name}(x)`, or put it in a "
                "model with a known input shape."
            )
        return nodes[0]

    @property
    def input(self):
        """What this layer consumed the first time it was called on symbolic tensors (as Keras 3)."""
        return self._first_node("input").args

    @property
    def output(self):
        """What this layer produced the first time it was called on symbolic tensors (as Keras 3)."""
        return self._first_node("output").output_struct

    @property
    def input_shape(self):
        if self._build_shape is None:
            raise AttributeError(f"Layer '{self.name}' has not been built yet, so it has no input_shape.")
        return _unbatched(self._build_shape)

    @property
    def output_shape(self):
        if self._build_shape is None:
            raise AttributeError(f"Layer '{self.name}' has not been built yet, so it has no output_shape.")
        traced = shape_tracing.recorded_shape(self)  # a user's layer: the shape its call gave on symbolic tensors
        return self.compute_output_shape(self.input_shape) if traced is None else _unbatched(traced)

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name}, built={self.built}>"


def _custom_layer(cls):
    """A Layer subclass written by the user (not one of dendrite's, not a Model: those cast as before)."""
    found = _CUSTOM.get(cls)
    if found is None:
        from ..models.training import Model
        found = _CUSTOM[cls] = not cls.__module__.startswith("dendrite.") and not issubclass(cls, Model)
    return found


_CUSTOM = {}
