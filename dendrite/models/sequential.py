"""Sequential: a linear stack of layers, each feeding the next."""
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

    def _set_input(self, batch_shape, input_layer=None):
        self._input_batch_shape = tuple(batch_shape)
        self._batch_input_shape = self._input_batch_shape
        self._input_layer = input_layer or InputLayer(batch_shape=self._input_batch_shape)

    # ------------------------------------------------ symbolic input and output
    def _graph(self, what):
        """[the input tensor] or [the output tensor] (``input`` and ``output`` come from GraphModel)."""
        if self._input_layer is None or self._output_tensor is None:
            raise AttributeError(
                f"Sequential model '{self.name}' has no defined {what} yet: its input shape is unknown. Start it "
                "with keras.Input(shape=...), pass input_shape=... to its first layer, or build it "
                f"(model.build(input_shape) or call it on data) before reading model.{what} or model.{what}s."
            )
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
        shape = tuple(input_shape[1:])
        if self._input_layer is None or tuple(self._input_layer.output.shape[1:]) != shape:
            self._input_layer = InputLayer(shape=shape)
        previous, self._graph_nodes = self._graph_nodes, []  # held, so that their ids stay unique meanwhile
        stale = {id(node) for node in previous}
        x = self._input_layer.output
        for layer in self._layers:
            x = self._call_in_graph(layer, x, stale)
            if not isinstance(x, KerasTensor):
                raise ValueError(f"Sequential '{self.name}': all layers in a Sequential model should have a single "
                                 f"output tensor, but {layer.who} gives {len(x)}. For layers with several outputs "
                                 "(return_state=True, merge_mode=None), use the functional API: Model(inputs, outputs).")
        self._output_tensor = x
        self._build_shape = (None,) + shape
        self.built = True

    def compute_output_shape(self, input_shape):
        shape = tuple(input_shape)
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
