"""Parallel map in chunks: the chunk size follows the time per element, threads take one future per chunk,
and every kind of worker keeps tf.data's order and error semantics."""
import random
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from dendrite import data
from dendrite.data import Dataset
from dendrite.data.chunks import MAX_CHUNK, TARGET_SECONDS, ChunkSizer
from dendrite.data.process_map import can_fork

from .conftest import bounded, with_workers

KINDS = ["threads", "auto"] + (["processes"] if can_fork() else [])


def jittery_cube(x):
    time.sleep(random.random() * 0.003)
    return x * x * x


def test_chunk_size_follows_the_time_per_element():
    sizer = ChunkSizer()
    assert sizer.size() == 1  # nothing timed yet
    sizer.observe(4, 0.004)  # 1 ms an element: about TARGET_SECONDS of work a chunk
    assert TARGET_SECONDS == 0.01 and sizer.size() == 10
    sizer.observe(2, 0.0)  # a moving average: 0.7 of the old estimate
    assert sizer.per_element == pytest.approx(0.0007) and sizer.size() == 14
    assert ChunkSizer(1e-6).size() == MAX_CHUNK == 64  # quick functions: the largest chunk
    assert ChunkSizer(0.5).size() == 1  # slow ones: an element at a time
    sizer.observe(0, 1.0)  # an empty chunk tells nothing
    assert sizer.size() == 14


def test_threads_take_a_future_per_chunk_not_per_element(monkeypatch):
    submitted = []
    real = ThreadPoolExecutor.submit
    monkeypatch.setattr(ThreadPoolExecutor, "submit", lambda self, *a, **k: (submitted.append(1), real(self, *a, **k))[1])
    ds = with_workers(Dataset.range(3000), "threads").map(lambda x: x + 1, num_parallel_calls=2)
    assert [int(v) for v in ds] == list(range(1, 3001))
    assert 3000 / MAX_CHUNK <= len(submitted) < 150


def collect(dataset, seen=None):
    """The elements of ``dataset`` as Python values (also appended to ``seen`` as they come), within 30 s."""
    seen = [] if seen is None else seen

    def value(e):
        return e if isinstance(e, bytes) else e.item()

    def run():
        for element in dataset:
            seen.append(tuple(map(value, element)) if isinstance(element, tuple) else value(element))
        return seen
    return bounded(run)


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_of_worker_keeps_order_or_yields_each_element_once(kind):
    ds = with_workers(Dataset.range(80), kind)
    assert collect(ds.map(jittery_cube, num_parallel_calls=3)) == [i ** 3 for i in range(80)]
    unordered = collect(ds.map(jittery_cube, num_parallel_calls=3, deterministic=False))
    assert sorted(unordered) == [i ** 3 for i in range(80)]
    strings = Dataset.from_tensor_slices((np.array(["a", "bb", "ccc"] * 5), np.arange(15)))
    out = collect(with_workers(strings, kind).map(lambda s, n: (s + b"?", n * 2), num_parallel_calls=2))
    assert out == list(zip([b"a?", b"bb?", b"ccc?"] * 5, range(0, 30, 2)))


@pytest.mark.parametrize("kind", KINDS)
def test_errors_come_after_the_elements_before_them(kind):
    def fails_on_nine(x):
        time.sleep(0.001)
        if x == 9:
            raise ZeroDivisionError("nine")
        return x

    def numbers():
        yield from range(6)
        raise OSError("the file went away")

    seen = []
    with pytest.raises(ZeroDivisionError, match="nine"):
        collect(with_workers(Dataset.range(40), kind).map(fails_on_nine, num_parallel_calls=2), seen)
    assert seen == list(range(9))
    source = Dataset.from_generator(numbers, output_signature=data.TensorSpec((), np.int64))
    seen = []
    with pytest.raises(OSError, match="the file went away"):
        collect(with_workers(source, kind).map(fails_on_nine, num_parallel_calls=2), seen)
    assert seen == list(range(6))
