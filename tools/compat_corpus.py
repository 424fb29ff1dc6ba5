"""Measure how many programs written for TensorFlow / Keras run under ``dendrite run`` (issue 20).

    python tools/compat_corpus.py CORPUS_DIR --side tf                # once: real TensorFlow (/work/bvenv)
    python tools/compat_corpus.py CORPUS_DIR --side dendrite --label before
    python tools/compat_corpus.py CORPUS_DIR --table before after     # the table and the pass rates

CORPUS_DIR holds the programs (``*.py`` / ``*.ipynb``, in CORPUS_DIR/programs or CORPUS_DIR itself). Each
program runs alone, one at a time, in a scratch copy of its folder (CORPUS_DIR/work/<side>/<program>/), with
CPU threads limited to one and a timeout. Both sides see the same caps: every ``fit`` runs at most
``--max-epochs`` epochs past its ``initial_epoch`` (what ``dendrite run --max-epochs N`` does, see
dendrite/compat/_patches.py), custom training loops are not capped on either side, and notebooks run their
code cells in order in one namespace with ``!`` / ``%`` lines skipped (dendrite.compat.run.notebook_cells, used
by both sides). The TensorFlow side additionally accepts the data files that are not byte-identical to the
Keras downloads (MNIST here is rebuilt from a packaged copy, so Keras's file-hash check is skipped), and sees
this Python's site-packages after its own (matplotlib, pandas, scikit-learn, Pillow: the same libraries the
dendrite side has; both use the same Python and NumPy version).

Recorded per program: ran to the end or not (exit status 0 within the timeout), the first error line, the
last reported accuracy (the last ``accuracy: X`` / ``acc: X`` / ``accuracy = X`` / ``accuracy 0.X`` in the
output, progress bars included; ``--rescan LABEL`` reads it again from the stored logs) and the wall time. Results go to CORPUS_DIR/results/<label>.json, logs to CORPUS_DIR/logs/<label>/.
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TF_PYTHON = "/work/bvenv/bin/python"
THREADS = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
           "TF_NUM_INTRAOP_THREADS": "1", "TF_NUM_INTEROP_THREADS": "1", "CUDA_VISIBLE_DEVICES": "",
           "TF_CPP_MIN_LOG_LEVEL": "2", "MPLBACKEND": "Agg", "PYTHONUNBUFFERED": "1"}

# The TensorFlow side's driver: caps fit like dendrite run and runs the script or notebook as dendrite run does.
TF_DRIVER = r'''
import inspect, os, sys
sys.path.insert(0, os.environ["CORPUS_REPO"])
sys.path.append(os.environ["CORPUS_SITE"])  # the packages dendrite's side has (matplotlib, pandas, ...), after TF's
import tensorflow as tf
tf.config.threading.set_intra_op_parallelism_threads(1)
tf.config.threading.set_inter_op_parallelism_threads(1)
import keras
from keras.src.utils import file_utils
file_utils.validate_file = lambda *args, **kwargs: True
MAX_EPOCHS = int(os.environ["CORPUS_MAX_EPOCHS"])
_fit = keras.Model.fit
_signature = inspect.signature(_fit)
def fit(self, *args, **kwargs):
    bound = _signature.bind(self, *args, **kwargs)
    a = bound.arguments
    a["epochs"] = min(a.get("epochs", 1), a.get("initial_epoch", 0) + MAX_EPOCHS)
    return _fit(*bound.args, **bound.kwargs)
keras.Model.fit = fit
from dendrite.compat import run as dendrite_run
path = sys.argv[1]
runner = dendrite_run._run_notebook if path.endswith(".ipynb") else dendrite_run._run_script
sys.stdout.flush()
code = runner(path, sys.argv[2:])
sys.stdout.flush()
sys.exit(code)
'''

ACC = re.compile(r"(?<![A-Za-z_])(?:val_)?acc(?:uracy)?\b['\"]?(?:\s*[:=]\s*|\s+(?=[0-9]*\.[0-9]))\[?\s*"
                 r"(?:np\.float\d*\()?([0-9]*\.[0-9]+|[01])\b", re.IGNORECASE)  # "accuracy: X", "acc = X", "accuracy X.Y"
ERROR = re.compile(r"^([A-Za-z_][\w.]*(?:Error|Exception|Exit|Module|Interrupt)|[A-Za-z_][\w.]*Error)\b.*")


def programs(corpus):
    folder = os.path.join(corpus, "programs")
    folder = folder if os.path.isdir(folder) else corpus
    return folder, sorted(f for f in os.listdir(folder) if f.endswith((".py", ".ipynb")))


def last_accuracy(text):
    text = text.replace("\r", "\n").replace("\x08", "")
    found = [m.group(1) for m in ACC.finditer(text)]
    for value in reversed(found):
        try:
            number = float(value)
        except ValueError:
            continue
        if 0.0 <= number <= 1.0:
            return number
        if 1.0 < number <= 100.0:
            return number / 100.0
    return None


def first_error(text, code, timed_out):
    if timed_out:
        return "TIMEOUT"
    if code == 0:
        return ""
    lines = [line.strip() for line in text.replace("\r", "\n").splitlines() if line.strip()]
    for line in reversed(lines):
        if ERROR.match(line):
            return line[:300]
    return (lines[-1][:300] if lines else f"exit status {code}")


def run_one(side, folder, name, corpus, label, timeout, max_epochs, repo=REPO):
    work = os.path.join(corpus, "work", label, os.path.splitext(name)[0])
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    shutil.copy(os.path.join(folder, name), work)
    env = dict(os.environ, **THREADS)
    env["HOME"] = os.environ.get("HOME", "/root")
    if side == "tf":
        driver = os.path.join(corpus, "work", "_tf_driver.py")
        with open(driver, "w") as f:
            f.write(TF_DRIVER)
        env.update(CORPUS_REPO=repo, CORPUS_MAX_EPOCHS=str(max_epochs), CORPUS_SITE=sysconfig.get_paths()["purelib"])
        env.pop("PYTHONPATH", None)
        cmd = [TF_PYTHON, driver, name]
    else:
        env["PYTHONPATH"] = repo
        env.setdefault("DENDRITE_DATA", "/work/shared/data")
        cmd = [sys.executable, "-c", "import sys; from dendrite.cli import main; sys.exit(main(sys.argv[1:]))",
               "run", "--max-epochs", str(max_epochs), name]
    start = time.time()
    timed_out = False
    with open(os.path.join(work, "_output.txt"), "w") as out:
        proc = subprocess.Popen(cmd, cwd=work, env=env, stdout=out, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True)
        try:
            code = proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            timed_out = True
            os.killpg(proc.pid, 9)
            code = proc.wait()
    seconds = time.time() - start
    with open(os.path.join(work, "_output.txt"), errors="replace") as f:
        text = f.read()
    logs = os.path.join(corpus, "logs", label)
    os.makedirs(logs, exist_ok=True)
    with open(os.path.join(logs, name + ".log"), "w") as f:
        f.write(text)
    ok = code == 0 and not timed_out
    return {"ok": ok, "code": code, "error": first_error(text, code, timed_out),
            "accuracy": last_accuracy(text), "seconds": round(seconds, 1)}


def load(corpus, label):
    path = os.path.join(corpus, "results", f"{label}.json")
    if not os.path.exists(path):
        return {}
    with open(path) as f:
        return json.load(f)


def save(corpus, label, results):
    os.makedirs(os.path.join(corpus, "results"), exist_ok=True)
    with open(os.path.join(corpus, "results", f"{label}.json"), "w") as f:
        json.dump(results, f, indent=1, sort_keys=True)


def measure(args):
    folder, names = programs(args.corpus)
    if args.only:
        names = [n for n in names if any(part in n for part in args.only)]
    if args.skip:
        names = [n for n in names if not any(part in n for part in args.skip)]
    label = args.label or args.side
    results = load(args.corpus, label)
    for name in names:
        if args.resume and name in results:
            continue
        print(f"[{label}] {name} ...", end=" ", flush=True)
        result = run_one(args.side, folder, name, args.corpus, label, args.timeout, args.max_epochs,
                         os.path.abspath(args.repo))
        results[name] = result
        save(args.corpus, label, results)
        print(("ok" if result["ok"] else "FAIL"), result["seconds"], "s", result["accuracy"],
              result["error"][:120], flush=True)


def _fmt(acc):
    return "" if acc is None else f"{acc:.4f}"


def rescan(args):
    """Read the accuracies again from the stored logs of ``--rescan LABEL...`` (after a change of ACC)."""
    for label in args.rescan:
        results = load(args.corpus, label)
        for name, result in results.items():
            log = os.path.join(args.corpus, "logs", label, name + ".log")
            if os.path.exists(log):
                with open(log, errors="replace") as f:
                    result["accuracy"] = last_accuracy(f.read())
        save(args.corpus, label, results)


def table(args):
    tf = load(args.corpus, "tf")
    labels = args.table
    runs = {label: load(args.corpus, label) for label in labels}
    names = sorted(set(tf) | {n for r in runs.values() for n in r})
    head = ["program", "TF", "TF acc"] + [f"{label}" for label in labels] + \
        [f"{labels[-1]} acc", "delta", f"{labels[-1]} error / TF error"]
    rows = []
    for name in names:
        t = tf.get(name, {})
        row = [name, "ok" if t.get("ok") else ("FAIL" if t else "-"), _fmt(t.get("accuracy"))]
        for label in labels:
            r = runs[label].get(name)
            row.append("-" if r is None else ("ok" if r["ok"] else "FAIL"))
        last = runs[labels[-1]].get(name, {})
        delta = ""
        if t.get("ok") and last.get("ok") and t.get("accuracy") is not None and last.get("accuracy") is not None:
            delta = f"{(last['accuracy'] - t['accuracy']) * 100:+.1f}"
        error = last.get("error", "") if not last.get("ok", True) else ""
        if not t.get("ok", True):
            error = (error + " | TF: " if error else "TF: ") + t.get("error", "")
        row += [_fmt(last.get("accuracy")), delta, error.replace("|", "/")[:160]]
        rows.append(row)
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    passing = [n for n in names if tf.get(n, {}).get("ok")]
    lines.append("")
    lines.append(f"Programs: {len(names)}; run under TensorFlow: {len(tf)}; running to the end there: {len(passing)}.")
    for label in labels:
        ok = [n for n in passing if runs[label].get(n, {}).get("ok")]
        extra = [n for n in names if n in tf and not tf[n]["ok"] and runs[label].get(n, {}).get("ok")]
        rate = 100.0 * len(ok) / len(passing) if passing else 0.0
        lines.append(f"- {label}: {len(ok)}/{len(passing)} of the TF-passing programs run to the end "
                     f"({rate:.1f}%); {len(extra)} more that fail under TF run under dendrite.")
    deltas = []
    for n in passing:
        t, d = tf[n], runs[labels[-1]].get(n, {})
        if d.get("ok") and t.get("accuracy") is not None and d.get("accuracy") is not None:
            deltas.append((abs(d["accuracy"] - t["accuracy"]) * 100, n))
    if deltas:
        within = sum(1 for d, _ in deltas if d <= 1.0)
        lines.append(f"- accuracy ({labels[-1]} vs TF, last reported value): {len(deltas)} comparable, "
                     f"{within} within 1 point, largest |delta| {max(deltas)[0]:.1f} points ({max(deltas)[1]}).")
    text = "\n".join(lines)
    print(text)
    if args.write:
        with open(args.write, "w") as f:
            f.write(text + "\n")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", help="the corpus folder (programs in CORPUS/programs or CORPUS itself)")
    parser.add_argument("--side", choices=("tf", "dendrite"), help="run the programs under this side")
    parser.add_argument("--label", help="name of this run's results (default: the side)")
    parser.add_argument("--only", nargs="*", help="run only programs whose names contain one of these")
    parser.add_argument("--skip", nargs="*", help="leave out programs whose names contain one of these")
    parser.add_argument("--resume", action="store_true", help="skip programs that already have a result")
    parser.add_argument("--timeout", type=int, default=300, help="seconds per program (default 300)")
    parser.add_argument("--max-epochs", type=int, default=1, help="the fit cap on both sides (default 1)")
    parser.add_argument("--repo", default=REPO, help="the dendrite source tree to run (default: this one)")
    parser.add_argument("--table", nargs="*", help="print the table for these dendrite labels")
    parser.add_argument("--write", help="also write the table to this file")
    parser.add_argument("--rescan", nargs="*", help="read these labels' accuracies again from their logs")
    args = parser.parse_args(argv)
    if args.rescan:
        rescan(args)
    if args.side:
        measure(args)
    if args.table:
        table(args)
    if not args.side and not args.table and not args.rescan:
        parser.error("give --side tf|dendrite to measure, or --table LABEL... to report")


if __name__ == "__main__":
    main()
