"""model.summary(): the table tf.keras 2.x prints (line length 65 for Sequential models); a model not built yet
lists its layers with Keras 3's ``?`` shapes and ``0 (unbuilt)`` parameters."""
import numpy as np

from ..layers import shape_tracing
from ..layers.core import InputLayer


def _row(fields, positions):
    """One table row; long fields wrap onto further lines, as tf.keras does."""
    left = [str(f) for f in fields]
    lines = []
    while any(left):
        line = ""
        for col, text in enumerate(left):
            start = positions[col - 1] if col else 0
            space = 2 if col != len(positions) - 1 else 0
            cutoff = positions[col] - start - space
            piece = text[:cutoff]
            breaks = [piece.find(b) + len(b) for b in ("),", "},", "],", "',") if piece.find(b) >= 0]
            if breaks:
                cutoff = min(breaks)
                piece = piece[:cutoff]
            line += piece + " " * space
            left[col] = text[cutoff:]
            line += " " * (positions[col] - len(line))
        lines.append(line)
    return lines


def _shape_str(shape):
    if isinstance(shape, str):  # 'multiple'
        return shape
    if isinstance(shape, list):
        return str([tuple(s) for s in shape])
    return str(tuple(shape))


def print_summary(model, line_length=None, positions=None, print_fn=None):
    print_fn = print_fn or print
    if not model.built:  # Keras 3: the layers with '?' shapes and '0 (unbuilt)' parameters (tf.keras 2 refused)
        cells = [("?", layer.count_params() if layer.built else "0 (unbuilt)") for layer in model.layers]
        return _print_stack(model, line_length or 65, positions or [0.45, 0.8, 1.0], cells, print_fn)
    if getattr(model, "_chain", True) is None or _shares_layers(model):
        return _print_graph(model, line_length or 98, positions or [0.33, 0.55, 0.67, 1.0], print_fn)
    built_on = model._build_shape
    if isinstance(built_on, dict):  # built on a dict of named features (DenseFeatures first)
        shape = built_on
    else:
        shape = (None,) + tuple(built_on[1:]) if built_on else None
    chained = type(model).__name__ in ("Sequential", "Functional")
    cells = []
    for layer in model.layers:
        # a stack passes each output to the next layer; other models show what each layer last produced
        if chained:
            shape = shape_tracing.recorded_shape(layer) or layer.compute_output_shape(shape)
        else:
            shape = layer._output_shape or "multiple"
        params = layer.count_params() if layer.built else 0
        # tf.keras 2 shows a functional model's InputLayer with its output shape in a list: [(None, 4)]
        cells.append((f"[{_shape_str(shape)}]" if isinstance(layer, InputLayer) else _shape_str(shape), params))
    _print_stack(model, line_length or 65, positions or [0.45, 0.85, 1.0], cells, print_fn)


def _print_stack(model, line_length, positions, cells, print_fn):
    """The table of a stack of layers: one row per layer, with the (shown output shape, parameters) of ``cells``."""
    if positions[-1] <= 1:
        positions = [int(line_length * p) for p in positions]
    lines = [f'Model: "{model.name}"', "_" * line_length]
    lines += _row(["Layer (type)", "Output Shape", "Param #"], positions)
    lines.append("=" * line_length)
    layers = model.layers
    for i, (layer, (shown, params)) in enumerate(zip(layers, cells)):
        lines += _row([f"{layer.name} ({type(layer).__name__})", shown, params], positions)
        lines.append("=" * line_length if i == len(layers) - 1 else "_" * line_length)
    if not layers:
        lines.append("=" * line_length)
    _finish(model, lines, line_length, print_fn)


def _finish(model, lines, line_length, print_fn):
    """The parameter totals under the table, then every line out through ``print_fn``."""
    trainable = int(sum(np.prod(w.shape) for w in model.trainable_weights))
    total = int(sum(np.prod(w.shape) for w in model.weights))
    lines += [f"Total params: {total:,}", f"Trainable params: {trainable:,}",
              f"Non-trainable params: {total - trainable:,}", "_" * line_length]
    for line in lines:
        print_fn(line)


def _shares_layers(model):
    """Whether a chained functional model calls one layer more than once (tf.keras then prints the graph)."""
    chain = getattr(model, "_chain", None)
    return chain is not None and len({id(layer) for layer in chain}) != len(chain)


def _print_graph(model, line_length, positions, print_fn):
    """tf.keras 2's table for a functional model that is not a plain stack: a "Connected to" column
    listing, for each call of the layer in this model, the tensors it read as ``layer[node][tensor]``."""
    if positions[-1] <= 1:
        positions = [int(line_length * p) for p in positions]
    lines = [f'Model: "{model.name}"', "_" * line_length]
    lines += _row(["Layer (type)", "Output Shape", "Param #", "Connected to"], positions)
    lines.append("=" * line_length)
    own = model._node_ids
    layers = model.layers
    for i, layer in enumerate(layers):
        nodes = [n for n in layer._inbound_nodes if id(n) in own]
        shapes = {repr(_node_shape(n)) for n in nodes}
        shape = _node_shape(nodes[0]) if len(shapes) == 1 else "multiple"
        shown = f"[{_shape_str(shape)}]" if isinstance(layer, InputLayer) else (
            shape if isinstance(shape, str) else _shape_str(shape))
        sources = [f"{t.node.layer.name}[{t.node.index}][{t.index}]" for n in nodes for t in n.inputs]
        params = layer.count_params() if layer.built else 0
        lines += _row([f"{layer.name} ({type(layer).__name__})", shown, params, sources[0] if sources else ""],
                      positions)
        for source in sources[1:]:
            lines += _row(["", "", "", source], positions)
        lines.append("=" * line_length if i == len(layers) - 1 else "_" * line_length)
    _finish(model, lines, line_length, print_fn)


def _node_shape(node):
    shapes = [t.shape for t in node.outputs]
    return shapes[0] if len(shapes) == 1 else shapes
