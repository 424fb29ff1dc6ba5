"""A functional model's config in Keras 3's format, both ways.

``get_config()`` gives ``{"name", "trainable", "layers", "input_layers", "output_layers"}``. Each layer
entry carries its class name, its own config and ``inbound_nodes``: one entry per call of the layer
inside this model, ``{"args": [...], "kwargs": {...}}`` with each input tensor written as
``{"class_name": "__keras_tensor__", "config": {"shape", "dtype", "keras_history": [layer name,
node index, tensor index]}}``. Node indices count only the calls that belong to this model, so a
layer shared by two models is described in each the same way. ``input_layers`` / ``output_layers``
name the model's tensors the same way: one ``[name, node, tensor]`` list for a single tensor, a list
or dict of them for several.

``from_config`` reads that format, and tf.keras 2's too (inbound nodes as lists of
``[name, node index, tensor index, kwargs]``), creating layers by name only (dendrite.saving): dendrite's own
classes, registered classes and those of an active ``custom_object_scope``.
"""
import inspect

from ..layers.base import Layer
from ..layers.core import InputLayer
from ..layers.node import KerasTensor, flatten, map_structure
from ..saving.builtin_objects import layer_classes
from ..saving.serialization import deserialize_keras_object, serialize_keras_object


def functional_config(model):
    """The config of the functional ``model`` (see the module's docstring)."""
    reindex = {}  # id(node) -> its index among the layer's nodes that belong to this model
    for node in _model_nodes(model):
        own = [n for n in node.layer._inbound_nodes if id(n) in model._node_ids]
        reindex[id(node)] = own.index(node)

    def tensor_ref(t):
        return [t.node.layer.name, reindex[id(t.node)], t.index]

    def tensor_config(t):
        return {"class_name": "__keras_tensor__",
                "config": {"shape": list(t.shape), "dtype": t.dtype, "keras_history": tensor_ref(t)}}

    def argument(value):
        return map_structure(lambda v: tensor_config(v) if isinstance(v, KerasTensor) else v, value)

    layers = []
    for layer in model.layers:
        nodes = [n for n in layer._inbound_nodes if id(n) in model._node_ids]
        entry = layer_entry(layer)
        entry["name"] = layer.name
        entry["inbound_nodes"] = [{"args": [argument(n.args)], "kwargs": argument(n.kwargs)}
                                  for n in nodes if n.inputs]
        layers.append(entry)

    def refs(structure):  # one tensor as a bare [name, node, tensor], as Keras 3 writes it
        return map_structure(tensor_ref, structure)

    return {"name": model.name, "trainable": model.trainable, "layers": layers,
            "input_layers": refs(model._inputs_struct), "output_layers": refs(model._outputs_struct)}


def _model_nodes(model):
    """The model's nodes, those of its InputLayers first."""
    return [t.node for t in model.inputs if t.node is not None] + list(model._nodes)


def layer_entry(layer):
    """A layer as a model's config lists it (Keras 3): ``{'module', 'class_name', 'config',
    'registered_name'}`` (a custom class under its module and registered name) and, once built,
    ``build_config``; an InputLayer with Keras 3's keys."""
    if isinstance(layer, InputLayer):
        return {"module": "keras.layers", "class_name": "InputLayer",
                "config": {"batch_shape": list(layer._batch_input_shape), "dtype": layer.dtype, "sparse": False,
                           "name": layer.name}, "registered_name": None}
    return serialize_keras_object(layer)


