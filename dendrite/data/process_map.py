"""Worker processes for ``Dataset.map(num_parallel_calls=...)``: a pool forked at the first chunk and shut
down when the pass ends, is closed or is dropped.

The workers are forked (multiprocessing's 'fork' start method), so the map function, lambdas and closures
included, is the one the parent holds: it is never pickled, and nothing is imported afresh. Elements and
results (NumPy arrays, bytes, nested tuples and dicts) travel pickled through one socket pair per worker,
large arrays as their raw memory (pickle protocol 5), read straight into the arrays that receive them; a
thread in each worker reads its chunks as they come, so neither side can block the other. A worker
computes on one core (dendrite's threads and OpenBLAS's held to one): the workers together fill the cores.

What is not shared: the function's side effects on Python objects stay in the worker that made them, and a
generator of the function's own (a layer's ``SeedGenerator`` when it was given a seed) starts from the same
state in every worker.

A worker's exception reaches the consumer with its type and the worker's traceback as its cause; a worker
that dies (killed, out of memory) is noticed at once through its sentinel and raises a RuntimeError that
says so. Each element is mapped with dendrite's generator, NumPy's global one and Python's ``random``
seeded from (a seed drawn from dendrite's generator when the pool starts, the element's position in the
pass): the workers draw different numbers, and a fixed ``utils.set_random_seed`` gives the same elements
whichever worker maps them.
"""
import os
import pickle
import queue
import random
import signal
import socket
import struct
import threading
import time
import traceback
import warnings
import weakref

import numpy as np

from .. import backend, runtime
from .chunks import DEPTH, run_chunk
from .transforms import function_name, note

POLL_SECONDS = 1.0  # how often a waiting worker checks that its parent is still there
JOIN_SECONDS = 2.0  # how long a closing pool waits for a worker before killing it
PROTOCOL = 5  # out-of-band buffers
BIG = 1 << 15  # arrays of at least this many bytes travel out of band
SOCKET_BUFFER = 1 << 22  # asked for (the system may give less): a chunk's results in few round trips

_pools = weakref.WeakSet()  # this process's open pools: a new worker closes its copies of their sockets
_pools_lock = threading.Lock()


def can_fork():
    """Whether map may start worker processes here: the platform forks (Linux, macOS; not Windows) and
    this is not itself a worker (multiprocessing's daemonic processes may not have children)."""
    import multiprocessing
    return "fork" in multiprocessing.get_all_start_methods() and not multiprocessing.current_process().daemon


class RemoteTraceback(Exception):
    """The traceback of an exception raised in a worker process, as text (the cause of the one re-raised)."""

    def __init__(self, text):
        super().__init__(text)
        self.text = text

    def __str__(self):
        return "\n\n" + self.text


class Reseed:
    """Seeds dendrite's, NumPy's global and Python's generators for the element at ``index`` of the pass, from
    the pool's ``base``: dendrite's generator starts at block ``index`` (2**64 draws each) of one PCG64 stream;
    the other two are seeded from (base, index). About 10 us an element."""

    def __init__(self, base):
        self.bits = np.random.PCG64(base)
        self.start, self.generator = self.bits.state, np.random.Generator(self.bits)
        self.base = base

    def __call__(self, index):
        self.bits.state = self.start
        self.bits.advance(index << 64)
        backend.seed(self.generator)  # a Generator is taken as it is
        np.random.seed((self.base ^ (index * 0x9E3779B9)) & 0xFFFFFFFF)  # an odd multiplier: distinct per index
        random.seed((self.base << 64) | index)


def one_core_each():
    """A worker computes on one core: the workers together fill the cores, and a BLAS library's idle threads
    spinning in every worker (einsum and matmul reach OpenBLAS) would take them from each other."""
    runtime.set_num_threads(1)
    blas = runtime._blas_thread_api()  # OpenBLAS's thread-count functions, where NumPy uses OpenBLAS
    if blas:
        blas[1](1)


def _error_payload(error):
    """An exception as a worker sends it: pickled if it survives the trip, with its type, text and traceback."""
    text = "".join(traceback.format_exception(type(error), error, error.__traceback__))
    try:
        blob = pickle.dumps(error, PROTOCOL)
        pickle.loads(blob)
    except Exception:  # noqa: BLE001 - an exception that cannot be pickled goes as text
        blob = None
    return blob, f"{type(error).__module__}.{type(error).__qualname__}", str(error), text, os.getpid()


