"""Batching elements of different shapes without padding: ``ragged_batch`` (a component whose shape varies
becomes a ``tf.RaggedTensor`` of the batch, one of fixed shape a dense batch, as TensorFlow's
``dense_to_ragged_batch``) and ``sparse_batch`` (each element's entries, zeros included, stored in one
SparseTensor of dense shape ``[batch] + row_shape``)."""
import numpy as np

from . import cardinality as counts
from . import sparse, structure
from .batching import check_batch_size, groups, stack
from .dataset import check_count
from .transforms import Passthrough


class RaggedTensorSpec(structure.TensorSpec):
    """The shape, dtype and ragged rank of a RaggedTensor component (``tf.RaggedTensorSpec``)."""

    def __init__(self, shape, dtype="float32", ragged_rank=1, row_splits_dtype=np.int64, name=None):
        super().__init__(shape, dtype, name)
        self.ragged_rank, self.row_splits_dtype = int(ragged_rank), np.dtype(row_splits_dtype)

    @property
    def value_type(self):
        from ..compat.tf_ragged import RaggedTensor
        return RaggedTensor

    def __repr__(self):
        shape = "<unknown>" if self.shape is None else list(self.shape)
        return (f"RaggedTensorSpec(TensorShape({shape}), {structure.dtype_name(self.dtype)}, {self.ragged_rank}, "
                f"{self.row_splits_dtype.name})")


def _ragged_rank(spec):
    """How many leading dimensions of an element are ragged in the batch: up to the last unknown one."""
    if spec.shape is None:
        return None
    unknown = [i for i, d in enumerate(spec.shape) if d is None]
    return 0 if not unknown else unknown[-1] + 1


def ragged_stack(values, rank, row_splits_dtype, who):
    """Arrays of one rank whose first ``rank`` dimensions vary, as a RaggedTensor of the batch."""
    from ..compat.tf_ragged import RaggedTensor
    arrays = [np.asarray(v) for v in values]
    ranks = {a.ndim for a in arrays}
    if len(ranks) != 1 or 0 in ranks:
        raise ValueError(f"Dataset.{who}: the elements of a ragged component must all have one rank of at least 1; "
                         f"received shapes {sorted({a.shape for a in arrays})}.")
    inner = {a.shape[rank:] for a in arrays}
    if len(inner) != 1:
        raise ValueError(f"Dataset.{who}: dimensions past the ragged ones must agree; received shapes "
                         f"{sorted({a.shape for a in arrays})}.")
    flat = np.concatenate([a.reshape((-1,) + a.shape[rank:]) for a in arrays])
    lengths = []
    for level in range(rank):
        lengths.append(np.array([d for a in arrays for d in _lengths_at(a, level)], dtype=row_splits_dtype))
    return RaggedTensor.from_nested_row_lengths(flat, lengths)


def _lengths_at(a, level):
    """The row lengths of ``a`` at nesting ``level`` (its dimension ``level``, once per row above it)."""
    return [a.shape[level]] * int(np.prod(a.shape[:level], dtype=np.int64))


def _varying(column):
    """How many leading dimensions vary among the values (a spec seen from one element says none do)."""
    shapes = [np.shape(v) for v in column]
    if len(set(shapes)) == 1:
        return 0
    if len({len(s) for s in shapes}) != 1:
        return len(shapes[0]) or 1  # ranks differ: ragged_stack refuses it
    return max(i for i in range(len(shapes[0])) if len({s[i] for s in shapes}) > 1) + 1


