"""Training and inference throughput of workloads A-F in dendrite, and in TensorFlow-Keras and
PyTorch when they are importable, with the ratios. Each framework runs in its own child
process (so peak memory is its own), one after the other (never two at once on 2 cores).

    python bench/run.py A B C D          # all frameworks found (E: the keras.io MNIST convnet, F: LSTM(128))
    python bench/run.py C --only dendrite --reps 1
    python bench/run.py C D --rounds 3 --reps 1   # frameworks in turn, median of per-round ratios

The first line printed says which matrix-multiply kernels NumPy's OpenBLAS uses on this CPU (an
OPENBLAS_CORETYPE in the environment pins them); TF's oneDNN and PyTorch pick their own.
"""
import argparse
import importlib.util
import json
import os
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.dirname(HERE))

from workloads import (BATCH, DENSE, SEQUENCE, TIMED_EPOCHS, TIMED_STEPS, WARM_EPOCHS, WARM_STEPS, load,  # noqa
                       peak_rss_mb)


def run_keras_api(keras, name, reps):
    """Time a workload through the Keras API of ``keras`` (dendrite itself, or keras on TensorFlow)."""
    from workloads import keras_layers
    xtr, ytr, xte, yte = load(name)
    bs = BATCH[name]
    train, pred, acc = [], [], []
    for _ in range(reps):
        clear = getattr(getattr(keras, "backend", None), "clear_session", None)
        if clear:
            clear()
        model = keras.Sequential(keras_layers(name, keras.layers, keras.Input))
        model.compile(optimizer="adam", loss="categorical_crossentropy")
        stamps = {}

        class Timer(keras.callbacks.Callback):
            def on_train_batch_end(self, batch, logs=None):
                if name not in DENSE and batch in (WARM_STEPS - 1, WARM_STEPS + TIMED_STEPS - 1):
                    stamps[batch] = time.perf_counter()

            def on_epoch_end(self, epoch, logs=None):
                stamps[("epoch", epoch)] = time.perf_counter()

        if name in DENSE:
            model.fit(xtr, ytr, batch_size=bs, epochs=WARM_EPOCHS + TIMED_EPOCHS, verbose=0, callbacks=[Timer()])
            seconds = stamps[("epoch", WARM_EPOCHS + TIMED_EPOCHS - 1)] - stamps[("epoch", WARM_EPOCHS - 1)]
            n = TIMED_EPOCHS * len(xtr)
        else:
            k = (WARM_STEPS + TIMED_STEPS) * bs
            model.fit(xtr[:k], ytr[:k], batch_size=bs, epochs=1, verbose=0, callbacks=[Timer()])
            seconds = stamps[WARM_STEPS + TIMED_STEPS - 1] - stamps[WARM_STEPS - 1]
            n = TIMED_STEPS * bs
        train.append(n / seconds)
        model.predict(xte, batch_size=bs, verbose=0)
        t = time.perf_counter()
        p = model.predict(xte, batch_size=bs, verbose=0)
        pred.append(len(xte) / (time.perf_counter() - t))
        acc.append(float((p.argmax(1) == yte.argmax(1)).mean()))
    return train, pred, acc


def run_dendrite(name, reps):
    import dendrite
    return run_keras_api(dendrite, name, reps)


def run_tf(name, reps):
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    import keras
    return run_keras_api(keras, name, reps)


def run_torch(name, reps):
    import numpy as np
    import torch
    from workloads import torch_model
    xtr, ytr, xte, yte = load(name)
    if name not in DENSE | SEQUENCE:  # NCHW for the CNNs; the LSTM takes (batch, timesteps, features)
        xtr, xte = xtr.transpose(0, 3, 1, 2).copy(), xte.transpose(0, 3, 1, 2).copy()
    xtr_t, ytr_t = torch.from_numpy(xtr), torch.from_numpy(ytr.argmax(1))
    xte_t = torch.from_numpy(xte)
    bs = BATCH[name]
    train, pred, acc = [], [], []
    for _ in range(reps):
        model = torch_model(name)
        opt = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7)
        loss_fn = torch.nn.CrossEntropyLoss()

        def step(i):
            perm = np.random.permutation(len(xtr_t))[:bs] if name in DENSE else slice(i * bs, (i + 1) * bs)
            xb, yb = xtr_t[perm], ytr_t[perm]
            opt.zero_grad()
            loss_fn(model(xb), yb).backward()
            opt.step()

        model.train()
        if name in DENSE:
            steps = len(xtr) // bs
            for i in range(WARM_EPOCHS * steps):
                step(i)
            t = time.perf_counter()
            for i in range(TIMED_EPOCHS * steps):
                step(i)
            train.append(TIMED_EPOCHS * steps * bs / (time.perf_counter() - t))
        else:
            for i in range(WARM_STEPS):
                step(i)
            t = time.perf_counter()
            for i in range(WARM_STEPS, WARM_STEPS + TIMED_STEPS):
                step(i)
            train.append(TIMED_STEPS * bs / (time.perf_counter() - t))
        model.eval()
        with torch.no_grad():
            def predict():
                return torch.cat([model(xte_t[i:i + bs]) for i in range(0, len(xte_t), bs)]).numpy()
            predict()
            t = time.perf_counter()
            p = predict()
            pred.append(len(xte) / (time.perf_counter() - t))
        acc.append(float((p.argmax(1) == yte.argmax(1)).mean()))
    return train, pred, acc


