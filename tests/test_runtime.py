"""dendrite.runtime: parallel regions, the BLAS thread count, ops that give the same results split over
threads as on one thread, the scratch-buffer pool, the allocator, and what importing dendrite leaves alone."""
import contextlib
import json
import os
import subprocess
import sys
import threading

import numpy as np
import pytest

import dendrite
from dendrite import runtime


@pytest.fixture
def two_threads():
    """Two threads for dendrite's parallel work, whatever the machine has; restored afterwards."""
    before = runtime.num_threads()
    runtime.set_num_threads(2)
    yield
    runtime.set_num_threads(before)


@pytest.fixture
def parallel_counts(monkeypatch):
    """The thread counts runtime.parallel is asked for (the ops reach it through the module)."""
    counts = []
    real = runtime.parallel

    def spy(fn, count):
        counts.append(count)
        return real(fn, count)
    monkeypatch.setattr(runtime, "parallel", spy)
    return counts


needs_blas_control = pytest.mark.skipif(not runtime._blas_thread_api(),
                                        reason="NumPy's BLAS thread count cannot be set here (not OpenBLAS)")


@needs_blas_control
def test_region_holds_blas_to_one_thread_and_restores_it(two_threads):
    get = runtime._blas_thread_api()[0]
    before = get()
    assert runtime.parallel_threads() == 1  # outside a region: the calling thread alone
    with runtime.parallel_region():
        assert get() == 1
        assert runtime.parallel_threads() == 2
        with runtime.parallel_region():  # re-entrant
            assert runtime.parallel_threads() == 2
        assert get() == 1
    assert get() == before
    assert runtime.parallel_threads() == 1


@needs_blas_control
def test_parallel_runs_on_two_threads_in_order(two_threads):
    with runtime.parallel_region():
        names = runtime.parallel(lambda i: (i, threading.current_thread().name), 2)
    assert [i for i, _ in names] == [0, 1]
    assert names[0][1] != names[1][1]


@needs_blas_control
def test_parallel_hands_back_a_worker_error(two_threads):
    def fail_second(i):
        if i == 1:
            raise KeyError("second share")
        return i
    with runtime.parallel_region():
        with pytest.raises(KeyError, match="second share"):
            runtime.parallel(fail_second, 2)
        assert runtime.parallel(lambda i: i * 10, 2) == [0, 10]  # the workers still serve


@needs_blas_control
def test_other_threads_run_serially_while_a_region_is_active(two_threads):
    seen = []
    with runtime.parallel_region():
        t = threading.Thread(target=lambda: seen.append(runtime.parallel_threads()))
        t.start()
        t.join()
    assert seen == [1]


@needs_blas_control
def test_a_region_entered_from_a_second_thread_runs_serially(two_threads):
    # two threads each in a step (say, two models predicting at once): the first holds the region
    get = runtime._blas_thread_api()[0]
    before = get()
    seen = []

    def second():
        with runtime.parallel_region():
            seen.append(runtime.parallel_threads())
            seen.append({t for _, t in runtime.parallel(lambda i: (i, threading.current_thread().name), 2)})
    with runtime.parallel_region():
        t = threading.Thread(target=second, name="second")
        t.start()
        t.join()
        assert get() == 1 and runtime.parallel_threads() == 2  # the first thread's region is untouched
    assert seen == [1, {"second"}]  # both shares ran on the second thread itself
    assert get() == before


def test_set_num_threads_rejects_bad_values():
    with pytest.raises(ValueError, match=r"set_num_threads: `n` must be a positive integer\. Received: n=0"):
        runtime.set_num_threads(0)
    with pytest.raises(ValueError, match=r"Received: n=2\.0 \(type float\)"):
        runtime.set_num_threads(2.0)


def test_dendrite_num_threads_environment_variable(monkeypatch):
    before = runtime._num_threads
    try:
        monkeypatch.setenv("DENDRITE_NUM_THREADS", "3")
        runtime._num_threads = None
        assert runtime.num_threads() == 3
        monkeypatch.setenv("DENDRITE_NUM_THREADS", "many")
        runtime._num_threads = None
        with pytest.raises(ValueError, match=r"DENDRITE_NUM_THREADS must be a positive integer; received 'many'"):
            runtime.num_threads()
    finally:
        runtime._num_threads = before


