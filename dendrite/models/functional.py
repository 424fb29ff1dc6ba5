"""The functional Model: ``Model(inputs, outputs)``, a graph of layer calls.

Calling a layer on KerasTensors records a Node (layers/node.py). The model walks the nodes back from
its outputs to its inputs once, puts them in an order where each node comes after the nodes it reads
from, and replays them in that order on real data. Inputs and outputs may be one tensor, a list or a
dict; a layer called on several tensors (shared) runs once per node with one set of weights; a model
can be called as a layer inside another.

``GraphModel`` holds what the functional Model and a Sequential with a known
input share, as in Keras 3 (where such a Sequential is a functional model):
``input``/``output``, ``get_layer`` and the adjustment of the data's rank to the
model input's.
"""
import inspect

import numpy as np

from ..autodiff import Tensor, array_of, ops
from ..layers.node import KerasTensor, flatten, is_symbolic, pack_like
from ..layers import symbolic_binding
from ..layers.symbolic_binding import BOUND
from ..layers.core import InputLayer
from . import fusion
from .training import Model


class GraphModel:
    """Mixin for models whose input and output are KerasTensors (``self.inputs``, ``self.outputs``)."""

    @property
    def input(self):
        return self.inputs[0]

    @property
    def output(self):
        return self.outputs[0]

    @property
    def input_shape(self):
        """The model input's batch shape (a batch size given to Input(batch_shape=...) included, as Keras)."""
        return tuple(self.input.shape)

    def _first_layer(self):
        for layer in self.__dict__.get("_layers") or ():
            if type(layer).__name__ != "InputLayer":
                return layer
        return None

    @property
    def _text_inputs(self):
        """Whether the model reads text: an input is Input(dtype='string'), or (its input not yet known) its first
        layer reads text (TextVectorization, StringLookup, Hashing)."""
        inputs = self.__dict__.get("inputs")
        if inputs and any(t.dtype == "string" for t in inputs):
            return True
        return bool(getattr(self._first_layer(), "_text_inputs", False))

    @property
    def _raw_inputs(self):
        """Whether the model's data reaches its first layer as given, neither cast to floats nor refused as text:
        its first layer takes ids or text as they are (TextVectorization, StringLookup, IntegerLookup, Hashing;
        an id above 2**24 would change in float32), or an input is Input(dtype='string')."""
        return self._text_inputs or bool(getattr(self._first_layer(), "_raw_inputs", False))

    def _as_tensor(self, x):
        # such a model hands text and integer ids to its first layers as they are (a Tensor holding the array)
        if not isinstance(x, Tensor) and self._raw_inputs:
            arr = np.asarray(x)
            if arr.dtype.kind in "USOiu":
                return Tensor(arr)
        return super()._as_tensor(x)

    def __call__(self, inputs, training=None, **kwargs):
        if (not self._several_inputs and isinstance(inputs, (list, tuple)) and len(inputs) == 1
                and hasattr(inputs[0], "shape")):
            inputs = inputs[0]  # as Keras flattens the structure, [x] is x for a model of one input
        if not is_symbolic(inputs):
            inputs = self._prepare_input(inputs)
        else:
            self._check_symbolic(inputs)
        return super().__call__(inputs, training=training, **kwargs)

    def _check_symbolic(self, inputs):
        """A symbolic call (a model used as a layer of another) whose input has a known size that differs from
        the model input's is refused as Keras refuses it, instead of computing shapes for the wrong input."""
        expected = self._expected_input()
        given = inputs if isinstance(inputs, (list, tuple)) else [inputs]
        if expected is None or not expected[1] or len(given) != 1:
            return
        shape, want = tuple(given[0].shape), tuple(expected[0])
        if len(shape) == len(want) and any(e is not None and s is not None and e != s
                                           for e, s in zip(want[1:], shape[1:])):
            raise ValueError(f"Input 0 of layer '{self.name}' is incompatible with the layer: expected shape="
                             f"{(None,) + want[1:]}, found shape={shape}. Give the model an input of "
                             f"(batch,) + {want[1:]}, or build it for the new shape.")

    def _prepare_input(self, inputs):
        """Data made to fit the model's input (see _conform_input), where the input shape is known."""
        expected = self._expected_input()
        return inputs if expected is None else self._conform_input(inputs, *expected)

    def _expected_input(self):
        """(batch shape of the model input, whether other differences are errors), or None when unknown."""
        return self.inputs[0].shape, True

    def _conform_input(self, inputs, expected, strict=True, index=0):
        """``inputs`` (data) made to the rank of the model input of batch shape ``expected``, as Keras 3 does:
        a trailing axis of size 1 is squeezed when the data has one more axis, or added when it has one fewer
        and the input's last size is 1. With ``strict``, any other difference from ``expected`` is an error."""
        data = array_of(inputs)
        given = shape = tuple(np.shape(data))
        expected = tuple(expected)
        target = None
        if len(shape) == len(expected) + 1 and shape and shape[-1] == 1:
            target = shape[:-1]
        elif len(shape) == len(expected) - 1 and expected[-1] == 1:
            target = shape + (1,)
        if target is not None:
            inputs = ops.reshape(inputs, target) if isinstance(inputs, Tensor) else np.reshape(data, target)
            shape = target
        if strict and (len(shape) != len(expected)
                       or any(e is not None and e != s for e, s in zip(expected[1:], shape[1:]))):
            raise ValueError(
                f"Input {index} of layer '{self.name}' is incompatible with the layer: expected shape="
                f"{(None,) + expected[1:]}, found shape={given}. "
                f"Reshape the data to (batch,) + {expected[1:]} or change the model's input shape."
            )
        return inputs


