"""``tf.queue``: ``FIFOQueue``, ``PaddingFIFOQueue``, ``RandomShuffleQueue`` and ``PriorityQueue`` in one process.

A queue holds elements of one or more components (``dtypes``, optional ``shapes`` and ``names``). ``enqueue``
adds one element, ``enqueue_many`` several (each component's first axis), ``dequeue`` / ``dequeue_many(n)`` /
``dequeue_up_to(n)`` take them out as Tensors (a list of Tensors for several components, a dict with names,
one Tensor for one component), as TensorFlow eagerly does. TensorFlow would block forever where another thread
must act (dequeuing more than an open queue holds, enqueuing past its capacity); dendrite has no such thread
and raises QueueWouldBlockError instead, naming the queue and how to go on. A closed queue that lacks the
elements asked for raises ``tf.errors.OutOfRangeError``; enqueuing into it ``tf.errors.CancelledError``.
"""
import numpy as np

from ..autodiff import Tensor
from ..autodiff.tensor import array_of
from . import dtypes as _dtypes
from ._namespace import Namespace
from ._notes import unsupported
from .tensor_api import _array
from .tf_debugging import InvalidArgumentError


class OutOfRangeError(StopIteration):
    """A closed queue without the elements asked for (a ``tf.errors.OutOfRangeError``, StopIteration here)."""


class CancelledError(RuntimeError):
    """An enqueue into a closed queue (``tf.errors.CancelledError``)."""


class QueueWouldBlockError(RuntimeError):
    """Where TensorFlow would wait forever for another thread: dendrite's single thread cannot go on."""


def _shape(shape):
    from .tf_tree import TensorShape
    return TensorShape(None if shape is None else list(shape))


def _fits(shape, spec):
    return spec.rank is None or (len(shape) == len(spec) and all(s is None or s == d for d, s in zip(shape, spec)))


