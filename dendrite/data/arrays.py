"""The vectorised array path: ``from_tensor_slices`` over arrays, and the stages that only reorder or
select its elements (shuffle, take, skip, shard, repeat, cache), work on index plans: streams of int64
index chunks into the source arrays. ``batch`` over a plan gathers each batch with one fancy index per
array, so a shuffled, batched pass over arrays does no per-element Python work.
"""
import numpy as np

from . import cardinality as counts
from . import sparse, structure
from .dataset import Dataset, check_count
from .passes import first_pass_kept, repeated
from .shuffle import buffer_shuffle_indices, check_buffer_size, epoch_rng

CHUNK = 1 << 16


class PlanDataset(Dataset):
    """A dataset whose elements are rows of the source arrays, chosen by ``_chunks()``."""

    def __init__(self, source):
        self._source = source
        self._leaves = source._leaves
        self._template = source._template

    def _chunks(self):
        raise NotImplementedError

    def _spec(self):
        return self._source._spec()

    def _inputs(self):
        return [self._input] if hasattr(self, "_input") else []

    def gather(self, idx):
        """The elements at the int array ``idx`` stacked: one fancy index per source array."""
        leaves = [leaf[idx] for leaf in self._leaves]
        return leaves[0] if self._template is None else structure.pack_as(self._template, leaves)

    def _iterate(self):
        return self._elements(self._chunks())

    def _elements(self, chunks):
        """The elements at the int arrays ``chunks``, one at a time."""
        leaves, template = self._leaves, self._template
        for chunk in chunks:
            if template is None:
                leaf = leaves[0]
                for i in chunk.tolist():
                    yield leaf[i]
            else:
                for i in chunk.tolist():
                    yield structure.pack_as(template, [leaf[i] for leaf in leaves])


class ArraySource(PlanDataset):
    def __init__(self, tensors):
        element = structure.to_element(tensors)
        leaves = [sparse.SparseColumn(leaf) if sparse.is_sparse(leaf) else leaf for leaf in structure.flatten(element)]
        for k, leaf in enumerate(leaves):
            if leaf.ndim == 0:
                where = "" if len(leaves) == 1 else f" (component {k} of {structure.describe(element)})"
                raise ValueError(f"Dataset.from_tensor_slices: the tensors to slice must have a first axis; "
                                 f"a scalar has none{where}. Received a value of shape (). Use "
                                 "Dataset.from_tensors for a single element.")
        lengths = [len(leaf) for leaf in leaves]
        if len(set(lengths)) > 1:
            shapes = ", ".join(str(leaf.shape) for leaf in leaves)
            raise ValueError(f"Dataset.from_tensor_slices: all components must have the same size in their "
                             f"first axis; received shapes {shapes} in the structure "
                             f"{structure.describe(element)}. Slice them to the same number of rows.")
        self._leaves = leaves
        self._template = element if structure.is_structure(element) else None
        self._source = self
        self._n = lengths[0]

    def _chunks(self):
        for start in range(0, self._n, CHUNK):
            yield np.arange(start, min(start + CHUNK, self._n), dtype=np.int64)

    def _cardinality(self):
        return self._n

    def _spec(self):
        specs = [(structure.SparseTensorSpec if isinstance(leaf, sparse.SparseColumn) else structure.TensorSpec)(
            leaf.shape[1:], leaf.dtype) for leaf in self._leaves]
        return specs[0] if self._template is None else structure.pack_as(self._template, specs)


class PlanTake(PlanDataset):
    def __init__(self, input_dataset, count):
        super().__init__(input_dataset._source)
        self._input, self._count = input_dataset, check_count("take", "count", count)

    def _cardinality(self):
        return counts.take(self._input._cardinality(), self._count)

    def _chunks(self):
        left = self._count
        if left < 0:
            yield from self._input._chunks()
            return
        for chunk in self._input._chunks():
            if left <= 0:
                return
            yield chunk[:left]
            left -= len(chunk)


class PlanSkip(PlanDataset):
    def __init__(self, input_dataset, count):
        super().__init__(input_dataset._source)
        self._input, self._count = input_dataset, check_count("skip", "count", count)

    def _cardinality(self):
        return counts.skip(self._input._cardinality(), self._count)

    def _chunks(self):
        if self._count < 0:
            return
        left = self._count
        for chunk in self._input._chunks():
            if left > 0:
                chunk, left = chunk[left:], left - len(chunk)
            if len(chunk):
                yield chunk


def check_shard(num_shards, index):
    num_shards = check_count("shard", "num_shards", num_shards, allow_negative=False)
    index = check_count("shard", "index", index, allow_negative=False)
    if num_shards < 1 or index >= num_shards:
        raise ValueError(f"Dataset.shard: `index` must be in [0, num_shards) and `num_shards` at least 1. "
                         f"Received: num_shards={num_shards}, index={index}.")
    return num_shards, index


class PlanShard(PlanDataset):
    def __init__(self, input_dataset, num_shards, index):
        super().__init__(input_dataset._source)
        self._input = input_dataset
        self._num, self._index = check_shard(num_shards, index)

    def _cardinality(self):
        return counts.shard(self._input._cardinality(), self._num, self._index)

    def _chunks(self):
        position = 0  # the stream position of the chunk's first element
        for chunk in self._input._chunks():
            first = (self._index - position) % self._num
            position += len(chunk)
            if first < len(chunk):
                yield chunk[first::self._num]


class PlanRepeat(PlanDataset):
    def __init__(self, input_dataset, count=None):
        super().__init__(input_dataset._source)
        self._input = input_dataset
        self._count = -1 if count is None else check_count("repeat", "count", count)

    def _cardinality(self):
        return counts.repeat(self._input._cardinality(), self._count)

    def _chunks(self):
        return repeated(self._input._chunks, self._count)


class PlanShuffle(PlanDataset):
    def __init__(self, input_dataset, buffer_size, seed=None, reshuffle_each_iteration=None):
        super().__init__(input_dataset._source)
        self._input = input_dataset
        self._buffer = check_buffer_size(buffer_size)
        self._rng = epoch_rng(seed, reshuffle_each_iteration, "shuffle")

    def _cardinality(self):
        return self._input._cardinality()

    def _chunks(self):
        return buffer_shuffle_indices(self._input._chunks(), self._buffer, self._rng())


class PlanCache(PlanDataset):
    """cache() over a plan: the index chunks of the first full pass, replayed (the arrays are in memory)."""

    def __init__(self, input_dataset):
        super().__init__(input_dataset._source)
        self._input, self._kept = input_dataset, None

    def _cardinality(self):
        return self._input._cardinality()

    def _chunks(self):
        return first_pass_kept(self, self._input._chunks)


class PlanBatch(Dataset):
    """batch() over a plan: index chunks regrouped into batches, each gathered at once."""

    def __init__(self, input_dataset, batch_size, drop_remainder=False):
        from .batching import check_batch_size
        self._input = input_dataset
        self._size = check_batch_size("batch", batch_size)
        self._drop = bool(drop_remainder)

    def _inputs(self):
        return [self._input]

    def _cardinality(self):
        return counts.batch(self._input._cardinality(), self._size, self._drop)

    def _spec(self):
        from .batching import batched_spec
        return batched_spec(self._input.element_spec, self._size if self._drop else None)

    def _iterate(self):
        from .batching import stack_elements
        from .rows import IndexPass, batched
        # this is a generator, so a shuffle's draws for the pass start when the pass does, as before
        pieces = IndexPass(self._input, self._input._chunks()).pieces()
        yield from batched(pieces, self._size, self._drop, stack_elements)
