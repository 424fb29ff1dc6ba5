"""How dendrite uses the machine: its threads, the BLAS library's threads, scratch buffers and the allocator.

Threads: NumPy runs everything but its matrix products (im2col gathers, bias, relu,
scatter-adds, normalisation) on one core. Inside :func:`parallel_region` (which each
training, test and predict step of a Model enters, see :func:`step_region`) the BLAS library is
held to one thread and dendrite's ops instead split their work, matrix products included, over
:func:`num_threads` threads of its own (NumPy releases the GIL inside its loops).
Holding BLAS to one thread for the whole region matters: OpenBLAS's idle threads
spin for a while after each call and would take the cores from dendrite's.
The recurrent ops hand their chains of small products back to the BLAS library's own threads for their
duration (:func:`blas_threads`). Outside a region (a custom GradientTape loop) the ops run on the calling thread
with the BLAS library's own threading, as plain NumPy would.

Scratch buffers too large for malloc to recycle (> 32 MB, e.g. one large image's convolution
columns) are reused through a small pool (:func:`take_buffer`, :func:`give_buffer`) instead of
being page-faulted on every call.

Importing dendrite changes nothing in the process: the allocator is tuned by a Model's first step
(:func:`tune_allocator`), and the at-fork hook that resets the threads' state in a forked child is
registered when a parallel region is first used.
"""
import contextlib
import os
import sys
import threading
from collections import OrderedDict

import numpy as np

from .utils.validation import positive_int

_MAX_THREADS = 8
_num_threads = None  # None: decided on first use (DENDRITE_NUM_THREADS, else the usable cores)
_blas = None  # (get, set) thread-count functions of the BLAS NumPy uses; False where none is found
_openblas_libs = None  # the OpenBLAS libraries mapped into the process (ctypes), found on first use
_region_lock = threading.Lock()  # guards the region's owner and depth
_owner = None  # the thread inside parallel_region (others run serially)
_depth = 0
_blas_before = None
_blas_threaded = False  # inside blas_threads(): the BLAS library's own threads run the products
_workers = None
_dispatching = False  # inside parallel(): the region's owner is running its own share
_fork_hook = False  # whether the at-fork hook is registered (on the first parallel_region)
_SPLIT_MACS = 2 ** 21  # matmuls with fewer multiply-adds than this stay on one thread
_SPLIT_ELEMENTS = 2 ** 16  # elementwise work on fewer elements per thread than this stays on one thread
_POOL_LIMIT = 256 * 2 ** 20  # bytes of free scratch buffers kept for reuse
_POOL_MIN = 2 ** 20  # smaller buffers come cheaply from malloc
_pool = OrderedDict()  # (size, dtype) -> free flat buffers
_pool_lock = threading.Lock()  # worker threads take and give buffers
_allocator = None  # None: not tried yet; then whether glibc's thresholds were raised


# ------------------------------------------------------------- allocator
def tune_allocator():
    """Keep large temporaries in glibc's heap instead of fresh mmap'd pages each step.

    A training step allocates and frees the same multi-megabyte temporaries over and
    over; by default glibc returns each to the OS and takes it back zeroed, which costs
    more than the arithmetic on them (2-3x on the conv/batch-norm sizes of MNIST nets).
    Raising the mmap and trim thresholds keeps that memory in the process. Linux/glibc
    only; elsewhere (or if the call fails) nothing changes.

    A Model's first step (fit, evaluate, predict or a ``*_on_batch`` method) calls this; importing
    dendrite does not. The environment variable ``DENDRITE_TUNE_ALLOCATOR=0`` leaves the allocator
    as it is (``1``, or unset, tunes it). Tried once per process; returns whether the thresholds
    were raised (see :func:`allocator_tuned`).
    """
    global _allocator
    if _allocator is None:
        env = os.environ.get("DENDRITE_TUNE_ALLOCATOR", "").strip()
        if env not in ("", "0", "1"):
            raise ValueError(f"DENDRITE_TUNE_ALLOCATOR must be 0 (leave the allocator alone) or 1 (tune it); "
                             f"received {env!r}.")
        _allocator = env != "0" and _raise_malloc_thresholds()
    return _allocator