class QueueBase:
    """What every queue shares: the components, the element list and the checks."""

    _kind = "Queue"

    def __init__(self, capacity, dtypes, shapes=None, names=None, shared_name=None, name="queue"):
        self._dtypes = [_dtypes.as_dtype(d) for d in (dtypes if isinstance(dtypes, (list, tuple)) else [dtypes])]
        count = len(self._dtypes)
        if shapes is not None and len(shapes) and not isinstance(shapes[0], (list, tuple)) and count == 1:
            shapes = [shapes]  # one component's shape given bare
        self._shapes = [_shape(None)] * count if shapes is None else [_shape(s) for s in shapes]
        if len(self._shapes) != count:
            raise ValueError(f"{self._kind}: expected one shape per component ({count} dtypes); received "
                             f"{len(self._shapes)} shapes.")
        if names is not None:
            names = [names] if isinstance(names, str) else list(names)
            if len(names) != count:
                raise ValueError(f"{self._kind}: the list of names must have the same length as the list of "
                                 f"dtypes; received len(names)={len(names)}, len(dtypes)={count}.")
        self._names, self._capacity, self._name = names, int(capacity), name
        self._items, self._closed = [], False

    dtypes = property(lambda self: list(self._dtypes))
    shapes = property(lambda self: list(self._shapes))
    names = property(lambda self: self._names)
    name = property(lambda self: self._name)
    queue_ref = property(lambda self: self)

    def _fully_defined(self):
        if any(s.rank is not None and None in s for s in self._shapes):
            raise ValueError(f"{self._kind}: all shapes must be fully defined; received {self._shapes}. A "
                             "tf.queue.PaddingFIFOQueue takes None dimensions (and pads them on dequeue_many).")

    def _who(self, method):
        return f"{self._kind} '{self._name}'.{method}"

    # ------------------------------------------------------------------ enqueue
    def _components(self, vals, method):
        if self._names is not None:
            if not isinstance(vals, dict):
                raise ValueError(f"{self._who(method)}: you must enqueue a dictionary in a Queue with names "
                                 f"({self._names}); received {type(vals).__name__}.")
            if set(vals) != set(self._names):
                raise ValueError(f"{self._who(method)}: expected the keys {sorted(self._names)}; received "
                                 f"{sorted(vals)}.")
            return [vals[n] for n in self._names]
        if isinstance(vals, dict):
            raise ValueError(f"{self._who(method)}: this queue has no names; pass a list of components, not a dict.")
        vals = list(vals) if isinstance(vals, (list, tuple)) else [vals]
        if len(vals) != len(self._dtypes):
            raise InvalidArgumentError(f"{self._who(method)}: expected {len(self._dtypes)} component(s) of dtypes "
                                       f"{[d.name for d in self._dtypes]}; received {len(vals)}.")
        return vals

    def _convert(self, value, dtype, method):
        if isinstance(value, Tensor):
            if value.dtype != dtype:
                raise TypeError(f"{self._who(method)}: a component of dtype {dtype.name} was given a Tensor of dtype "
                                f"{value.dtype.name}; cast it with tf.cast.")
            return np.array(array_of(value))
        arr = _array(value)
        string = dtype == _dtypes.string
        if string != (arr.dtype == _dtypes.string) or (dtype.kind in "iub" and arr.dtype.kind in "fc"):
            raise TypeError(f"{self._who(method)}: cannot convert {value!r} to a component of dtype "
                            f"{'string' if string else dtype.name}.")
        return arr.astype(dtype)

    def _element_arrays(self, vals, method, many):
        arrays = [self._convert(v, d, method) for v, d in zip(self._components(vals, method), self._dtypes)]
        if many:
            lengths = {a.shape[0] if a.ndim else None for a in arrays}
            if None in lengths or len(lengths) != 1:
                raise ValueError(f"{self._who(method)}: every component needs the same first dimension (the number "
                                 f"of elements); received shapes {[list(a.shape) for a in arrays]}.")
        for arr, spec in zip(arrays, self._shapes):
            shape = arr.shape[1:] if many else arr.shape
            if not _fits(shape, spec):
                raise ValueError(f"{self._who(method)}: a component of shape {tuple(shape)} does not fit the "
                                 f"queue's shape {spec} (shapes {tuple(shape)} and {spec} are incompatible).")
        if not many:
            return [tuple(arrays)]
        return [tuple(np.asarray(a[i], dtype=a.dtype) for a in arrays) for i in range(arrays[0].shape[0])]

    def _add(self, elements, method):
        if self._closed:
            raise CancelledError(f"{self._who(method)}: the {self._kind} is closed; nothing more can be enqueued.")
        if self._capacity >= 0 and len(self._items) + len(elements) > self._capacity:
            raise QueueWouldBlockError(
                f"{self._who(method)}: {len(elements)} element(s) do not fit (capacity {self._capacity}, "
                f"{len(self._items)} held). TensorFlow would wait for another thread to dequeue; dendrite runs one "
                "thread, so dequeue first or make the queue larger. Nothing was enqueued.")
        self._items.extend(elements)

    def enqueue(self, vals, name=None):
        self._add(self._element_arrays(vals, "enqueue", many=False), "enqueue")

    def enqueue_many(self, vals, name=None):
        self._add(self._element_arrays(vals, "enqueue_many", many=True), "enqueue_many")

    # ------------------------------------------------------------------ dequeue
    def _available(self):
        """How many elements can leave now (a RandomShuffleQueue keeps min_after_dequeue back while open)."""
        return len(self._items)

    def _take(self, n):
        taken, self._items = self._items[:n], self._items[n:]
        return taken

    def _remove(self, n, method, up_to=False):
        n = int(n)
        if n < 0:
            raise InvalidArgumentError(f"{self._who(method)}: `n` must be 0 or more; received {n}.")
        have = len(self._items) if self._closed else self._available()
        if have < n and not (up_to and self._closed and have > 0):
            if self._closed:
                raise OutOfRangeError(f"{self._kind} '{self._name}' is closed and has insufficient elements "
                                      f"(requested {n}, current size {len(self._items)}).")
            raise QueueWouldBlockError(
                f"{self._who(method)}: asks for {n} element(s) but the open queue can give {have} "
                f"({len(self._items)} held). TensorFlow would wait forever for another thread to enqueue; dendrite "
                "runs one thread, so enqueue more first, or close() the queue (then dequeue_up_to gives what is "
                "left and an empty queue raises tf.errors.OutOfRangeError).")
        return self._take(min(n, have))

    def _out(self, values):
        values = [Tensor(v) for v in values]
        if self._names is not None:
            return dict(zip(self._names, values))
        return values[0] if len(values) == 1 else values

    def _batch(self, elements, method):
        if any(s.rank is None for s in self._shapes):
            raise InvalidArgumentError(f"{self._who(method)}: {self._kind}'s DequeueMany and DequeueUpTo require "
                                       "the components to have specified shapes; give shapes=[...] when making "
                                       "the queue.")
        out = []
        for i, dtype in enumerate(self._dtypes):
            parts = [e[i] for e in elements]
            if not parts:
                shape = tuple(0 if d is None else d for d in self._shapes[i])
                out.append(np.zeros((0,) + shape, dtype))
            else:
                out.append(self._stack(parts, dtype))
        return self._out(out)

    def _stack(self, parts, dtype):
        return np.stack(parts)

    def dequeue(self, name=None):
        return self._out(self._remove(1, "dequeue")[0])

    def dequeue_many(self, n, name=None):
        return self._batch(self._remove(n, "dequeue_many"), "dequeue_many")

    def dequeue_up_to(self, n, name=None):
        return self._batch(self._remove(n, "dequeue_up_to", up_to=True), "dequeue_up_to")

    def size(self, name=None):
        return Tensor(np.asarray(len(self._items), np.int32))

    def close(self, cancel_pending_enqueues=False, name=None):
        self._closed = True

    def is_closed(self, name=None):
        return Tensor(np.asarray(self._closed))

    def __repr__(self):
        return f"<{self._kind} '{self._name}' size={len(self._items)} closed={self._closed}>"


