"""``tf.RaggedTensor`` and ``tf.ragged``: tensors whose rows have different lengths, as TensorFlow's guide
uses them (``tf.ragged.constant([[1, 2], [3]])``, ``tf.strings.split`` of several strings).

A RaggedTensor is ``values`` (a NumPy array, or another RaggedTensor for a further ragged dimension) cut into
rows by ``row_splits`` (int64: row i is ``values[row_splits[i]:row_splits[i + 1]]``). It answers the
constructors (``from_row_splits`` / ``from_row_lengths`` / ``from_value_rowids`` / ``from_row_starts`` /
``from_row_limits`` / ``from_nested_row_splits`` / ``from_tensor``), ``to_tensor`` / ``to_list`` / ``numpy`` (an
object array of the rows, as TensorFlow's), the row partition (``row_splits``, ``row_lengths()``, ``nrows()``,
``value_rowids()``, ``flat_values``, ``nested_row_splits``, ``ragged_rank``), ``shape`` (None for a ragged
dimension), indexing and iterating rows, elementwise arithmetic with a number, a dense tensor of the
row-broadcast shape or a RaggedTensor of the same row partition, and prints as TensorFlow prints it. The
reductions (``tf.reduce_sum/mean/max/min/prod`` with ``axis``), ``tf.concat`` along any axis, and the
elementwise ``tf.*`` / ``tf.math.*`` functions accept RaggedTensors (``dispatch``). Keras layers do not: a
RaggedTensor given to a layer is refused (convert it with ``to_tensor()``)."""
import numbers

import numpy as np

from ..autodiff import Tensor
from . import dtypes
from .tensor_api import _array


def _plain(x):
    """A dense value as a NumPy array (Tensors unwrapped)."""
    return np.asarray(x.value) if isinstance(x, Tensor) else np.asarray(x)


def _splits(row_splits, who):
    splits = _plain(row_splits)
    if splits.ndim != 1 or splits.size == 0 or splits.dtype.kind not in "iu":
        raise ValueError(f"{who}: `row_splits` must be a non-empty 1-D integer vector; received {splits!r}.")
    if splits[0] != 0 or np.any(np.diff(splits) < 0):
        raise ValueError(f"{who}: `row_splits` must start at 0 and never decrease; received {splits.tolist()}.")
    return splits.astype(np.int64)


def _nrows_of(values):
    return values.nrows_int() if isinstance(values, RaggedTensor) else len(values)