# ------------------------------------------- the same results on two threads
def _run(fn, threaded):
    if threaded:
        with runtime.parallel_region():
            return fn()
    return fn()


def _grads(build):
    """Value and gradients of sum(build(*vars) * weights) for float32 variables."""
    def run():
        with dendrite.GradientTape() as tape:
            out, variables = build()
            rng = np.random.default_rng(7)
            loss = dendrite.ops.sum(dendrite.ops.multiply(out, rng.standard_normal(out.shape).astype(np.float32)))
        return [np.asarray(out.value)] + [np.asarray(g) for g in tape.gradient(loss, variables)]
    return run


@needs_blas_control
@pytest.mark.parametrize("case", ["conv_s2d_relu", "conv_k5_s2", "conv_one_channel", "conv_3x3_s1", "conv_transpose",
                                  "dense", "batch_norm", "batch_norm_relu", "relu", "max_pool", "avg_pool_same"])
def test_ops_give_the_same_results_split_over_threads(two_threads, parallel_counts, case):
    rng = np.random.default_rng(0)
    ops = dendrite.ops

    def var(*shape, scale=1.0):
        return dendrite.Variable((rng.standard_normal(shape) * scale).astype(np.float32))
    if case.startswith("conv") and case != "conv_transpose":
        spec = {"conv_s2d_relu": (12, 6, 2, 24, "relu"), "conv_k5_s2": (24, 5, 2, 48, None),
                "conv_one_channel": (1, 3, 1, 12, "relu"), "conv_3x3_s1": (32, 3, 1, 64, "relu")}[case]
        c, k, s, o, act = spec
        x, w, b = var(37, 15, 13, c), var(k, k, c, o, scale=0.1), var(o)
        build = lambda: (ops.conv2d(x, w, b, strides=s, padding="same", activation=act), [x, w, b])  # noqa: E731
    elif case == "conv_transpose":
        x, w = var(37, 7, 6, 16), var(3, 3, 8, 16, scale=0.1)
        build = lambda: (ops.conv2d_transpose(x, w, strides=2, padding="same"), [x, w])  # noqa: E731
    elif case == "dense":
        x, w, b = var(300, 784), var(784, 200, scale=0.05), var(200)
        build = lambda: (ops.dense(x, w, b), [x, w, b])  # noqa: E731
    elif case.startswith("batch_norm"):
        x, beta = var(64, 14, 14, 48), var(48)
        act = "relu" if case == "batch_norm_relu" else None
        build = lambda: (ops.batch_norm(x, None, beta, epsilon=1e-3, activation=act)[0], [x, beta])  # noqa: E731
    elif case == "max_pool":
        x = var(37, 26, 26, 8)
        build = lambda: (ops.max_pool2d(x, 2), [x])  # noqa: E731
    elif case == "avg_pool_same":
        x = var(37, 31, 27, 8)  # large enough to be split over two threads
        build = lambda: (ops.avg_pool2d(x, 3, strides=2, padding="same"), [x])  # noqa: E731
    else:
        x = var(300, 1000)
        build = lambda: (ops.relu(x), [x])  # noqa: E731
    serial = _run(_grads(build), False)
    parallel_counts.clear()
    threaded = _run(_grads(build), True)
    assert 2 in parallel_counts  # the work was split over two threads
    for a, b in zip(serial, threaded):
        np.testing.assert_allclose(b, a, rtol=2e-5, atol=2e-5 * max(np.abs(a).max(), 1))


@needs_blas_control
def test_adam_step_is_the_same_split_over_threads(two_threads, parallel_counts):
    rng = np.random.default_rng(1)
    start = rng.standard_normal((600, 400)).astype(np.float32)  # large enough to be split over two threads
    grads = [rng.standard_normal(start.shape).astype(np.float32) for _ in range(3)]
    results = []
    for threaded in (False, True):
        v = dendrite.Variable(start.copy())
        opt = dendrite.optimizers.Adam(amsgrad=True)
        parallel_counts.clear()
        for g in grads:
            _run(lambda: opt.apply([g], [v]), threaded)
        assert (2 in parallel_counts) == threaded
        results.append(np.asarray(v.value))
    np.testing.assert_array_equal(results[0], results[1])  # elementwise: bit-identical


