"""Element-wise stages: map, filter, flat_map, scan, enumerate, unique, window, and take / skip / shard /
repeat over datasets that are not index plans (arrays.py has those for arrays)."""
import numpy as np

from . import cardinality as counts
from . import structure
from .arrays import check_shard
from .dataset import Dataset, check_count
from .passes import repeated

INT64 = structure.TensorSpec((), np.int64)


def call(fn, element):
    """``fn`` on an element as tf.data passes it: a tuple as positional arguments, anything else whole."""
    return fn(*element) if type(element) is tuple else fn(element)


def note(error, text):
    """Add ``text`` under the user's own traceback (the error itself is re-raised unchanged)."""
    if hasattr(error, "add_note") and text not in getattr(error, "__notes__", ()):
        error.add_note(text)


def function_name(fn):
    return getattr(fn, "__qualname__", None) or type(fn).__name__


def converted(result, who, fn):
    """A function's result as an element (Tensors to arrays, lists to tuples)."""
    if result is None:
        raise ValueError(f"Dataset.{who}: the function {function_name(fn)!r} returned None; it must return the "
                         "new element (an array, or a tuple or dict of them). Did it forget `return`?")
    if isinstance(result, list):  # as tf.data: a function's list is a tuple of components, not one tensor
        result = tuple(result)
    return structure.output_element(structure.to_element(result))


def apply_fn(fn, element, who):
    try:
        result = call(fn, element)
    except Exception as e:
        note(e, f"(raised by the function {function_name(fn)!r} given to Dataset.{who})")
        raise
    return converted(result, who, fn)


class Passthrough(Dataset):
    """The input unchanged (with_options)."""

    def __init__(self, input_dataset):
        self._input = input_dataset

    def _inputs(self):
        return [self._input]

    def _iterate(self):
        return self._input._iterate()

    def _cardinality(self):
        return self._input._cardinality()

    def _spec(self):
        return self._input.element_spec


class Map(Passthrough):
    def __init__(self, input_dataset, fn):
        super().__init__(input_dataset)
        self._fn = check_callable(fn, "map", "map_func")

    def _spec(self):
        return Dataset._spec(self)

    def _iterate(self):
        fn = self._fn
        for element in self._input._iterate():
            yield apply_fn(fn, element, "map")


def check_callable(fn, who, name):
    if not callable(fn):
        raise TypeError(f"Dataset.{who}: `{name}` must be a function of the element. Received: {fn!r}.")
    return fn


def truth(value, fn, method="filter"):
    value = structure.to_array(value)
    if value.shape != () or value.dtype != np.bool_:
        raise ValueError(f"Dataset.{method}: the predicate {function_name(fn)!r} must return a scalar bool. "
                         f"Received a value of shape {value.shape} and dtype {value.dtype}.")
    return bool(value)


class Predicated(Passthrough):
    """A stage that asks a predicate of each element (``filter``, ``take_while``); its count is unknown."""
    method = None  # the Dataset method's name, for messages

    def __init__(self, input_dataset, predicate):
        super().__init__(input_dataset)
        self._fn = check_callable(predicate, self.method, "predicate")

    def _cardinality(self):
        return counts.UNKNOWN

    def _holds(self, element):
        fn = self._fn
        try:
            keep = call(fn, element)
        except Exception as e:
            note(e, f"(raised by the predicate {function_name(fn)!r} given to Dataset.{self.method})")
            raise
        return truth(keep, fn, self.method)


class Filter(Predicated):
    method = "filter"

    def _iterate(self):
        for element in self._input._iterate():
            if self._holds(element):
                yield element


def dataset_result(fn, element, who):
    """The Dataset that ``fn`` returns for an element (flat_map, interleave)."""
    try:
        out = call(fn, element)
    except Exception as e:
        note(e, f"(raised by the function {function_name(fn)!r} given to Dataset.{who})")
        raise
    if not isinstance(out, Dataset):
        raise TypeError(f"Dataset.{who}: the function {function_name(fn)!r} must return a Dataset. "
                        f"Received: {type(out).__name__}. Wrap values with Dataset.from_tensor_slices.")
    return out


class FlatMap(Passthrough):
    def __init__(self, input_dataset, fn):
        super().__init__(input_dataset)
        self._fn = check_callable(fn, "flat_map", "map_func")

    def _cardinality(self):
        return counts.UNKNOWN

    def _spec(self):
        return Dataset._spec(self)

    def _iterate(self):
        for element in self._input._iterate():
            yield from dataset_result(self._fn, element, "flat_map")._iterate()


class Take(Passthrough):
    def __init__(self, input_dataset, count):
        super().__init__(input_dataset)
        self._count = check_count("take", "count", count)

    def _cardinality(self):
        return counts.take(self._input._cardinality(), self._count)

    def _iterate(self):
        if self._count < 0:
            yield from self._input._iterate()
            return
        if self._count == 0:
            return
        for k, element in enumerate(self._input._iterate(), 1):
            yield element
            if k >= self._count:
                return


class Skip(Passthrough):
    def __init__(self, input_dataset, count):
        super().__init__(input_dataset)
        self._count = check_count("skip", "count", count)

    def _cardinality(self):
        return counts.skip(self._input._cardinality(), self._count)

    def _iterate(self):
        if self._count < 0:
            return
        for k, element in enumerate(self._input._iterate()):
            if k >= self._count:
                yield element


