"""SparseTensor components in a dataset, as tf.data holds them: ``from_tensor_slices`` of a SparseTensor gives
its rows (SparseTensors of one rank less), ``batch`` stacks SparseTensors into one of one rank more (each
dimension of the batch's dense_shape the largest of its elements', as TensorFlow does), and ``unbatch``
splits one back into its rows. A component is a ``dendrite.io.sparse.SparseTensor`` with NumPy parts
(compatibility mode hands it out as ``tf.SparseTensor``)."""
import numpy as np

from ..io import sparse as io_sparse
from ..io.sparse import SparseTensor


def is_sparse(x):
    return isinstance(x, SparseTensor)


def plain(x):
    """``x`` (any SparseTensor, tf.SparseTensor's Tensors included) as one with NumPy parts."""
    if type(x) is SparseTensor:
        return x
    return SparseTensor(*[np.asarray(getattr(p, "value", p)) for p in (x.indices, x.values, x.dense_shape)])


class SparseColumn:
    """A SparseTensor sliced along its first axis: ``column[i]`` is row i, ``column[idx]`` the rows ``idx``
    stacked (what ``from_tensor_slices`` then ``batch`` give)."""

    def __init__(self, st):
        if len(st.dense_shape) == 0:
            raise ValueError("Dataset.from_tensor_slices: a SparseTensor to slice must have a first axis; "
                             "received one of dense_shape [].")
        self._st = st
        self.shape = st.shape
        self.ndim = len(self.shape)
        self.dtype = st.values.dtype
        first = st.indices[:, 0]
        self._order = np.argsort(first, kind="stable")
        ordered = first[self._order]
        rows = np.arange(self.shape[0])
        self._starts = np.searchsorted(ordered, rows, side="left")
        self._ends = np.searchsorted(ordered, rows, side="right")

    def __len__(self):
        return self.shape[0]

    def __getitem__(self, idx):
        if isinstance(idx, (int, np.integer)):
            rows = self._order[self._starts[idx]:self._ends[idx]]
            st = self._st
            return SparseTensor(st.indices[rows, 1:], st.values[rows], st.dense_shape[1:])
        idx = np.asarray(idx, dtype=np.int64)
        counts = self._ends[idx] - self._starts[idx]
        total = int(counts.sum())
        begin = np.repeat(self._starts[idx], counts)
        offsets = np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts)
        rows = self._order[begin + offsets]
        st = self._st
        indices = np.concatenate([np.repeat(np.arange(len(idx)), counts)[:, None], st.indices[rows, 1:]], axis=1)
        return SparseTensor(indices, st.values[rows], (len(idx),) + self.shape[1:])


def stack(values, who="batch"):
    """SparseTensors of one rank stacked into one of one rank more (the dense shape the largest of each)."""
    ranks = {len(v.dense_shape) for v in values}
    if len(ranks) != 1:
        raise ValueError(f"Dataset.{who}: cannot batch SparseTensors of different ranks: received dense shapes "
                         f"{sorted({tuple(v.dense_shape.tolist()) for v in values})}. Map them to one rank first.")
    return io_sparse.stack(values, ranks.pop(), values[0].values.dtype)


def rows(st):
    """The rows of a batched SparseTensor (what ``unbatch`` gives)."""
    column = SparseColumn(st)
    return [column[i] for i in range(len(column))]
