"""A batch from a generator, dataset or PyDataset made (x, y, sample_weight): unpacked as Keras does, its
structure the same as the first batch's, then the array conversions (model dtypes, floatx, finiteness, equal
lengths), batch by batch."""
from collections.abc import Mapping

from .arrays import check_cardinality, check_finite, standardize_x, standardize_y

_PARTS = ("x", "y", "sample_weight")


def _layout(value):
    if value is None:
        return None
    if isinstance(value, Mapping):
        return ("dict", tuple(value))
    if isinstance(value, (list, tuple)):
        return ("list", len(value))
    return "array"


def _describe(layout):
    given = [(part, each) for part, each in zip(_PARTS, layout) if each is not None]
    shapes = []
    for part, each in given:
        if each == "array":
            shapes.append(f"{part} one array")
        elif each[0] == "dict":
            shapes.append(f"{part} a dict with keys {list(each[1])}")
        else:
            shapes.append(f"{part} a list of {each[1]} arrays")
    return "(" + ", ".join(p for p, _ in given) + ") with " + ", ".join(shapes)


class BatchStandardizer:
    """``(x, y, sample_weight)`` from batch ``index`` of the stream ``name`` (a ``kind``), refusing a batch whose
    structure differs from batch 0's; ``finite``: which of x / y are checked for NaN and inf."""

    def __init__(self, owner, name, kind, input_dtypes=None, finite=()):
        self.owner, self.name, self.kind = owner, name, kind
        self.input_dtypes, self.finite = input_dtypes, finite
        self._layout = None

    def __call__(self, data, index):
        owner, where = self.owner, f"`{self.name}`, a {self.kind},"
        if isinstance(data, list):
            data = tuple(data)  # as Keras: a list is (x, y[, sample_weight])
        if isinstance(data, tuple):
            if not 1 <= len(data) <= 3:
                raise ValueError(f"{owner}: {where} gave batch {index} as a tuple of {len(data)} entries. Each batch "
                                 "must be x, (x,), (x, y) or (x, y, sample_weight); put several inputs or outputs "
                                 "in a list or dict inside it, e.g. ([x1, x2], y).")
            parts = tuple(data) + (None,) * (3 - len(data))
        else:
            parts = (data, None, None)
        layout = tuple(_layout(p) for p in parts)
        if self._layout is None:
            self._layout = layout
        elif layout != self._layout:
            raise ValueError(f"{owner}: {where} gave batch {index} as {_describe(layout)}, but batch 0 as "
                             f"{_describe(self._layout)}. Every batch must have the same structure: make the "
                             f"{self.kind} yield the same tuple of the same kinds of data every time.")
        prefix = "" if self.name == "x" else f"{self.name} "
        labels = [f"{prefix}{part} (batch {index})" for part in _PARTS]
        x = standardize_x(parts[0], owner, labels[0], self.input_dtypes)
        y = None if parts[1] is None else standardize_y(parts[1], owner, labels[1])
        sample_weight = None if parts[2] is None else standardize_y(parts[2], owner, labels[2])
        check_cardinality(x, y, sample_weight, labels)
        if "x" in self.finite:
            check_finite(x, labels[0])
        if "y" in self.finite:
            check_finite(y, labels[1])
        return x, y, sample_weight