def _remote_error(payload):
    blob, type_name, message, text, pid = payload
    error = None
    if blob is not None:
        try:
            error = pickle.loads(blob)
        except Exception:  # noqa: BLE001 - then as a RuntimeError with its text
            error = None
    if error is None:
        error = RuntimeError(f"{type_name}: {message} (raised in a map worker process; the exception itself "
                             "could not be sent back, so it is re-raised as a RuntimeError)")
    error.__cause__ = RemoteTraceback(text)
    note(error, f"(raised in the map worker process with pid {pid}; its traceback is shown above)")
    return error


def pack(obj):
    """``obj`` as the parts of one message: a frame (the sizes of the rest) with the pickle stream, then the
    memory of its large arrays as it is, uncopied (pickle protocol 5's out-of-band buffers)."""
    buffers = []

    def out_of_band(buffer):
        raw = buffer.raw()
        if raw.nbytes < BIG:
            return True  # small: inside the stream
        buffers.append(raw)
        return False

    head = pickle.dumps(obj, PROTOCOL, buffer_callback=out_of_band)
    sizes = [len(head)] + [b.nbytes for b in buffers]
    return [struct.pack(f"<{len(sizes) + 1}Q", len(sizes), *sizes) + head] + buffers


def _read_into(sock, buffer):
    view = memoryview(buffer).cast("B")
    got = 0
    while got < len(view):
        n = sock.recv_into(view[got:])
        if not n:
            raise EOFError("the other end of the socket is closed")
        got += n
    return buffer


def receive(sock):
    """The next message on ``sock``, unpickled; its large arrays are read straight into fresh (writable) memory."""
    count = struct.unpack("<Q", _read_into(sock, bytearray(8)))[0]
    sizes = struct.unpack(f"<{count}Q", _read_into(sock, bytearray(8 * count)))
    head = _read_into(sock, bytearray(sizes[0]))
    return pickle.loads(head, buffers=[_read_into(sock, np.empty(size, np.uint8)) for size in sizes[1:]])


def _send(sock, parts):
    for part in parts:
        sock.sendall(part)


def _read_tasks(sock, tasks):
    try:
        while True:
            tasks.put(receive(sock))
    except BaseException as e:  # noqa: BLE001 - the end of input, or an error for the worker to die of
        tasks.put(e)


def _reply(fn, seq, results, error, seconds):
    payload = None if error is None else _error_payload(error)
    try:
        return pack((seq, results, payload, seconds))
    except Exception as e:  # noqa: BLE001 - the results cannot travel: say so instead
        error = TypeError(f"Dataset.map: the function {function_name(fn)!r} returned a value that cannot be sent "
                          f"back from a worker process ({type(e).__name__}: {e}). Results must be picklable (NumPy "
                          "arrays, bytes, numbers, and tuples, dicts and namedtuples defined at module level); set "
                          "options.experimental_map_workers = 'threads' to map in this process instead.")
        return pack((seq, [], _error_payload(error), seconds))


