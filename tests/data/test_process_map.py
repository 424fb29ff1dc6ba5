"""map(num_parallel_calls) in worker processes: order, nested values, errors with the worker's traceback, a killed
worker, no processes left behind, and the random generators of the workers."""
import os
import signal
import subprocess
import sys
import time
import traceback
from collections import namedtuple

import numpy as np
import pytest

import dendrite
from dendrite import data, image
from dendrite.data import Dataset
from dendrite.data.process_map import RemoteTraceback, can_fork

from .conftest import assert_no_workers_left, bounded, map_workers, with_workers

pytestmark = pytest.mark.skipif(not can_fork(), reason="worker processes need the 'fork' start method")

Pair = namedtuple("Pair", ["left", "right"])


def in_processes(dataset):
    return with_workers(dataset, "processes")


def square_and_pid(x):
    time.sleep(0.002)
    return x * x, np.int64(os.getpid())


def test_results_keep_input_order_and_come_from_the_workers():
    ds = in_processes(Dataset.range(40)).map(square_and_pid, num_parallel_calls=2)
    out = bounded(lambda: [(int(v), int(pid)) for v, pid in ds])
    assert [v for v, _ in out] == [i * i for i in range(40)]
    pids = {pid for _, pid in out}
    assert len(pids) == 2 and os.getpid() not in pids
    assert_no_workers_left()


def test_nondeterministic_map_yields_every_element_once():
    ds = in_processes(Dataset.range(60)).map(square_and_pid, num_parallel_calls=3, deterministic=False)
    assert sorted(bounded(lambda: [int(v) for v, _ in ds])) == [i * i for i in range(60)]
    options = data.Options()
    options.deterministic = False
    ds = in_processes(Dataset.range(60).with_options(options)).map(square_and_pid, num_parallel_calls=3)
    assert sorted(bounded(lambda: [int(v) for v, _ in ds])) == [i * i for i in range(60)]


def test_nested_structures_and_strings_come_back_as_a_plain_map_gives_them():
    source = Dataset.from_tensor_slices({"n": np.arange(12, dtype=np.int32),
                                         "pair": (np.linspace(0, 1, 12 * 6).reshape(12, 2, 3),
                                                  np.array([f"word{i}" for i in range(12)]))})

    def describe(element):
        x, words = element["pair"]
        big = np.asfortranarray(np.full((64, 64, 3), element["n"], np.float32) + np.arange(3, dtype=np.float32))  # 48 KB: raw memory
        return {"text": words + b"!", "both": Pair(x * 2, element["n"] + 1), "raw": x.astype(np.float32).tobytes(),
                "big": big}

    expected = list(source.map(describe))
    got = bounded(lambda: list(in_processes(source).map(describe, num_parallel_calls=2)))
    assert len(got) == 12
    for a, b in zip(got, expected):
        assert list(a) == list(b) and isinstance(a["both"], Pair)
        assert a["text"] == b["text"] and a["text"].startswith(b"word") and a["raw"] == b["raw"]
        np.testing.assert_array_equal(a["both"].left, b["both"].left)
        assert a["both"].left.dtype == b["both"].left.dtype and a["both"].right.dtype == np.int32
        assert int(a["both"].right) == int(b["both"].right)
        np.testing.assert_array_equal(a["big"], b["big"])
        assert a["big"].dtype == np.float32 and a["big"].flags.f_contiguous
        a["big"] += 1  # the arrays that come back are the consumer's own, writable


