"""The one step through which fit / evaluate / predict and the *_on_batch methods get their batches.

``get_data_adapter`` picks an adapter for what the user passed: arrays (NumPy, lists, dicts, pandas DataFrames
and Series), a Python generator or iterator, a ``utils.PyDataset`` / ``utils.Sequence``, or a dataset-like
object (iterable, with ``cardinality()``). Every adapter has the same interface (see base.DataAdapter):
``first_batch()`` (what the model is built from), ``batches(epoch)`` yielding ``(x, y, sample_weight)`` with
the inputs in the model's dtypes and class weights applied, ``num_batches`` (None when unknown),
``has_data()``, ``reset()``, ``close()`` and the epoch hooks.
"""
from collections.abc import Mapping

from ...utils.py_dataset import PyDataset
from .array_adapter import ArrayAdapter
from .arrays import (_as_array, check_finite, concatenate_batches, first_samples, leaves, map_data, num_samples,
                     standardize_x, standardize_y)
from .class_weights import ClassWeights
from .py_dataset_adapter import PyDatasetAdapter
from .stream_adapter import DatasetAdapter, GeneratorAdapter
from .validation_split import split_validation


def data_kind(x):
    """'PyDataset', 'dataset' or 'generator' for data that is not arrays, else None."""
    if isinstance(x, PyDataset):
        return "PyDataset"
    if isinstance(x, (Mapping, str, bytes)) or hasattr(x, "to_numpy") or hasattr(x, "__array__"):
        return None
    if callable(getattr(x, "cardinality", None)) and hasattr(x, "__iter__"):
        return "dataset"
    if hasattr(x, "__next__") or (hasattr(x, "__iter__") and not hasattr(x, "__len__")):
        return "generator"
    return None


def _refuse_for_streams(owner, name, kind, y, sample_weight, batch_size, batch_size_name):
    for arg, value, what in (("y", y, "targets"), ("sample_weight", sample_weight, "sample weights")):
        if value is not None:
            raise ValueError(f"{owner}: `{arg}` must not be given when `{name}` is a {kind}: the {kind} yields the "
                             f"{what} itself, in (x, y) or (x, y, sample_weight) batches. Received: {arg} of type "
                             f"{type(value).__name__}. Drop `{arg}`, or yield it from the {kind}.")
    if batch_size is not None:
        raise ValueError(f"{owner}: Do not specify `{batch_size_name}` if your data is in the form of a dataset, "
                         f"generator or PyDataset: `{name}` is a {kind}, whose batches are already made. Received: "
                         f"{batch_size_name}={batch_size}. Drop it, and set the batch size where the batches are "
                         "made.")


def get_data_adapter(x, y=None, sample_weight=None, batch_size=None, steps_per_epoch=None, shuffle=False,
                     class_weight=None, *, owner="Model", names=("x", "y", "sample_weight"),
                     steps_name="steps_per_epoch", batch_size_name="batch_size", input_dtypes=None,
                     num_classes=None, finite=(), workers=None, use_multiprocessing=None, max_queue_size=None,
                     arrays_only=False):
    """The adapter for ``x`` (and, for arrays, ``y`` and ``sample_weight``).

    ``owner`` and ``names`` name the method and the arguments in errors; ``steps_name`` / ``batch_size_name``
    the method's own spelling of steps_per_epoch / batch_size; ``input_dtypes`` the model's inputs as (name,
    dtype) pairs (None: not known yet); ``num_classes(x)`` the classes of the model's output (for class_weight);
    ``finite``: which of 'x' / 'y' are refused with NaN or inf (arrays once, streams batch by batch);
    ``workers`` / ``use_multiprocessing`` / ``max_queue_size``: fit's own, for a PyDataset; ``arrays_only``:
    the *_on_batch methods, which take one batch of arrays.
    """
    class_weights = None if class_weight is None else ClassWeights(class_weight, num_classes, owner)
    kind = data_kind(x)
    if kind is None:
        x = standardize_x(x, owner, names[0], input_dtypes)
        y = None if y is None else standardize_y(y, owner, names[1])
        sample_weight = None if sample_weight is None else standardize_y(sample_weight, owner, names[2])
        if "x" in finite:
            check_finite(x, names[0])
        if "y" in finite:
            check_finite(y, names[1])
        return ArrayAdapter(x, y, sample_weight, batch_size, shuffle, steps_per_epoch, names, class_weights)
    name = names[0]
    if arrays_only:
        raise TypeError(f"{owner}: `{name}` must be one batch of arrays (NumPy arrays, lists, dicts or DataFrames). "
                        f"Received: a {kind} ({type(x).__name__}). Take a batch from it first, e.g. "
                        f"{owner.rsplit('.', 1)[-1][:-2]}(*next(iter(data))), or pass it to fit / evaluate / predict.")
    _refuse_for_streams(owner, name, kind, y, sample_weight, batch_size, batch_size_name)
    common = dict(steps=steps_per_epoch, owner=owner, name=name, input_dtypes=input_dtypes,
                  class_weights=class_weights, finite=finite)
    if kind == "PyDataset":
        return PyDatasetAdapter(x, shuffle=shuffle, workers=workers, use_multiprocessing=use_multiprocessing,
                                max_queue_size=max_queue_size, **common)
    if kind == "dataset":
        return DatasetAdapter(x, steps_name=steps_name, **common)
    return GeneratorAdapter(x, **common)


__all__ = ["get_data_adapter", "data_kind", "split_validation", "standardize_x", "standardize_y",
           "concatenate_batches", "first_samples", "num_samples", "leaves", "map_data", "check_finite",
           "_as_array", "ArrayAdapter", "GeneratorAdapter", "DatasetAdapter", "PyDatasetAdapter"]