def _serve(fn, sock, inherited, base, parent):
    """A worker's life: map the chunks that come, send each one's results back; stop at the end of input
    (the parent closed its socket) or when the parent is gone."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle; it stops the workers
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # whatever the parent set: terminate() must end a worker
    one_core_each()
    for s in inherited:  # the parent's ends of every pool's sockets, this one's included
        s.close()
    reseed = Reseed(base)
    tasks = queue.Queue()
    threading.Thread(target=_read_tasks, args=(sock, tasks), daemon=True).start()
    while True:
        try:
            task = tasks.get(timeout=POLL_SECONDS)
        except queue.Empty:
            if os.getppid() != parent:
                return
            continue
        if isinstance(task, (EOFError, OSError)):
            return
        if isinstance(task, BaseException):
            raise task  # multiprocessing prints it; the parent reports the worker's exit
        seq, first, elements = task
        results, error, seconds = run_chunk(fn, elements, first, reseed)
        try:
            _send(sock, _reply(fn, seq, results, error, seconds))
        except OSError:
            return


def _signal_name(code):
    try:
        return signal.Signals(-code).name
    except ValueError:
        return f"signal {-code}"


class ProcessChunks:
    """``n`` forked worker processes mapping chunks, each given at most DEPTH at a time (the chunk goes to
    the least loaded worker)."""

    def __init__(self, fn, n):
        import multiprocessing
        context = multiprocessing.get_context("fork")
        self.fn, self.n, self.window = fn, n, 2 * DEPTH * n
        self.owner = os.getpid()
        self.socks, self.procs, self.load, self.chunks = [], [], [], {}
        self.closed = False
        base = int(backend.rng().integers(2 ** 63))
        with _pools_lock:
            _pools.add(self)
        try:
            for w in range(n):
                mine, theirs = socket.socketpair()
                for end in (mine, theirs):
                    for option in (socket.SO_SNDBUF, socket.SO_RCVBUF):
                        end.setsockopt(socket.SOL_SOCKET, option, SOCKET_BUFFER)
                with _pools_lock:
                    inherited = [s for pool in list(_pools) for s in pool.socks] + [mine]
                process = context.Process(target=_serve, args=(fn, theirs, inherited, base, self.owner),
                                          name=f"dendrite.data.map-{w}", daemon=True)
                with warnings.catch_warnings():  # Python 3.12+ warns about forking a process that has threads
                    warnings.simplefilter("ignore", DeprecationWarning)
                    process.start()
                theirs.close()
                self.socks.append(mine)
                self.procs.append(process)
                self.load.append(0)
        except BaseException:
            self.close()
            raise

    def free(self):
        return min(self.load) < DEPTH

    def submit(self, seq, first, elements):
        w = self.load.index(min(self.load))
        try:
            parts = pack((seq, first, elements))
        except Exception as e:  # noqa: BLE001 - explained below
            raise TypeError(f"Dataset.map: an element cannot be sent to a worker process ({type(e).__name__}: "
                            f"{e}). Elements mapped in processes must be picklable (NumPy arrays, bytes, numbers, "
                            "and tuples, dicts and namedtuples defined at module level); set "
                            "options.experimental_map_workers = 'threads' to map in this process instead.") from e
        try:
            _send(self.socks[w], parts)
        except OSError:
            self._died(w)
        self.load[w] += 1
        self.chunks[seq] = w, first, len(elements)

    def next_done(self):
        from multiprocessing.connection import wait
        sentinels = {p.sentinel: w for w, p in enumerate(self.procs)}
        while True:
            ready = wait(self.socks + list(sentinels), timeout=POLL_SECONDS)
            for w, sock in enumerate(self.socks):
                if sock in ready:
                    return self._receive(w)
            for w, process in enumerate(self.procs):
                if process.sentinel in ready or process.exitcode is not None:
                    if wait([self.socks[w]], 0):  # what it sent before it went
                        return self._receive(w)
                    self._died(w)

    def _receive(self, w):
        try:
            seq, results, payload, seconds = receive(self.socks[w])
        except (EOFError, OSError):
            self._died(w)
        except Exception as e:  # noqa: BLE001 - explained below
            raise TypeError(f"Dataset.map: the results of the function {function_name(self.fn)!r} cannot be "
                            f"read back from a worker process ({type(e).__name__}: {e}); a type made inside the "
                            "function exists only in the worker. Set options.experimental_map_workers = 'threads' "
                            "to map in this process instead.") from e
        self.load[w] -= 1
        del self.chunks[seq]
        return seq, results, None if payload is None else _remote_error(payload), seconds

    def _died(self, w):
        process = self.procs[w]
        process.join(JOIN_SECONDS)  # its sentinel can be ready a moment before its exit status
        code = process.exitcode
        how = ("is gone" if code is None else f"was killed by {_signal_name(code)}" if code < 0
               else f"exited with code {code}")
        busy = [(first, first + count - 1) for k, (v, first, count) in sorted(self.chunks.items()) if v == w]
        doing = f" while it had elements {busy[0][0]} to {busy[-1][1]} of the pass to map" if busy else ""
        raise RuntimeError(
            f"Dataset.map: worker process {w + 1} of {self.n} (pid {process.pid}), mapping "
            f"{function_name(self.fn)!r}, {how}{doing}. The other workers are stopped. A worker killed by the "
            "system has usually run out of memory: lower num_parallel_calls, or set "
            "options.experimental_map_workers = 'threads' to map in this process.")

    def close(self):
        """Stop every worker (at once: their work is no longer wanted) and reap them; idempotent."""
        if self.closed or os.getpid() != self.owner:
            return
        self.closed = True
        with _pools_lock:
            _pools.discard(self)
        for sock in self.socks:
            sock.close()
        for process in self.procs:
            if process.exitcode is None:
                process.terminate()
        deadline = time.monotonic() + JOIN_SECONDS
        for process in self.procs:
            process.join(max(0.0, deadline - time.monotonic()))
            if process.exitcode is None:
                process.kill()
                process.join()
