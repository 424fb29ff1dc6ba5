"""Batches from a ``utils.PyDataset`` / ``utils.Sequence``: read in order on the calling thread, or by a pool
of threads (workers > 1) or processes (use_multiprocessing=True) that keeps at most ``max_queue_size`` batches
ahead, handed over in order. A worker's exception is raised again in the calling thread, with the worker's
traceback (for a process, as the exception's cause)."""
import collections
import itertools
import multiprocessing
from concurrent import futures

from ... import backend
from .stream_adapter import StreamAdapter

_shared = None  # the dataset, in each worker process


def _share(dataset):
    global _shared
    _shared = dataset


def _shared_item(index):
    return _shared[index]


def ordered_batches(dataset, indices, workers, use_multiprocessing, max_queue_size):
    """``dataset[i]`` for each ``i`` of ``indices``, in order, from a pool that keeps ``max_queue_size`` ahead.
    Closing the generator stops the pool."""
    if use_multiprocessing:
        methods = multiprocessing.get_all_start_methods()
        context = multiprocessing.get_context("fork" if "fork" in methods else None)
        pool = futures.ProcessPoolExecutor(max(workers, 1), mp_context=context, initializer=_share,
                                           initargs=(dataset,))
        fetch = _shared_item
    else:
        pool = futures.ThreadPoolExecutor(workers, thread_name_prefix="PyDataset")
        fetch = dataset.__getitem__
    pending = collections.deque()
    indices = iter(indices)
    try:
        for index in itertools.islice(indices, max_queue_size):
            pending.append(pool.submit(fetch, index))
        while pending:
            batch = pending.popleft().result()
            for index in itertools.islice(indices, 1):
                pending.append(pool.submit(fetch, index))
            yield batch
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


class PyDatasetAdapter(StreamAdapter):
    """A PyDataset: ``len`` batches a pass (None: endless), their order shuffled each pass when asked.
    ``workers``, ``use_multiprocessing``, ``max_queue_size``: fit's own (Keras 2's), which override the
    dataset's when given."""

    kind = "PyDataset"

    def __init__(self, source, shuffle=False, workers=None, use_multiprocessing=None, max_queue_size=None, **kwargs):
        super().__init__(source, **kwargs)
        self.shuffle = bool(shuffle)
        self.workers = source.workers if workers is None else workers
        self.use_multiprocessing = source.use_multiprocessing if use_multiprocessing is None else use_multiprocessing
        self.max_queue_size = source.max_queue_size if max_queue_size is None else max_queue_size
        n = source.num_batches
        if n == 0:
            raise ValueError(self.empty_message() + " Its __len__ is 0.")
        self._full = None if n is None else int(n)

    def _open_pass(self):
        n = self._full
        if n is None:
            indices = itertools.count()
        elif self.shuffle:
            indices = backend.rng().permutation(n).tolist()
        else:
            indices = range(n)
        if self.workers > 1 or (self.workers > 0 and self.use_multiprocessing):
            return ordered_batches(self.source, indices, self.workers, self.use_multiprocessing,
                                   self.max_queue_size)
        return (self.source[i] for i in indices)

    def on_epoch_begin(self):
        self.source.on_epoch_begin()

    def on_epoch_end(self):
        self.source.on_epoch_end()
