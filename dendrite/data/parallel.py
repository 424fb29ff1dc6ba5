"""The stages that run ahead of the consumer: map(num_parallel_calls=...) (threads or worker processes,
chosen here; chunks.py and process_map.py run them), prefetch and interleave (threads).

A worker's exception reaches the consumer (re-raised with the worker's traceback, the user's own line
included); a prefetch thread stops when its iterator is dropped or closed, so nothing hangs.
"""
import itertools
import os
import queue
import threading
import time

import numpy as np

from .cardinality import UNKNOWN
from .dataset import AUTOTUNE, Dataset, check_count
from .chunks import ChunkSizer, ThreadChunks, chunked_map
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


MAP_WORKERS = ("auto", "threads", "processes")
PROBE = 4  # elements that 'auto' maps in the consumer's thread, timing them, before it chooses
PROCESS_MIN_SECONDS = 5e-5  # 'auto' starts processes for functions slower than this per element, ...
PICKLE_SHARE = 0.15  # ... whose elements and results pickle in under this share of that time (moving them to a
# worker and back costs about three times the pickling: they pay while that is under half the work), ...
MIN_WORK_SECONDS = 0.25  # ... over a pass with at least this much work left (where its length is known)


def map_workers(dataset):
    """``options.experimental_map_workers`` of ``dataset``: 'auto' (the default), 'threads' or 'processes'."""
    value = dataset.options()._get("experimental_map_workers", "auto")
    if value not in MAP_WORKERS:
        raise ValueError("Dataset.map: `options.experimental_map_workers` must be 'auto', 'threads' or 'processes'. "
                         f"Received: {value!r}. Set it with options = data.Options(); "
                         "options.experimental_map_workers = 'threads'; dataset.with_options(options).")
    if value == "processes":
        from .process_map import can_fork
        if not can_fork():
            raise ValueError("Dataset.map: `options.experimental_map_workers` is 'processes', but worker processes "
                             "cannot be forked here (no 'fork' start method, e.g. on Windows, or this is itself a "
                             "worker process). Use 'auto' or 'threads'.")
    return value


def worth_processes(seconds, elements, results, remaining):
    """Whether worker processes pay for a function that took ``seconds`` on each of ``elements`` (giving
    ``results``) with ``remaining`` elements left in the pass (negative: not known)."""
    import pickle
    per_element = float(np.median(seconds))
    if per_element < PROCESS_MIN_SECONDS or 0 <= remaining * per_element < MIN_WORK_SECONDS:
        return False
    start = time.perf_counter()
    try:  # as a chunk goes: the elements together, the results together
        pickle.dumps(elements, pickle.HIGHEST_PROTOCOL)
        pickle.dumps(results, pickle.HIGHEST_PROTOCOL)
    except Exception:  # noqa: BLE001 - what cannot be pickled stays in this process
        return False
    return (time.perf_counter() - start) / len(seconds) <= PICKLE_SHARE * per_element


class ParallelMap(Passthrough):
    """map(num_parallel_calls=N or AUTOTUNE): ``N`` workers (AUTOTUNE: the CPUs, at least 2) map the elements in
    chunks (about 10 ms of work each, at most 64 elements), the results in input order unless ``deterministic``
    (or ``options.deterministic``) is False.

    The workers are threads or processes, as ``options.experimental_map_workers`` says:

    - 'processes': forked worker processes (process_map.py), which run Python code at once on several cores.
      The function's side effects on Python objects stay in the workers. Not where the platform cannot fork.
    - 'threads': threads of this process: they run at once only where the function releases the GIL (NumPy's
      loops, I/O); pure Python gains nothing.
    - 'auto' (the default): the first PROBE elements are mapped in the consumer's own thread and timed;
      processes are started when fork is available, the median element took at least 50 us, pickling the
      elements and results took under 0.15 of that, and the pass (where its length is known) has at least
      0.25 s of such work left: worker processes then pay for themselves. Threads otherwise. It is decided
      afresh on every pass, so a borderline function may get either; set the option explicitly for random
      maps that must repeat exactly (only processes seed each element).
    """

    def __init__(self, input_dataset, fn, num_parallel_calls, deterministic=None):
        super().__init__(input_dataset)
        self._fn = check_callable(fn, "map", "map_func")
        self._workers = workers("map", num_parallel_calls)
        self._deterministic = deterministic

    def _spec(self):
        from .transforms import Map
        return Map(self._input, self._fn).element_spec  # the first element mapped here, no workers started

    def _iterate(self):
        ordered = _deterministic(self, self._deterministic)
        mode = map_workers(self)
        fn, upstream = self._fn, iter(self._input._iterate())
        sizer, first = ChunkSizer(), 0
        if mode == "auto":
            from .process_map import can_fork
            mode = "threads"
            if can_fork():
                seconds, elements, results = [], [], []
                for element in itertools.islice(upstream, PROBE):
                    start = time.perf_counter()
                    result = apply_fn(fn, element, "map")
                    seconds.append(time.perf_counter() - start)
                    elements.append(element)
                    results.append(result)
                    yield result
                first = len(seconds)
                if first:
                    sizer.per_element = float(np.median(seconds))
                    total = self._input._cardinality()
                    if worth_processes(seconds, elements, results, total - first if total >= 0 else -1):
                        mode = "processes"
                    del elements, results
        if mode == "processes":
            from .process_map import ProcessChunks as pool
        else:
            pool = ThreadChunks
        yield from chunked_map(lambda: pool(fn, self._workers), upstream, ordered, sizer, first)


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
