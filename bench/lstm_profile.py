"""Workload F's LSTM (LSTM(128) over MNIST's 28 rows, batch 128) with its recurrence run two ways, in turn:

    python bench/lstm_profile.py [--reps 40] [--rounds 3]

* rows split: in a step region each of dendrite's threads runs the whole recurrence for its own block of
  batch rows, BLAS on one thread (what dendrite does);
* one block: the recurrence for the whole batch on the calling thread, each step's product on OpenBLAS's
  own threads (what it did before).

1. the fused LSTM op alone, forward and backward as fit runs them (in a step region, no input gradient);
2. fit on F: training samples/s over 150 steps after 20 warm-up steps (bench/run.py's timing).

Times are medians (min in brackets). Run alone: two benchmarks at once on 2 cores halve each other.
"""
import argparse
import contextlib
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import dendrite  # noqa: E402
from dendrite import layers, runtime  # noqa: E402
from dendrite.autodiff.ops import lstm_fused  # noqa: E402

N, T, F, U = 128, 28, 28, 128
WAYS = ("rows split", "one block")


@contextlib.contextmanager
def way(name):
    """The recurrence run ``name``'s way (one block: no batch is large enough to split)."""
    before = lstm_fused._MIN_ROWS
    lstm_fused._MIN_ROWS = before if name == "rows split" else 10 ** 9
    try:
        yield
    finally:
        lstm_fused._MIN_ROWS = before


def op_times(reps):
    rs = np.random.default_rng(0)
    x = rs.random((N, T, F), dtype=np.float32)
    weights = [(rs.standard_normal((F, 4 * U)) * .2).astype(np.float32),
               (rs.standard_normal((U, 4 * U)) * .2).astype(np.float32), np.zeros(4 * U, np.float32)]
    states = [np.zeros((N, U), np.float32), np.zeros((N, U), np.float32)]
    grad = rs.standard_normal((N, 1, U)).astype(np.float32)
    rows = {name: [] for name in WAYS}
    with runtime.step_region():
        for _ in range(reps + 1):
            for name in WAYS:
                with way(name):
                    op = lstm_fused.FusedLSTMSequence()
                    op.recording = True
                    t0 = time.perf_counter()
                    op.forward(x, *weights, *states)
                    t1 = time.perf_counter()
                    op.vjp(grad, [False, True, True, True, False, False])
                    rows[name].append((t1 - t0, time.perf_counter() - t1))
    print(f"1. the fused LSTM op, batch {N}, {T} steps, {F} -> {U} units, in a step region "
          f"({runtime.num_threads()} threads):")
    for name in WAYS:
        ms = np.array(rows[name][1:]) * 1e3
        med, low = np.median(ms, axis=0), ms.min(axis=0)
        print(f"   {name:10s}  forward {med[0]:5.1f} ms ({low[0]:4.1f})  backward {med[1]:5.1f} ms ({low[1]:4.1f})")


def fit_rate(x, y):
    dendrite.utils.set_random_seed(1)
    model = dendrite.Sequential([dendrite.Input((T, F)), layers.LSTM(U), layers.Dense(10, activation="softmax")])
    model.compile(optimizer="adam", loss="categorical_crossentropy")
    stamps = {}
    clock = dendrite.callbacks.LambdaCallback(
        on_train_batch_end=lambda batch, logs: stamps.__setitem__(batch, time.perf_counter()))
    model.fit(x, y, batch_size=N, epochs=1, verbose=0, callbacks=[clock])
    return 150 * N / (stamps[169] - stamps[19])


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--reps", type=int, default=40)
    ap.add_argument("--rounds", type=int, default=3, help="fit rounds, the two ways in turn")
    args = ap.parse_args()
    print(f"NumPy's OpenBLAS kernels: {runtime.blas_kernels()}; {runtime.num_threads()} threads")
    op_times(args.reps)
    (x, y), _ = dendrite.datasets.mnist.load_data()
    x = x[:170 * N].astype(np.float32) / 255
    y = np.eye(10, dtype=np.float32)[y[:170 * N]]
    rates = {name: [] for name in WAYS}
    for _ in range(args.rounds):
        for name in WAYS:
            with way(name):
                rates[name].append(fit_rate(x, y))
    base = np.median(rates[WAYS[0]])
    print("2. fit on F, training samples/s (median of rounds; each round's figure):")
    for name, values in rates.items():
        print(f"   {name:10s}  {np.median(values):6.0f}  x{np.median(values) / base:.2f}  "
              f"({', '.join(f'{v:.0f}' for v in values)})")


if __name__ == "__main__":
    main()
