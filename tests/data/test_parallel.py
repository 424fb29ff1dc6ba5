"""map(num_parallel_calls) (its workers: threads or processes, as options.experimental_map_workers and 'auto'
choose), prefetch and interleave: order, errors from workers, and threads that stop when the iterator is
dropped."""
import gc
import os
import random
import threading
import time
from collections import namedtuple

import numpy as np
import pytest

from dendrite import data
from dendrite.data import Dataset, parallel, process_map
from dendrite.data.process_map import can_fork

from .conftest import bounded, with_workers


def slow_square(x):
    time.sleep(random.random() * 0.004)
    return x * x


def test_parallel_map_keeps_order():
    ds = Dataset.range(60).map(slow_square, num_parallel_calls=4)
    assert [int(v) for v in ds] == [i * i for i in range(60)]
    assert [int(v) for v in Dataset.range(60).map(slow_square, num_parallel_calls=data.AUTOTUNE)] == \
        [i * i for i in range(60)]


def test_parallel_map_runs_in_threads_at_once():
    active, most = [0], [0]
    lock = threading.Lock()

    def tracked(x):
        with lock:
            active[0] += 1
            most[0] = max(most[0], active[0])
        time.sleep(0.01)
        with lock:
            active[0] -= 1
        return x

    # threads share this process's memory: the counter sees them overlap (processes would count in their own copies)
    assert len(list(with_workers(Dataset.range(16), "threads").map(tracked, num_parallel_calls=4))) == 16
    assert most[0] > 1


def test_nondeterministic_map_yields_every_element():
    ds = Dataset.range(50).map(slow_square, num_parallel_calls=4, deterministic=False)
    assert sorted(int(v) for v in ds) == [i * i for i in range(50)]
    options = data.Options()
    options.deterministic = False
    ds = Dataset.range(50).with_options(options).map(slow_square, num_parallel_calls=4)
    assert sorted(int(v) for v in ds) == [i * i for i in range(50)]


def test_worker_exception_reaches_the_consumer_with_the_users_line():
    def fails_on_seven(x):
        if x == 7:
            raise KeyError("seven is not allowed")  # the user's own line
        return x

    for ds in (Dataset.range(20).map(fails_on_seven, num_parallel_calls=3),
               Dataset.range(20).map(fails_on_seven).prefetch(2),
               Dataset.range(20).map(fails_on_seven, num_parallel_calls=2).batch(4).prefetch(data.AUTOTUNE)):
        with pytest.raises(KeyError, match="seven is not allowed") as info:
            list(ds)
        assert any(entry.name == "fails_on_seven" for entry in info.traceback)


def prefetch_threads(besides=()):
    """The prefetch threads running, less those in ``besides`` (another test's, not yet collected)."""
    return [t for t in threading.enumerate() if t.name == "dendrite.data.prefetch" and t not in besides]


def test_prefetch_overlaps_and_stops_when_dropped():
    earlier = prefetch_threads()
    made = []

    def produce(x):
        made.append(int(x))
        return x

    ds = Dataset.range(1000).map(produce).prefetch(5)
    it = iter(ds)
    assert next(it) == 0
    deadline = time.time() + 20  # a wait, not a speed bound: on a busy machine the reader thread can lag
    while len(made) < 6 and time.time() < deadline:
        time.sleep(0.005)
    assert 6 <= len(made) <= 8  # read ahead while the consumer waited, bounded by the buffer
    assert prefetch_threads(earlier)
    del it
    gc.collect()
    deadline = time.time() + 20
    while prefetch_threads(earlier) and time.time() < deadline:
        time.sleep(0.01)
    assert not prefetch_threads(earlier) and len(made) < 20
    assert [int(v) for v in Dataset.range(10).prefetch(0)] == list(range(10))
    assert [int(v) for v in Dataset.range(10).batch(3).prefetch(1).unbatch()] == list(range(10))


def test_interleave_orders_as_tf_data_with_and_without_threads():
    def repeated(x):
        return Dataset.from_tensors(x).repeat(6)

    expected = [1, 1, 1, 1, 2, 2, 2, 2, 1, 1, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 3, 3, 4, 4, 5, 5, 5, 5, 5, 5]
    ds = Dataset.range(1, 6)
    assert [int(v) for v in ds.interleave(repeated, cycle_length=2, block_length=4)] == expected
    assert [int(v) for v in ds.interleave(repeated, cycle_length=2, block_length=4, num_parallel_calls=2)] == expected
    with pytest.raises(TypeError, match="must return a Dataset"):
        list(ds.interleave(lambda x: [x], cycle_length=2))


