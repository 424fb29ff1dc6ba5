"""model.summary(): the table tf.keras 2.x prints (line length 65 for Sequential models)."""
import numpy as np

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
    return str(tuple(shape))


def print_summary(model, line_length=None, positions=None, print_fn=None):
    if not model.built:
        raise ValueError(
            f"Model '{model.name}' has not yet been built, so it has no summary. Build it first: give the first "
            "layer input_shape=..., start with Input(shape=...), call model.build(input_shape), or fit it on data."
        )
    print_fn = print_fn or print
    line_length = line_length or 65
    positions = positions or [0.45, 0.85, 1.0]
    if positions[-1] <= 1:
        positions = [int(line_length * p) for p in positions]
    lines = [f'Model: "{model.name}"', "_" * line_length]
    lines += _row(["Layer (type)", "Output Shape", "Param #"], positions)
    lines.append("=" * line_length)
    layers = model.layers
    shape = (None,) + tuple(model._build_shape[1:]) if model._build_shape else None
    chained = type(model).__name__ in ("Sequential", "Functional")
    for i, layer in enumerate(layers):
        # a stack passes each output to the next layer; other models show what each layer last produced
        shape = layer.compute_output_shape(shape) if chained else (layer._output_shape or "multiple")
        params = layer.count_params() if layer.built else 0
        # tf.keras 2 shows a functional model's InputLayer with its output shape in a list: [(None, 4)]
        shown = f"[{_shape_str(shape)}]" if isinstance(layer, InputLayer) else _shape_str(shape)
        lines += _row([f"{layer.name} ({type(layer).__name__})", shown, params], positions)
        lines.append("=" * line_length if i == len(layers) - 1 else "_" * line_length)
    if not layers:
        lines.append("=" * line_length)
    trainable = int(sum(np.prod(w.shape) for w in model.trainable_weights))
    total = int(sum(np.prod(w.shape) for w in model.weights))
    lines += [f"Total params: {total:,}", f"Trainable params: {trainable:,}",
              f"Non-trainable params: {total - trainable:,}", "_" * line_length]
    for line in lines:
        print_fn(line)
