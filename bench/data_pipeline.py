"""Input-pipeline throughput of dendrite.data, in four measurements, each printed as a table:

  a  fit on MNIST through from_tensor_slices((x, y)).shuffle(10000).batch(128).prefetch(AUTOTUNE) against
     fit on the arrays (shuffle=True): wall time per epoch in interleaved rounds, and the ratio (target
     <= 1.10).
  b  map(fn, num_parallel_calls=None / 1 / 2 / AUTOTUNE) over a NumPy-heavy function (image.resize of a
     64x64 image) and over a pure-Python one: elements per second, the workers that the default
     options.experimental_map_workers='auto' chose (forked processes for functions slow enough to pay for
     them, else threads), and the speed-up over None (target for AUTOTUNE on two cores: clearly above 1x
     for both; threads alone left the pure-Python function at 1.0x and the resize at 0.58x).
  c  peak memory while iterating FixedLengthRecordDataset -> map(decode) -> batch over a generated file
     larger than a memory limit (default 1 GiB file, 256 MiB limit; the file is written to a temporary
     folder and removed after): the peak resident size grows by a few batches, not by the file.
  d  the codelab pipeline (FixedLengthRecordDataset -> map(decode) -> zip -> cache -> shuffle(5000) ->
     repeat -> batch(128) -> prefetch) over MNIST: the time of each epoch's batches, against
     from_tensor_slices over the same decoded arrays (after cache() the later epochs are served from
     stacked arrays).

    python bench/data_pipeline.py                 # all four, full size
    python bench/data_pipeline.py --only b c      # some of them
    python bench/data_pipeline.py --quick         # a smoke run on small sizes (seconds)

Run it on an otherwise idle machine: the figures are wall times. MNIST comes from keras.datasets.mnist
(DENDRITE_DATA or the usual cache folder).
"""
import argparse
import os
import struct
import subprocess
import sys
import tempfile
import threading
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

import dendrite as keras  # noqa: E402
from dendrite import data, image, io, layers, ops  # noqa: E402

MIB = 1 << 20


def table(title, header, rows):
    widths = [max(len(str(c)) for c in col) for col in zip(header, *rows)]
    print(f"\n{title}")
    for row in [header, ["-" * w for w in widths]] + [list(r) for r in rows]:
        print("  ".join(str(c).rjust(w) for c, w in zip(row, widths)))


def mnist(limit=None):
    (x, y), _ = keras.datasets.mnist.load_data()
    if limit:
        x, y = x[:limit], y[:limit]
    return x, y


# ------------------------------------------------------------------------------------------------ a
def dense_model():
    model = keras.Sequential([keras.Input((784,)), layers.Dense(200, activation="relu"),
                              layers.Dense(60, activation="relu"), layers.Dense(10, activation="softmax")])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def fit_vs_arrays(rounds, limit):
    x, y = mnist(limit)
    x = x.reshape(len(x), 784).astype("float32") / 255.0
    y = y.astype("int64")
    times = {"arrays": [], "dataset": []}
    for r in range(rounds):
        order = ("arrays", "dataset") if r % 2 == 0 else ("dataset", "arrays")  # interleaved, alternating
        for kind in order:
            keras.utils.set_random_seed(r)
            model = dense_model()
            if kind == "arrays":
                t = time.perf_counter()
                model.fit(x, y, batch_size=128, epochs=1, shuffle=True, verbose=0)
            else:
                ds = data.Dataset.from_tensor_slices((x, y)).shuffle(10000).batch(128).prefetch(data.AUTOTUNE)
                t = time.perf_counter()
                model.fit(ds, epochs=1, verbose=0)
            times[kind].append(time.perf_counter() - t)
    rows = [[r + 1, f"{a:.3f}", f"{d:.3f}", f"{d / a:.3f}"]
            for r, (a, d) in enumerate(zip(times["arrays"], times["dataset"]))]
    med_a, med_d = np.median(times["arrays"]), np.median(times["dataset"])
    rows.append(["median", f"{med_a:.3f}", f"{med_d:.3f}", f"{med_d / med_a:.3f}"])
    table(f"a) one epoch of fit on {len(x)} MNIST images, batch 128 (seconds; target ratio <= 1.10)",
          ["round", "arrays", "Dataset", "ratio"], rows)