def test_interleave_reads_files_in_turn(tmp_path):
    for k in range(3):
        (tmp_path / f"f{k}.txt").write_text("\n".join(f"{k}-{i}" for i in range(3)) + "\n")
    files = Dataset.list_files(str(tmp_path / "*.txt"), shuffle=False)
    lines = [v.decode() for v in files.interleave(data.TextLineDataset, cycle_length=3, num_parallel_calls=3)]
    assert lines == [f"{k}-{i}" for i in range(3) for k in range(3)]
    assert np.array_equal(sorted(lines), sorted(f"{k}-{i}" for k in range(3) for i in range(3)))


# ------------------------------------------------ threads or processes
def pid_after_work(x):
    time.sleep(0.002)  # slow enough per element for worker processes to pay
    return np.int64(os.getpid())


def test_auto_starts_processes_for_slow_functions_after_timing_a_few_elements():
    if not can_fork():
        pytest.skip("no fork here: 'auto' always uses threads")
    pids = bounded(lambda: [int(p) for p in Dataset.range(160).map(pid_after_work, num_parallel_calls=2)])  # 0.3 s
    assert pids[:parallel.PROBE] == [os.getpid()] * parallel.PROBE  # timed in the consumer's thread
    assert os.getpid() not in pids[parallel.PROBE:] and len(set(pids[parallel.PROBE:])) == 2
    short = [int(p) for p in Dataset.range(30).map(pid_after_work, num_parallel_calls=2)]
    assert short == [os.getpid()] * 30  # 60 ms of work in all: not worth starting processes
    endless = Dataset.range(10 ** 9).filter(lambda x: True).take(30)  # a length not known: taken as long
    assert os.getpid() not in bounded(lambda: [int(p) for p in endless.map(pid_after_work, 2)])[parallel.PROBE:]
    cheap = [int(p) for p in Dataset.range(30).map(lambda x: np.int64(os.getpid()), num_parallel_calls=2)]
    assert cheap == [os.getpid()] * 30  # too quick to pay for processes: threads
    Local = namedtuple("Local", ["pid"])  # results pickle cannot send: threads
    local = Dataset.range(12).map(lambda x: Local(pid_after_work(x)), num_parallel_calls=2)
    assert [int(e[0]) for e in local] == [os.getpid()] * 12


def test_without_fork_auto_uses_threads_and_processes_is_refused(monkeypatch):
    monkeypatch.setattr(process_map, "can_fork", lambda: False)  # as on Windows
    assert [int(p) for p in Dataset.range(12).map(pid_after_work, num_parallel_calls=2)] == [os.getpid()] * 12
    assert [int(v) for v in Dataset.range(60).map(slow_square, num_parallel_calls=3)] == [i * i for i in range(60)]
    unordered = Dataset.range(60).map(slow_square, num_parallel_calls=3, deterministic=False)
    assert sorted(int(v) for v in unordered) == [i * i for i in range(60)]

    def fails_on_seven(x):
        time.sleep(0.002)
        if x == 7:
            raise KeyError("seven is not allowed")  # the user's own line
        return x
    with pytest.raises(KeyError, match="seven is not allowed") as info:
        list(Dataset.range(20).map(fails_on_seven, num_parallel_calls=2))
    assert any(entry.name == "fails_on_seven" for entry in info.traceback)
    with pytest.raises(ValueError, match=r"Dataset.map: `options.experimental_map_workers` is 'processes', but "
                                         r"worker processes cannot be forked here .* Use 'auto' or 'threads'"):
        list(with_workers(Dataset.range(4), "processes").map(slow_square, num_parallel_calls=2))


def test_map_workers_option_is_checked():
    with pytest.raises(ValueError, match=r"Dataset.map: `options.experimental_map_workers` must be 'auto', "
                                         r"'threads' or 'processes'. Received: 'gpu'"):
        list(with_workers(Dataset.range(4), "gpu").map(slow_square, num_parallel_calls=2))
    threads = with_workers(Dataset.range(12), "threads").map(pid_after_work, num_parallel_calls=2)
    assert [int(p) for p in threads] == [os.getpid()] * 12
