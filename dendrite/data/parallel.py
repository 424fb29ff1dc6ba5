"""The stages that use threads: map(num_parallel_calls=...), prefetch and interleave.

A worker's exception reaches the consumer (re-raised with the worker's traceback, the user's own line
included); a prefetch thread stops when its iterator is dropped or closed, so nothing hangs.
"""
import os
import queue
import threading
from collections import deque

from .cardinality import UNKNOWN
from .dataset import AUTOTUNE, Dataset, check_count
from .transforms import Passthrough, apply_fn, check_callable, dataset_result

_ITEM, _END, _ERROR = 0, 1, 2
POLL = 0.05


def workers(who, value):
    n = check_count(who, "num_parallel_calls", value)
    if n == AUTOTUNE:
        return max(2, os.cpu_count() or 2)
    if n < 1:
        raise ValueError(f"Dataset.{who}: `num_parallel_calls` must be a positive integer or data.AUTOTUNE. "
                         f"Received: num_parallel_calls={value!r}.")
    return n


def _put(q, item, stop):
    while not stop.is_set():
        try:
            q.put(item, timeout=POLL)
            return True
        except queue.Full:
            continue
    return False


def _produce(make_iterator, q, stop):
    try:
        for value in make_iterator():
            if not _put(q, (_ITEM, value), stop):
                return
        _put(q, (_END, None), stop)
    except BaseException as e:  # noqa: BLE001 - handed to the consumer, which re-raises it
        _put(q, (_ERROR, e), stop)


def background(make_iterator, size):
    """The values of ``make_iterator()``, produced by a daemon thread up to ``size`` ahead."""
    q = queue.Queue(maxsize=size)
    stop = threading.Event()
    thread = threading.Thread(target=_produce, args=(make_iterator, q, stop), daemon=True,
                              name="dendrite.data.prefetch")
    thread.start()
    try:
        while True:
            kind, value = q.get()
            if kind == _ITEM:
                yield value
            elif kind == _END:
                return
            else:
                raise value
    finally:
        stop.set()


class Prefetch(Passthrough):
    def __init__(self, input_dataset, buffer_size):
        super().__init__(input_dataset)
        size = check_count("prefetch", "buffer_size", buffer_size)
        if size < AUTOTUNE:
            raise ValueError(f"Dataset.prefetch: `buffer_size` must be a non-negative integer or data.AUTOTUNE. "
                             f"Received: buffer_size={buffer_size!r}.")
        self._size = 2 if size == AUTOTUNE else size

    def _iterate(self):
        if self._size == 0:
            return self._input._iterate()
        return background(self._input._iterate, self._size)


def _deterministic(dataset, value):
    if value is None:
        value = dataset.options()._get("deterministic", True)
    return bool(value)


class ParallelMap(Passthrough):
    def __init__(self, input_dataset, fn, num_parallel_calls, deterministic=None):
        super().__init__(input_dataset)
        self._fn = check_callable(fn, "map", "map_func")
        self._workers = workers("map", num_parallel_calls)
        self._deterministic = deterministic

    def _spec(self):
        return Dataset._spec(self)

    def _iterate(self):
        # imported here: concurrent.futures registers an at-fork hook on import, which importing dendrite
        # must not do (tests/test_runtime.py)
        from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
        ordered = _deterministic(self, self._deterministic)
        n, fn = self._workers, self._fn
        limit = 2 * n
        pool = ThreadPoolExecutor(n, thread_name_prefix="dendrite.data.map")
        pending = deque() if ordered else set()
        try:
            for element in self._input._iterate():
                future = pool.submit(apply_fn, fn, element, "map")
                if ordered:
                    pending.append(future)
                    if len(pending) >= limit:
                        yield pending.popleft().result()
                else:
                    pending.add(future)
                    if len(pending) >= limit:
                        done, pending = wait(pending, return_when=FIRST_COMPLETED)
                        for f in done:
                            yield f.result()
            if ordered:
                while pending:
                    yield pending.popleft().result()
            else:
                while pending:
                    done, pending = wait(pending, return_when=FIRST_COMPLETED)
                    for f in done:
                        yield f.result()
        finally:
            for f in pending:
                f.cancel()
            pool.shutdown(wait=False, cancel_futures=True)


class Interleave(Passthrough):
    """tf.data's interleave: ``cycle_length`` datasets open at once, ``block_length`` elements taken from each
    in turn; an exhausted one is replaced by the next input element's dataset. With ``num_parallel_calls``
    each open dataset is read ahead by its own thread (the output order stays tf.data's)."""

    def __init__(self, input_dataset, fn, cycle_length=None, block_length=None, num_parallel_calls=None,
                 deterministic=None):
        super().__init__(input_dataset)
        self._fn = check_callable(fn, "interleave", "map_func")
        self._cycle = workers("interleave", AUTOTUNE if cycle_length is None else cycle_length)
        self._block = 1 if block_length is None else check_count("interleave", "block_length", block_length, False)
        if self._block < 1:
            raise ValueError(f"Dataset.interleave: `block_length` must be positive. Received: {block_length!r}.")
        self._threads = None if num_parallel_calls is None else workers("interleave", num_parallel_calls)

    def _cardinality(self):
        return UNKNOWN

    def _spec(self):
        return Dataset._spec(self)

    def _open(self, element):
        dataset = dataset_result(self._fn, element, "interleave")
        if self._threads is None:
            return dataset._iterate()
        return background(dataset._iterate, max(self._block, 1))

    def _iterate(self):
        cycle_length, block_length = self._cycle, self._block
        inputs = self._input._iterate()
        cycle = [None] * cycle_length
        index = block = opened = 0
        end_of_input = False
        while not end_of_input or opened:
            current = cycle[index]
            if current is not None:
                for value in current:
                    yield value
                    block += 1
                    if block == block_length:
                        index, block = (index + 1) % cycle_length, 0
                    break
                else:
                    cycle[index], opened = None, opened - 1
                    index, block = (index + 1) % cycle_length, 0
            elif not end_of_input:
                for element in inputs:
                    cycle[index], opened = self._open(element), opened + 1
                    break
                else:
                    end_of_input = True
            else:
                index, block = (index + 1) % cycle_length, 0
