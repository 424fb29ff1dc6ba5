"""What ``dendrite train csv`` learns from the training rows before the network sees them: which columns are
numbers and which are categories, the scaling of the numbers (min-max to [0, 1] as seed 003 does, or
standardisation), the categories of each categorical column, and the target's task and classes.

Everything here is learned on the training part only; the validation rows are encoded with it as new data
would be. The statistics end up inside the saved model (see tabular.model), so nothing here is needed at
prediction time except ``input_name`` (the model's input for a column) and the CSV reader.
"""
import re

import numpy as np

from .table import CSVError, is_number

SCALINGS = ("minmax", "standard")
TASKS = ("regression", "classification")
MAX_CATEGORIES = 50


def input_name(column):
    """The model's input name for a CSV column: letters, digits and '_' ('fixed acidity' -> 'fixed_acidity')."""
    name = re.sub(r"\W+", "_", column.strip()).strip("_")
    return name or "column"


class FeaturePlan:
    """The feature columns (``numeric`` and ``categorical`` names in file order), the numbers' scaling as
    Normalization's ``mean`` and ``variance`` (min-max: the minimum and the squared range), and the
    categories of each categorical column (sorted)."""

    def __init__(self, numeric, categorical, mean, variance, scaling):
        self.numeric, self.categorical = numeric, categorical
        self.mean, self.variance, self.scaling = mean, variance, scaling

    @property
    def columns(self):
        return self.numeric + list(self.categorical)


def feature_columns(table, target, ignore=()):
    """The columns that feed the network: all but the target and the ignored ones, each checked usable:
    numeric, or text with few enough distinct values to one-hot encode."""
    for name in ignore:
        table.column(name, "column to ignore")
    columns = [n for n in table.names if n != target and n not in ignore]
    if not columns:
        raise CSVError(f"{table.path}: no feature columns are left besides the target {target!r}; the network "
                       "needs at least one input column.")
    numeric, categorical = [], []
    # a column of (nearly) one value per row is free text or an identifier, not a category
    limit = min(MAX_CATEGORIES, len(table) // 2) if len(table) >= 10 else MAX_CATEGORIES
    for name in columns:
        if table.is_numeric(name):
            numeric.append(name)
            continue
        distinct = sorted(set(table.cells[name]))
        if len(distinct) > limit:
            example = ", ".join(repr(v) for v in distinct[:3])
            raise CSVError(f"{table.path}: column {name!r} is not numeric and has {len(distinct)} distinct values "
                           f"in {len(table)} rows ({example}, ...), too many to one-hot encode (at most {limit} "
                           f"here). Leave it out with --ignore {name!r}, or turn it into numbers or a few "
                           "categories first.")
        categorical.append(name)
    seen = {}
    for name in columns:
        key = input_name(name)
        if key in seen:
            raise CSVError(f"{table.path}: columns {seen[key]!r} and {name!r} both become the model input {key!r}. "
                           "Rename one of them in the header.")
        seen[key] = name
    return numeric, categorical


def plan_features(train, numeric, categorical, scaling="minmax"):
    """Learn the scaling of ``numeric`` and the categories of ``categorical`` from the ``train`` Table."""
    if scaling not in SCALINGS:
        raise ValueError(f"plan_features: `scaling` must be one of {SCALINGS}; received scaling={scaling!r}.")
    mean = variance = None
    if numeric:
        x = np.stack([train.numbers(n) for n in numeric], axis=1)
        if scaling == "minmax":
            low, spread = x.min(axis=0), x.max(axis=0) - x.min(axis=0)
            mean, variance = low, spread ** 2
        else:
            mean, variance = x.mean(axis=0), x.var(axis=0)
        variance = np.where(variance > 0, variance, 1.0)  # a constant column: shifted to 0, not divided by 0
    categories = {n: sorted(set(train.cells[n])) for n in categorical}
    return FeaturePlan(numeric, categories, mean, variance, scaling)


def model_inputs(table, numeric, categorical):
    """The rows of ``table`` as the model's dict of inputs: one (rows, 1) array per column, float32 for the
    numeric columns and str for the categorical ones."""
    out = {input_name(n): table.numbers(n).astype(np.float32)[:, None] for n in numeric}
    out.update({input_name(n): table.strings(n)[:, None] for n in categorical})
    return out


def class_label(value):
    """A class label as text; numbers written plainly (5.0 -> '5')."""
    try:
        return format(float(value), "g")
    except ValueError:
        return value


class TargetPlan:
    """The target column, the task, and for classification its classes (labels as text, in order)."""

    def __init__(self, name, task, classes=None):
        self.name, self.task, self.classes = name, task, classes

    def encode(self, table):
        """The target of ``table``'s rows: float32 values, or class indices (int64)."""
        cells = table.column(self.name, "target column")
        if self.task == "regression":
            return table.numbers(self.name).astype(np.float32)
        index = {c: i for i, c in enumerate(self.classes)}
        return np.array([index[class_label(v)] for v in cells], dtype=np.int64)

    def to_json(self):
        return {"target": self.name, "task": self.task, "classes": self.classes}


def plan_target(table, name, task=None):
    """The target column checked for the task: a numeric column for regression; at least two classes for
    classification. ``task`` None: regression for a numeric column, classification otherwise."""
    table.column(name, "target column")
    numeric = table.is_numeric(name)
    task = task or ("regression" if numeric else "classification")
    if task not in TASKS:
        raise ValueError(f"plan_target: `task` must be one of {TASKS}; received task={task!r}.")
    if task == "regression":
        if not numeric:
            bad = next(v for v in table.cells[name] if not is_number(v))
            raise CSVError(f"{table.path}: regression needs a numeric target, but column {name!r} holds {bad!r}. "
                           "Use --task classification to predict its classes.")
        return TargetPlan(name, task)
    labels = {class_label(v) for v in table.cells[name]}
    classes = sorted(labels, key=float) if numeric else sorted(labels)
    if len(classes) < 2:
        raise CSVError(f"{table.path}: the target {name!r} has a single class ({classes[0]!r}) in all "
                       f"{len(table)} rows; classification needs at least two. Use data with more classes, or "
                       "--task regression for a number.")
    return TargetPlan(name, task, classes)


def split_rows(n, validation_split, seed=0):
    """Shuffled row indices (train, validation) with ``validation_split`` of the rows (at least one) held out."""
    if not 0 < validation_split < 1:
        raise ValueError(f"split_rows: `validation_split` must be between 0 and 1; received {validation_split!r}.")
    if n < 2:
        raise CSVError(f"the file has {n} row; a train/validation split needs at least 2 (and many more to learn).")
    order = np.random.default_rng(seed).permutation(n)
    held = min(n - 1, max(1, int(round(n * validation_split))))
    return np.sort(order[held:]), np.sort(order[:held])
