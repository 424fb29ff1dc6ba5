"""Batching stages over elements: batch, unbatch, padded_batch, rebatch and bucket_by_sequence_length
(batch over arrays is arrays.PlanBatch, one gather per batch)."""
import bisect

import numpy as np

from . import cardinality as counts
from . import sparse, structure
from .dataset import check_count
from .rows import batched
from .transforms import Passthrough, call, check_callable, function_name, note


def check_batch_size(who, batch_size):
    size = check_count(who, "batch_size", batch_size, allow_negative=False)
    if size < 1:
        raise ValueError(f"Dataset.{who}: `batch_size` must be a positive integer. Received: batch_size={batch_size!r}.")
    return size


def batched_spec(spec, dim=None):
    def one(s):
        return type(s)(None if s.shape is None else (dim,) + s.shape, s.dtype, s.name)
    return structure.map_structure(one, spec) if structure.is_structure(spec) else one(spec)


def _component(spec_or_element, k):
    return "" if not structure.is_structure(spec_or_element) else f" in component {k} of {structure.describe(spec_or_element)}"


def stack(values, who="batch", where=""):
    """Values of one component stacked on a new first axis (text as an object array)."""
    first = values[0]
    if sparse.is_sparse(first):
        return sparse.stack(values, who)
    if isinstance(first, bytes) or (isinstance(first, np.ndarray) and first.dtype == object):
        shapes = {np.shape(v) for v in values}
        if len(shapes) == 1:
            out = np.empty((len(values),) + np.shape(first), dtype=object)
            for i, v in enumerate(values):
                out[i] = v
            return out
    else:
        try:
            return np.stack(values)
        except ValueError:
            pass
    shape = np.shape(first)
    i = next(i for i, v in enumerate(values) if np.shape(v) != shape)
    raise ValueError(f"Dataset.{who}: cannot batch elements of different shapes{where}: element 0 of the batch has "
                     f"shape {shape} but element {i} has shape {np.shape(values[i])}. Use "
                     "padded_batch(...) to pad them to a common shape, or map them to one shape first.")


def stack_elements(elements, who="batch"):
    first = elements[0]
    if not structure.is_structure(first):
        return stack(elements, who)
    columns = zip(*[structure.flatten(e) for e in elements])
    return structure.pack_as(first, [stack(list(c), who, _component(first, k)) for k, c in enumerate(columns)])


class Batch(Passthrough):
    def __init__(self, input_dataset, batch_size, drop_remainder=False):
        super().__init__(input_dataset)
        self._size = check_batch_size("batch", batch_size)
        self._drop = bool(drop_remainder)

    def _cardinality(self):
        return counts.batch(self._input._cardinality(), self._size, self._drop)

    def _spec(self):
        return batched_spec(self._input.element_spec, self._size if self._drop else None)

    def _iterate(self):
        return batched(self._input._pieces(), self._size, self._drop, stack_elements)


def groups(iterator, size, drop_remainder):
    group = []
    for element in iterator:
        group.append(element)
        if len(group) == size:
            yield group
            group = []
    if group and not drop_remainder:
        yield group


class Unbatch(Passthrough):
    def _cardinality(self):
        return counts.UNKNOWN

    def _spec(self):
        def one(s):
            return type(s)(None if s.shape is None else s.shape[1:], s.dtype, s.name)
        spec = self._input.element_spec
        return structure.map_structure(one, spec) if structure.is_structure(spec) else one(spec)

    def _iterate(self):
        for batch in self._input._iterate():
            leaves = [sparse.rows(leaf) if sparse.is_sparse(leaf) else leaf for leaf in structure.flatten(batch)]
            sizes = {len(leaf) if isinstance(leaf, list) else np.shape(leaf)[0] if np.ndim(leaf) else None
                     for leaf in leaves}
            if None in sizes or len(sizes) != 1:
                shapes = [x.shape if sparse.is_sparse(x) else np.shape(x) for x in structure.flatten(batch)]
                raise ValueError(f"Dataset.unbatch: every component of an element must have the same first "
                                 f"dimension to split on. Received shapes {shapes}.")
            n = sizes.pop()
            if not structure.is_structure(batch):
                yield from (structure.as_output(row) if isinstance(row, np.ndarray) else row for row in leaves[0])
                continue
            for i in range(n):
                yield structure.pack_as(batch, [leaf[i] for leaf in leaves])


def _default_padding(dtype):
    return b"" if dtype == object else np.zeros((), dtype)[()]