def test_a_workers_exception_keeps_its_type_and_shows_the_users_line():
    def fails_on_seven(x):
        if x == 7:
            raise KeyError("seven is not allowed")  # the user's own line
        return x

    seen = []

    def consume():
        for v in in_processes(Dataset.range(20)).map(fails_on_seven, num_parallel_calls=2):
            seen.append(int(v))

    with pytest.raises(KeyError, match="seven is not allowed") as info:
        bounded(consume)
    assert seen == list(range(7))  # every element before it, in order, as a plain map gives them
    cause = info.value.__cause__
    assert isinstance(cause, RemoteTraceback)
    assert 'raise KeyError("seven is not allowed")  # the user\'s own line' in cause.text
    assert "fails_on_seven" in cause.text
    shown = "".join(traceback.format_exception(type(info.value), info.value, info.value.__traceback__))
    assert "# the user's own line" in shown
    if sys.version_info >= (3, 11):  # notes
        assert "map worker process" in shown and "given to Dataset.map" in shown
    assert_no_workers_left()


def test_an_exception_that_cannot_be_pickled_comes_back_as_a_runtime_error_with_its_text():
    class Local(Exception):
        pass

    def fails(x):
        raise Local(f"bad element {int(x)}")

    with pytest.raises(RuntimeError, match=r"Local: bad element 0 \(raised in a map worker process") as info:
        bounded(lambda: list(in_processes(Dataset.range(3)).map(fails, num_parallel_calls=2)))
    assert 'raise Local(f"bad element {int(x)}")' in info.value.__cause__.text


def test_a_killed_worker_raises_a_clear_error_within_seconds():
    def dies_on_five(x):
        if x == 5:
            os.kill(os.getpid(), signal.SIGKILL)
        time.sleep(0.005)
        return x

    start = time.monotonic()
    with pytest.raises(RuntimeError, match=r"Dataset.map: worker process \d of 2 \(pid \d+\), mapping "
                                           r"'.*dies_on_five', was killed by SIGKILL while it had elements \d+ to \d+ "):
        bounded(lambda: list(in_processes(Dataset.range(30)).map(dies_on_five, num_parallel_calls=2)))
    assert time.monotonic() - start < 10
    assert_no_workers_left()


def test_an_upstream_error_is_raised_after_the_elements_before_it():
    def numbers():
        for i in range(5):
            yield i
        raise ValueError("the source broke")

    source = Dataset.from_generator(numbers, output_signature=data.TensorSpec((), np.int64))
    seen = []

    def consume():
        for v in in_processes(source).map(lambda x: x + 100, num_parallel_calls=2):
            seen.append(int(v))

    with pytest.raises(ValueError, match="the source broke"):
        bounded(consume)
    assert seen == [100, 101, 102, 103, 104]
    assert_no_workers_left()


def test_no_workers_are_left_after_an_early_exit():
    ds = in_processes(Dataset.range(1000)).map(square_and_pid, num_parallel_calls=2)
    assert ds.element_spec[0].shape == () and not map_workers()  # the spec is found without workers

    def first_three():
        out = []
        for v, _ in ds:
            out.append(int(v))
            if len(out) == 3:
                break
        return out
    assert bounded(first_three) == [0, 1, 4]
    assert_no_workers_left()
    its = [iter(ds.batch(4).prefetch(2))]
    assert bounded(lambda: next(its[0]))[0].tolist() == [0, 1, 4, 9]
    assert map_workers()
    its.clear()  # the iterator dropped: its prefetch thread stops and closes the map
    assert_no_workers_left()


