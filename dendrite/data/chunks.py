"""Parallel map in chunks: the elements go to the workers (threads here, processes in process_map.py) a chunk
at a time, sized so that a chunk takes about ``TARGET_SECONDS`` of work, and the results come back in
input order (or as chunks finish).

One loop (:func:`chunked_map`) drives either kind of worker pool: a pool has ``free()``, ``window``,
``submit(seq, first, elements)``, ``next_done() -> (seq, results, error, seconds)`` and ``close()``. A chunk that fails
hands back the results before the failing element and the error, so the consumer sees every element
before it, then the error, as a plain ``map`` would show it.
"""
import itertools
import queue
import time

from .transforms import apply_fn

TARGET_SECONDS = 0.01  # the work in one chunk: long enough to pay for its dispatch, short enough to balance
MAX_CHUNK = 64
DEPTH = 2  # chunks queued per worker, so that a worker has its next chunk when it finishes one


class ChunkSizer:
    """The chunk size from the time per element seen so far (a moving average); 1 until something is seen."""

    def __init__(self, per_element=None):
        self.per_element = per_element

    def size(self):
        if self.per_element is None:
            return 1
        return max(1, min(MAX_CHUNK, int(TARGET_SECONDS / max(self.per_element, 1e-7))))

    def observe(self, count, seconds):
        if count:
            seen = seconds / count
            self.per_element = seen if self.per_element is None else 0.7 * self.per_element + 0.3 * seen


def run_chunk(fn, elements, first=0, before=None):
    """``fn`` on each element: ``(results, error, seconds)``, stopping at the first error (any exception,
    handed back for the consumer to raise). ``before(index)`` runs before each element (a worker process
    reseeds its generators there)."""
    start = time.perf_counter()
    results = []
    try:
        for k, element in enumerate(elements):
            if before is not None:
                before(first + k)
            results.append(apply_fn(fn, element, "map"))
    except BaseException as e:  # noqa: BLE001 - raised again in the consumer
        return results, e, time.perf_counter() - start
    return results, None, time.perf_counter() - start


def chunked_map(make_pool, upstream, ordered, sizer, first=0):
    """The results of the workers of ``make_pool()`` (made when the first chunk is ready, closed when this
    ends, fails or is closed) over the elements of the iterator ``upstream``, whose first one is element
    ``first`` of the pass. At most ``pool.window`` chunks are out between the upstream and the consumer. An
    error of the upstream is raised after the results of the elements read before it."""
    pool = None
    seq = done_seq = outstanding = 0
    ready = {}
    upstream_error = None
    exhausted = False
    try:
        while True:
            while not exhausted and (pool is None or pool.free() and seq - done_seq < pool.window):
                size = sizer.size()
                chunk = []
                try:
                    chunk.extend(itertools.islice(upstream, size))
                except Exception as e:  # noqa: BLE001 - raised once the elements before it are out
                    upstream_error, exhausted = e, True
                if len(chunk) < size:
                    exhausted = True
                if chunk:
                    pool = pool or make_pool()
                    pool.submit(seq, first, chunk)
                    seq, first, outstanding = seq + 1, first + len(chunk), outstanding + 1
            if not outstanding:
                break
            k, results, error, seconds = pool.next_done()
            outstanding -= 1
            sizer.observe(len(results) + (error is not None), seconds)
            if not ordered:
                done_seq += 1
                yield from results
                if error is not None:
                    raise error
                continue
            ready[k] = results, error
            while done_seq in ready:
                results, error = ready.pop(done_seq)
                done_seq += 1
                yield from results
                if error is not None:
                    raise error
        if upstream_error is not None:
            raise upstream_error
    finally:
        if pool is not None:
            pool.close()


class ThreadChunks:
    """Chunks mapped by ``n`` threads of this process (one future per chunk): they run at once where the
    function releases the GIL (NumPy's loops, I/O, sleeps)."""

    def __init__(self, fn, n):
        # imported here: concurrent.futures registers an at-fork hook on import, which importing dendrite
        # must not do (tests/test_runtime.py)
        from concurrent.futures import ThreadPoolExecutor
        self.fn, self.capacity, self.window = fn, DEPTH * n, 2 * DEPTH * n
        self.pool = ThreadPoolExecutor(n, thread_name_prefix="dendrite.data.map")
        self.finished = queue.Queue()
        self.outstanding = 0

    def free(self):
        return self.outstanding < self.capacity

    def submit(self, seq, first, elements):
        future = self.pool.submit(run_chunk, self.fn, elements)
        future.add_done_callback(lambda f: self.finished.put((seq, f)))
        self.outstanding += 1

    def next_done(self):
        seq, future = self.finished.get()
        self.outstanding -= 1
        return (seq,) + future.result()

    def close(self):
        self.pool.shutdown(wait=False, cancel_futures=True)
