"""tf.data's option records and specs, accepted and kept: ``ThreadingOptions``, ``AutotuneOptions``,
``OptimizationOptions``, ``DistributeOptions`` (each an ``Options`` group whose fields read None until
set), ``ExternalStatePolicy``; ``DatasetSpec`` / ``IteratorSpec`` (the type spec of a dataset or an
iterator over one) and ``NumpyIterator`` (what ``as_numpy_iterator()`` gives). dendrite's pipelines run
the same whatever these say (its only tuning knobs are the ones ``Options`` documents)."""
import enum

from . import structure
from .dataset import Options


class _Group(Options):
    """An option group with known fields (None until set); other names are refused."""

    FIELDS = ()

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        values = object.__getattribute__(self, "_values")
        if name in values:
            return values[name]
        if name in type(self).FIELDS:
            return None
        raise AttributeError(f"tf.data.{type(self).__name__} has no option {name!r}; its options are "
                             f"{', '.join(type(self).FIELDS)}.")

    def __setattr__(self, name, value):
        if name not in type(self).FIELDS:
            raise AttributeError(f"tf.data.{type(self).__name__} has no option {name!r}; its options are "
                                 f"{', '.join(type(self).FIELDS)}.")
        super().__setattr__(name, value)

    def __repr__(self):
        return f"{type(self).__name__}({self._values})"


class ThreadingOptions(_Group):
    FIELDS = ("max_intra_op_parallelism", "private_threadpool_size")


class AutotuneOptions(_Group):
    FIELDS = ("enabled", "cpu_budget", "ram_budget", "autotune_algorithm", "initial_parallelism",
              "min_parallelism")


class OptimizationOptions(_Group):
    FIELDS = ("apply_default_optimizations", "filter_fusion", "filter_parallelization", "inject_prefetch",
              "seq_interleave_prefetch", "map_and_batch_fusion", "map_and_filter_fusion", "map_fusion",
              "map_parallelization", "noop_elimination", "parallel_batch", "shuffle_and_repeat_fusion",
              "warm_start")


class DistributeOptions(_Group):
    FIELDS = ("auto_shard_policy", "num_devices")


class ExternalStatePolicy(enum.Enum):
    """What saving a dataset does with state outside it (stateful functions); dendrite saves elements, so
    the policy is only kept."""
    WARN = 0
    IGNORE = 1
    FAIL = 2


GROUPS = {"threading": ThreadingOptions, "autotune": AutotuneOptions,
          "experimental_optimization": OptimizationOptions, "experimental_distribute": DistributeOptions}


class DatasetSpec:
    """``tf.data.DatasetSpec(element_spec, dataset_shape=())``: the type of a dataset value."""

    def __init__(self, element_spec, dataset_shape=()):
        self._element_spec, self._dataset_shape = element_spec, tuple(dataset_shape)

    @property
    def element_spec(self):
        return self._element_spec

    @property
    def value_type(self):
        from .dataset import Dataset
        return Dataset

    @staticmethod
    def from_value(value):
        return DatasetSpec(value.element_spec)

    def is_compatible_with(self, other):
        other = other if isinstance(other, DatasetSpec) else DatasetSpec.from_value(other)
        return structure.same_nesting(self._element_spec, other._element_spec) and all(
            a.is_compatible_with(b) for a, b in zip(structure.flatten(self._element_spec),
                                                    structure.flatten(other._element_spec)))

    def __eq__(self, other):
        return (isinstance(other, DatasetSpec) and self._element_spec == other._element_spec
                and self._dataset_shape == other._dataset_shape)

    def __hash__(self):
        return hash(repr(self))

    def __repr__(self):
        return f"DatasetSpec({self._element_spec}, TensorShape({list(self._dataset_shape)}))"


class IteratorSpec(DatasetSpec):
    """``tf.data.IteratorSpec(element_spec)``: the type of an iterator over a dataset."""

    def __init__(self, element_spec):
        super().__init__(element_spec)

    @property
    def value_type(self):
        from .iterator import Iterator
        return Iterator

    def __repr__(self):
        return f"IteratorSpec({self._element_spec})"


class NumpyIterator:
    """What ``dataset.as_numpy_iterator()`` gives: the elements as NumPy values, a fresh pass per iterator."""

    def __init__(self, dataset):
        self._dataset = dataset
        self._iterator = iter(dataset._iterate())

    def __iter__(self):
        return self

    def __next__(self):
        return next(self._iterator)

    def next(self):
        return next(self._iterator)

    @property
    def element_spec(self):
        return self._dataset.element_spec

    def __repr__(self):
        return f"<NumpyIterator element_spec={self._dataset.element_spec}>"