def _raise_malloc_thresholds():
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes
        libc = ctypes.CDLL("libc.so.6")
        m_trim_threshold, m_mmap_threshold = -1, -3
        ok = libc.mallopt(m_mmap_threshold, 32 * 1024 * 1024)
        ok &= libc.mallopt(m_trim_threshold, 512 * 1024 * 1024)
        return bool(ok)
    except (OSError, AttributeError):
        return False


def allocator_tuned():
    """Whether :func:`tune_allocator` has raised glibc's thresholds in this process."""
    return bool(_allocator)


# ------------------------------------------------------------------ BLAS
def _openblas():
    """The OpenBLAS libraries mapped into the process (Linux) as ctypes handles, in path order: among them
    the very library NumPy calls (SciPy may bring a second)."""
    global _openblas_libs
    if _openblas_libs is None:
        _openblas_libs = []
        try:
            import ctypes
            with open("/proc/self/maps") as f:
                paths = sorted({line.split()[-1] for line in f if "openblas" in line.lower() and "/" in line})
            _openblas_libs = [ctypes.CDLL(path) for path in paths]
        except OSError:
            pass
    return _openblas_libs


def _openblas_function(names, restype=None, argtypes=None):
    """The first function of ``names`` (builds prefix and suffix them) that an OpenBLAS library exports,
    or None."""
    for lib in _openblas():
        for name in names:
            fn = getattr(lib, name, None)
            if fn is not None:
                fn.restype = restype
                if argtypes is not None:
                    fn.argtypes = argtypes
                return fn
    return None


def _names(stem):
    return [f"{prefix}{stem}{suffix}" for prefix in ("scipy_openblas_", "openblas_") for suffix in ("64_", "")]


def _blas_thread_api():
    """The OpenBLAS get/set thread-count functions of the library NumPy loaded, or False (other BLAS
    builds, MKL or Accelerate, are left alone)."""
    global _blas
    if _blas is None:
        import ctypes
        getter = _openblas_function(_names("get_num_threads"), ctypes.c_int)
        setter = _openblas_function(_names("set_num_threads"), None, [ctypes.c_int])
        _blas = (getter, setter) if getter is not None and setter is not None else False
    return _blas


def blas_kernels():
    """The kernel family NumPy's OpenBLAS runs on this CPU ('Haswell' for AVX2, 'SkylakeX' for AVX-512,
    ...; the environment variable OPENBLAS_CORETYPE can pin it), or None for another BLAS."""
    import ctypes
    fn = _openblas_function(_names("get_corename"), ctypes.c_char_p)
    return fn().decode() if fn is not None else None


# --------------------------------------------------------------- threads
def num_threads():
    """How many threads :func:`parallel` uses: ``set_num_threads``, else ``DENDRITE_NUM_THREADS``, else
    the cores this process may run on (at most 8, and never more than the BLAS library is allowed:
    ``OPENBLAS_NUM_THREADS=1`` or ``OMP_NUM_THREADS=1`` keep dendrite on one core too)."""
    global _num_threads
    if _num_threads is None:
        env = os.environ.get("DENDRITE_NUM_THREADS", "").strip()
        if env:
            try:
                value = int(env)
            except ValueError:
                raise ValueError(f"DENDRITE_NUM_THREADS must be a positive integer; received {env!r}.") from None
            _num_threads = max(1, value)
        else:
            cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
            api = _blas_thread_api()
            # inside another thread's region BLAS is held to 1: its count from before the region counts
            blas = (_blas_before if _owner is not None else api[0]()) if api else 1
            _num_threads = max(1, min(cores, _MAX_THREADS, blas))
    return _num_threads


def set_num_threads(n):
    """Use ``n`` threads for dendrite's own parallel work (1 turns it off)."""
    global _num_threads
    _num_threads = positive_int("set_num_threads", "n", n)