# ------------------------------------------------------------------ loading
def functional_from_config(cls, config):
    """The functional model ``config`` describes (Keras 3's format, or tf.keras 2's)."""
    if not isinstance(config, dict) or not isinstance(config.get("layers"), list) \
            or "input_layers" not in config or "output_layers" not in config:
        raise ValueError("Model.from_config: expected a functional model's config, a dict with 'layers', "
                         f"'input_layers' and 'output_layers' (what Model.get_config() returns); received "
                         f"{_short(config)}.")
    owner = f"Model '{config.get('name')}'"
    layers, pending = {}, []
    for spec in _without_mask_ops(config):
        layer = layer_from_entry(spec, owner, cls)
        name = spec.get("name") or layer.name
        layers[name] = layer
        nodes = spec.get("inbound_nodes") or []
        if not isinstance(nodes, list):
            raise ValueError(f"{owner}.from_config: 'inbound_nodes' of layer '{name}' must be a list.")
        pending.append([name, layer, list(nodes), 0])
    made = {}  # (layer name, node index) -> the outputs of that call, flat
    for name, layer in layers.items():
        if isinstance(layer, InputLayer):
            made[(name, 0)] = [layer.output]

    def tensor(ref):
        if not (isinstance(ref, (list, tuple)) and len(ref) >= 3 and isinstance(ref[0], str)
                and all(isinstance(i, int) and not isinstance(i, bool) for i in ref[1:3])):
            raise ValueError(f"{owner}.from_config: a tensor reference must be [layer name, node index, tensor "
                             f"index]; received {_short(ref)}.")
        outputs = made.get((ref[0], ref[1]))
        if outputs is None:
            return None
        if not 0 <= ref[2] < len(outputs):
            raise ValueError(f"{owner}.from_config: layer '{ref[0]}' node {ref[1]} has {len(outputs)} output(s); "
                             f"the config asks for output {ref[2]}.")
        return outputs[ref[2]]

    progress = True
    while progress:
        progress = False
        for item in pending:
            name, layer, nodes, done = item
            while done < len(nodes):
                call = _read_node(nodes[done], tensor, owner, name, getattr(layer, "_positional_call_args", ()))
                if call is None:
                    break  # an input is not made yet: come back after other layers' calls
                args, kwargs = call
                _check_call_arguments(layer, kwargs, owner, name)
                out = layer(args, **kwargs)
                made[(name, len([k for k in made if k[0] == name]))] = flatten(out)
                done += 1
                item[3] = done
                progress = True
    stuck = [item[0] for item in pending if item[3] < len(item[2])]
    if stuck:
        raise ValueError(f"{owner}.from_config: the calls of layer(s) {stuck} read tensors that no layer of the "
                         "config makes (a missing layer, or a cycle).")

    def resolve(refs):
        if isinstance(refs, dict):
            return {key: resolve(value) for key, value in refs.items()}
        if isinstance(refs, (list, tuple)) and len(refs) >= 3 and isinstance(refs[0], str):
            t = tensor(refs)
            if t is None:
                raise ValueError(f"{owner}.from_config: the model's inputs or outputs name {list(refs)}, which "
                                 "no layer of the config makes.")
            return t
        if isinstance(refs, (list, tuple)):
            return [resolve(r) for r in refs]
        raise ValueError(f"{owner}.from_config: 'input_layers' and 'output_layers' must hold [layer name, node "
                         f"index, tensor index] entries; received {_short(refs)}.")
    inputs, outputs = resolve(config["input_layers"]), resolve(config["output_layers"])
    model = cls(inputs, outputs, name=config.get("name"), trainable=config.get("trainable", True))
    from ..layers.add_loss import AddLoss, AddMetric
    for (name, _), out in made.items():  # tf.keras 2's model.add_loss / add_metric: computed besides the outputs
        if isinstance(layers[name], (AddLoss, AddMetric)):
            model._attach(out[0])
    return model


def _check_call_arguments(layer, kwargs, owner, name):
    """A recorded call's keyword arguments, checked against the layer's call(): a symbolic call does not run
    call(), so an argument it does not take would otherwise fail only when the loaded model first runs."""
    try:
        params = inspect.signature(layer.call).parameters
    except (TypeError, ValueError):
        return
    if any(p.kind is p.VAR_KEYWORD for p in params.values()):
        return
    unknown = sorted(set(kwargs) - set(params) - {"training"}, key=str)  # Layer.__call__ takes `training` itself
    if unknown:
        raise ValueError(f"{owner}.from_config: a call of layer '{name}' ({layer.who}) passes {unknown}, which its "
                         f"call() does not take (it takes {[p for p in params if p != 'inputs']}).")


def _without_mask_ops(config):
    """``config['layers']`` without the entries of Keras 3 ops that only compute masks, and without the
    ``mask`` arguments that read them. Keras records the masks its layers compute on symbolic tensors as op
    calls (Embedding(mask_zero=True)'s ``not_equal``, Masking's ``not_equal`` and ``any``) whose outputs reach
    later calls as ``mask=``; dendrite carries a mask on the data from the layer that makes it, so the loaded
    model computes the same masks without them. An op whose output is used otherwise stays (and is refused
    as an unknown class, as before)."""
    specs = config["layers"]
    ops_ = {spec.get("name") for spec in specs if isinstance(spec, dict)
            and str(spec.get("module") or "").startswith("keras.src.ops")}
    if not ops_:
        return specs
    readers = []  # (op read, reader's name, whether it is read as a mask)
    for spec in specs:
        for node in (spec.get("inbound_nodes") or []) if isinstance(spec, dict) else []:
            if isinstance(node, dict):
                kwargs = node.get("kwargs") if isinstance(node.get("kwargs"), dict) else {}
                for key, value in [("args", node.get("args"))] + list(kwargs.items()):
                    readers += [(ref, spec.get("name"), key == "mask") for ref in _layer_refs(value) if ref in ops_]
    mask_ops = ops_ - set(_output_names(config["output_layers"]))
    changed = True
    while changed:  # an op read as data by anything but another mask op is not a mask op
        kept = {op for op, reader, as_mask in readers if not as_mask and reader not in mask_ops}
        changed = bool(kept & mask_ops)
        mask_ops -= kept
    out = []
    for spec in specs:
        if not isinstance(spec, dict) or spec.get("name") not in mask_ops:
            if isinstance(spec, dict) and isinstance(spec.get("inbound_nodes"), list):
                spec = {**spec, "inbound_nodes": [_drop_mask(node, mask_ops) for node in spec["inbound_nodes"]]}
            out.append(spec)
    return out


