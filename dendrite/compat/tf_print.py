"""How TensorFlow writes values in ``tf.print`` and ``tf.strings.format``: numbers in the fewest digits that
read back as the same value among two precisions (6 then 9 significant digits for float32 and float16, 15 then 17
for float64), booleans as 1 / 0, strings in double quotes, and each axis longer than twice ``summarize``
(3 by default; -1 for all) cut to its first and last ``summarize`` entries around '...'. Python lists, tuples and
dicts are written as Python writes them, with any tensors inside written as above."""
import sys

import numpy as np

from ..autodiff import Tensor


def _float(value, short, long, kind):
    for digits in (short, long):
        text = "%.*g" % (digits, value)
        if not np.isfinite(value) or kind(float(text)) == kind(value):
            return text
    return text


def scalar(value):
    """One element as TensorFlow writes it."""
    if isinstance(value, (bytes, np.bytes_)):
        return '"' + bytes(value).decode("utf-8", "replace") + '"'
    if isinstance(value, str):
        return f'"{value}"'
    kind = np.asarray(value).dtype
    if kind == np.bool_:
        return "1" if value else "0"
    if kind.kind == "f":
        return _float(float(value), 15, 17, float) if kind == np.float64 else \
            _float(float(value), 6, 9, np.float32)
    if kind.kind == "c":
        return str(complex(value))
    return str(value)


def array_text(array, summarize=3):
    """An array as TensorFlow writes it: nested brackets, axes cut around '...' past 2 * summarize entries."""
    array = np.asarray(array)
    if array.ndim == 0:
        return scalar(array[()])
    cut = 3 if summarize is None else int(summarize)

    def rows(a, depth):
        n = a.shape[0]
        picked = list(range(n)) if cut < 0 or n <= 2 * cut else [*range(cut), None, *range(n - cut, n)]
        if a.ndim == 1:
            return "[" + " ".join("..." if i is None else scalar(a[i]) for i in picked) + "]"
        gap = "\n" * (a.ndim - 1) + " " * (depth + 1)
        return "[" + gap.join("..." if i is None else rows(a[i], depth + 1) for i in picked) + "]"
    return rows(array, 0)


def text(value, summarize=3):
    """Any value of tf.print's: a Tensor (or array) as above, Python structures with their tensors inside."""
    if isinstance(value, Tensor):
        return array_text(np.asarray(value.value), summarize)
    if isinstance(value, np.ndarray):
        return array_text(value, summarize)
    if isinstance(value, list):
        return "[" + ", ".join(text(v, summarize) for v in value) + "]"
    if isinstance(value, tuple):
        return "(" + ", ".join(text(v, summarize) for v in value) + ("," if len(value) == 1 else "") + ")"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k!r}: {text(v, summarize)}" for k, v in value.items()) + "}"
    return str(value)


def print(*inputs, sep=" ", end="\n", output_stream=None, summarize=None, name=None):  # noqa: A001
    """``tf.print``: the values written as TensorFlow writes them, to stderr by default as TensorFlow does."""
    stream = output_stream if hasattr(output_stream, "write") else sys.stderr
    if output_stream is not None and not hasattr(output_stream, "write"):
        stream = sys.stdout if "stdout" in str(output_stream) else sys.stderr
    if len(inputs) == 1 and isinstance(inputs[0], Tensor) and np.ndim(inputs[0].value) == 0 \
            and np.asarray(inputs[0].value).dtype.kind in "SUO":
        value = np.asarray(inputs[0].value)[()]  # a lone string scalar is written as it is, as TensorFlow does
        stream.write((value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)) + end)
        return
    stream.write(sep.join(text(x, summarize) for x in inputs) + end)


def format(template, inputs, placeholder="{}", summarize=3, name=None):  # noqa: A001
    """``tf.strings.format``: ``template`` with each ``placeholder`` replaced by the next input, written as tf.print
    writes it; a scalar string Tensor."""
    values = list(inputs) if isinstance(inputs, (list, tuple)) else [inputs]
    pieces = str(template).split(placeholder)
    if len(pieces) - 1 != len(values):
        raise ValueError(f"tf.strings.format: the template has {len(pieces) - 1} placeholder(s) {placeholder!r} "
                         f"but {len(values)} input(s) were given; give one input per placeholder.")
    out = pieces[0] + "".join(text(v, summarize) + piece for v, piece in zip(values, pieces[1:]))
    return Tensor(np.array(out.encode("utf-8"), dtype=object))