class FIFOQueue(QueueBase):
    """``tf.queue.FIFOQueue(capacity, dtypes, shapes=None, names=None)``: first in, first out. A negative
    capacity is unbounded (TensorFlow's default of the op)."""

    _kind = "FIFOQueue"

    def __init__(self, capacity, dtypes, shapes=None, names=None, shared_name=None, name="fifo_queue"):
        super().__init__(capacity, dtypes, shapes, names, shared_name, name)
        self._fully_defined()


class PaddingFIFOQueue(QueueBase):
    """``tf.queue.PaddingFIFOQueue(capacity, dtypes, shapes, names=None)``: a FIFOQueue whose shapes may have
    None dimensions; dequeue_many pads each component to the largest in the batch (0, or b'' for strings)."""

    _kind = "PaddingFIFOQueue"

    def __init__(self, capacity, dtypes, shapes, names=None, shared_name=None, name="padding_fifo_queue"):
        super().__init__(capacity, dtypes, shapes, names, shared_name, name)
        if any(s.rank is None for s in self._shapes):
            raise ValueError(f"{self._kind}: every component needs a shape of known rank (None for a dimension "
                             f"that varies); received shapes {self._shapes}.")

    def _stack(self, parts, dtype):
        widths = np.max([p.shape for p in parts], axis=0) if parts[0].ndim else ()
        fill = b"" if dtype == _dtypes.string else 0
        out = np.full((len(parts),) + tuple(int(w) for w in widths), fill, dtype=dtype)
        for i, p in enumerate(parts):
            if p.ndim:
                out[(i,) + tuple(slice(0, d) for d in p.shape)] = p
            else:
                out[i] = p[()]  # (an object array would hold a 0-d array itself)
        return out


class RandomShuffleQueue(QueueBase):
    """``tf.queue.RandomShuffleQueue(capacity, min_after_dequeue, dtypes, shapes=None, names=None, seed=None)``:
    dequeues elements in random order, keeping ``min_after_dequeue`` back while the queue is open. The order
    follows ``seed`` (or the global seed), not TensorFlow's generator."""

    _kind = "RandomShuffleQueue"

    def __init__(self, capacity, min_after_dequeue, dtypes, shapes=None, names=None, seed=None, shared_name=None,
                 name="random_shuffle_queue"):
        super().__init__(capacity, dtypes, shapes, names, shared_name, name)
        self._fully_defined()
        self._min_after_dequeue = int(min_after_dequeue)
        from .. import backend
        self._rng = backend.rng() if seed is None else np.random.default_rng(int(seed))

    def _available(self):
        return max(len(self._items) - self._min_after_dequeue, 0)

    def _take(self, n):
        chosen = self._rng.choice(len(self._items), size=n, replace=False) if n else []
        taken = [self._items[i] for i in chosen]
        keep = set(int(i) for i in chosen)
        self._items = [e for i, e in enumerate(self._items) if i not in keep]
        return taken


class PriorityQueue(QueueBase):
    """``tf.queue.PriorityQueue(capacity, types, shapes=None)``: elements are ``(priority, *values)`` with an
    int64 priority first; the smallest priority leaves first (in order of arrival among equal ones)."""

    _kind = "PriorityQueue"

    def __init__(self, capacity, types, shapes=None, names=None, shared_name=None, name="priority_queue"):
        if names is not None:
            raise unsupported("`tf.queue.PriorityQueue(names=...)`", "Give the components as a list "
                              "(priority first) and leave names out.")
        types = list(types) if isinstance(types, (list, tuple)) else [types]
        shapes = None if shapes is None else [()] + list(shapes)
        super().__init__(capacity, [_dtypes.int64] + types, shapes, None, shared_name, name)

    def _add(self, elements, method):
        super()._add(elements, method)
        self._items.sort(key=lambda e: int(e[0]))  # stable: equal priorities keep their order


QUEUE = dict(QueueBase=QueueBase, FIFOQueue=FIFOQueue, PaddingFIFOQueue=PaddingFIFOQueue,
             RandomShuffleQueue=RandomShuffleQueue, PriorityQueue=PriorityQueue)


def namespace():
    return Namespace("tensorflow.queue", __doc__, members=QUEUE)
