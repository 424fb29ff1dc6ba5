"""``Dataset``: the base class of every pipeline stage, its constructors and methods (each builds the
stage from the module that holds its idea), cardinality, element_spec and options.

A stage implements ``_iterate()`` (a fresh Python iterator over its elements, already as iteration hands
them out), ``_cardinality()`` and, where it knows it without running, ``_spec()``.
"""
import numpy as np

from . import structure
from ..utils.validation import is_int

AUTOTUNE = -1
INFINITE_CARDINALITY = -1
UNKNOWN_CARDINALITY = -2


class Cardinality(int):
    """An element count; ``.numpy()`` gives it as TensorFlow's scalar tensor would."""

    def numpy(self):
        return np.int64(self)


class Options:
    """tf.data.Options: accepted and kept (attributes of any name, nested groups made on first use);
    ``deterministic`` is honoured by parallel map and interleave when their own argument is left out, and
    dendrite's ``experimental_map_workers`` ('auto', 'threads' or 'processes') chooses parallel map's
    workers. A stage sees the options set on it or on the datasets before it."""

    def __init__(self):
        object.__setattr__(self, "_values", {})

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        values = object.__getattribute__(self, "_values")
        if name not in values:
            from .options import GROUPS
            values[name] = GROUPS.get(name, Options)()
        return values[name]

    def __setattr__(self, name, value):
        self._values[name] = value

    def _get(self, name, default=None):
        value = self._values.get(name, default)
        return default if isinstance(value, Options) else value

    def merge(self, other):
        merged = Options()
        for source in (self, other):
            for k, v in source._values.items():
                if isinstance(v, Options) and isinstance(merged._values.get(k), Options):
                    merged._values[k] = merged._values[k].merge(v)
                else:
                    merged._values[k] = v
        return merged

    def __eq__(self, other):
        return isinstance(other, Options) and self._values == other._values

    def __repr__(self):
        return f"Options({self._values})"


def _cardinality_of(count):
    return count if count in (INFINITE_CARDINALITY, UNKNOWN_CARDINALITY) else int(count)


class _StaticOrBound:
    """A method that works both as ``Dataset.zip(a, b)`` and as ``a.zip(b)``. Given one structure of datasets
    (``a.zip((b, c))``) it is TensorFlow's static method, which leaves ``a`` out."""

    def __init__(self, fn):
        self.fn = fn
        self.__doc__ = fn.__doc__

    def __get__(self, obj, owner):
        if obj is None:
            return self.fn

        def bound(*args, **kwargs):
            if len(args) == 1 and isinstance(args[0], (tuple, list, dict)):
                return self.fn(*args, **kwargs)
            return self.fn(obj, *args, **kwargs)
        return bound


