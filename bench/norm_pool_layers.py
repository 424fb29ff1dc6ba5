"""Forward and backward time of BatchNormalization at the sizes of the codelab CNN+BN (workload D,
batch 64) and of MaxPooling2D(2) / AveragePooling2D(2) on 128x28x28x12, in dendrite and, when
TensorFlow is importable in the same interpreter, in tf.keras (inside tf.function) for a ratio.

    python bench/norm_pool_layers.py [--repeats 50]

Each figure is the median over the repeats, in milliseconds, after two warm-up calls. The
backward is the gradient with respect to the input and the trainable weights, as in training.
Run it alone: two benchmarks at once on 2 cores halve each other.

The first dendrite timing raises glibc's mmap and trim thresholds (dendrite.runtime.tune_allocator,
as a Model's first step does), which this measures too.
"""
import argparse
import os
import statistics
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

CASES = [
    ("BatchNormalization(scale=False) train", "bn", (64, 28, 28, 24)),
    ("BatchNormalization(scale=False) train", "bn", (64, 14, 14, 48)),
    ("BatchNormalization(scale=False) train", "bn", (64, 7, 7, 64)),
    ("BatchNormalization(scale=False) train", "bn", (64, 200)),
    ("BatchNormalization() train", "bn_scale", (64, 28, 28, 24)),
    ("BatchNormalization(scale=False) infer", "bn_infer", (64, 28, 28, 24)),
    ("MaxPooling2D(2) train", "max", (128, 28, 28, 12)),
    ("AveragePooling2D(2) train", "avg", (128, 28, 28, 12)),
]


def _median_ms(fn, repeats):
    fn()
    fn()
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return 1e3 * statistics.median(times)


def _make_layer(L, kind):
    if kind in ("bn", "bn_infer"):
        return L.BatchNormalization(scale=False, center=True)
    if kind == "bn_scale":
        return L.BatchNormalization()
    return L.MaxPooling2D(2) if kind == "max" else L.AveragePooling2D(2)


def time_dendrite(kind, shape, repeats):
    from dendrite.autodiff import GradientTape, Tensor
    from dendrite.layers.normalization import BatchNormalization
    from dendrite.layers.pooling import AveragePooling2D, MaxPooling2D
    from dendrite import runtime
    runtime.tune_allocator()  # as in fit: the layers run here outside a Model's steps

    class L:
        pass
    L.BatchNormalization, L.MaxPooling2D, L.AveragePooling2D = BatchNormalization, MaxPooling2D, AveragePooling2D
    rng = np.random.default_rng(0)
    x = Tensor(rng.standard_normal(shape, dtype=np.float32))
    layer = _make_layer(L, kind)
    training = kind != "bn_infer"
    y = layer(x, training=training)
    g = rng.standard_normal(y.shape, dtype=np.float32)
    fwd = _median_ms(lambda: layer(x, training=training), repeats)

    def step():
        with GradientTape() as tape:
            tape.watch(x)
            out = layer(x, training=training)
        return tape.gradient(out, [x] + layer.trainable_weights, output_gradients=g)
    return fwd, _median_ms(step, repeats)


def time_tf(kind, shape, repeats):
    import tensorflow as tf
    layer = _make_layer(tf.keras.layers, kind)
    rng = np.random.default_rng(0)
    x = tf.constant(rng.standard_normal(shape, dtype=np.float32))
    training = kind != "bn_infer"
    y = layer(x, training=training)
    g = tf.constant(rng.standard_normal(y.shape, dtype=np.float32))
    fwd_fn = tf.function(lambda: layer(x, training=training))

    @tf.function
    def step():
        with tf.GradientTape() as tape:
            tape.watch(x)
            out = layer(x, training=training)
        return tape.gradient(out, [x] + layer.trainable_weights, output_gradients=g)
    return _median_ms(lambda: fwd_fn().numpy(), repeats), _median_ms(lambda: [t.numpy() for t in step()], repeats)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=50)
    args = parser.parse_args()
    try:
        import tensorflow  # noqa: F401
        have_tf = True
    except ImportError:
        have_tf = False
    head = f"{'layer':40s} {'input shape':18s} {'fwd ms':>8s} {'fwd+bwd ms':>11s}"
    print(head + (f" {'TF fwd':>8s} {'TF f+b':>8s} {'ratio':>6s}" if have_tf else ""))
    for title, kind, shape in CASES:
        fwd, step = time_dendrite(kind, shape, args.repeats)
        line = f"{title:40s} {shape!s:18s} {fwd:8.2f} {step:11.2f}"
        if have_tf:
            tf_fwd, tf_step = time_tf(kind, shape, args.repeats)
            line += f" {tf_fwd:8.2f} {tf_step:8.2f} {tf_step / step:5.2f}x"
        print(line, flush=True)


if __name__ == "__main__":
    main()
