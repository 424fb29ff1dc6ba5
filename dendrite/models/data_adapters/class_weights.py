"""Keras's class_weight: each sample weighted by its class's entry, applied batch by batch by every adapter."""
import warnings
from collections.abc import Mapping

import numpy as np

from ... import backend
from ...utils.validation import is_int, number


def _class_weight_table(class_weight, num_classes, owner):
    """class_weight as an array of one weight per class of the model's output (1 where not given); keys that are
    not class indices of that output, and weights that are not numbers >= 0, are refused."""
    valid = (f"0 to {num_classes - 1}, as the model's output has {num_classes} units" if num_classes > 2
             else "0 and 1, the classes of a binary output")
    table = np.ones(num_classes, dtype=backend.floatx())
    for key, weight in class_weight.items():
        if not is_int(key):
            raise ValueError(f"{owner}: the keys of `class_weight` must be integer class indices ({valid}). Received: "
                             f"key {key!r} (type {type(key).__name__}) in class_weight={class_weight!r}. Labels given "
                             "as strings or floats must be mapped to class indices first.")
        if not 0 <= key < num_classes:
            raise ValueError(f"{owner}: `class_weight` key {key} is not a class of the model's output: the classes "
                             f"are {valid}. Received: class_weight={class_weight!r}. Remove that key, or give the last "
                             "layer one unit per class.")
        table[key] = number(owner, f"class_weight[{key}]", weight, low=0)
    return table


class ClassWeights:
    """``class_weight`` for one run of fit (or one train_on_batch): ``weigh(x, y, sample_weight)`` gives a batch's
    sample weights with each sample's class weight multiplied in. ``num_classes(x)``: the classes of the model's
    output (2 for a single sigmoid unit), asked once, at the first batch, when the model is built. Labels outside
    those classes get weight 1: the loss refuses them."""

    def __init__(self, class_weight, num_classes, owner):
        if not isinstance(class_weight, Mapping):
            raise TypeError(f"{owner}: `class_weight` must be a dict from class index to weight, e.g. "
                            f"{{0: 1.0, 1: 5.0}}. Received: class_weight={class_weight!r} "
                            f"(type {type(class_weight).__name__}).")
        self.class_weight, self.owner = class_weight, owner
        self._num_classes, self._table, self._warned = num_classes, None, set()

    def weigh(self, x, y, sample_weight):
        if y is None:
            raise ValueError(f"{self.owner}: `class_weight` weighs each sample by its class in `y`, but the data has "
                             "no targets. Pass the targets, or drop class_weight.")
        if self._table is None:
            self._table = _class_weight_table(self.class_weight, self._num_classes(x), self.owner)
        table, n = self._table, len(self._table)
        if y.ndim >= 2 and y.shape[-1] > 1:
            classes = y.argmax(axis=-1)
        else:
            classes = np.rint(y.reshape(len(y), -1)[:, 0]).astype(np.int64)
        inside = (classes >= 0) & (classes < n)
        weights = np.ones(len(classes), dtype=table.dtype)
        weights[inside] = table[classes[inside]]
        missing = set(np.unique(classes[inside]).tolist()) - set(self.class_weight) - self._warned
        if missing:
            self._warned |= missing
            warnings.warn(f"class_weight gives no weight for classes {sorted(missing)}; they get weight 1.",
                          stacklevel=4)
        return weights if sample_weight is None else sample_weight * weights