@needs_blas_control
def test_fit_on_two_threads_is_repeatable_and_matches_one_thread(two_threads, mnist):
    (x, y), _ = mnist
    x = x[:512, :, :, None].astype(np.float32) / 255
    y = dendrite.utils.to_categorical(y[:512], 10)

    def train(threads):
        runtime.set_num_threads(threads)
        dendrite.utils.set_random_seed(3)
        model = dendrite.Sequential([
            dendrite.Input((28, 28, 1)),
            dendrite.layers.Conv2D(6, 6, strides=2, padding="same", use_bias=False),
            dendrite.layers.BatchNormalization(scale=False), dendrite.layers.Activation("relu"),
            dendrite.layers.Flatten(), dendrite.layers.Dense(10, activation="softmax")])
        model.compile(optimizer="adam", loss="categorical_crossentropy")
        model.fit(x, y, batch_size=64, epochs=1, shuffle=False, verbose=0)
        return model.get_weights()
    first, again, single = train(2), train(2), train(1)
    for a, b, c in zip(first, again, single):
        np.testing.assert_array_equal(a, b)  # the same thread count: bit-identical
        np.testing.assert_allclose(a, c, rtol=1e-3, atol=1e-4)  # one thread: the same up to rounding


@needs_blas_control
def test_inference_relu_split_over_threads(two_threads, parallel_counts):
    x = np.random.default_rng(2).standard_normal((300, 1000)).astype(np.float32)
    with runtime.parallel_region():
        y = dendrite.ops.relu(x).value  # no tape: the mask-free path, split in two
    assert parallel_counts == [2]
    np.testing.assert_array_equal(y, np.maximum(x, 0))