def test_fit_that_stops_early_or_raises_leaves_no_workers(monkeypatch):
    rng = np.random.default_rng(0)
    x, y = rng.random((64, 4)).astype(np.float32), rng.random((64, 1)).astype(np.float32)

    def scale(a, b):
        time.sleep(0.001)
        return a * 2, b

    model = dendrite.Sequential([dendrite.Input((4,)), dendrite.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    ds = in_processes(Dataset.from_tensor_slices((x, y))).map(scale, num_parallel_calls=2).batch(8)
    history = bounded(lambda: model.fit(ds, steps_per_epoch=2, epochs=2, verbose=0))
    assert len(history.history["loss"]) == 2
    assert_no_workers_left()

    def breaks(a, b):
        if a[0] > 0.99:
            raise ArithmeticError("no large values")
        return a, b

    x[20, 0] = 1.0
    ds = in_processes(Dataset.from_tensor_slices((x, y))).map(breaks, num_parallel_calls=2).batch(8)
    with pytest.raises(ArithmeticError, match="no large values"):
        bounded(lambda: model.fit(ds, epochs=1, verbose=0))
    assert_no_workers_left()


def test_elements_that_cannot_be_sent_raise_a_clear_error():
    Local = namedtuple("Local", ["a"])  # made in a function: pickle cannot find it by name
    source = Dataset.from_tensor_slices(np.arange(4)).map(lambda v: Local(v))
    with pytest.raises(TypeError, match=r"Dataset.map: an element cannot be sent to a worker process .*"
                                        r"experimental_map_workers = 'threads'"):
        bounded(lambda: list(in_processes(source).map(lambda e: e.a, num_parallel_calls=2)))
    assert_no_workers_left()


def draw(img):
    """Random ops of dendrite (its generator), NumPy's global generator and Python's."""
    import random
    bright = image.random_brightness(img, 0.5)
    return bright[0, 0, 0] - img[0, 0, 0], np.float64(np.random.random()), np.float64(random.random()), \
        np.int64(os.getpid())


def test_workers_draw_different_numbers_the_same_for_a_fixed_seed():
    images = Dataset.from_tensor_slices(np.zeros((24, 2, 2, 1), np.float32))

    def run(calls):
        dendrite.utils.set_random_seed(7)
        return bounded(lambda: [tuple(float(v) for v in e) for e in in_processes(images).map(draw, calls)])

    first = run(2)
    assert len({pid for *_, pid in first}) == 2
    for k in range(3):  # every element its own numbers, whichever worker drew them
        assert len({e[k] for e in first}) == 24
    assert all(-0.5 <= e[0] <= 0.5 for e in first)
    numbers = [e[:3] for e in first]
    assert [e[:3] for e in run(2)] == numbers  # the same seed: the same numbers, run after run
    assert [e[:3] for e in run(3)] == numbers  # and with any number of workers
    dendrite.utils.set_random_seed(8)
    other = bounded(lambda: [float(e[0]) for e in in_processes(images).map(draw, 2)])
    assert other != [e[0] for e in first]


_ORPHAN = r"""
import os, sys, time
import numpy as np
from dendrite import data
options = data.Options()
options.experimental_map_workers = "processes"
ds = data.Dataset.range(1000).with_options(options).map(lambda x: (x, np.int64(os.getpid())), num_parallel_calls=2)
it = iter(ds)
pids = {int(next(it)[1]) for _ in range(20)}
print(" ".join(str(p) for p in pids), flush=True)
os._exit(0)  # no clean-up: the workers must notice that their parent is gone
"""


def _gone(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] in ("Z", "X")
    except FileNotFoundError:
        return True


@pytest.mark.skipif(not os.path.isdir("/proc"), reason="reads /proc")
def test_workers_exit_when_their_parent_dies():
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    out = subprocess.run([sys.executable, "-c", _ORPHAN], capture_output=True, text=True, timeout=120, cwd=root)
    assert out.returncode == 0, out.stderr
    pids = [int(p) for p in out.stdout.split()]
    assert pids
    deadline = time.monotonic() + 10
    while not all(_gone(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert all(_gone(p) for p in pids)


def test_each_worker_computes_on_one_core():
    from dendrite import runtime
    blas = runtime._blas_thread_api()

    def threads(x):
        return np.int64(runtime.num_threads()), np.int64(blas[0]() if blas else 1), np.int64(os.getpid())

    here = threads(0)[:2]
    out = bounded(lambda: [tuple(int(v) for v in e) for e in in_processes(Dataset.range(8)).map(threads, 2)])
    assert {(n, b) for n, b, _ in out} == {(1, 1)} and os.getpid() not in {pid for *_, pid in out}
    assert threads(0)[:2] == here  # the parent's own settings are left as they were
