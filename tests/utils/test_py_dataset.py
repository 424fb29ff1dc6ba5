"""utils.PyDataset / utils.Sequence: Keras 3's defaults and iteration, and how fit reads one: epoch hooks, the
batch order shuffled per epoch, worker threads and processes that keep the order and a bounded queue, and a
worker's exception raised in the calling thread with the user's own traceback line."""
import math
import threading
import time
import traceback

import numpy as np
import pytest

import dendrite
from dendrite import layers
from dendrite.utils import PyDataset, Sequence

X = np.arange(40, dtype=np.float32).reshape(20, 2)
Y = np.zeros((20, 1), np.float32)


class Rows(PyDataset):
    def __init__(self, batch_size=4, delay=None, **kwargs):
        super().__init__(**kwargs)
        self.batch_size, self.delay = batch_size, delay
        self.calls, self.epoch_ends, self.epoch_begins = [], 0, 0
        self.busy = self.most_busy = 0
        self.lock = threading.Lock()

    def __len__(self):
        return math.ceil(len(X) / self.batch_size)

    def __getitem__(self, i):
        with self.lock:
            self.busy += 1
            self.most_busy = max(self.most_busy, self.busy)
            self.calls.append(i)
        if self.delay is not None:
            time.sleep(self.delay(i))
        with self.lock:
            self.busy -= 1
        s = slice(i * self.batch_size, (i + 1) * self.batch_size)
        return X[s], Y[s]

    def on_epoch_begin(self):
        self.epoch_begins += 1

    def on_epoch_end(self):
        self.epoch_ends += 1


class Faulty(Rows):
    def __getitem__(self, i):
        if i == 2:
            raise KeyError("label file missing for batch 2")  # the user's own line
        return super().__getitem__(i)


def identity():
    m = dendrite.Sequential([dendrite.Input((2,)), layers.Dense(1, use_bias=False, trainable=False,
                                                                 kernel_initializer="ones")])
    m.compile("sgd", "mae")
    return m


def test_keras_3_defaults_num_batches_iteration_and_the_sequence_alias():
    assert Sequence is PyDataset
    ds = Rows()
    assert (ds.workers, ds.use_multiprocessing, ds.max_queue_size) == (1, False, 10)  # Keras 3's defaults
    assert ds.num_batches == 5 == len(ds)
    got = list(ds)
    assert len(got) == 5 and np.array_equal(got[4][0], X[16:20])

    class NoSuper(PyDataset):
        def __init__(self):
            pass

        def __len__(self):
            return 1
    with pytest.warns(UserWarning, match=r"NoSuper does not call super\(\).__init__\(\*\*kwargs\)"):
        assert NoSuper().workers == 1
    with pytest.raises(ValueError, match=r"^Rows: `workers` must be an integer >= 0\. Received: workers=-1"):
        Rows(workers=-1)
    with pytest.raises(ValueError, match=r"^Rows: `max_queue_size` must be a positive integer"):
        Rows(max_queue_size=0)
    with pytest.raises(TypeError, match=r"^Rows: `use_multiprocessing` must be True or False"):
        Rows(use_multiprocessing="yes")


def test_fit_calls_the_epoch_hooks_and_shuffles_the_batch_order_each_epoch():
    ds = Rows()
    identity().fit(ds, epochs=3, verbose=0, shuffle=False)
    assert ds.calls == list(range(5)) * 3 and ds.epoch_ends == 3 and ds.epoch_begins == 3
    ds = Rows()
    dendrite.utils.set_random_seed(1)
    identity().fit(ds, epochs=2, verbose=0)  # fit's shuffle=True: the batch order, each epoch anew (Keras 3)
    first, second = ds.calls[:5], ds.calls[5:]
    assert sorted(first) == sorted(second) == list(range(5)) and first != second
    ds = Rows()
    identity().evaluate(ds, verbose=0)
    assert ds.epoch_ends == 1 and ds.calls == list(range(5))


def test_worker_threads_keep_the_order_and_at_most_max_queue_size_batches_ahead():
    slow_first = Rows(batch_size=1, delay=lambda i: 0.05 if i % 3 == 0 else 0.0, workers=4, max_queue_size=3)
    out = identity().predict(slow_first, verbose=0)
    np.testing.assert_array_equal(out[:, 0], X.sum(axis=1))  # in order though the workers finish out of order
    assert 1 < slow_first.most_busy <= 3
    assert not [t for t in threading.enumerate() if t.name.startswith("PyDataset")]  # the pool was stopped


def test_fit_takes_keras_2_workers_arguments_for_a_sequence():
    ds = Rows(batch_size=1, delay=lambda i: 0.01)
    identity().fit(ds, epochs=1, verbose=0, shuffle=False, workers=3, use_multiprocessing=False, max_queue_size=2)
    assert 1 < ds.most_busy <= 2


@pytest.mark.parametrize("processes", [False, True])
def test_a_worker_exception_stops_fit_with_the_users_traceback_line(processes):
    m = identity()
    with pytest.raises(KeyError, match="label file missing for batch 2") as info:
        m.fit(Faulty(workers=2, use_multiprocessing=processes), epochs=1, verbose=0, shuffle=False)
    shown = "".join(traceback.format_exception(info.value))
    assert 'raise KeyError("label file missing for batch 2")  # the user\'s own line' in shown
    assert not [t for t in threading.enumerate() if t.name.startswith("PyDataset")]