@contextlib.contextmanager
def parallel_region():
    """Within: the BLAS library runs on one thread and :func:`parallel` splits work over num_threads()
    threads. Re-entrant; a region entered from a second thread while one is active runs serially."""
    global _owner, _depth, _blas_before
    me = threading.get_ident()
    with _region_lock:
        if not _fork_hook:
            _watch_forks()
        entered = _owner in (None, me)
        if entered:
            if _depth == 0:
                api = _blas_thread_api() if num_threads() > 1 else False
                if not api:
                    entered = False
                else:
                    _blas_before = api[0]()
                    api[1](1)
                    _owner = me
            if entered:
                _depth += 1
    try:
        yield
    finally:
        if entered:
            with _region_lock:
                _depth -= 1
                if _depth == 0:
                    _blas[1](_blas_before)
                    _owner = None


@contextlib.contextmanager
def blas_threads():
    """Within, in a parallel region this thread entered, the BLAS library runs on num_threads() threads of
    its own and :func:`matmul` leaves each product whole to it; elsewhere nothing changes.

    For long sequences of small products that must run one after the other (a recurrent layer's timesteps,
    each (batch, units) @ (units, gates * units)), OpenBLAS's threads, already waiting in a spin, take a
    product faster than a dispatch to dendrite's threads does. Elementwise work keeps using dendrite's
    threads. Usable as a decorator.
    """
    global _blas_threaded
    if _blas_threaded or _owner != threading.get_ident() or not _blas:
        yield
        return
    _blas[1](num_threads())
    _blas_threaded = True
    try:
        yield
    finally:
        _blas_threaded = False
        _blas[1](1)


def step_region():
    """The region a Model's train, test and predict steps run in: :func:`parallel_region`, with the
    allocator tuned (:func:`tune_allocator`) before the first."""
    if _allocator is None:
        tune_allocator()
    return parallel_region()


def parallel_threads():
    """The threads :func:`parallel` may use from the calling thread: num_threads() inside a parallel
    region that this thread entered (and not already inside one of its parallel calls), else 1."""
    return num_threads() if _owner == threading.get_ident() and not _dispatching else 1


class _Workers:
    """Persistent worker threads handed one call each through plain locks (a ThreadPoolExecutor's
    futures and queues cost about twice as much per dispatch, which adds up over ~40 dispatches a step)."""

    def __init__(self):
        self.threads = []

    def _grow(self, n):
        while len(self.threads) < n:
            go, done = threading.Lock(), threading.Lock()
            go.acquire()
            done.acquire()
            slot = {"go": go, "done": done, "job": None, "result": None, "error": None}
            t = threading.Thread(target=self._loop, args=(slot,), daemon=True,
                                 name=f"dendrite-{len(self.threads)}")
            t.start()
            self.threads.append(slot)

    @staticmethod
    def _loop(slot):
        while True:
            slot["go"].acquire()
            fn, i = slot["job"]
            try:
                slot["result"] = fn(i)
            except BaseException as e:  # handed back to the caller
                slot["error"] = e
            slot["job"] = None
            slot["done"].release()

    def run(self, fn, count):
        self._grow(count - 1)
        slots = self.threads[:count - 1]
        for i, slot in enumerate(slots, 1):
            slot["job"], slot["result"], slot["error"] = (fn, i), None, None
            slot["go"].release()
        try:
            first = fn(0)  # the calling thread takes a share too
        finally:
            for slot in slots:  # every share finishes before the caller goes on
                slot["done"].acquire()
        for slot in slots:
            if slot["error"] is not None:
                raise slot["error"]
        return [first] + [slot["result"] for slot in slots]


def _after_fork_in_child():
    """A forked child has none of the parent's worker threads and no region: start afresh."""
    global _workers, _owner, _depth, _region_lock, _pool_lock, _blas_threaded, _dispatching
    _workers, _owner, _depth, _blas_threaded, _dispatching = None, None, 0, False, False
    _region_lock = threading.Lock()
    _pool_lock = threading.Lock()


def _watch_forks():
    """Register the at-fork hook, once: from the first parallel_region on there is state (its lock and
    owner, then the worker threads) that a forked child must not inherit."""
    global _fork_hook
    if hasattr(os, "register_at_fork"):
        os.register_at_fork(after_in_child=_after_fork_in_child)
    _fork_hook = True