class RaggedTensor:
    """``tf.RaggedTensor``: ``values`` cut into rows by ``row_splits`` (see the module)."""

    def __init__(self, values, row_splits, _checked=False):
        if not _checked:
            values = values if isinstance(values, RaggedTensor) else _plain(values)
            row_splits = _splits(row_splits, "tf.RaggedTensor")
            if not isinstance(values, RaggedTensor) and values.ndim == 0:
                raise ValueError("tf.RaggedTensor: `values` must have at least one dimension; received a scalar.")
            if row_splits[-1] != _nrows_of(values):
                raise ValueError(f"tf.RaggedTensor: the last row split ({int(row_splits[-1])}) must equal the number "
                                 f"of values ({_nrows_of(values)}).")
        self._values, self._row_splits = values, row_splits

    # ---------------------------------------------------------------- constructors
    @classmethod
    def from_row_splits(cls, values, row_splits, name=None, validate=True):
        return cls(values, row_splits)

    @classmethod
    def from_row_lengths(cls, values, row_lengths, name=None, validate=True):
        lengths = _plain(row_lengths).astype(np.int64)
        if np.any(lengths < 0):
            raise ValueError(f"RaggedTensor.from_row_lengths: lengths must not be negative; received "
                             f"{lengths.tolist()}.")
        return cls(values, np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64))

    @classmethod
    def from_row_starts(cls, values, row_starts, name=None, validate=True):
        return cls(values, np.append(_plain(row_starts).astype(np.int64), _nrows_of(_as_values(values))))

    @classmethod
    def from_row_limits(cls, values, row_limits, name=None, validate=True):
        return cls(values, np.concatenate([[0], _plain(row_limits).astype(np.int64)]))

    @classmethod
    def from_value_rowids(cls, values, value_rowids, nrows=None, name=None, validate=True):
        ids = _plain(value_rowids).astype(np.int64)
        if ids.size and (np.any(np.diff(ids) < 0) or ids[0] < 0):
            raise ValueError(f"RaggedTensor.from_value_rowids: `value_rowids` must be sorted and non-negative; "
                             f"received {ids.tolist()}.")
        n = int(ids[-1]) + 1 if nrows is None and ids.size else int(nrows or 0)
        return cls.from_row_lengths(values, np.bincount(ids, minlength=n)[:n] if ids.size else np.zeros(n, np.int64))

    @classmethod
    def from_nested_row_splits(cls, flat_values, nested_row_splits, name=None, validate=True):
        result = _as_values(flat_values)
        for splits in reversed(list(nested_row_splits)):
            result = cls(result, splits)
        return result

    @classmethod
    def from_nested_row_lengths(cls, flat_values, nested_row_lengths, name=None, validate=True):
        result = _as_values(flat_values)
        for lengths in reversed(list(nested_row_lengths)):
            result = cls.from_row_lengths(result, lengths)
        return result

    @classmethod
    def from_tensor(cls, tensor, lengths=None, padding=None, ragged_rank=1, name=None):
        """A dense tensor's rows, cut at ``lengths`` or before a run of ``padding`` at the end of each row."""
        dense = _plain(tensor)
        if dense.ndim < 2:
            raise ValueError(f"RaggedTensor.from_tensor: expected a tensor of rank >= 2; received shape {dense.shape}.")
        if lengths is not None:
            lengths = _plain(lengths).astype(np.int64)
        elif padding is not None:
            pad = _plain(padding)
            keep = ~np.all((dense == pad).reshape(dense.shape[0], dense.shape[1], -1), axis=-1)
            lengths = np.array([np.nonzero(row)[0][-1] + 1 if row.any() else 0 for row in keep], np.int64)
        else:
            lengths = np.full(dense.shape[0], dense.shape[1], np.int64)
        rows = [dense[i, :n] for i, n in enumerate(lengths)]
        values = np.concatenate(rows) if rows else dense[:0, 0]
        return cls.from_row_lengths(values, lengths)

    @classmethod
    def from_sparse(cls, st_input, name=None, row_splits_dtype=np.int64):
        """The rows of a rank-2 SparseTensor whose entries fill each row from its start, in row-major order
        (what a VarLenFeature in sequence_features parses to): row i holds row i's values."""
        from ..io.sparse import SparseTensor
        if not isinstance(st_input, SparseTensor):
            raise TypeError(f"RaggedTensor.from_sparse: Argument `st_input` must be of type SparseTensor, but is of "
                            f"type {type(st_input).__name__}. Use RaggedTensor.from_tensor for a dense tensor.")
        indices, shape = _plain(st_input.indices).astype(np.int64), _plain(st_input.dense_shape)
        if len(shape) != 2:
            raise ValueError(f"RaggedTensor.from_sparse: rank(st_input) must be 2; received dense_shape "
                             f"{shape.tolist()}.")
        rows = indices[:, 0]
        right_ragged = not rows.size or (np.all(np.diff(rows) >= 0) and np.array_equal(
            indices[:, 1], np.arange(len(rows)) - np.searchsorted(rows, rows)))
        if not right_ragged:
            raise ValueError("RaggedTensor.from_sparse: SparseTensor is not right-ragged: the entries of each row "
                             "must sit at columns 0, 1, 2, ... in row-major order (tf.sparse.reorder sorts them); "
                             f"received indices {indices.tolist()}.")
        return cls.from_value_rowids(_plain(st_input.values), rows, nrows=int(shape[0]))

    # ---------------------------------------------------------------- partition
    @property
    def values(self):
        return self._values if isinstance(self._values, RaggedTensor) else Tensor(self._values)

    @property
    def flat_values(self):
        values = self._values
        while isinstance(values, RaggedTensor):
            values = values._values
        return Tensor(values)

    @property
    def row_splits(self):
        return Tensor(self._row_splits)

    @property
    def nested_row_splits(self):
        out, node = [], self
        while isinstance(node, RaggedTensor):
            out.append(Tensor(node._row_splits))
            node = node._values
        return tuple(out)

    @property
    def ragged_rank(self):
        return 1 + (self._values.ragged_rank if isinstance(self._values, RaggedTensor) else 0)

    def nrows_int(self):
        return len(self._row_splits) - 1

    def nrows(self, out_type=None, name=None):
        return Tensor(np.asarray(self.nrows_int(), dtype=np.int64))

    def row_lengths(self, axis=1, name=None):
        axis = _axis(self, axis, "RaggedTensor.row_lengths")
        if axis == 1:
            return Tensor(np.diff(self._row_splits))
        if 1 < axis <= self.ragged_rank:
            inner = self._values.row_lengths(axis - 1)
            return RaggedTensor(inner if isinstance(inner, RaggedTensor) else _plain(inner), self._row_splits,
                                _checked=True)
        raise ValueError(f"RaggedTensor.row_lengths: axis {axis} is not a ragged dimension (1..{self.ragged_rank}).")

    def row_starts(self, name=None):
        return Tensor(self._row_splits[:-1])

    def row_limits(self, name=None):
        return Tensor(self._row_splits[1:])

    def value_rowids(self, name=None):
        return Tensor(np.repeat(np.arange(self.nrows_int(), dtype=np.int64), np.diff(self._row_splits)))

    def _flat(self):
        values = self._values
        while isinstance(values, RaggedTensor):
            values = values._values
        return values

    def _inner_ndim(self):
        return self._flat().ndim - 1

    @property
    def dtype(self):
        return self._flat().dtype

    @property
    def shape(self):
        from .tf_tree import TensorShape
        return TensorShape([self.nrows_int()] + [None] * self.ragged_rank + list(self._flat().shape[1:]))

    def get_shape(self):
        return self.shape

    @property
    def ndim(self):
        return 1 + self.ragged_rank + self._inner_ndim()

    def bounding_shape(self, axis=None, name=None, out_type=None):
        dense_shape = self._padded(0)[0].shape
        shape = np.asarray(dense_shape, np.int64)
        return Tensor(shape if axis is None else shape[axis])

    def with_values(self, new_values):
        return RaggedTensor(new_values, self._row_splits)

    def with_flat_values(self, new_values):
        if isinstance(self._values, RaggedTensor):
            return RaggedTensor(self._values.with_flat_values(new_values), self._row_splits, _checked=True)
        return RaggedTensor(_plain(new_values), self._row_splits)

    # ---------------------------------------------------------------- conversions
    def _rows(self):
        """The rows: NumPy arrays (ragged_rank 1) or RaggedTensors."""
        s = self._row_splits
        return [self._values[s[i]:s[i + 1]] if not isinstance(self._values, RaggedTensor)
                else self._values._slice(s[i], s[i + 1]) for i in range(self.nrows_int())]

    def _slice(self, start, stop):
        """Rows start..stop as a RaggedTensor."""
        splits = self._row_splits[start:stop + 1]
        lo, hi = splits[0], splits[-1]
        values = self._values._slice(lo, hi) if isinstance(self._values, RaggedTensor) else self._values[lo:hi]
        return RaggedTensor(values, splits - lo, _checked=True)

    def to_list(self):
        return [row.to_list() if isinstance(row, RaggedTensor) else row.tolist() for row in self._rows()]

    def numpy(self):
        """As TensorFlow's: rows of different lengths give an object array of the rows (NumPy arrays, or again
        such arrays); rows all of one length give one dense array."""
        rows = [row.numpy() if isinstance(row, RaggedTensor) else row for row in self._rows()]
        if not rows:
            return np.zeros((0, 0) + self._flat().shape[1:], dtype=self.dtype)
        if all(len(row) == len(rows[0]) for row in rows) and all(row.dtype != object or self.dtype == object
                                                                 for row in rows):
            return np.array(rows, dtype=self.dtype)
        out = np.empty(len(rows), dtype=object)
        for i, row in enumerate(rows):
            out[i] = row
        return out

    def _padded(self, default):
        """(dense array padded with ``default``, boolean mask of the real entries)."""
        rows = self._rows()
        parts = [row._padded(default) if isinstance(row, RaggedTensor) else (row, np.ones(row.shape, bool))
                 for row in rows]
        inner = self._flat().shape[1:]
        depth = self.ragged_rank
        lengths = [max([p[0].shape[d] for p in parts], default=0) for d in range(depth)]
        shape = (len(rows), *lengths, *inner)
        dense = np.full(shape, default, dtype=self.dtype)
        mask = np.zeros(shape, bool)
        for i, (values, present) in enumerate(parts):
            index = (i,) + tuple(slice(0, n) for n in values.shape)
            dense[index], mask[index] = values, present
        return dense, mask

    def to_tensor(self, default_value=None, name=None, shape=None):
        if default_value is None:
            default_value = b"" if self.dtype == object else 0
        dense, _ = self._padded(_plain(default_value).item() if np.ndim(_plain(default_value)) == 0
                                else default_value)
        if shape is not None:
            target = [dense.shape[i] if d is None or d == -1 else int(d) for i, d in enumerate(shape)]
            out = np.full(target, default_value, dtype=dense.dtype)
            region = tuple(slice(0, min(a, b)) for a, b in zip(target, dense.shape))
            out[region] = dense[region]
            dense = out
        return Tensor(dense)

    # ---------------------------------------------------------------- Python protocol
    def __getitem__(self, key):
        if not isinstance(key, tuple):
            key = (key,)
        first, rest = key[0], key[1:]
        if isinstance(first, (numbers.Integral, np.integer)) or (isinstance(first, Tensor) and
                                                                 np.ndim(first.value) == 0):
            i = int(_plain(first))
            n = self.nrows_int()
            if not -n <= i < n:
                raise IndexError(f"RaggedTensor: row {i} is out of range for {n} rows.")
            row = self._rows()[i]
            if rest:
                return row[rest] if isinstance(row, RaggedTensor) else Tensor(np.asarray(row[rest]))
            return row if isinstance(row, RaggedTensor) else Tensor(row)
        if isinstance(first, slice):
            picked = range(self.nrows_int())[first]
            if picked.step == 1:
                result = self._slice(picked.start, max(picked.stop, picked.start))
            else:
                result = _stack_rows([self._rows()[i] for i in picked], self._values)
            if not rest:
                return result
            rows = [row[rest] if isinstance(row, RaggedTensor) else row[rest] for row in result._rows()]
            rows = [r if isinstance(r, RaggedTensor) else _plain(r) for r in rows]
            if all(np.ndim(r) == 0 for r in rows):
                return Tensor(np.asarray(rows, dtype=self.dtype))
            return _stack_rows(rows, self._values)
        if first is Ellipsis and not rest:
            return self
        raise TypeError(f"RaggedTensor: indexing with {key!r} is not supported; index rows with an integer or a "
                        "slice (rt[0], rt[1:3], rt[0, 1], rt[:, :2]).")

    def __iter__(self):
        for i in range(self.nrows_int()):
            yield self[i]

    def __bool__(self):
        raise TypeError("The truth value of a RaggedTensor is ambiguous; compare its values explicitly.")

    def __repr__(self):
        return f"<tf.RaggedTensor {self.to_list()}>"

    __str__ = __repr__

    def __array__(self, dtype=None, copy=None):
        raise TypeError("A RaggedTensor cannot be converted to a NumPy array directly (its rows differ in length); "
                        "use rt.to_tensor() for a padded array or rt.numpy() for an object array of the rows.")

    # ---------------------------------------------------------------- arithmetic
    def _binary(self, other, op, reverse=False):
        a, b = _aligned(self, other, getattr(op, "__name__", "op"))
        result = op(b, a) if reverse else op(a, b)
        return self.with_flat_values(np.asarray(result))

    def __neg__(self):
        return self.with_flat_values(-self._flat())

    def __abs__(self):
        return self.with_flat_values(np.abs(self._flat()))

    def __invert__(self):
        return self.with_flat_values(~self._flat())