@needs_blas_control
def test_blas_kernels_names_the_kernels_openblas_runs():
    # OPENBLAS_CORETYPE pins OpenBLAS's kernels (read when the library loads): a child process reports them
    if runtime.blas_kernels() is None:
        pytest.skip("this OpenBLAS build does not report its kernels")
    env = dict(os.environ, OPENBLAS_CORETYPE="Haswell")
    out = subprocess.run([sys.executable, "-c", "from dendrite import runtime; print(runtime.blas_kernels())"],
                         env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "Haswell"


# ------------------------------------------------ import leaves the process alone
# A child process records dendrite's os.register_at_fork calls and asks glibc (mallinfo2) whether a
# 30 MB array comes from fresh mmap'd pages (glibc's default for large blocks) or from the heap (tuned).
# It asks once: freeing that mmap'd block would itself raise glibc's (dynamic) threshold.
_PROBE = r"""
import ctypes, json, os, sys
hooks = []
register = os.register_at_fork
def spy(**kwargs):
    hooks.append(kwargs)
    return register(**kwargs)
os.register_at_fork = spy
import numpy as np
import dendrite
from dendrite import runtime

class MallInfo2(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in
                ("arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks", "fordblks",
                 "keepcost")]
libc = ctypes.CDLL("libc.so.6")
libc.mallinfo2.restype = MallInfo2

def fork_hooks():
    return len([h for h in hooks if any(getattr(f, "__module__", "").startswith("dendrite") for f in h.values())])

if sys.argv[1] == "fit":
    model = dendrite.Sequential([dendrite.Input((3,)), dendrite.layers.Dense(2)])
    model.compile(optimizer="sgd", loss="mse")
    model.fit(np.ones((8, 3), np.float32), np.ones((8, 2), np.float32), batch_size=4, verbose=0)
before = libc.mallinfo2().hblks
block = np.empty(30 * 2 ** 20, np.uint8)
report = {"tuned": runtime.allocator_tuned(), "mmapped": libc.mallinfo2().hblks > before, "fork_hooks": fork_hooks()}
with runtime.parallel_region():
    pass
report["fork_hooks_later"] = fork_hooks()
print(json.dumps(report))
"""

linux_glibc = pytest.mark.skipif(not sys.platform.startswith("linux") or not hasattr(os, "register_at_fork"),
                                 reason="glibc's allocator and os.register_at_fork (Linux)")


def _probe(stage, **env):
    out = subprocess.run([sys.executable, "-c", _PROBE, stage], env=dict(os.environ, **env), capture_output=True,
                         text=True, timeout=120, cwd=os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


@linux_glibc
def test_import_leaves_the_allocator_and_fork_hooks_alone_until_the_first_step():
    assert _probe("import") == {"tuned": False, "mmapped": True, "fork_hooks": 0, "fork_hooks_later": 1}
    # the first fit step raised glibc's thresholds (a 30 MB block now comes from the heap) and, entering
    # its parallel region, registered the at-fork hook, once
    assert _probe("fit") == {"tuned": True, "mmapped": False, "fork_hooks": 1, "fork_hooks_later": 1}


@linux_glibc
def test_dendrite_tune_allocator_0_leaves_the_allocator_alone():
    assert _probe("fit", DENDRITE_TUNE_ALLOCATOR="0") == {"tuned": False, "mmapped": True, "fork_hooks": 1,
                                                          "fork_hooks_later": 1}


def test_dendrite_tune_allocator_takes_0_or_1(monkeypatch):
    monkeypatch.setattr(runtime, "_allocator", None)  # not tried yet in this process, as after import
    monkeypatch.setenv("DENDRITE_TUNE_ALLOCATOR", "off")
    with pytest.raises(ValueError, match=r"DENDRITE_TUNE_ALLOCATOR must be 0 \(leave the allocator alone\) or 1 "
                                         r"\(tune it\); received 'off'"):
        runtime.tune_allocator()
    monkeypatch.setenv("DENDRITE_TUNE_ALLOCATOR", "0")
    assert runtime.tune_allocator() is False and not runtime.allocator_tuned()


_FORK = r"""
import os, sys, time, warnings
import dendrite
from dendrite import runtime
if not runtime._blas_thread_api():
    print("no BLAS control")
    sys.exit(0)
runtime.set_num_threads(2)
with runtime.parallel_region():
    assert runtime.parallel(lambda i: i, 2) == [0, 1]  # the parent now has a worker thread
with warnings.catch_warnings():  # Python 3.12+ warns about fork() in a process with threads
    warnings.simplefilter("ignore", DeprecationWarning)
    pid = os.fork()
if pid == 0:  # the parent's worker does not exist here: the hook must have dropped the pool
    code = 1
    try:
        with runtime.parallel_region():
            code = 0 if runtime.parallel(lambda i: i + 1, 2) == [1, 2] else 2
    finally:
        os._exit(code)
deadline = time.monotonic() + 30
while True:
    done, status = os.waitpid(pid, os.WNOHANG)
    if done:
        break
    if time.monotonic() > deadline:
        os.kill(pid, 9)
        os.waitpid(pid, 0)
        print("child hung")
        sys.exit(1)
    time.sleep(0.05)
print("child exit", os.WEXITSTATUS(status))
"""


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_a_forked_child_gets_fresh_workers():
    # in a child process of its own: forking pytest itself, with its threads, is what this avoids
    out = subprocess.run([sys.executable, "-c", _FORK], capture_output=True, text=True, timeout=120,
                         cwd=os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    assert out.returncode == 0, out.stdout + out.stderr
    if out.stdout.strip() == "no BLAS control":
        pytest.skip("NumPy's BLAS thread count cannot be set here (not OpenBLAS)")
    assert out.stdout.strip() == "child exit 0"


# ------------------------------------------------------------ scratch buffers
def test_scratch_buffers_are_reused_and_the_pool_stays_bounded(monkeypatch):
    monkeypatch.setattr(runtime, "_pool", type(runtime._pool)())
    monkeypatch.setattr(runtime, "_POOL_LIMIT", 10 * 2 ** 20)
    a = runtime.take_buffer(2 ** 20, np.float32, np)  # 4 MB
    assert a.shape == (2 ** 20,) and a.dtype == np.float32
    runtime.give_buffer(a)
    assert runtime.take_buffer(2 ** 20, np.float32, np) is a  # the same buffer back
    assert runtime.take_buffer(2 ** 20, np.float32, np) is not a  # taken: a new one
    assert runtime.take_buffer(2 ** 20, np.float64, np) is not a  # another dtype: a new one
    small = runtime.take_buffer(1000, np.float32, np)
    runtime.give_buffer(small)  # small buffers come cheaply from malloc: not kept
    assert runtime.take_buffer(1000, np.float32, np) is not small
    b, c, d = (runtime.take_buffer(2 ** 20 + i, np.float32, np) for i in range(3))
    for buf in (b, c, d):  # 12 MB given back, 10 MB kept: the least recently used goes
        runtime.give_buffer(buf)
    assert runtime.take_buffer(b.size, np.float32, np) is not b
    assert runtime.take_buffer(c.size, np.float32, np) is c and runtime.take_buffer(d.size, np.float32, np) is d


def test_matmul_writes_into_out_when_given_split_or_whole(two_threads):
    rs = np.random.default_rng(2)
    a, b = rs.random((256, 256), np.float32), rs.random((256, 512), np.float32)
    small_a = rs.random((3, 4), np.float32)
    for region in (False, True):
        with runtime.parallel_region() if region else contextlib.nullcontext():
            for x, y in ((a, b), (small_a, b[:4])):
                out = np.full((x.shape[0], y.shape[1]), np.nan, np.float32)
                assert runtime.matmul(x, y, out=out) is out
                np.testing.assert_allclose(out, x @ y, rtol=1e-5)


@needs_blas_control
def test_blas_threads_hands_products_to_the_blas_library_inside_a_region_only(two_threads, parallel_counts):
    get = runtime._blas_thread_api()[0]
    before = get()
    a, b = np.ones((256, 256), np.float32), np.ones((256, 512), np.float32)
    with runtime.blas_threads():  # outside a region: nothing changes
        assert get() == before
    with runtime.parallel_region():
        runtime.matmul(a, b)
        assert parallel_counts == [2]  # a large product is split over dendrite's threads
        with runtime.blas_threads():
            assert get() == 2
            with runtime.blas_threads():  # nested: the outer one restores
                pass
            assert get() == 2
            np.testing.assert_array_equal(runtime.matmul(a, b), a @ b)
            assert parallel_counts == [2]  # left whole to OpenBLAS's threads
        assert get() == 1
    assert get() == before


@needs_blas_control
@pytest.mark.parametrize("batch, blas, rows", [(8, 2, 8), (64, 1, 32)])
def test_an_lstm_recurrence_splits_its_rows_over_threads_or_runs_its_products_on_blas_threads(
        two_threads, monkeypatch, batch, blas, rows):
    """A batch too small to split (8 rows) runs its recurrent products on OpenBLAS's 2 threads; a larger one
    (64) gives each of dendrite's 2 threads 32 rows for the whole sequence, BLAS on one thread."""
    seen = []
    get = runtime._blas_thread_api()[0]
    real = np.matmul

    def matmul(a, b, out=None):
        if out is not None and a.shape[1] == 4 and b.shape == (4, 16):  # h @ recurrent kernel, step by step
            seen.append((get(), a.shape[0]))
        return real(a, b, out=out)

    monkeypatch.setattr(np, "matmul", matmul)
    model = dendrite.Sequential([dendrite.Input((5, 3)), dendrite.layers.LSTM(4), dendrite.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    rs = np.random.default_rng(0)
    model.fit(rs.random((batch, 5, 3)), rs.random((batch, 1)), batch_size=batch, epochs=1, verbose=0)
    assert len(seen) == 5 * batch // rows and set(seen) == {(blas, rows)}


def test_a_share_of_parallel_work_that_splits_again_runs_that_part_serially(two_threads):
    """The calling thread takes a share of parallel() itself; work it splits again inside (a product through
    runtime.matmul, another parallel call) runs on that thread instead of dispatching to busy workers."""
    a, b = np.random.default_rng(0).random((256, 128)), np.random.default_rng(1).random((128, 128))
    inner = []

    def share(i):
        inner.append((i, runtime.parallel_threads()))
        parts = runtime.parallel(lambda j: j * 10 + i, 2)
        return parts, runtime.matmul(a, b)

    with runtime.parallel_region():
        assert runtime.parallel_threads() == 2
        results = runtime.parallel(share, 2)
        assert runtime.parallel_threads() == 2  # restored after the call
    assert sorted(inner) == [(0, 1), (1, 1)]
    assert [parts for parts, _ in results] == [[0, 10], [1, 11]]
    for _, product in results:
        np.testing.assert_allclose(product, a @ b)