def pad_stack(values, shape, padding_value, who, where=""):
    """``values`` padded at the end of each axis to ``shape`` (None entries: the largest in the batch)."""
    ranks = {np.ndim(v) for v in values}
    arrays = [np.asarray(v, dtype=object) if isinstance(v, bytes) else np.asarray(v) for v in values]
    if shape is not None and len(ranks | {len(shape)}) != 1 or len(ranks) != 1:
        raise ValueError(f"Dataset.{who}: the elements{where} have ranks {sorted(ranks)}, but padded_shapes "
                         f"{shape} asks for rank {len(shape) if shape is not None else '?'}; all must agree.")
    rank = ranks.pop()
    biggest = [max(a.shape[d] for a in arrays) for d in range(rank)]
    target = list(biggest if shape is None else [b if s is None else s for s, b in zip(shape, biggest)])
    for a in arrays:
        if any(n > t for n, t in zip(a.shape, target)):
            raise ValueError(f"Dataset.{who}: an element{where} has shape {a.shape}, larger than the padded shape "
                             f"{tuple(target)}. Raise padded_shapes, or leave those dimensions as None.")
    dtype = arrays[0].dtype
    fill = _default_padding(dtype) if padding_value is None else padding_value
    out = np.full([len(arrays)] + target, fill, dtype=dtype)
    for i, a in enumerate(arrays):
        # through a leading axis of 1: a scalar string would otherwise be stored as a 0-d array in an object slot
        out[(slice(i, i + 1),) + tuple(slice(0, n) for n in a.shape)] = a[None]
    return out


def _per_component(value, template, name, who):
    """padded_shapes / padding_values: one per component (a single value applies to all)."""
    n = len(structure.flatten(template))
    if value is None:
        return [None] * n
    if structure.is_structure(template):
        if not structure.is_structure(value) and name == "padding_values":
            return [value] * n
        if isinstance(value, list) and isinstance(template, tuple):
            value = tuple(value)
        if not structure.same_nesting(value, template) and not (
                name == "padded_shapes" and all(isinstance(x, (list, tuple)) or x is None
                                                for x in structure.flatten(value))):
            raise ValueError(f"Dataset.{who}: `{name}` must have the elements' structure "
                             f"{structure.describe(template)}. Received: {name}={value!r}.")
        return structure.flatten(value)
    return [value]


def _shape_arg(s):
    if s is None:
        return None
    s = getattr(s, "shape", s) if not isinstance(s, (list, tuple)) else s
    return tuple(None if d is None or d == -1 else int(d) for d in (s if isinstance(s, (list, tuple)) else [s]))


def padded_stack(elements, shapes, values, who):
    first = elements[0]
    columns = list(zip(*[structure.flatten(e) for e in elements]))
    out = [pad_stack(list(c), _shape_arg(s), v, who, _component(first, k))
           for k, (c, s, v) in enumerate(zip(columns, shapes, values))]
    return structure.pack_as(first, out) if structure.is_structure(first) else out[0]


class PaddedBatch(Passthrough):
    def __init__(self, input_dataset, batch_size, padded_shapes=None, padding_values=None, drop_remainder=False):
        super().__init__(input_dataset)
        self._size = check_batch_size("padded_batch", batch_size)
        self._drop = bool(drop_remainder)
        template = input_dataset.element_spec
        if isinstance(padded_shapes, list) and not structure.is_structure(template):
            padded_shapes = tuple(padded_shapes)
        self._shapes = _per_component(padded_shapes, template, "padded_shapes", "padded_batch") \
            if structure.is_structure(template) else [padded_shapes]
        self._values = _per_component(padding_values, template, "padding_values", "padded_batch")

    def _cardinality(self):
        return counts.batch(self._input._cardinality(), self._size, self._drop)

    def _spec(self):
        spec = self._input.element_spec
        specs = [structure.TensorSpec((self._size if self._drop else None,) + tuple(
            [None] * len(s.shape) if p is None or s.shape is None else _shape_arg(p)), s.dtype)
            for s, p in zip(structure.flatten(spec), self._shapes)]
        return structure.pack_as(spec, specs) if structure.is_structure(spec) else specs[0]

    def _iterate(self):
        for group in groups(self._input._iterate(), self._size, self._drop):
            yield padded_stack(group, self._shapes, self._values, "padded_batch")