def parallel(fn, count):
    """``[fn(0), ..., fn(count - 1)]``, on up to ``count`` threads inside a parallel region.

    Each ``fn(i)`` must touch only its own part of any shared output. Runs serially when ``count`` is 1
    or outside a region that the calling thread entered.
    """
    global _workers, _dispatching
    if count <= 1 or _owner != threading.get_ident() or _dispatching:
        return [fn(i) for i in range(count)]
    if _workers is None:
        _workers = _Workers()
    _dispatching = True  # a share that splits its own work again (the caller's) does so serially
    try:
        return _workers.run(fn, count)
    finally:
        _dispatching = False


def sum_in_order(parts):
    """``parts[0] + parts[1] + ...`` added in list order into parts[0]: partial sums from :func:`parallel`
    come back in a fixed order, so their total, rounding included, does not depend on the threads."""
    total = parts[0]
    for part in parts[1:]:
        total += part
    return total


def matmul(a, b, out=None):
    """``a @ b`` for 2-D arrays, its rows split over the threads of a parallel region when it is large;
    written into ``out`` when given (an array of the result's shape and dtype)."""
    m = a.shape[0]
    workers = 1 if _blas_threaded else min(parallel_threads(), m)
    if (workers <= 1 or type(a) is not np.ndarray or type(b) is not np.ndarray or a.ndim != 2 or b.ndim != 2
            or m * a.shape[1] * b.shape[1] < _SPLIT_MACS):
        if out is None:
            return a @ b
        if type(a) is np.ndarray and type(b) is np.ndarray:
            return np.matmul(a, b, out=out)
        out[...] = a @ b  # another array module's arrays
        return out
    if out is None:
        out = np.empty((m, b.shape[1]), np.result_type(a.dtype, b.dtype))
    step = -(-m // workers)
    parallel(lambda i: np.matmul(a[i * step:(i + 1) * step], b, out=out[i * step:(i + 1) * step]), workers)
    return out


def split(n, fn, per_item=1):
    """``fn(lo, hi)`` over even slices of ``range(n)``, one slice per thread of a parallel region, each
    slice covering at least ``_SPLIT_ELEMENTS`` elements (an item holds ``per_item``); a single
    ``fn(0, n)`` outside a region or when the work is small. Returns the results in slice order."""
    workers = min(parallel_threads(), n, n * per_item // _SPLIT_ELEMENTS)
    if workers <= 1:
        return [fn(0, n)]
    step = -(-n // workers)
    return parallel(lambda i: fn(i * step, min(n, (i + 1) * step)), workers)


def split_flat(fn, *arrays):
    """``fn(*arrays)`` for elementwise work that writes its results into some of ``arrays``: inside a
    parallel region, when every array (None entries pass through) is a C-contiguous NumPy array of the
    same size, fn runs on flat slices of them, one per thread; otherwise once on the arrays as given."""
    present = [a for a in arrays if a is not None]
    size = present[0].size
    if parallel_threads() == 1 or not all(type(a) is np.ndarray and a.flags.c_contiguous and a.size == size
                                          for a in present):
        fn(*arrays)
        return
    flat = [None if a is None else a.reshape(-1) for a in arrays]
    split(size, lambda lo, hi: fn(*[None if a is None else a[lo:hi] for a in flat]))


# ------------------------------------------------------- scratch buffers
def take_buffer(size, dtype, xp):
    """A flat scratch buffer of ``size`` elements, reused from the pool when one of that size is free."""
    dtype = np.dtype(dtype)
    if xp is np:
        with _pool_lock:
            free = _pool.get((size, dtype.str))
            if free:
                _pool.move_to_end((size, dtype.str))
                return free.pop()
    return xp.empty(size, dtype)


def give_buffer(buf):
    """Return a scratch buffer to the pool (large NumPy buffers only; least recently used dropped first)."""
    if type(buf) is not np.ndarray or buf.nbytes < _POOL_MIN:
        return
    key = (buf.size, buf.dtype.str)
    with _pool_lock:
        _pool.setdefault(key, []).append(buf)
        _pool.move_to_end(key)
        total = sum(b.nbytes for bufs in _pool.values() for b in bufs)
        while total > _POOL_LIMIT:
            old = next(iter(_pool))
            total -= sum(b.nbytes for b in _pool.pop(old))