class Shard(Passthrough):
    def __init__(self, input_dataset, num_shards, index):
        super().__init__(input_dataset)
        self._num, self._index = check_shard(num_shards, index)

    def _cardinality(self):
        return counts.shard(self._input._cardinality(), self._num, self._index)

    def _iterate(self):
        for k, element in enumerate(self._input._iterate()):
            if k % self._num == self._index:
                yield element


class Repeat(Passthrough):
    def __init__(self, input_dataset, count=None):
        super().__init__(input_dataset)
        self._count = -1 if count is None else check_count("repeat", "count", count)

    def _cardinality(self):
        return counts.repeat(self._input._cardinality(), self._count)

    def _iterate(self):
        return repeated(self._input._iterate, self._count)

    def _pieces(self):
        return repeated(self._input._pieces, self._count)


class Enumerate(Passthrough):
    def __init__(self, input_dataset, start=0):
        super().__init__(input_dataset)
        self._start = check_count("enumerate", "start", start)

    def _spec(self):
        return (INT64, self._input.element_spec)

    def _iterate(self):
        for k, element in enumerate(self._input._iterate(), self._start):
            yield np.int64(k), element


class Scan(Passthrough):
    def __init__(self, input_dataset, initial_state, fn):
        super().__init__(input_dataset)
        self._state = structure.output_element(structure.to_element(initial_state))
        self._fn = check_callable(fn, "scan", "scan_func")

    def _spec(self):
        return Dataset._spec(self)

    def _iterate(self):
        state, fn = self._state, self._fn
        for element in self._input._iterate():
            try:
                result = fn(state, element)
            except Exception as e:
                note(e, f"(raised by the function {function_name(fn)!r} given to Dataset.scan)")
                raise
            if not isinstance(result, (tuple, list)) or len(result) != 2:
                raise ValueError(f"Dataset.scan: `scan_func` must return a pair (new_state, output_element). "
                                 f"Received: {type(result).__name__} from {function_name(fn)!r}.")
            state = converted(result[0], "scan", fn)
            yield converted(result[1], "scan", fn)


class Unique(Passthrough):
    def _cardinality(self):
        return counts.UNKNOWN

    def _iterate(self):
        seen = set()
        for element in self._input._iterate():
            if structure.is_structure(element) or np.ndim(element) != 0:
                raise TypeError("Dataset.unique: the elements must be scalars (integers or strings). "
                                f"Received an element {structure.describe(element)} of shape {np.shape(element)}.")
            key = element.item() if isinstance(element, np.generic) else element
            if key not in seen:
                seen.add(key)
                yield element


class Elements(Dataset):
    """A dataset over a list of elements already made (the windows of Dataset.window)."""

    def __init__(self, elements, spec):
        self._elements, self._element_spec = elements, spec

    def _iterate(self):
        return iter(self._elements)

    def _cardinality(self):
        return len(self._elements)


class Window(Passthrough):
    def __init__(self, input_dataset, size, shift=None, stride=1, drop_remainder=False):
        super().__init__(input_dataset)
        self._size = check_count("window", "size", size, allow_negative=False)
        self._shift = self._size if shift is None else check_count("window", "shift", shift, allow_negative=False)
        self._stride = check_count("window", "stride", stride, allow_negative=False)
        if min(self._size, self._shift, self._stride) < 1:
            raise ValueError(f"Dataset.window: `size`, `shift` and `stride` must be positive. Received: "
                             f"size={size!r}, shift={shift!r}, stride={stride!r}.")
        self._drop = bool(drop_remainder)

    def _cardinality(self):
        return counts.window(self._input._cardinality(), self._size, self._shift, self._stride, self._drop)

    def _spec(self):
        return self._input.element_spec  # the spec of each window's elements

    def _iterate(self):
        spec = self._input.element_spec
        size, shift, stride = self._size, self._shift, self._stride
        span = (size - 1) * stride + 1
        buf, first = {}, 0  # stream position -> element, for positions at or after the next window's start
        for k, element in enumerate(self._input._iterate()):
            if k >= first:
                buf[k] = element
            if k == first + span - 1:
                yield self._make([buf[first + j * stride] for j in range(size)], spec)
                first += shift
                buf = {p: e for p, e in buf.items() if p >= first}
        while buf and not self._drop:  # the partial windows at the end
            yield self._make([buf[p] for p in range(first, first + span, stride) if p in buf], spec)
            first += shift
            buf = {p: e for p, e in buf.items() if p >= first}

    def _make(self, elements, spec):
        if not structure.is_structure(spec):
            return Elements(list(elements), spec)
        columns = list(zip(*[structure.flatten(e) for e in elements]))
        return structure.pack_as(spec, [Elements(list(c), s) for c, s in zip(columns, structure.flatten(spec))])


class AssertCardinality(Passthrough):
    def __init__(self, input_dataset, expected):
        super().__init__(input_dataset)
        self._expected = check_count("assert_cardinality", "expected_cardinality", expected)

    def _cardinality(self):
        return self._expected

    def _iterate(self):
        n = -1
        for n, element in enumerate(self._input._iterate()):
            if self._expected >= 0 and n >= self._expected:
                raise ValueError(f"assert_cardinality: the dataset has more than the {self._expected} elements "
                                 "it was declared to have.")
            yield element
        if self._expected >= 0 and n + 1 < self._expected:
            raise ValueError(f"assert_cardinality: the dataset has {n + 1} elements, fewer than the "
                             f"{self._expected} it was declared to have.")