class Functional(GraphModel, Model):
    def __init__(self, inputs, outputs, name=None, trainable=True):
        super().__init__(name=name, trainable=trainable)
        self._inputs_struct, self._outputs_struct = _plain(inputs), _plain(outputs)
        self.inputs, self.outputs = flatten(self._inputs_struct), flatten(self._outputs_struct)
        for what, tensors in (("inputs", self.inputs), ("outputs", self.outputs)):
            if not tensors:
                raise ValueError(f"Model '{self.name}': `{what}` is empty; give at least one tensor.")
            for t in tensors:
                if not isinstance(t, KerasTensor):
                    raise TypeError(f"Model '{self.name}': {what} must be tensors from keras.Input() and layer "
                                    f"calls on them (or a list or dict of such); received {type(t).__name__}.")
        self._ancillary = []  # tensors computed at each call besides the outputs: model.add_loss's (AddLoss)
        self._several_inputs = not isinstance(self._inputs_struct, KerasTensor)
        self._make_graph()
        shapes = [t.shape for t in self.inputs]
        self._build_shape = shapes[0] if len(shapes) == 1 else shapes
        self._batch_input_shape = self._build_shape
        self.built = True

    def _make_graph(self):
        """Trace the graph from the inputs to the outputs (and the ancillary tensors) and plan how call runs it.
        New layers join ``layers`` after those the model already has."""
        self._nodes, ordered = self._trace()
        self._node_ids = {id(n) for n in self._nodes} | {id(t.node) for t in self.inputs if t.node is not None}
        self._chain = None if self._ancillary else self._as_chain()
        self._runs = self._make_runs()  # how call runs the nodes, with their fusions: decided once, here
        known = {id(layer) for layer in self._layers}
        self._layers.extend(layer for layer in ordered if id(layer) not in known)

    def add_loss(self, loss):
        """A Tensor (in ``call``) joins this forward pass's losses. A symbolic tensor computed from the model's
        inputs (tf.keras 2's functional ``model.add_loss(vae_loss)``) joins the graph through an AddLoss layer:
        each call of the model computes it and adds it to the model's losses, which ``fit`` minimises."""
        if isinstance(loss, (list, tuple)) and any(isinstance(t, KerasTensor) for t in loss):
            for item in loss:
                self.add_loss(item)
            return
        if not isinstance(loss, KerasTensor):
            return super().add_loss(loss)
        from ..layers.add_loss import AddLoss
        self._attach(AddLoss()(loss))  # (a loss with a batch axis is summed, as Keras 3 sums added losses)

    def _attach(self, tensor):
        """Compute ``tensor`` (from the model's inputs) at every call, besides the outputs."""
        self._ancillary.append(tensor)
        try:
            self._make_graph()
        except ValueError:
            self._ancillary.pop()
            raise

    def _trace(self):
        """The nodes between the inputs and the outputs (and the ancillary tensors), each after the nodes whose
        outputs it reads, and the layers in Keras's order (deepest first, ties in the order a walk back from the
        outputs meets them). An output that does not depend on the inputs alone, or an input no output uses,
        is an error."""
        input_ids = {id(t) for t in self.inputs}
        first_seen, order, done, used = {}, [], set(), set()
        stack = [(t, False) for t in reversed(self.outputs + self._ancillary)]
        while stack:
            tensor, expanded = stack.pop()
            node = tensor.node
            if expanded:
                if id(node) not in done:
                    done.add(id(node))
                    order.append(node)
                continue
            is_input = id(tensor) in input_ids
            if is_input:
                used.add(id(tensor))
            elif node is None or not node.inputs:
                origin = node.layer.name if node is not None else tensor.name
                raise ValueError(
                    f"Model '{self.name}': the outputs are not connected to the inputs: they depend on "
                    f"'{origin}' (shape {tensor.shape}), which is not one of the model's inputs "
                    f"({[t.name for t in self.inputs]}). Pass every Input the outputs are computed from in "
                    "`inputs`, e.g. Model(inputs=[a, b], outputs=...)."
                )
            if node is None or id(node) in done:
                continue
            first_seen.setdefault(id(node.layer), len(first_seen))
            stack.append((tensor, True))
            if not is_input:
                stack.extend((t, False) for t in reversed(node.inputs))
        unused = [t.name for t in self.inputs if id(t) not in used]
        if unused:
            raise ValueError(f"Model '{self.name}': input(s) {unused} are not used to compute any output. "
                             "Remove them from `inputs`, or connect them to the outputs through layers.")
        sources = {id(t.node) for t in self.inputs if t.node is not None}
        node_depth, layer_depth = {}, {}
        for node in reversed(order):
            depth = max(node_depth.get(id(node), 0), layer_depth.get(id(node.layer), 0))
            node_depth[id(node)] = layer_depth[id(node.layer)] = depth
            if id(node) not in sources:
                for t in node.inputs:
                    node_depth[id(t.node)] = max(depth + 1, node_depth.get(id(t.node), 0))
        layers = {id(node.layer): node.layer for node in order}
        ranked = sorted(layers, key=lambda k: (-layer_depth[k], first_seen[k]))
        return [node for node in order if id(node) not in sources], [layers[k] for k in ranked]

    def _as_chain(self):
        """The layers in order when the graph is one straight chain (each node reading the previous node's
        only output), else None: summary() prints such a model as a stack."""
        if len(self.inputs) != 1 or len(self.outputs) != 1:
            return None
        previous = self.inputs[0]
        for node in self._nodes:
            if len(node.inputs) != 1 or node.inputs[0] is not previous or len(node.outputs) != 1:
                return None
            previous = node.outputs[0]
        return [node.layer for node in self._nodes] if previous is self.outputs[0] else None

    def _make_runs(self):
        """The nodes grouped into straight runs: a node joins the run of the node before it when it reads
        that node's only output, nothing else reads that output and it is not a model output. Each run is
        ``(input tensor, fusion steps, output tensor)``, or ``(node, None, None)`` for a node that takes
        several tensors or fixed call arguments. Runs come in an order where each reads only what earlier
        runs made, and fusion (models/fusion.py) pairs neighbours inside a run."""
        readers = {}
        for node in self._nodes:
            for t in node.inputs:
                readers[id(t)] = readers.get(id(t), 0) + 1
        for t in self.outputs + self._ancillary:
            readers[id(t)] = readers.get(id(t), 0) + 1

        def simple(node):
            return isinstance(node.args, KerasTensor) and not node.kwargs and len(node.outputs) == 1

        runs, run_of = [], {}
        for node in self._nodes:
            if not simple(node):
                runs.append([node])
                continue
            source = node.inputs[0]
            before = run_of.get(id(source.node))
            if before is not None and before[-1] is source.node and readers[id(source)] == 1:
                before.append(node)
                run_of[id(node)] = before
            else:
                run = [node]
                runs.append(run)
                run_of[id(node)] = run
        return [(run[0].inputs[0], fusion.plan([n.layer for n in run]), run[-1].outputs[0])
                if simple(run[0]) else (run[0], None, None) for run in runs]

    @property
    def layers(self):
        return list(self._layers)

    @property
    def input_names(self):
        return [t.node.layer.name if _is_input_tensor(t) else t.name for t in self.inputs]

    @property
    def output_names(self):
        """The outputs' names: their keys when the outputs are a dict, else their layers' names."""
        if isinstance(self._outputs_struct, dict):
            return list(self._outputs_struct)
        return [t.node.layer.name for t in self.outputs]

    # -------------------------------------------------------------- running
    def _prepare_input(self, inputs):
        """Data for the model's inputs: one array for one input; for several, a list or tuple in the
        inputs' order or a dict keyed by input name (an input given as a dict keyed by its own keys)."""
        n = len(self.inputs)
        if isinstance(inputs, dict):
            keys = list(self._inputs_struct) if isinstance(self._inputs_struct, dict) else self.input_names
            missing = [k for k in keys if k not in inputs]
            if missing:
                raise ValueError(f"Model '{self.name}': the input dict lacks {missing}; the model's inputs are "
                                 f"{keys}. Received keys: {sorted(inputs)}.")
            inputs = [inputs[k] for k in keys]
        elif n > 1 and not isinstance(inputs, (list, tuple)):
            raise ValueError(f"Model '{self.name}' has {n} inputs {self.input_names}: pass a list of {n} arrays "
                             f"(in that order) or a dict keyed by input name; received one {type(inputs).__name__}.")
        if n == 1 and isinstance(inputs, (list, tuple)) and len(inputs) == 1 and not isinstance(inputs[0], list):
            inputs = inputs[0]  # model.predict([x]) for a one-input model, as tf.keras takes it
        if n > 1:
            if len(inputs) != n:
                raise ValueError(f"Model '{self.name}' has {n} inputs {self.input_names}; received a list of "
                                 f"{len(inputs)} arrays. Pass one array per input, in that order.")
            return [self._conform_input(x, t.shape, index=i) for i, (x, t) in enumerate(zip(inputs, self.inputs))]
        return self._conform_input(inputs, self.inputs[0].shape)

    def call(self, inputs, training=None, mask=None):
        if mask is not None:  # masks ride on the input tensors; one given here is put on them
            for x, m in zip(inputs if isinstance(inputs, (list, tuple)) else [inputs],
                            mask if isinstance(mask, (list, tuple)) else [mask]):
                if isinstance(x, Tensor) and m is not None and x._keras_mask is None:
                    x._keras_mask = np.asarray(array_of(m), bool)
        flat = inputs if isinstance(inputs, (list, tuple)) and len(self.inputs) > 1 else [inputs]
        values = {id(t): x for t, x in zip(self.inputs, flat)}
        runs, recording = self._runs, BOUND[0] is not None
        if recording:  # a loss over this model's own tensors reads their values (Keras 2): node by node, unfused
            runs = [(node, None, None) for node in self._nodes]
            for t in self.inputs:
                symbolic_binding.record(t, values[id(t)])
        for source, steps, target in runs:
            if steps is not None:
                values[id(target)] = fusion.run(steps, values[id(source)], training)
                continue
            node = source
            args, kwargs = _filled(node.args, values), _filled(node.kwargs, values)
            if training is not None or "training" not in kwargs:
                kwargs["training"] = training  # the call's own training wins over one a node recorded, as Keras
            for t, value in zip(node.outputs, flatten(node.layer(args, **kwargs))):
                values[id(t)] = value
                if recording:
                    symbolic_binding.record(t, value)
        return pack_like(self._outputs_struct, [values[id(t)] for t in self.outputs])

    def compute_output_shape(self, input_shape):
        shapes = [t.shape for t in self.outputs]
        return shapes[0] if isinstance(self._outputs_struct, KerasTensor) else shapes

    # --------------------------------------------------------------- config
    def get_config(self):
        from .functional_config import functional_config
        return functional_config(self)

    @classmethod
    def from_config(cls, config, custom_objects=None):
        from ..saving import custom_object_scope
        from .functional_config import functional_from_config
        with custom_object_scope(custom_objects):  # layer classes of the program's own, by name
            return functional_from_config(cls, config)