# ------------------------------------------------------------------------------------------------ b
def numpy_heavy(img):
    return image.resize(img, (128, 128))


def pure_python(n):
    total = 0
    for i in range(int(n), int(n) + 3000):
        total += i * i % 7
    return np.int64(total)


def timed_pass(ds):
    """Elements per second over one pass, and which workers mapped them (processes are seen while they run)."""
    import multiprocessing
    t = time.perf_counter()
    n, kind = 0, "threads"
    for _ in ds:
        n += 1
        if n == 8 and any(p.name.startswith("dendrite.data.map") for p in multiprocessing.active_children()):
            kind = "processes"
    return n / (time.perf_counter() - t), kind


def map_scaling(count):
    rng = np.random.default_rng(0)
    images = rng.random((max(count // 5, 20), 64, 64, 3), dtype=np.float32)  # a resize costs tens of ms
    cases = [("image.resize 64x64 -> 128x128 (NumPy)", data.Dataset.from_tensor_slices(images), numpy_heavy),
             ("pure-Python loop (3000 steps)", data.Dataset.range(count), pure_python)]
    rows = []
    for name, source, fn in cases:
        base = None
        sum(1 for _ in source.take(5).map(fn))  # warm-up: first-call costs out of the timings
        for calls in (None, 1, 2, data.AUTOTUNE):
            rate, kind = timed_pass(source.map(fn, num_parallel_calls=calls))
            base = base or rate
            label = {None: "None", data.AUTOTUNE: "AUTOTUNE"}.get(calls, str(calls))
            rows.append([name, label, "-" if calls is None else kind, f"{rate:.0f}", f"{rate / base:.2f}x"])
    table(f"b) map throughput ({len(images)} images, {count} numbers), {os.cpu_count()} CPUs (elements/s; workers "
          "as options.experimental_map_workers='auto' chose them)",
          ["function", "num_parallel_calls", "workers", "elements/s", "vs None"], rows)


# ------------------------------------------------------------------------------------------------ c
RECORD = 64 * 64  # one 64x64 uint8 image per record


def rss_child(path, batch_size, out):
    """Run in a child process: iterate the file's pipeline, sampling the resident size."""
    def decode(record):
        return ops.reshape(ops.cast(io.decode_raw(record, "uint8"), "float32") / 255.0, [64, 64])

    def resident():
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")

    ds = data.FixedLengthRecordDataset(path, RECORD, header_bytes=16).map(decode).batch(batch_size)
    start, peak, batches, total = resident(), 0, 0, 0.0
    t = time.perf_counter()
    for b in ds:
        total += float(b[0, 0, 0])
        batches += 1
        if batches % 20 == 0:
            peak = max(peak, resident())
    seconds = time.perf_counter() - t
    peak = max(peak, resident())
    with open("/proc/self/status") as f:
        hwm = next(int(line.split()[1]) * 1024 for line in f if line.startswith("VmHWM"))
    with open(out, "w") as f:
        f.write(f"{start} {peak} {hwm} {batches} {seconds}")


def bounded_memory(file_mib, limit_mib, batch_size):
    folder = tempfile.mkdtemp(prefix="dendrite-bench-")
    path, out = os.path.join(folder, "records.bin"), os.path.join(folder, "rss.txt")
    try:
        records = file_mib * MIB // RECORD
        rng = np.random.default_rng(0)
        with open(path, "wb") as f:
            f.write(struct.pack(">iiii", 2051, records, 64, 64))
            for start in range(0, records, 4096):
                f.write(rng.integers(0, 256, (min(4096, records - start), RECORD), dtype=np.uint8).tobytes())
        size = os.path.getsize(path)
        subprocess.run([sys.executable, __file__, "--rss-child", path, str(batch_size), out], check=True)
        start, peak, hwm, batches, seconds = open(out).read().split()
        start, peak, hwm = int(start), int(peak), int(hwm)
        grown = max(peak, hwm) - start
        rows = [[f"{size / MIB:.0f}", f"{limit_mib}", batches, f"{start / MIB:.0f}", f"{peak / MIB:.0f}",
                 f"{hwm / MIB:.0f}", f"{grown / MIB:.0f}", "yes" if grown < limit_mib * MIB else "NO",
                 f"{size / MIB / float(seconds):.0f}"]]
        table(f"c) FixedLengthRecordDataset -> map(decode to float32) -> batch({batch_size}) over a file larger "
              "than the limit (MiB)", ["file", "limit", "batches", "RSS before", "RSS sampled max", "VmHWM",
                                       "growth", "bounded", "MiB/s"], rows)
    finally:
        for p in (path, out):
            if os.path.exists(p):
                os.remove(p)
        os.rmdir(folder)


# ------------------------------------------------------------------------------------------------ d
def codelab_epochs(epochs, limit):
    x, y = mnist(limit)
    folder = tempfile.mkdtemp(prefix="dendrite-bench-")
    image_path, label_path = os.path.join(folder, "images"), os.path.join(folder, "labels")
    try:
        with open(image_path, "wb") as f:
            f.write(struct.pack(">iiii", 2051, len(x), 28, 28) + x.astype(np.uint8).tobytes())
        with open(label_path, "wb") as f:
            f.write(struct.pack(">ii", 2049, len(y)) + y.astype(np.uint8).tobytes())

        def read_image(record):
            return ops.reshape(ops.cast(io.decode_raw(record, "uint8"), "float32") / 255.0, [784])

        def read_label(record):
            return ops.one_hot(ops.reshape(io.decode_raw(record, "uint8"), []), 10)

        images = data.FixedLengthRecordDataset(image_path, 784, header_bytes=16).map(
            read_image, num_parallel_calls=data.AUTOTUNE)
        labels = data.FixedLengthRecordDataset(label_path, 1, header_bytes=8).map(
            read_label, num_parallel_calls=data.AUTOTUNE)
        codelab = data.Dataset.zip((images, labels)).cache().shuffle(5000, reshuffle_each_iteration=True)
        arrays = (x.reshape(len(x), 784).astype("float32") / 255.0, np.eye(10, dtype="float32")[y])
        slices = data.Dataset.from_tensor_slices(arrays).shuffle(5000)
        steps = len(x) // 128
        rows = []
        for name, ds in (("codelab (cache)", codelab), ("from_tensor_slices", slices)):
            it = iter(ds.repeat().batch(128, drop_remainder=True).prefetch(data.AUTOTUNE))
            seconds = []
            for _ in range(epochs):
                t = time.perf_counter()
                for _ in range(steps):
                    next(it)
                seconds.append(time.perf_counter() - t)
            rows.append([name] + [f"{s:.3f}" for s in seconds])
        table(f"d) the codelab pipeline, {steps} batches of 128 per epoch (seconds per epoch)",
              ["pipeline"] + [f"epoch {e + 1}" for e in range(epochs)], rows)
    finally:
        for p in (image_path, label_path):
            if os.path.exists(p):
                os.remove(p)
        os.rmdir(folder)


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--rss-child":
        rss_child(sys.argv[2], int(sys.argv[3]), sys.argv[4])
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", choices=list("abcd"), help="which measurements (default: all)")
    parser.add_argument("--quick", action="store_true", help="small sizes: a smoke run of every measurement")
    parser.add_argument("--rounds", type=int, default=5, help="a: interleaved rounds")
    parser.add_argument("--file-mib", type=int, default=1024, help="c: the size of the generated file")
    parser.add_argument("--limit-mib", type=int, default=256, help="c: the memory growth it must stay under")
    args = parser.parse_args()
    only = set(args.only or "abcd")
    keras.utils.set_random_seed(0)
    print(f"dendrite.data pipeline bench; {os.cpu_count()} CPUs; threads running: {threading.active_count()}")
    if "a" in only:
        fit_vs_arrays(1 if args.quick else args.rounds, 6000 if args.quick else None)
    if "b" in only:
        map_scaling(200 if args.quick else 2000)
    if "c" in only:
        bounded_memory(32 if args.quick else args.file_mib, 16 if args.quick else args.limit_mib, 256)
    if "d" in only:
        codelab_epochs(2 if args.quick else 4, 5000 if args.quick else None)


if __name__ == "__main__":
    main()