def _binary_method(op, reverse=False):
    def method(self, other):
        return self._binary(other, op, reverse)
    return method


for _name, _op in (("add", np.add), ("sub", np.subtract), ("mul", np.multiply), ("truediv", np.true_divide),
                   ("floordiv", np.floor_divide), ("mod", np.mod), ("pow", np.power), ("and", np.logical_and),
                   ("or", np.logical_or)):
    setattr(RaggedTensor, f"__{_name}__", _binary_method(_op))
    setattr(RaggedTensor, f"__r{_name}__", _binary_method(_op, reverse=True))
for _name, _op in (("lt", np.less), ("le", np.less_equal), ("gt", np.greater), ("ge", np.greater_equal)):
    setattr(RaggedTensor, f"__{_name}__", _binary_method(_op))


def _as_values(values):
    return values if isinstance(values, RaggedTensor) else _plain(values)


def _same_partition(a, b):
    if a.ragged_rank != b.ragged_rank:
        return False
    return all(np.array_equal(x.value, y.value) for x, y in zip(a.nested_row_splits, b.nested_row_splits))


def _aligned(rt, other, what):
    """(rt's flat values, ``other`` as values aligned with them) for an elementwise operation."""
    flat = rt._flat()
    if isinstance(other, RaggedTensor):
        if not _same_partition(rt, other):
            raise ValueError(f"RaggedTensor {what}: the two ragged tensors have different row partitions "
                             f"({rt.to_list()!r:.80} and {other.to_list()!r:.80}); elementwise operations need the "
                             "same row lengths.")
        return flat, other._flat()
    dense = _plain(other)
    if dense.ndim <= flat.ndim - 1 or dense.ndim == 0:  # a number, or the shape of the uniform inner dimensions
        return flat, dense
    if rt.ragged_rank == 1 and dense.ndim == rt.ndim and dense.shape[0] in (1, rt.nrows_int()) and dense.shape[1] == 1:
        per_row = np.broadcast_to(dense, (rt.nrows_int(),) + dense.shape[1:])
        return flat, np.repeat(per_row[:, 0], np.diff(rt._row_splits), axis=0)
    raise ValueError(f"RaggedTensor {what}: a dense operand of shape {dense.shape} does not broadcast against the "
                     f"ragged shape {tuple(rt.shape)}; give a number, a tensor of shape {tuple(flat.shape[1:])}, "
                     f"one of shape ({rt.nrows_int()}, 1), or a RaggedTensor with the same row lengths.")


