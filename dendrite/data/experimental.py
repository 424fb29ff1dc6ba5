"""``data.experimental`` (tf.data.experimental): the transformations under their experimental names, most as
functions of a dataset for ``dataset.apply(...)`` (``group_by_window``, ``dense_to_ragged_batch``,
``map_and_batch``, ...), the sources (``Counter``, ``from_list``, ``choose_from_datasets``, ``CsvDataset``,
``make_csv_dataset``), ``get_single_element`` / ``at`` / ``get_structure`` and the option records."""
import numpy as np

from . import structure
from .autoshard import AutoShardPolicy
from .csv import CsvDataset, make_csv_dataset
from .dataset import AUTOTUNE, INFINITE_CARDINALITY, UNKNOWN_CARDINALITY, Dataset, Options
from .grouping import GroupByReducer, Reducer
from .iterator import Optional
from .options import (AutotuneOptions, DistributeOptions, ExternalStatePolicy, OptimizationOptions,
                      ThreadingOptions)



def cardinality(dataset):
    """dataset.cardinality()."""
    return dataset.cardinality()


def assert_cardinality(expected_cardinality):
    """For dataset.apply: declares the length (checked while iterating)."""
    from .transforms import AssertCardinality
    return lambda dataset: AssertCardinality(dataset, expected_cardinality)


def group_by_window(key_func, reduce_func, window_size=None, window_size_func=None):
    return lambda ds: ds.group_by_window(key_func, reduce_func, window_size, window_size_func)


def bucket_by_sequence_length(element_length_func, bucket_boundaries, bucket_batch_sizes, padded_shapes=None,
                              padding_values=None, pad_to_bucket_boundary=False, no_padding=False,
                              drop_remainder=False):
    return lambda ds: ds.bucket_by_sequence_length(element_length_func, bucket_boundaries, bucket_batch_sizes,
                                                   padded_shapes, padding_values, pad_to_bucket_boundary,
                                                   no_padding, drop_remainder)


def take_while(predicate):
    return lambda ds: ds.take_while(predicate)


def ignore_errors(log_warning=False):
    return lambda ds: ds.ignore_errors(log_warning)


def choose_from_datasets(datasets, choice_dataset, stop_on_empty_dataset=False):
    """As Dataset.choose_from_datasets, but an empty chosen dataset is passed over by default (TensorFlow's
    experimental default)."""
    return Dataset.choose_from_datasets(datasets, choice_dataset, stop_on_empty_dataset)


def sample_from_datasets(datasets, weights=None, seed=None, stop_on_empty_dataset=False):
    return Dataset.sample_from_datasets(datasets, weights, seed, stop_on_empty_dataset)


def rejection_resample(class_func, target_dist, initial_dist=None, seed=None):
    return lambda ds: ds.rejection_resample(class_func, target_dist, initial_dist, seed)


def dense_to_ragged_batch(batch_size, drop_remainder=False, row_splits_dtype=np.int64):
    return lambda ds: ds.ragged_batch(batch_size, drop_remainder, row_splits_dtype)


def dense_to_sparse_batch(batch_size, row_shape):
    return lambda ds: ds.sparse_batch(batch_size, row_shape)


def scan(initial_state, scan_func):
    return lambda ds: ds.scan(initial_state, scan_func)


def unique():
    return lambda ds: ds.unique()


def enumerate_dataset(start=0):
    return lambda ds: ds.enumerate(start)


def unbatch():
    return lambda ds: ds.unbatch()


def get_single_element(dataset):
    if not isinstance(dataset, Dataset):
        raise TypeError(f"get_single_element: `dataset` must be a Dataset. Received: {type(dataset).__name__}.")
    return dataset.get_single_element()


def map_and_batch(map_func, batch_size, num_parallel_batches=None, drop_remainder=False, num_parallel_calls=None):
    """map then batch (the fused form TensorFlow 1 had)."""
    if num_parallel_batches is not None and num_parallel_calls is not None:
        raise ValueError("map_and_batch: give `num_parallel_batches` or `num_parallel_calls`, not both.")
    calls = num_parallel_calls if num_parallel_calls is not None else (
        None if num_parallel_batches is None else num_parallel_batches * int(batch_size))
    return lambda ds: ds.map(map_func, num_parallel_calls=calls).batch(batch_size, drop_remainder)


def parallel_interleave(map_func, cycle_length, block_length=1, sloppy=False, buffer_output_elements=None,
                        prefetch_input_elements=None):
    """interleave with ``cycle_length`` inputs at once (``sloppy=True``: order not kept)."""
    return lambda ds: ds.interleave(map_func, cycle_length, block_length, num_parallel_calls=cycle_length,
                                    deterministic=not sloppy)


def shuffle_and_repeat(buffer_size, count=None, seed=None):
    return lambda ds: ds.shuffle(buffer_size, seed).repeat(count)