def functional_arguments(args, kwargs):
    """Whether ``Model.__init__`` was given a functional model's ``(inputs, outputs)`` (Keras 3's test: two
    positional arguments, one and ``outputs=``, or ``inputs=`` and ``outputs=``), the inputs symbolic."""
    if len(args) == 2 or (len(args) == 1 and "outputs" in kwargs):
        return is_symbolic(args[0])
    return "inputs" in kwargs and "outputs" in kwargs and is_symbolic(kwargs["inputs"])


def become_functional(model, args, kwargs):
    """``MyModel(inputs, outputs)`` for a subclass of Model, as Keras 3 makes it: Functional takes Model's place
    among the class's bases (once, for the class), and the model is built as a functional one that keeps the
    subclass's own methods (a custom train_step, test_step, properties, ...)."""
    _put_functional_in_bases(type(model))
    Functional.__init__(model, *args, **kwargs)


def _put_functional_in_bases(cls):
    if issubclass(cls, Functional):
        return
    for base in cls.__bases__:
        if base is not Model and issubclass(base, Model):
            _put_functional_in_bases(base)
    cls.__bases__ = tuple(Functional if base is Model else base for base in cls.__bases__)


def revives_as_functional(cls, config):
    """Whether ``cls.from_config(config)`` (``cls`` a subclass of Model) rebuilds a functional model, as Keras 3
    decides: the config is a functional model's and ``cls.__init__`` takes ``(inputs, outputs, ...)``, or
    ``*args, **kwargs``, which it passes to Model."""
    if not (isinstance(config, dict) and all(k in config for k in ("name", "layers", "input_layers",
                                                                     "output_layers"))):
        return False
    spec = inspect.getfullargspec(cls.__init__)
    return (spec.args[1:3] == ["inputs", "outputs"]
            or (spec.varargs is not None and spec.varkw is not None and len(spec.args) == 1))


def _plain(structure):
    """Inputs or outputs as the model keeps them: one tensor, a list (from a list or tuple of several) or
    a dict; a list or tuple of one tensor is that tensor, as tf.keras takes it."""
    if isinstance(structure, dict):
        return dict(structure)
    if isinstance(structure, (list, tuple)):
        return structure[0] if len(structure) == 1 and isinstance(structure[0], KerasTensor) else list(structure)
    return structure


def _filled(structure, values):
    """A node's recorded arguments with each KerasTensor replaced by its value in this run (``values``, by
    the tensor's id): the call's inputs, and tensors given as keyword arguments (``initial_state``, ``mask``)."""
    return pack_like(structure, [values[id(t)] if isinstance(t, KerasTensor) else t for t in flatten(structure)])


def _is_input_tensor(t):
    """Whether ``t`` is what an InputLayer makes (a node with no inputs)."""
    return t.node is not None and not t.node.inputs and isinstance(t.node.layer, InputLayer)
