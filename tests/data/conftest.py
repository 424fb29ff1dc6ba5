"""Helpers of the parallel-map tests: the workers option, a time bound on a run, and the worker processes left."""
import gc
import multiprocessing
import threading
import time

from dendrite import data


def with_workers(dataset, kind):
    """``dataset`` with ``options.experimental_map_workers = kind``."""
    options = data.Options()
    options.experimental_map_workers = kind
    return dataset.with_options(options)


def bounded(fn, seconds=30.0):
    """``fn()`` on a thread joined with a timeout: a hang fails the test instead of stalling the suite."""
    out = {}

    def run():
        try:
            out["value"] = fn()
        except BaseException as e:  # noqa: BLE001 - handed to the test
            out["error"] = e
    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"still running after {seconds} s"
    if "error" in out:
        raise out["error"]
    return out["value"]


def map_workers():
    """The map worker processes of this process that are still running."""
    return [p for p in multiprocessing.active_children() if p.name.startswith("dendrite.data.map")]


def assert_no_workers_left(seconds=5.0):
    gc.collect()
    deadline = time.monotonic() + seconds
    while map_workers() and time.monotonic() < deadline:
        time.sleep(0.02)
    assert not map_workers()