def blas_note():
    """One line on the matrix-multiply kernels each framework gets here: NumPy's OpenBLAS picks its kernels
    by CPU unless OPENBLAS_CORETYPE pins them, while TF's oneDNN (capped by ONEDNN_MAX_CPU_ISA) and PyTorch
    choose their own; ratios between frameworks depend on it."""
    from dendrite import backend
    flags = ""
    try:
        with open("/proc/cpuinfo") as f:
            flags = next((ln for ln in f if ln.startswith("flags")), "")
    except OSError:
        pass
    isa = "AVX-512" if " avx512f" in flags else "AVX2" if " avx2" in flags else "?"
    pins = [f"{k}={os.environ[k]}" for k in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "ONEDNN_MAX_CPU_ISA")
            if k in os.environ]
    return (f"CPU: {isa}; NumPy's OpenBLAS kernels: {backend.blas_kernels() or 'unknown'}"
            + (f" ({', '.join(pins)} set)" if pins else ""))


RUNNERS = {"dendrite": (run_dendrite, "dendrite"), "tf": (run_tf, "tensorflow"), "torch": (run_torch, "torch")}


def child(fw, name, reps):
    train, pred, acc = RUNNERS[fw][0](name, reps)
    print(json.dumps({"fw": fw, "model": name, "train": train, "predict": pred, "acc": acc,
                      "train_median": statistics.median(train), "predict_median": statistics.median(pred),
                      "peak_rss_mb": peak_rss_mb()}))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("models", nargs="*", default=["A", "B", "C", "D"])
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--only", choices=sorted(RUNNERS), action="append")
    ap.add_argument("--rounds", type=int, default=1,
                    help="run the frameworks in turn this many times (each with --reps models) and report the median "
                         "of the per-round ratios: on a shared machine the load changes between one framework's "
                         "turn and the next")
    ap.add_argument("--child", nargs=2, metavar=("FW", "MODEL"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        return child(args.child[0], args.child[1], args.reps)
    fws = args.only or [fw for fw, (_, mod) in RUNNERS.items() if importlib.util.find_spec(mod)]
    print(blas_note(), flush=True)
    results, rounds = {}, {}
    for name in args.models:
        for k in range(args.rounds):
            for fw in fws:
                out = subprocess.run([sys.executable, __file__, "--child", fw, name, "--reps", str(args.reps)],
                                     capture_output=True, text=True)
                lines = [ln for ln in out.stdout.splitlines() if ln.startswith("{")]
                if out.returncode or not lines:
                    print(f"{fw} {name}: failed\n{out.stderr[-2000:]}", file=sys.stderr)
                    continue
                r = json.loads(lines[-1])
                rounds.setdefault((fw, name), []).append(r)
                print(f"{name} {fw:8s} train {r['train_median']:9.0f}/s (min {min(r['train']):.0f}, "
                      f"max {max(r['train']):.0f})  predict {r['predict_median']:9.0f}/s  "
                      f"peak RSS {r['peak_rss_mb']:6.0f} MB  acc {r['acc'][-1]:.3f}"
                      + (f"  (round {k + 1})" if args.rounds > 1 else ""), flush=True)
    for key, rs in rounds.items():  # a framework's figures: the medians over its rounds
        results[key] = {"train_median": statistics.median(r["train_median"] for r in rs),
                        "predict_median": statistics.median(r["predict_median"] for r in rs),
                        "peak_rss_mb": max(r["peak_rss_mb"] for r in rs), "rounds": rs}
    def ratios(name, fw, key):
        """dendrite / fw per round (the frameworks took turns), or None when either has no figures."""
        d, p = rounds.get(("dendrite", name), []), rounds.get((fw, name), [])
        return [a[key] / b[key] for a, b in zip(d, p)] if d and p else None

    if args.rounds > 1 and len(fws) > 1:
        print("\nper-round ratios, dendrite / peer (train; predict):")
        for name in args.models:
            for fw in fws:
                tr, pr = ratios(name, fw, "train_median"), ratios(name, fw, "predict_median")
                if fw == "dendrite" or not tr:
                    continue
                print(f"{name} vs {fw}: train {' '.join(f'{x:.2f}' for x in tr)} (median {statistics.median(tr):.2f}x);"
                      f" predict {' '.join(f'{x:.2f}' for x in pr)} (median {statistics.median(pr):.2f}x)")
    print("\nmodel | dendrite train/s | vs TF | vs torch | dendrite predict/s | vs TF | vs torch | RSS MB (dendrite / TF)"
          "\n(ratios: the median of the per-round ratios)")
    for name in args.models:
        d = results.get(("dendrite", name))
        if not d:
            continue
        row = [name, f"{d['train_median']:.0f}"]
        for key in ("train_median", "predict_median"):
            if key == "predict_median":
                row.append(f"{d['predict_median']:.0f}")
            for fw in ("tf", "torch"):
                r = ratios(name, fw, key)
                row.append(f"{statistics.median(r):.2f}x" if r else "-")
        tf = results.get(("tf", name))
        row.append(f"{d['peak_rss_mb']:.0f} / {tf['peak_rss_mb']:.0f}" if tf else f"{d['peak_rss_mb']:.0f} / -")
        print(" | ".join(row))


if __name__ == "__main__":
    main()