class Dataset:
    """A tf.data-style input pipeline over NumPy values.

    Build one from data (``from_tensor_slices``, ``from_generator``, ``range``, files), chain methods
    (``map``, ``shuffle``, ``batch``, ``prefetch``, ...) and iterate it: each ``iter()`` is a fresh pass.
    """

    _options = None

    # --------------------------------------------------------------------------------- for stages
    def _iterate(self):
        raise NotImplementedError

    def _cardinality(self):
        return UNKNOWN_CARDINALITY

    def _spec(self):
        """The element spec, found by running the pipeline for one element (stages that know it
        statically override this)."""
        for element in self._iterate():
            return structure.spec_of(element)
        raise ValueError(f"{type(self).__name__}: cannot tell the element_spec of an empty dataset whose "
                         "stages do not declare it; give the source an explicit signature.")

    def _inputs(self):
        return []

    def _index_pass(self):
        """The next pass as a ``rows.IndexPass`` (stacked arrays and index chunks into them) when this
        stage can serve it so, else None (the element path)."""
        return None

    def _pieces(self):
        """The next pass as a stream of elements and ``rows.Rows`` (chunks of rows that batch gathers
        whole)."""
        index_pass = self._index_pass()
        yield from (self._iterate() if index_pass is None else index_pass.pieces())

    # ------------------------------------------------------------------------------- iteration
    def __iter__(self):
        return iter(self._iterate())

    def as_numpy_iterator(self):
        """An iterator over the elements as NumPy values (what iterating the dataset itself gives)."""
        from .options import NumpyIterator
        return NumpyIterator(self)

    def __bool__(self):
        return True

    def __len__(self):
        n = self._cardinality()
        if n == INFINITE_CARDINALITY:
            raise TypeError("The dataset is infinite (cardinality INFINITE_CARDINALITY, e.g. after repeat()); "
                            "it has no length. Use take(n) for a finite one.")
        if n == UNKNOWN_CARDINALITY:
            raise TypeError("The dataset length is unknown (e.g. after filter() or from_generator()). "
                            "Iterate it to count, or use dataset.apply(data.experimental.assert_cardinality(n)).")
        return int(n)

    def cardinality(self):
        """The number of elements; ``INFINITE_CARDINALITY`` (-1) or ``UNKNOWN_CARDINALITY`` (-2)."""
        return Cardinality(self._cardinality())

    @property
    def element_spec(self):
        """The nesting of the elements with a ``TensorSpec`` per component."""
        if not hasattr(self, "_element_spec"):
            self._element_spec = self._spec()
        return self._element_spec

    def options(self):
        merged = Options()
        for d in self._inputs():
            merged = merged.merge(d.options())
        return merged.merge(self._options) if self._options is not None else merged

    def with_options(self, options):
        if not isinstance(options, Options):
            raise TypeError(f"Dataset.with_options: `options` must be a data.Options. Received: {options!r}.")
        from .transforms import Passthrough
        out = Passthrough(self)
        out._options = options
        return out

    def __repr__(self):
        try:
            spec = self.element_spec
        except Exception:  # noqa: BLE001 - a repr must not fail
            spec = "?"
        return f"<{type(self).__name__} element_spec={spec}>"

    # ----------------------------------------------------------------------------- constructors
    @staticmethod
    def from_tensor_slices(tensors, name=None):
        """A dataset of the slices of ``tensors`` along their first axis (arrays, lists, DataFrame
        columns; tuples and dicts of them, nested)."""
        from .arrays import ArraySource
        return ArraySource(tensors)

    @staticmethod
    def from_tensors(tensors, name=None):
        """A dataset of one element: ``tensors`` itself."""
        from .sources import Tensors
        return Tensors(tensors)

    @staticmethod
    def from_generator(generator, output_types=None, output_shapes=None, args=None, output_signature=None,
                       name=None):
        """A dataset of what ``generator(*args)`` yields, called afresh for every pass and checked
        against ``output_signature`` (or ``output_types`` / ``output_shapes``)."""
        from .sources import Generator
        return Generator(generator, output_types, output_shapes, args, output_signature)

    @staticmethod
    def range(*args, output_type=np.int64, name=None):
        """``range(stop)``, ``range(start, stop[, step])`` as a dataset of int64 scalars."""
        from .sources import Range
        return Range(args, output_type)

    @_StaticOrBound
    def zip(*datasets, name=None):
        """A dataset of tuples (or dicts, or the nesting given) of elements taken together from
        ``datasets``; it stops at the shortest. ``Dataset.zip(a, b)``, ``Dataset.zip((a, b))`` and
        ``a.zip(b)`` are the same."""
        from .sources import Zip
        if len(datasets) == 1 and not isinstance(datasets[0], Dataset):
            datasets = datasets[0]
        return Zip(datasets)

    @staticmethod
    def list_files(file_pattern, shuffle=None, seed=None, name=None):
        """A dataset of the file names matching ``file_pattern`` (a glob or a list of them), shuffled
        unless ``shuffle=False``."""
        from .files import list_files
        return list_files(file_pattern, shuffle, seed)

    @staticmethod
    def sample_from_datasets(datasets, weights=None, seed=None, stop_on_empty_dataset=False):
        from .sources import SampleFrom
        return SampleFrom(datasets, weights, seed, stop_on_empty_dataset)

    # ---------------------------------------------------------------------------------- methods
    def concatenate(self, dataset, name=None):
        from .sources import Concatenate
        return Concatenate(self, dataset)

    def map(self, map_func, num_parallel_calls=None, deterministic=None, name=None):
        """``map_func`` applied to every element (a tuple element is passed as positional arguments).

        With ``num_parallel_calls`` (a count, or AUTOTUNE: one per CPU, at least 2) it runs on that many
        workers, in chunks of elements, the results in input order unless ``deterministic=False``. The
        workers are forked processes (Python code runs at once on several cores) or threads (only code that
        releases the GIL, NumPy's loops and I/O, runs at once), as ``options.experimental_map_workers``
        says: 'processes', 'threads' or 'auto' (the default: a few elements are timed first, and processes
        are used where the platform forks and the function is slow enough to pay for them; see
        parallel.ParallelMap). In processes the function's side effects stay in the workers, and each
        element is mapped with the random generators seeded from the pass and its position, so that a fixed
        ``utils.set_random_seed`` repeats them."""
        if num_parallel_calls is None:
            from .transforms import Map
            return Map(self, map_func)
        from .parallel import ParallelMap
        return ParallelMap(self, map_func, num_parallel_calls, deterministic)

    def filter(self, predicate, name=None):
        from .transforms import Filter
        return Filter(self, predicate)

    def flat_map(self, map_func, name=None):
        from .transforms import FlatMap
        return FlatMap(self, map_func)

    def interleave(self, map_func, cycle_length=None, block_length=None, num_parallel_calls=None,
                   deterministic=None, name=None):
        from .parallel import Interleave
        return Interleave(self, map_func, cycle_length, block_length, num_parallel_calls, deterministic)

    def batch(self, batch_size, drop_remainder=False, num_parallel_calls=None, deterministic=None, name=None):
        """Consecutive elements stacked into batches of ``batch_size`` (the last one smaller unless
        ``drop_remainder``)."""
        from .arrays import PlanDataset, PlanBatch
        from .batching import Batch
        cls = PlanBatch if isinstance(self, PlanDataset) else Batch
        return cls(self, batch_size, drop_remainder)

    def unbatch(self, name=None):
        from .batching import Unbatch
        return Unbatch(self)

    def padded_batch(self, batch_size, padded_shapes=None, padding_values=None, drop_remainder=False, name=None):
        from .batching import PaddedBatch
        return PaddedBatch(self, batch_size, padded_shapes, padding_values, drop_remainder)

    def rebatch(self, batch_size, drop_remainder=False, name=None):
        from .batching import Rebatch
        return Rebatch(self, batch_size, drop_remainder)

    def shuffle(self, buffer_size, seed=None, reshuffle_each_iteration=None, name=None):
        """A buffer shuffle: a buffer of ``buffer_size`` elements, a random one emitted and replaced by
        the next; a fresh order on every pass unless ``reshuffle_each_iteration=False``."""
        from .arrays import PlanDataset, PlanShuffle
        from .shuffle import Shuffle
        cls = PlanShuffle if isinstance(self, PlanDataset) else Shuffle
        return cls(self, buffer_size, seed, reshuffle_each_iteration)

    def repeat(self, count=None, name=None):
        """The dataset ``count`` times over (forever when None or -1), each time a fresh pass."""
        return self._plan_or("Repeat", count)

    def take(self, count, name=None):
        return self._plan_or("Take", count)

    def skip(self, count, name=None):
        return self._plan_or("Skip", count)

    def shard(self, num_shards, index, name=None):
        """Every ``num_shards``-th element, starting at ``index``."""
        return self._plan_or("Shard", num_shards, index)

    def _plan_or(self, kind, *args):
        from . import arrays, transforms
        from .arrays import PlanDataset
        module = arrays if isinstance(self, PlanDataset) else transforms
        return getattr(module, ("Plan" if module is arrays else "") + kind)(self, *args)

    def cache(self, filename="", name=None):
        """The elements kept after the first full pass (in memory, or in files at ``filename`` that a
        later pass, or process, reads instead of the source)."""
        from .arrays import PlanDataset, PlanCache
        from .cache import Cache
        if not filename and isinstance(self, PlanDataset):
            return PlanCache(self)
        return Cache(self, filename)

    def prefetch(self, buffer_size, name=None):
        """Elements prepared by a background thread, up to ``buffer_size`` ahead (AUTOTUNE: 2)."""
        from .parallel import Prefetch
        return Prefetch(self, buffer_size)

    def enumerate(self, start=0, name=None):
        from .transforms import Enumerate
        return Enumerate(self, start)

    def window(self, size, shift=None, stride=1, drop_remainder=False, name=None):
        """Windows of ``size`` elements every ``shift`` elements, ``stride`` apart; each window is a
        Dataset (a tuple or dict of Datasets when the elements are)."""
        from .transforms import Window
        return Window(self, size, shift, stride, drop_remainder)

    def scan(self, initial_state, scan_func, name=None):
        """``scan_func(state, element) -> (new_state, output)`` carried over the elements."""
        from .transforms import Scan
        return Scan(self, initial_state, scan_func)

    def bucket_by_sequence_length(self, element_length_func, bucket_boundaries, bucket_batch_sizes,
                                  padded_shapes=None, padding_values=None, pad_to_bucket_boundary=False,
                                  no_padding=False, drop_remainder=False, name=None):
        from .batching import bucket_by_sequence_length
        return bucket_by_sequence_length(self, element_length_func, bucket_boundaries, bucket_batch_sizes,
                                         padded_shapes, padding_values, pad_to_bucket_boundary, no_padding,
                                         drop_remainder)

    def take_while(self, predicate, name=None):
        """The elements up to (not including) the first for which ``predicate`` is False."""
        from .selection import TakeWhile
        return TakeWhile(self, predicate)

    def ignore_errors(self, log_warning=False, name=None):
        """The elements whose map / filter functions did not raise (see selection.IgnoreErrors)."""
        from .selection import IgnoreErrors
        return IgnoreErrors(self, log_warning)

    @staticmethod
    def choose_from_datasets(datasets, choice_dataset, stop_on_empty_dataset=True):
        """Element k from ``datasets[c_k]``, ``c_k`` the k-th int64 of ``choice_dataset``."""
        from .selection import ChooseFrom
        return ChooseFrom(datasets, choice_dataset, stop_on_empty_dataset)

    @staticmethod
    def counter(start=0, step=1, dtype=np.int64, name=None):
        """start, start + step, ... without end."""
        from .counters import Counter
        return Counter(start, step, dtype)

    @staticmethod
    def random(seed=None, rerandomize_each_iteration=None, name=None):
        """Endless pseudorandom int64 values (see counters.Random)."""
        from .counters import Random
        return Random(seed, rerandomize_each_iteration)

    def group_by_window(self, key_func, reduce_func, window_size=None, window_size_func=None, name=None):
        """Windows of elements of one key, each given to ``reduce_func(key, window_dataset)``."""
        from .grouping import GroupByWindow
        return GroupByWindow(self, key_func, reduce_func, window_size, window_size_func)

    def rejection_resample(self, class_func, target_dist, initial_dist=None, seed=None, name=None):
        """``(class, element)`` pairs resampled toward ``target_dist`` (see resample.py)."""
        from .resample import RejectionResample
        return RejectionResample(self, class_func, target_dist, initial_dist, seed)

    def ragged_batch(self, batch_size, drop_remainder=False, row_splits_dtype=np.int64, name=None):
        """Batches whose components of varying shape are RaggedTensors (see ragged.py)."""
        from .ragged import RaggedBatch
        return RaggedBatch(self, batch_size, drop_remainder, row_splits_dtype)

    def sparse_batch(self, batch_size, row_shape, name=None):
        """Batches of elements of varying shape as SparseTensors of dense shape ``[batch] + row_shape``."""
        from .ragged import SparseBatch
        return SparseBatch(self, batch_size, row_shape)

    def save(self, path, compression=None, shard_func=None, checkpoint_args=None):
        """Every element written under the directory ``path`` in dendrite's format (see saving.py)."""
        from .saving import save
        save(self, path, compression, shard_func, checkpoint_args)

    @staticmethod
    def load(path, element_spec=None, compression=None, reader_func=None, wait=False):
        """A dataset saved by ``save(path)``."""
        from .saving import load
        return load(path, element_spec, compression, reader_func, wait)

    def snapshot(self, path, compression="AUTO", reader_func=None, shard_func=None, name=None):
        """The first complete pass written under ``path``; later passes and runs read it."""
        from .saving import Snapshot
        return Snapshot(self, path, compression, shard_func)

    def fingerprint(self):
        """A uint64 identifying how the pipeline was built (not TensorFlow's value)."""
        from .saving import fingerprint
        return fingerprint(self)

    def unique(self, name=None):
        from .transforms import Unique
        return Unique(self)

    def apply(self, transformation_func):
        out = transformation_func(self)
        if not isinstance(out, Dataset):
            raise TypeError(f"Dataset.apply: `transformation_func` must return a Dataset. Received: {out!r} "
                            f"from {getattr(transformation_func, '__name__', transformation_func)!r}.")
        return out

    def reduce(self, initial_state, reduce_func, name=None):
        """``reduce_func(state, element)`` folded over the elements; the final state."""
        state = structure.output_element(structure.to_element(initial_state))
        for element in self._iterate():
            state = structure.output_element(structure.to_element(reduce_func(state, element)))
        return state

    def get_single_element(self, name=None):
        it = self._iterate()
        for first in it:
            for _ in it:
                raise ValueError("Dataset.get_single_element: the dataset has more than one element.")
            return first
        raise ValueError("Dataset.get_single_element: the dataset is empty.")


def check_count(who, name, value, allow_negative=True):
    """An element count argument as an int (-1 allowed where tf.data takes it as 'all')."""
    if hasattr(value, "numpy") and not isinstance(value, np.ndarray):
        value = value.numpy()
    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value.item()
    if not is_int(value) or (not allow_negative and value < 0):
        raise ValueError(f"Dataset.{who}: `{name}` must be {'an' if allow_negative else 'a non-negative'} "
                         f"integer. Received: {name}={value!r}.")
    return int(value)