class Rebatch(Passthrough):
    def __init__(self, input_dataset, batch_size, drop_remainder=False):
        super().__init__(input_dataset)
        sizes = list(batch_size) if isinstance(batch_size, (list, tuple, np.ndarray)) else [batch_size]
        if not sizes:
            raise ValueError("Dataset.rebatch: `batch_size` must be a positive integer or a non-empty list of them.")
        self._sizes = [check_batch_size("rebatch", s) for s in sizes]
        self._drop = bool(drop_remainder)

    def _cardinality(self):
        return counts.UNKNOWN

    def _spec(self):
        return batched_spec(Unbatch(self._input)._spec(), None)

    def _iterate(self):
        pending, have, turn = [], 0, 0
        template = None
        for batch in self._input._iterate():
            template = batch
            leaves = [np.asarray(x) for x in structure.flatten(batch)]
            pending.append(leaves)
            have += len(leaves[0])
            while have >= self._sizes[turn % len(self._sizes)]:
                need = self._sizes[turn % len(self._sizes)]
                joined = [np.concatenate(c) for c in zip(*pending)]
                yield structure.pack_as(template, [j[:need] for j in joined]) if structure.is_structure(template) \
                    else joined[0][:need]
                rest = [j[need:] for j in joined]
                pending, have, turn = ([rest] if len(rest[0]) else []), have - need, turn + 1
        if have and not self._drop:
            joined = [np.concatenate(c) for c in zip(*pending)]
            yield structure.pack_as(template, joined) if structure.is_structure(template) else joined[0]


class BucketBySequenceLength(Passthrough):
    def __init__(self, input_dataset, length_fn, boundaries, batch_sizes, padded_shapes, padding_values,
                 pad_to_bucket_boundary, no_padding, drop_remainder):
        super().__init__(input_dataset)
        who = "bucket_by_sequence_length"
        self._fn = check_callable(length_fn, who, "element_length_func")
        self._bounds = [check_count(who, "bucket_boundaries", b, allow_negative=False) for b in boundaries]
        if any(a >= b for a, b in zip(self._bounds, self._bounds[1:])):
            raise ValueError(f"Dataset.{who}: `bucket_boundaries` must be increasing. Received: {list(boundaries)}.")
        self._sizes = [check_batch_size(who, b) for b in batch_sizes]
        if len(self._sizes) != len(self._bounds) + 1:
            raise ValueError(f"Dataset.{who}: `bucket_batch_sizes` must have one more entry than "
                             f"`bucket_boundaries` (a batch size per bucket, the last for lengths >= the last "
                             f"boundary). Received {len(self._sizes)} sizes for {len(self._bounds)} boundaries.")
        template = input_dataset.element_spec
        self._padded = _per_component(padded_shapes, template, "padded_shapes", who) \
            if structure.is_structure(template) else [padded_shapes]
        self._values = _per_component(padding_values, template, "padding_values", who)
        self._to_boundary, self._no_padding, self._drop = pad_to_bucket_boundary, no_padding, drop_remainder

    def _cardinality(self):
        return counts.UNKNOWN

    def _spec(self):
        return batched_spec(structure.map_structure(lambda s: structure.TensorSpec(
            None if s.shape is None else (None,) * len(s.shape), s.dtype), self._input.element_spec)
            if structure.is_structure(self._input.element_spec) else structure.TensorSpec(
            None if self._input.element_spec.shape is None else (None,) * len(self._input.element_spec.shape),
            self._input.element_spec.dtype))

    def _length(self, element):
        try:
            n = call(self._fn, element)
        except Exception as e:
            note(e, f"(raised by {function_name(self._fn)!r} given to Dataset.bucket_by_sequence_length)")
            raise
        return int(np.asarray(n))

    def _shapes_for(self, bucket):
        if not self._to_boundary:
            return self._padded
        if bucket == len(self._bounds):
            raise ValueError("Dataset.bucket_by_sequence_length: with pad_to_bucket_boundary=True every element "
                             f"must be shorter than the last boundary ({self._bounds[-1]}); an element fell in "
                             "the last, unbounded bucket. Add a larger boundary.")
        fill = self._bounds[bucket] - 1
        specs = structure.flatten(self._input.element_spec)
        shapes = []
        for p, s in zip(self._padded, specs):
            if p is not None:
                shapes.append(tuple(fill if d is None or d == -1 else d for d in _shape_arg(p)))
            elif s.shape is not None and None in s.shape:
                shapes.append(tuple(fill if d is None else d for d in s.shape))
            else:  # a spec seen from one element: pad the sequence axis (the first) to the boundary
                shapes.append(None if not s.shape else (fill,) + (None,) * (len(s.shape) - 1))
        return shapes

    def _emit(self, bucket, elements):
        if self._no_padding:
            return stack_elements(elements, "bucket_by_sequence_length")
        return padded_stack(elements, self._shapes_for(bucket), self._values, "bucket_by_sequence_length")

    def _iterate(self):
        buckets = {}
        for element in self._input._iterate():
            b = bisect.bisect_right(self._bounds, self._length(element))
            group = buckets.setdefault(b, [])
            group.append(element)
            if len(group) == self._sizes[b]:
                yield self._emit(b, group)
                buckets[b] = []
        if not self._drop:
            for b in sorted(buckets):
                if buckets[b]:
                    yield self._emit(b, buckets[b])


def bucket_by_sequence_length(dataset, *args):
    return BucketBySequenceLength(dataset, *args)