def _layer_refs(value):
    """The names of the layers whose tensors ``value`` (part of a recorded call) reads."""
    if isinstance(value, dict) and value.get("class_name") == "__keras_tensor__":
        history = (value.get("config") or {}).get("keras_history")
        return [history[0]] if isinstance(history, list) and history else []
    items = value.values() if isinstance(value, dict) else value if isinstance(value, list) else []
    return [name for item in items for name in _layer_refs(item)]


def _output_names(refs):
    """The layer names in ``output_layers`` ([name, node, tensor] lists, alone or in a list or dict)."""
    if isinstance(refs, dict):
        refs = list(refs.values())
    if isinstance(refs, list) and refs and isinstance(refs[0], str):
        return [refs[0]]
    return [name for ref in refs for name in _output_names(ref)] if isinstance(refs, list) else []


def _drop_mask(node, mask_ops):
    kwargs = node.get("kwargs") if isinstance(node, dict) else None
    if not isinstance(kwargs, dict) or not set(_layer_refs(kwargs.get("mask"))) & mask_ops:
        return node
    return {**node, "kwargs": {key: value for key, value in kwargs.items() if key != "mask"}}


def layer_from_entry(spec, owner, functional_cls=None):
    """The layer an entry of a model's config describes (Keras 3's, tf.keras 2's or dendrite's earlier
    ``{'class_name', 'config'}``): dendrite's own layers and models, classes registered with
    ``register_keras_serializable`` and those of the active ``custom_object_scope``, found by name only.
    A nested functional model is built as ``functional_cls``; a layer with a ``build_config`` is built on that
    shape first, as Keras does (so that a layer first built on data keeps its build shape)."""
    if not isinstance(spec, dict):
        raise ValueError(f"{owner}.from_config: each entry of 'layers' must be a dict; received {_short(spec)}.")
    conf = spec.get("config")
    if spec.get("class_name") == "InputLayer":
        conf = dict(conf or {})
        shape = conf.get("batch_shape", conf.get("batch_input_shape"))
        if not isinstance(shape, (list, tuple)):
            raise ValueError(f"{owner}.from_config: InputLayer '{conf.get('name')}' needs 'batch_shape' (Keras 3) "
                             f"or 'batch_input_shape' (Keras 2); received {_short(conf)}.")
        return InputLayer(batch_shape=tuple(shape), dtype=conf.get("dtype"), name=conf.get("name"))
    if functional_cls is not None and isinstance(conf, dict) and (
            spec.get("class_name") == "Functional" or "input_layers" in conf):
        return functional_from_config(functional_cls, dict(conf))
    keys = ("module", "class_name", "config", "registered_name", "build_config")
    layer = deserialize_keras_object({key: spec[key] for key in keys if key in spec}, module_objects=layer_classes(),
                                     printable_module_name="layer", owner=f"{owner}.from_config")
    if not isinstance(layer, Layer):
        raise ValueError(f"{owner}.from_config: the entry {_short(spec)} gives {layer!r}, which is not a layer. "
                         "Each entry of 'layers' must describe a layer or a model.")
    return layer


def _read_node(node, tensor, owner, name, positional=()):
    """The (args, kwargs) of one recorded call with its tensors, or None while one of them is not made.
    ``positional``: the names of the call's positional arguments after the first (MultiHeadAttention's value
    and key), which Keras 3 records in 'args' and which are passed by name here."""
    missing = []

    def value(v):
        if isinstance(v, dict) and v.get("class_name") == "__keras_tensor__":
            t = tensor((v.get("config") or {}).get("keras_history"))
            if t is None:
                missing.append(v)
            return t
        if isinstance(v, dict):
            return {key: value(item) for key, item in v.items()}
        if isinstance(v, list):
            return [value(item) for item in v]
        return v

    if isinstance(node, dict):  # Keras 3: {"args": [...], "kwargs": {...}}
        args, kwargs = node.get("args") or [], node.get("kwargs") or {}
        if not isinstance(args, list) or not args or not isinstance(kwargs, dict):
            raise ValueError(f"{owner}.from_config: a node of layer '{name}' must have a non-empty 'args' list "
                             f"and a 'kwargs' dict; received {_short(node)}.")
        extra = dict(zip(positional, args[1:]))
        args, kwargs = value(args[0]), value({**kwargs, **extra})
    elif isinstance(node, list) and node:  # tf.keras 2: [[name, node index, tensor index, kwargs], ...]
        refs = [tensor(entry) for entry in node]
        if any(t is None for t in refs):
            return None
        args = refs[0] if len(refs) == 1 else refs
        kwargs = node[0][3] if len(node[0]) > 3 and isinstance(node[0][3], dict) else {}
        kwargs = value(kwargs)
    else:
        raise ValueError(f"{owner}.from_config: cannot read a node of layer '{name}': {_short(node)}.")
    # Keras records the defaults it passed (mask=None, training=None); they change nothing, and a layer whose
    # call takes no such argument would refuse them
    kwargs = {key: value for key, value in kwargs.items() if not (value is None and key in ("mask", "training"))}
    return None if missing else (args, kwargs)


def _short(value, limit=200):
    text = repr(value)
    return text if len(text) <= limit else text[:limit] + "..."