class RaggedBatch(Passthrough):
    def __init__(self, input_dataset, batch_size, drop_remainder=False, row_splits_dtype=np.int64):
        super().__init__(input_dataset)
        self._size = check_batch_size("ragged_batch", batch_size)
        self._drop = bool(drop_remainder)
        self._splits = structure.as_dtype(row_splits_dtype)
        if self._splits not in (np.dtype(np.int32), np.dtype(np.int64)):
            raise TypeError(f"Dataset.ragged_batch: `row_splits_dtype` must be int32 or int64. Received: "
                            f"{row_splits_dtype!r}.")

    def _cardinality(self):
        return counts.batch(self._input._cardinality(), self._size, self._drop)

    def _spec(self):
        """The first batch's spec (a spec read from one element cannot say which dimensions vary): ragged
        components as RaggedTensorSpecs, the batch dimension known only with ``drop_remainder``."""
        dim = self._size if self._drop else None
        for batch in self._iterate():
            def one(value):
                if hasattr(value, "row_splits"):
                    rank = getattr(value, "ragged_rank", 1)
                    inner = tuple(np.shape(value.flat_values)[1:])
                    return RaggedTensorSpec((dim,) + (None,) * rank + inner, value.dtype, rank, self._splits)
                spec = structure.TensorSpec.from_value(value)
                return type(spec)((dim,) + tuple(spec.shape[1:]), spec.dtype)
            return structure.map_structure(one, batch) if structure.is_structure(batch) else one(batch)
        from .batching import batched_spec
        return batched_spec(self._input.element_spec, dim)

    def _iterate(self):
        specs = structure.flatten(self._input.element_spec)
        for group in groups(self._input._iterate(), self._size, self._drop):
            columns = list(zip(*[structure.flatten(e) for e in group]))
            out = []
            for column, spec in zip(columns, specs):
                rank = max(_ragged_rank(spec) or 0, _varying(column))
                out.append(ragged_stack(column, rank, self._splits, "ragged_batch") if rank
                           else stack(list(column), "ragged_batch"))
            yield structure.pack_as(group[0], out) if structure.is_structure(group[0]) else out[0]


class SparseBatch(Passthrough):
    def __init__(self, input_dataset, batch_size, row_shape):
        super().__init__(input_dataset)
        self._size = check_batch_size("sparse_batch", batch_size)
        if hasattr(row_shape, "numpy") and not isinstance(row_shape, np.ndarray):
            row_shape = row_shape.numpy()
        shape = [row_shape] if np.ndim(row_shape) == 0 else list(np.asarray(row_shape).ravel())
        self._row_shape = [check_count("sparse_batch", "row_shape", d) for d in shape]
        spec = input_dataset.element_spec
        if structure.is_structure(spec):
            raise TypeError("Dataset.sparse_batch: the elements must be single tensors, not structures; received "
                            f"element_spec {spec}. Map the dataset to one component first.")

    def _cardinality(self):
        return counts.batch(self._input._cardinality(), self._size, False)

    def _spec(self):
        s = self._input.element_spec
        shape = (None,) + tuple(None if d < 0 else d for d in self._row_shape)
        return structure.SparseTensorSpec(shape, s.dtype)

    def _iterate(self):
        rank = len(self._row_shape)
        for group in groups(self._input._iterate(), self._size, False):
            arrays = [np.asarray(v, dtype=object if isinstance(v, bytes) else None) for v in group]
            for a in arrays:
                if a.ndim != rank:
                    raise ValueError(f"Dataset.sparse_batch: `row_shape` {self._row_shape} has rank {rank}, but an "
                                     f"element has shape {a.shape}; they must have the same rank.")
            biggest = [max((a.shape[d] for a in arrays), default=0) for d in range(rank)]
            shape = [b if s < 0 else s for s, b in zip(self._row_shape, biggest)]
            for a in arrays:
                if any(n > s for n, s in zip(a.shape, shape)):
                    raise ValueError(f"Dataset.sparse_batch: an element of shape {a.shape} does not fit in "
                                     f"row_shape {self._row_shape}. Raise row_shape, or give -1 for a dimension "
                                     "that takes the largest in the batch.")
            indices = [np.concatenate([np.full((a.size, 1), i), np.indices(a.shape).reshape(rank, -1).T], axis=1)
                       for i, a in enumerate(arrays)]
            values = np.concatenate([a.ravel() for a in arrays])
            yield sparse.SparseTensor(np.concatenate(indices).astype(np.int64), values,
                                      [len(arrays)] + shape)