def _concat0(parts):
    """Values (NumPy arrays or RaggedTensors) joined along their first dimension."""
    if all(isinstance(p, RaggedTensor) for p in parts):
        offsets = np.cumsum([0] + [int(p._row_splits[-1]) for p in parts[:-1]])
        splits = np.concatenate([parts[0]._row_splits[:1]] + [p._row_splits[1:] + o for p, o in zip(parts, offsets)])
        return RaggedTensor(_concat0([p._values for p in parts]), splits, _checked=True)
    if any(isinstance(p, RaggedTensor) for p in parts):
        raise ValueError("tf.concat: cannot join ragged and dense values of different ranks.")
    return np.concatenate(parts, axis=0)


def _stack_rows(rows, like):
    """A RaggedTensor whose rows are ``rows`` (arrays or RaggedTensors); ``like``: an empty row's kind."""
    if not rows:
        empty = like._slice(0, 0) if isinstance(like, RaggedTensor) else np.asarray(like)[:0]
        return RaggedTensor(empty, np.zeros(1, np.int64), _checked=True)
    lengths = [_nrows_of(r) if isinstance(r, RaggedTensor) else len(r) for r in rows]
    return RaggedTensor(_concat0(rows), np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64), _checked=True)


def _axis(rt, axis, who):
    if not isinstance(axis, (numbers.Integral, np.integer)):
        raise TypeError(f"{who}: `axis` must be an integer for a RaggedTensor; received {axis!r}.")
    axis = int(axis) + (rt.ndim if axis < 0 else 0)
    if not 0 <= axis < rt.ndim:
        raise ValueError(f"{who}: axis out of range for a RaggedTensor of rank {rt.ndim}.")
    return axis


