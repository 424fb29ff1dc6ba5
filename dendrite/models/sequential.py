"""Sequential: a linear stack of layers, each feeding the next.

A Sequential whose first layer takes a dict of named features (DenseFeatures: it declares them in
``_feature_dtypes``) is built on the dict of its first batch: one Input per feature, named by its key, of the
data's shape and dtype ('string' for text), as a functional model on a dict of Inputs."""
from collections.abc import Mapping

import numpy as np

from .. import backend
from ..autodiff import array_of
from ..layers.base import KerasTensor, Layer
from ..layers.core import InputLayer
from . import fusion
from .functional import GraphModel
from .training import Model


class Sequential(GraphModel, Model):
    def __init__(self, layers=None, name=None, trainable=True):
        super().__init__(name=name, trainable=trainable)
        self._input_batch_shape = None
        self._input_layer = None  # the InputLayer whose output feeds the first layer, once the input is known
        self._output_tensor = None  # what the last layer gives for that input (set by build)
        self._graph_nodes = []  # the nodes this model's build left on its layers
        self._plan = None  # how call runs the layers (models/fusion.py), made on the first call after a change
        self._feature_inputs = None  # key -> InputLayer, when built on a dict of named features
        for layer in layers or ():
            self.add(layer)

    @property
    def layers(self):
        return list(self._layers)

    def add(self, layer):
        """Append a layer (or an ``Input``) to the stack."""
        if isinstance(layer, KerasTensor):
            origin = layer.history[0] if layer.history else None
            if not isinstance(origin, InputLayer):
                raise TypeError(
                    f"Sequential '{self.name}'.add: a symbolic tensor can only be added when it comes from Input(); "
                    "use the functional Model(inputs, outputs) for other graphs."
                )
            layer = origin
        if isinstance(layer, InputLayer):
            if self._layers:
                raise ValueError(f"Sequential '{self.name}': an Input can only be the first item of the model.")
            self._set_input(layer._batch_input_shape, layer)
            return
        if not isinstance(layer, Layer):
            raise TypeError(
                f"Sequential '{self.name}'.add expects a Layer instance; received {layer!r} "
                f"of type {type(layer).__name__}. Did you forget to call the layer class, e.g. Dense(10)?"
            )
        if not self._layers and self._input_batch_shape is None and layer._batch_input_shape is not None:
            self._set_input(layer._batch_input_shape)
        self._layers.append(layer)
        self._plan = None
        self._rebuild()

    def pop(self):
        if not self._layers:
            raise TypeError(f"Sequential '{self.name}' has no layers to pop.")
        layer = self._layers.pop()
        self._plan = None
        self._rebuild()
        return layer

    def _rebuild(self):
        """After add / pop, a model whose input is known (given, or from the data it was built on) builds
        again, so that ``outputs`` is the new last layer's."""
        if self._input_batch_shape is not None:
            self.built = False
            self._maybe_build(self._input_batch_shape)
        elif self.built and self._input_layer is not None:
            self.build(self._input_layer.output.shape)
        elif self.built and self._feature_inputs:
            self.build({key: layer.output.shape for key, layer in self._feature_inputs.items()})

    def _set_input(self, batch_shape, input_layer=None):
        self._input_batch_shape = tuple(batch_shape)
        self._batch_input_shape = self._input_batch_shape
        self._input_layer = input_layer or InputLayer(batch_shape=self._input_batch_shape)

    # ------------------------------------------------ symbolic input and output
    def _graph(self, what):
        """[the input tensor] or [the output tensor] (``input`` and ``output`` come from GraphModel); the
        features' input tensors for a model built on a dict of them."""
        if (self._input_layer is None and not self._feature_inputs) or self._output_tensor is None:
            raise AttributeError(
                f"Sequential model '{self.name}' has no defined {what} yet: its input shape is unknown. Start it "
                "with keras.Input(shape=...), pass input_shape=... to its first layer, or build it "
                f"(model.build(input_shape) or call it on data) before reading model.{what} or model.{what}s."
            )
        if what == "input" and self._feature_inputs:
            return [layer.output for layer in self._feature_inputs.values()]
        return [self._input_layer.output] if what == "input" else [self._output_tensor]

    @property
    def inputs(self):
        return self._graph("input")

    @property
    def outputs(self):
        return self._graph("output")

    def _call_in_graph(self, layer, x, stale):
        """``layer(x)`` on a KerasTensor; the node it records takes the place, among the layer's nodes, of
        the one this model's previous build left there, so rebuilding (add, pop) does not pile nodes up."""
        out = layer(x)
        nodes = layer._inbound_nodes
        node = nodes.pop()
        k = next((k for k, old in enumerate(nodes) if id(old) in stale), None)
        if k is None:
            nodes.append(node)
        else:
            nodes[k] = node
            for i, each in enumerate(nodes):
                each.index = i
        self._graph_nodes.append(node)
        return out

    def build(self, input_shape=None):
        if input_shape is None:
            input_shape = self._input_batch_shape
        if input_shape is None:
            raise ValueError(
                f"Sequential '{self.name}' cannot be built without an input shape: add an Input(shape=...) first, "
                "pass input_shape=... to the first layer, or call the model on data."
            )
        if isinstance(input_shape, Mapping):
            self._build_on_features(input_shape)
            return
        shape = tuple(input_shape[1:])
        if self._input_layer is None or tuple(self._input_layer.output.shape[1:]) != shape:
            self._input_layer = InputLayer(shape=shape)
        self._trace_layers(self._input_layer.output)
        self._build_shape = (None,) + shape

    def _trace_layers(self, x):
        """Every layer called in turn on the symbolic ``x``: the model's graph, its output tensor and ``built``."""
        previous, self._graph_nodes = self._graph_nodes, []  # held, so that their ids stay unique meanwhile
        stale = {id(node) for node in previous}
        for layer in self._layers:
            x = self._call_in_graph(layer, x, stale)
            if not isinstance(x, KerasTensor):
                raise ValueError(f"Sequential '{self.name}': all layers in a Sequential model should have a single "
                                 f"output tensor, but {layer.who} gives {len(x)}. For layers with several outputs "
                                 "(return_state=True, merge_mode=None), use the functional API: Model(inputs, outputs).")
        self._output_tensor = x
        self.built = True

    # ------------------------------------------------ a dict of named features
    @property
    def _feature_dtypes(self):
        """The named features the first layer reads, key -> dtype ('raw': as given), when it takes a dict of them
        (DenseFeatures); else None. The data step converts and checks each feature by it."""
        return getattr(self._layers[0], "_feature_dtypes", None) if self._layers else None

    def _build_on_features(self, shapes, data_dtypes=None):
        """The graph on one Input per feature the first layer reads (``shapes``: key -> shape with the batch axis),
        each of the data's dtype (``data_dtypes``) when built from data, else 'string' for a feature read as given."""
        declared = self._feature_dtypes or {}
        previous = self._feature_inputs or {}
        inputs = {}
        for key in (k for k in declared if k in shapes):
            shape = (None,) + tuple(shapes[key][1:])
            old = previous.get(key)
            dtype = (data_dtypes or {}).get(key) or (old.dtype if old is not None else
                                                     "string" if declared[key] == "raw" else backend.floatx())
            same = old is not None and tuple(old._batch_input_shape) == shape and old.dtype == dtype
            inputs[key] = old if same else InputLayer(batch_shape=shape, dtype=dtype, name=key)
        self._feature_inputs = inputs
        self._several_inputs = True  # called on the features' arrays in the Inputs' order (see _prepare_input)
        self._trace_layers({key: layer.output for key, layer in inputs.items()})
        self._build_shape = {key: layer.output.shape for key, layer in inputs.items()}

    def _maybe_build(self, shape):
        if not self.built and isinstance(shape, Mapping):  # called on a dict of KerasTensors
            self.build(shape)
            return
        super()._maybe_build(shape)

    def _prepare_input(self, inputs):
        """A dict of features for a first layer that reads them, as the list of the features its Inputs take
        (the model is built on the first such dict); other data as GraphModel prepares it."""
        declared = self._feature_dtypes
        if declared is None or not isinstance(inputs, Mapping):
            return super()._prepare_input(inputs)
        if any(key not in inputs for key in declared):
            self._layers[0].check_keys(inputs)
        if not self.built or not self._feature_inputs:
            arrays = {key: np.asarray(array_of(inputs[key])) for key in declared}
            dtypes = {key: "string" if a.dtype.kind in "USO" else str(a.dtype) if a.dtype.kind in "iub"
                      and declared[key] == "raw" else backend.floatx() for key, a in arrays.items()}
            self._build_on_features({key: a.shape for key, a in arrays.items()}, dtypes)
        return [inputs[key] for key in self._feature_inputs]

    def compute_output_shape(self, input_shape):
        shape = dict(input_shape) if isinstance(input_shape, Mapping) else tuple(input_shape)
        for layer in self._layers:
            shape = layer.compute_output_shape(shape)
        return shape

    def _expected_input(self):
        # A known input shape (Input, input_shape=) is checked, after Keras 3's rank adjustment; a model
        # built from the first data only gets the adjustment, and its layers check the rest.
        if self._input_batch_shape is not None:
            return self._input_batch_shape, True
        if self.built and self._input_layer is not None:
            return self._input_layer.output.shape, False
        return None

    def call(self, inputs, training=None):
        if self._feature_inputs and isinstance(inputs, list):  # the features, back into their dict
            inputs = dict(zip(self._feature_inputs, inputs))
        if self._plan is None:
            self._plan = fusion.plan(self._layers)
        return fusion.run(self._plan, inputs, training)

    def get_config(self):
        """Keras 3's Sequential config: ``name``, ``trainable``, ``dtype``, ``layers`` (the InputLayer first when
        the input is known, each entry ``{'module', 'class_name', 'config', 'registered_name'}`` plus
        ``build_config`` once built) and ``build_input_shape``."""
        from .functional_config import layer_entry
        layers = ([] if self._input_layer is None else [self._input_layer]) + self._layers
        config = {"name": self.name, "trainable": self.trainable, "dtype": self.dtype,
                  "layers": [layer_entry(layer) for layer in layers]}
        if self._input_layer is not None:
            config["build_input_shape"] = list(self._input_layer._batch_input_shape)
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None):
        """The model that ``get_config()`` describes (Keras 3's format, tf.keras 2's, or dendrite's earlier one
        with ``batch_input_shape``): the same layer classes and arguments, new weights. Classes resolve by name
        only: dendrite's own, registered ones and ``custom_objects``."""
        from ..saving import custom_object_scope
        from .functional_config import layer_from_entry
        owner = f"Sequential '{config.get('name')}'" if isinstance(config, dict) else "Sequential"
        if not isinstance(config, dict) or not isinstance(config.get("layers"), list):
            raise ValueError(f"{owner}.from_config: expected the dict that Sequential.get_config() returns "
                             f"(with a 'layers' list); received {config!r}.")
        with custom_object_scope(custom_objects):
            model = cls(name=config.get("name"), trainable=config.get("trainable", True))
            if config.get("batch_input_shape") is not None:  # dendrite's earlier format
                model.add(InputLayer(batch_shape=config["batch_input_shape"]))
            for spec in config["layers"]:
                model.add(layer_from_entry(spec, owner))
            shape = config.get("build_input_shape")
            if isinstance(shape, (list, tuple)) and shape and model._input_layer is None and model._layers:
                model.build(tuple(shape))
        return model
