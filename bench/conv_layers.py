"""Forward and backward time of the codelab's convolution layers at their real sizes (workloads C and D).

    python bench/conv_layers.py [--reps 30]

Each layer runs as in training, with its workload's activation (relu in C, fused into the
convolution; none in D, where BatchNormalization follows): forward, then the kernel (and bias)
gradient and, except for a network's first layer, the input gradient. Times are the median over
reps (min in brackets); GFLOP/s counts 2 flops per multiply-accumulate (forward: 1 product; backward: 1 or 2).
Run alone: two benchmarks at once on 2 cores halve each other.
"""
import argparse
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from dendrite import runtime  # noqa: E402
from dendrite.autodiff import GradientTape, Tensor  # noqa: E402
from dendrite.layers.convolutional import Conv2D  # noqa: E402

# (workload, batch, input HWC, filters, kernel, strides, use_bias, activation, first layer)
LAYERS = [
    ("C1", 128, (28, 28, 1), 12, 3, 1, True, "relu", True),
    ("C2", 128, (28, 28, 12), 24, 6, 2, True, "relu", False),
    ("C3", 128, (14, 14, 24), 32, 6, 2, True, "relu", False),
    ("D1", 64, (28, 28, 1), 24, 6, 1, False, None, True),
    ("D2", 64, (28, 28, 24), 48, 5, 2, False, None, False),
    ("D3", 64, (14, 14, 48), 64, 4, 2, False, None, False),
]


def bench(spec, reps):
    name, batch, hwc, filters, k, s, use_bias, activation, first = spec
    layer = Conv2D(filters, k, strides=s, padding="same", use_bias=use_bias, activation=activation)
    rs = np.random.default_rng(0)
    x = Tensor(rs.standard_normal((batch, *hwc)).astype(np.float32))
    y = layer(x)
    g = rs.standard_normal(y.shape).astype(np.float32)
    sources = layer.trainable_weights + ([] if first else [x])
    fwd, bwd = [], []
    for _ in range(reps + 3):
        t0 = time.perf_counter()
        with GradientTape() as tape:
            if not first:
                tape.watch(x)
            y = layer(x)
        t1 = time.perf_counter()
        grads = tape.gradient(y, sources, output_gradients=g)
        t2 = time.perf_counter()
        assert all(gr is not None for gr in grads)
        fwd.append(t1 - t0)
        bwd.append(t2 - t1)
    fwd, bwd = np.array(fwd[3:]) * 1e3, np.array(bwd[3:]) * 1e3
    macs = y.shape[0] * y.shape[1] * y.shape[2] * k * k * hwc[2] * filters
    gf_f = 2 * macs / np.median(fwd) / 1e6
    gf_b = 2 * macs * (1 if first else 2) / np.median(bwd) / 1e6
    return name, batch, hwc, filters, k, s, fwd, bwd, gf_f, gf_b


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=30)
    parser.add_argument("--only", nargs="*", help="layer ids, e.g. C2 D2")
    args = parser.parse_args()
    runtime.tune_allocator()  # as in fit: the layers run here outside a Model's steps
    print(f"numpy {np.__version__}, {os.cpu_count()} CPUs, median (min) over {args.reps} reps")
    print(f"{'layer':6}{'batch':>6}  {'input':>12} {'f':>3} {'k':>2} {'s':>2}  {'fwd ms':>15} {'bwd ms':>15}"
          f" {'fwd GF/s':>9} {'bwd GF/s':>9}")
    tot_f = tot_b = 0.0
    for spec in LAYERS:
        if args.only and spec[0] not in args.only:
            continue
        name, batch, hwc, f, k, s, fwd, bwd, gf_f, gf_b = bench(spec, args.reps)
        tot_f += np.median(fwd)
        tot_b += np.median(bwd)
        print(f"{name:6}{batch:>6}  {'x'.join(map(str, hwc)):>12} {f:>3} {k:>2} {s:>2}  "
              f"{np.median(fwd):7.2f} ({fwd.min():5.2f}) {np.median(bwd):7.2f} ({bwd.min():5.2f}) "
              f"{gf_f:9.1f} {gf_b:9.1f}")
    print(f"total fwd {tot_f:.1f} ms, bwd {tot_b:.1f} ms")


if __name__ == "__main__":
    main()