def Counter(start=0, step=1, dtype=np.int64):  # noqa: N802 - TensorFlow's name
    return Dataset.counter(start, step, dtype)


def group_by_reducer(key_func, reducer):
    return lambda ds: GroupByReducer(ds, key_func, reducer)


def get_structure(dataset_or_iterator):
    """The element_spec of a dataset or an iterator over one."""
    spec = getattr(dataset_or_iterator, "element_spec", None)
    if spec is None:
        raise TypeError("get_structure: expected a Dataset or an iterator over one. Received: "
                        f"{type(dataset_or_iterator).__name__}.")
    return spec


def from_list(elements, name=None):
    """A dataset of the given elements (of one structure), in order."""
    from .batching import stack_elements
    elements = [structure.output_element(structure.to_element(e)) for e in elements]
    if not elements:
        raise ValueError("from_list: `elements` must not be empty (an empty list has no element structure).")
    for k, e in enumerate(elements):
        if not structure.same_nesting(e, elements[0]):
            raise ValueError(f"from_list: every element must have one structure; element 0 is "
                             f"{structure.describe(elements[0])} but element {k} is {structure.describe(e)}.")
    return Dataset.from_tensor_slices(stack_elements(elements, "from_list"))


def pad_to_cardinality(cardinality, mask_key="valid"):
    """For dataset.apply: a dataset of dicts padded with zero elements up to ``cardinality``, each element with
    a boolean ``mask_key`` saying whether it is real."""
    def apply(ds):
        spec = ds.element_spec
        if not isinstance(spec, dict):
            raise TypeError(f"pad_to_cardinality: the elements must be dicts. Received element_spec {spec}.")
        if mask_key in spec:
            raise ValueError(f"pad_to_cardinality: the elements already have the key {mask_key!r}; choose "
                             "another mask_key.")
        n = int(ds.cardinality())
        if n < 0:
            raise ValueError("pad_to_cardinality: the dataset's cardinality must be known; it is "
                             f"{'infinite' if n == INFINITE_CARDINALITY else 'unknown'}. Use "
                             "assert_cardinality first.")
        if n > cardinality:
            raise ValueError(f"pad_to_cardinality: the dataset has {n} elements, more than the cardinality "
                             f"{cardinality} to pad to.")
        for s in structure.flatten(spec):
            if s.shape is None or None in s.shape:
                raise ValueError(f"pad_to_cardinality: every component needs a fully known shape to pad; got {s}.")

        def zero(s):
            return np.zeros(s.shape, s.dtype) if s.dtype != structure.STRING else np.full(s.shape, b"", object)
        pad = structure.map_structure(zero, spec)
        real = ds.map(lambda x: dict(x, **{mask_key: np.True_}))
        fill = Dataset.from_tensors(dict(pad, **{mask_key: np.False_})).repeat(cardinality - n)
        return real.concatenate(fill)
    return apply


def at(dataset, index):
    """The element at ``index`` of ``dataset``."""
    index = int(index)
    n = int(dataset.cardinality())
    if index < 0 or (n >= 0 and index >= n):
        raise ValueError(f"at: index {index} is out of range for a dataset of {n} elements.")
    return dataset.skip(index).take(1).get_single_element()


def save(dataset, path, compression=None, shard_func=None, checkpoint_args=None):
    dataset.save(path, compression, shard_func, checkpoint_args)


def load(path, element_spec=None, compression=None, reader_func=None, wait=False):
    return Dataset.load(path, element_spec, compression, reader_func, wait)


def snapshot(path, compression="AUTO", reader_func=None, shard_func=None):
    return lambda ds: ds.snapshot(path, compression, reader_func, shard_func)


def get_next_as_optional(iterator):
    return iterator.get_next_as_optional()


def RandomDataset(seed=None):  # noqa: N802 - TensorFlow's (deprecated) name
    return Dataset.random(seed)


__all__ = ["AUTOTUNE", "INFINITE_CARDINALITY", "UNKNOWN_CARDINALITY", "Options", "AutoShardPolicy", "Optional",
           "cardinality", "assert_cardinality", "group_by_window", "bucket_by_sequence_length", "take_while",
           "ignore_errors", "choose_from_datasets", "sample_from_datasets", "rejection_resample",
           "dense_to_ragged_batch", "dense_to_sparse_batch", "scan", "unique", "enumerate_dataset", "unbatch",
           "get_single_element", "map_and_batch", "parallel_interleave", "shuffle_and_repeat", "Counter",
           "Reducer", "group_by_reducer", "get_structure", "from_list", "pad_to_cardinality", "at", "save",
           "load", "snapshot", "get_next_as_optional", "RandomDataset", "CsvDataset", "make_csv_dataset",
           "ThreadingOptions", "AutotuneOptions", "OptimizationOptions", "DistributeOptions",
           "ExternalStatePolicy"]
