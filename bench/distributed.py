"""Data-parallel throughput of workloads A-E on 1 and 2 processes, allreduce bandwidth and latency over
loopback for their model sizes, and the scaling model of docs/distributed.md.

    python bench/distributed.py                  # A-E: 1 process x 1 thread, 1 process x 2 threads, 2 x 1
    python bench/distributed.py C E --steps 20   # fewer workloads or steps
    python bench/distributed.py --no-train       # only the allreduce figures and the model

Each configuration runs in its own child (mpiexec -n 2 for two processes, DENDRITE_NUM_THREADS=1 per process
unless said otherwise), one after the other. fit runs under MultiWorkerMirroredStrategy with the workload's
batch as the global batch; a child warms up on a few steps, then times ``--steps`` steps. The allreduce is
dendrite.distribute's (the one fit uses: a flat float32 buffer, bucketed), timed on 2 processes; latency is
that of an 8-byte allreduce. The scaling model takes the measured one-process compute per step t1 and model
size S: a step on p processes costs t1 / p + 2 (p - 1) / p * S / bandwidth + 2 (p - 1) * latency (a ring
allreduce), for links of 1, 10 and 100 Gbit/s.
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
sys.path.insert(0, ROOT)

from workloads import BATCH, keras_layers, load  # noqa: E402

NAMES = ["A", "B", "C", "D", "E"]
LINKS_GBIT = (1, 10, 100)
PROCESSES = (2, 4, 8, 16, 32, 64)
NETWORK_LATENCY_S = 20e-6  # per message hop over a network link (a typical TCP/Ethernet figure, not measured)


def _child(args, threads, processes):
    env = dict(os.environ, DENDRITE_NUM_THREADS=str(threads), OMP_NUM_THREADS=str(threads),
               OPENBLAS_NUM_THREADS=str(threads), PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""))
    line = [sys.executable, os.path.abspath(__file__)] + args
    if processes > 1:
        line = [shutil.which("mpiexec"), "-n", str(processes)] + line
    out = subprocess.run(line, env=env, capture_output=True, text=True, timeout=1800)
    if out.returncode:
        raise SystemExit(f"{' '.join(line)} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def train_worker(name, steps, warm):
    import numpy as np
    import dendrite
    from dendrite import distribute, layers
    strategy = distribute.MultiWorkerMirroredStrategy()
    batch = BATCH[name]
    x, y, _, _ = load(name)
    x, y = x[:batch * (steps + warm)], y[:batch * (steps + warm)]
    with strategy.scope():
        dendrite.utils.set_random_seed(0)
        model = dendrite.Sequential(keras_layers(name, layers, layers.Input))
        model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
    model.fit(x[:batch * warm], y[:batch * warm], batch_size=batch, epochs=1, verbose=0, shuffle=False)
    start = time.perf_counter()
    model.fit(x[batch * warm:], y[batch * warm:], batch_size=batch, epochs=1, verbose=0, shuffle=False)
    seconds = time.perf_counter() - start
    params = int(sum(np.prod(w.shape) for w in model.trainable_weights))
    if strategy.cluster_resolver.task_id == 0:
        print(json.dumps({"step_s": seconds / steps, "samples_per_s": batch * steps / seconds, "params": params}))


def allreduce_worker(sizes, reps):
    import numpy as np
    from dendrite import distribute
    from dendrite.distribute import collectives
    out = {}
    for size in [2] + sizes:  # 2 float32 = 8 bytes: the latency
        arrays = [np.ones(size, np.float32)]
        collectives.allreduce_arrays(arrays)
        times = []
        for _ in range(reps):
            start = time.perf_counter()
            collectives.allreduce_arrays(arrays)
            times.append(time.perf_counter() - start)
        out[str(size)] = statistics.median(times)
    if distribute.rank() == 0:
        print(json.dumps(out))


def scaling(t1, params, bandwidth_bytes_s, latency_s, p):
    """Seconds per step of global batch on p processes: compute t1 / p, ring allreduce of the gradients."""
    size = 4.0 * params
    return t1 / p + 2 * (p - 1) / p * size / bandwidth_bytes_s + 2 * (p - 1) * latency_s


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("names", nargs="*", default=NAMES)
    parser.add_argument("--steps", type=int, default=30)
    parser.add_argument("--warm", type=int, default=3)
    parser.add_argument("--reps", type=int, default=20, help="allreduce repetitions per size")
    parser.add_argument("--no-train", action="store_true")
    parser.add_argument("--json", default=None, help="also write the figures to this file")
    parser.add_argument("--train-worker", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--allreduce-worker", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.train_worker:
        return train_worker(args.train_worker, args.steps, args.warm)
    if args.allreduce_worker:
        return allreduce_worker([int(s) for s in args.allreduce_worker.split(",")], args.reps)

    figures = {"train": {}, "allreduce": {}}
    params = {}
    for name in args.names:
        if args.no_train:
            break
        row = {}
        for label, threads, processes in (("1x1", 1, 1), ("1x2", 2, 1), ("2x1", 1, 2)):
            got = _child(["--train-worker", name, "--steps", str(args.steps), "--warm", str(args.warm)], threads,
                         processes)
            row[label] = got
            params[name] = got["params"]
        figures["train"][name] = row
        print(f"{name}: {row['1x1']['params']:>9,d} params | samples/s  1 process x 1 thread "
              f"{row['1x1']['samples_per_s']:8.0f}  1 x 2 threads {row['1x2']['samples_per_s']:8.0f}  "
              f"2 processes x 1 {row['2x1']['samples_per_s']:8.0f}  (x{row['2x1']['samples_per_s'] / row['1x1']['samples_per_s']:.2f})",
              flush=True)
    if not params:  # the model sizes without timing: build the models
        import numpy as np
        from dendrite import Sequential, layers
        for name in args.names:
            m = Sequential(keras_layers(name, layers, layers.Input))
            params[name] = int(sum(np.prod(w.shape) for w in m.trainable_weights))
    sizes = sorted(set(params.values()))
    measured = _child(["--allreduce-worker", ",".join(map(str, sizes)), "--reps", str(args.reps)], 1, 2)
    latency = measured["2"]
    print(f"allreduce over loopback, 2 processes: latency (8 bytes) {latency * 1e6:.1f} us")
    for name in args.names:
        t = measured[str(params[name])]
        figures["allreduce"][name] = {"bytes": 4 * params[name], "seconds": t,
                                      "GB_per_s": 4 * params[name] / t / 1e9}
        print(f"  {name}: {4 * params[name] / 1e6:7.2f} MB in {t * 1e3:7.3f} ms = {4 * params[name] / t / 1e9:6.2f} GB/s")
    figures["latency_s"] = latency
    if figures["train"]:
        print("\nscaling model: speedup over one process (global batch fixed), ring allreduce at 1 / 10 / 100 "
              "Gbit/s")
        print("     " + "".join(f"{p:>20d}" for p in PROCESSES))
        for name in args.names:
            t1 = figures["train"][name]["1x1"]["step_s"]
            cells = []
            for p in PROCESSES:
                ups = [t1 / scaling(t1, params[name], g * 1e9 / 8, NETWORK_LATENCY_S, p) for g in LINKS_GBIT]
                cells.append("/".join(f"{u:.1f}" for u in ups))
            print(f"{name} t1={t1 * 1e3:6.1f} ms " + "".join(f"{c:>20s}" for c in cells))
    if args.json:
        with open(args.json, "w") as f:
            json.dump(figures, f, indent=1)


if __name__ == "__main__":
    main()
