"""Where workload F's training time goes (LSTM(128) over MNIST's 28 rows, batch 128), in three parts:

    python bench/lstm_profile.py [--reps 40]

1. the fused LSTM op alone, forward and backward as fit runs them (inside a step region, no input
   gradient), with the share spent in runtime.matmul (the input projection, the 28 recurrent products
   each way, the weight gradients) and the rest (the gates' elementwise work and Python);
2. one recurrent product, (128, 128) @ (128, 512), as the op runs it in a step region (BLAS held to one
   thread, rows split over dendrite's threads), on one BLAS thread, and on OpenBLAS's own threads;
3. fit on F, as it is (while the LSTM op runs, OpenBLAS's own threads take its products: runtime.blas_threads)
   and as it was before that (BLAS held to one thread, each large product split over dendrite's threads).

Times are medians (min in brackets). Run alone: two benchmarks at once on 2 cores halve each other.
"""
import argparse
import os
import sys
import time
import timeit

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import dendrite  # noqa: E402
from dendrite import layers, runtime  # noqa: E402
from dendrite.autodiff.ops import recurrent  # noqa: E402

N, T, F, U = 128, 28, 28, 128


def timings(fn, reps):
    """(median, min) of ``reps`` single calls after one warm-up call, in ms."""
    out = timeit.repeat(fn, number=1, repeat=reps + 1)[1:]
    return np.median(out) * 1e3, np.min(out) * 1e3


class MatmulClock:
    """Adds up the time spent in runtime.matmul while installed in the recurrent module."""

    def __init__(self):
        self.seconds, self.real = 0.0, recurrent.runtime.matmul

    def __call__(self, a, b):
        t = time.perf_counter()
        out = self.real(a, b)
        self.seconds += time.perf_counter() - t
        return out


def op_breakdown(reps):
    rs = np.random.default_rng(0)
    x = rs.random((N, T, F), dtype=np.float32)
    weights = [(rs.standard_normal((F, 4 * U)) * .2).astype(np.float32),
               (rs.standard_normal((U, 4 * U)) * .2).astype(np.float32), np.zeros(4 * U, np.float32)]
    states = [np.zeros((N, U), np.float32), np.zeros((N, U), np.float32)]
    grad = rs.standard_normal((N, 1, U)).astype(np.float32)
    clock = MatmulClock()
    recurrent.runtime.matmul = clock  # runtime.matmul itself: only the LSTM op runs while it is installed
    rows = []
    try:
        with runtime.step_region():
            for _ in range(reps + 1):
                op = recurrent.LSTMSequence()
                op.recording = True
                clock.seconds = 0.0
                t0 = time.perf_counter()
                op.forward(x, *weights, *states)
                t1, mm_forward = time.perf_counter(), clock.seconds
                clock.seconds = 0.0
                op.vjp(grad, [False, True, True, True, False, False])
                rows.append((t1 - t0, mm_forward, time.perf_counter() - t1, clock.seconds))
    finally:
        recurrent.runtime.matmul = clock.real
    ms = np.array(rows[1:]) * 1e3
    med, low = np.median(ms, axis=0), ms.min(axis=0)
    print(f"1. LSTM op, batch {N}, {T} steps, {F} -> {U} units, in a step region:")
    for name, k in (("forward", 0), ("backward", 2)):
        print(f"   {name:8s} {med[k]:5.1f} ms ({low[k]:4.1f}): runtime.matmul {med[k + 1]:4.1f} ms, "
              f"the rest {med[k] - med[k + 1]:4.1f} ms ({(med[k] - med[k + 1]) / T * 1e3:.0f} us a timestep)")


def product(reps):
    rs = np.random.default_rng(1)
    h, w = rs.random((N, U), dtype=np.float32), rs.random((U, 4 * U), dtype=np.float32)
    api = runtime._blas_thread_api()
    with runtime.step_region():
        split = timings(lambda: runtime.matmul(h, w), reps * 10)
        one = timings(lambda: h @ w, reps * 10)
        if api:
            api[1](runtime.num_threads())
            own = timings(lambda: h @ w, reps * 10)
            api[1](1)
    print(f"2. one recurrent product ({N}, {U}) @ ({U}, {4 * U}): dendrite's split {split[0] * 1e3:.0f} us "
          f"({split[1] * 1e3:.0f}), one BLAS thread {one[0] * 1e3:.0f} us ({one[1] * 1e3:.0f})"
          + (f", OpenBLAS's {runtime.num_threads()} threads {own[0] * 1e3:.0f} us ({own[1] * 1e3:.0f})" if api else ""))


class SplitLSTM(recurrent.LSTMSequence):
    """The op as it ran before runtime.blas_threads: BLAS held to one thread, products split by dendrite."""

    def forward(self, *arrays):
        return recurrent._Sequence.forward.__wrapped__(self, *arrays)

    def vjp(self, grad, needed):
        return recurrent._Sequence.vjp.__wrapped__(self, grad, needed)


def fit_rate(x, y, op_class):
    """Training samples/s over 150 steps after 20 warm-up steps (bench/run.py's timing for F)."""
    recurrent.LSTMSequence, original = op_class, recurrent.LSTMSequence
    try:
        dendrite.utils.set_random_seed(1)
        model = dendrite.Sequential([dendrite.Input((T, F)), layers.LSTM(U), layers.Dense(10, activation="softmax")])
        model.compile(optimizer="adam", loss="categorical_crossentropy")
        stamps = {}
        clock = dendrite.callbacks.LambdaCallback(
            on_train_batch_end=lambda batch, logs: stamps.__setitem__(batch, time.perf_counter()))
        model.fit(x, y, batch_size=N, epochs=1, verbose=0, callbacks=[clock])
    finally:
        recurrent.LSTMSequence = original
    return 150 * N / (stamps[169] - stamps[19])


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--reps", type=int, default=40)
    ap.add_argument("--rounds", type=int, default=3, help="fit rounds, the two variants in turn")
    args = ap.parse_args()
    print(f"NumPy's OpenBLAS kernels: {runtime.blas_kernels()}; {runtime.num_threads()} threads")
    op_breakdown(args.reps)
    product(args.reps)
    (x, y), _ = dendrite.datasets.mnist.load_data()
    x = x[:170 * N].astype(np.float32) / 255
    y = np.eye(10, dtype=np.float32)[y[:170 * N]]
    rates = {"as is": [], "products split by dendrite": []}
    for _ in range(args.rounds):
        for name, cls in zip(rates, (recurrent.LSTMSequence, SplitLSTM)):
            rates[name].append(fit_rate(x, y, cls))
    base = np.median(rates["as is"])
    print("3. fit on F, training samples/s (median of rounds; each round's figure):")
    for name, values in rates.items():
        print(f"   {name:27s} {np.median(values):6.0f}  x{np.median(values) / base:.2f}  "
              f"({', '.join(f'{v:.0f}' for v in values)})")


if __name__ == "__main__":
    main()