def constant(pylist, dtype=None, ragged_rank=None, inner_shape=None, name=None, row_splits_dtype="int64"):
    """``tf.ragged.constant``: a nested Python list as a RaggedTensor (dense dimensions as ``inner_shape`` /
    ``ragged_rank`` say; by default every dimension after the first is ragged)."""
    def depth(x):
        if isinstance(x, (list, tuple)) or (isinstance(x, np.ndarray) and x.ndim):
            return 1 + max((depth(v) for v in x), default=0)
        return 0
    total = depth(pylist)
    if total < 1:
        raise ValueError(f"tf.ragged.constant: expected a nested list; received {pylist!r:.80}.")
    inner = 0 if inner_shape is None else len(inner_shape)
    rank = total - 1 - inner if ragged_rank is None else int(ragged_rank)
    if rank < 1 and total > 1:
        rank = 1
    if total == 1:
        raise ValueError(f"tf.ragged.constant: a flat list has no ragged dimension; use tf.constant({pylist!r:.60}).")

    def build(items, level):
        if level == 0:
            try:
                return _array([list(v) if isinstance(v, tuple) else v for v in items] if items else
                              np.zeros((0,) + tuple(inner_shape or ()), dtype=np.float32), dtype)
            except ValueError:
                raise ValueError(f"tf.ragged.constant: the values below ragged_rank={rank} must have one shape; "
                                 f"received {items!r:.80}. Use a larger ragged_rank.") from None
        lengths = [len(v) for v in items]
        flat = [x for v in items for x in v]
        return RaggedTensor(build(flat, level - 1), np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64),
                            _checked=True)
    result = build(list(pylist), rank)
    if dtype is None and result._flat().size == 0:
        result = result.with_flat_values(result._flat().astype(np.float32))
    return result


def ragged_range(starts, limits=None, deltas=1, dtype=None, name=None, row_splits_dtype="int64"):
    """``tf.ragged.range``: row i is ``range(starts[i], limits[i], deltas[i])``."""
    if limits is None:
        starts, limits = 0, starts
    s, l, d = np.broadcast_arrays(_plain(starts), _plain(limits), _plain(deltas))
    rows = [np.arange(a, b, c) for a, b, c in zip(s.reshape(-1), l.reshape(-1), d.reshape(-1))]
    dtype = dtypes.as_dtype(dtype) if dtype is not None else np.result_type(s, l, d)
    return _stack_rows([r.astype(dtype) for r in rows], np.zeros(0, dtype))


def targets():
    """What compatibility mode changes in dendrite for ragged outputs: TextVectorization(ragged=True) gives a
    tf.RaggedTensor (dendrite's own API gives a list of arrays)."""
    from ..layers import text_vectorization
    return [(text_vectorization, "RAGGED_OUTPUT", lambda values, lengths: RaggedTensor.from_row_lengths(
        values, np.asarray(lengths, np.int64)))]
