"""``dendrite codelab [--quick] [--out DIR]``: train the codelab's progression and the book's table on MNIST,
showing progress as it goes, then write ``DIR/report.md``, ``DIR/report.html`` (self-contained), the figures
under ``DIR/figures/`` and ``DIR/results.json``.

Each model: the seed is reset, the network built on a 784-pixel Input and compiled with categorical
cross-entropy and accuracy, trained with its batch size, epochs and learning-rate schedule (validating each
epoch on the held-out digits), then evaluated on the 10,000 test digits. The report gives its parameter
count, epochs, the final training and validation accuracy as fit logged them, the test accuracy, the wall
time of fit, the curves (viz.plot_history), the learning rate per epoch (viz.plot_learning_rate) and a grid
of test digits with the mistakes in red (viz.plot_predictions).

``--quick`` is a smoke run: 600 training, 200 validation and 200 test digits and at most 2 epochs per model.
Its accuracies say nothing about the tutorials' figures.
"""
import json
import os
import sys
import time

import numpy as np

from . import progression
from .progress import CodelabProgress, clock, work_per_sample

QUICK = {"train": 600, "validation": 200, "test": 200, "epochs": 2}


def add_parser(sub):
    p = sub.add_parser("codelab", help="train the codelab's progression and the book's table on MNIST and write "
                       "a report (Markdown and HTML)")
    p.add_argument("--quick", action="store_true", help="a smoke run on slices of MNIST (well under a minute)")
    p.add_argument("--out", default="codelab-report", help="the report's folder (default codelab-report)")
    p.add_argument("--only", nargs="+", metavar="MODEL", default=None,
                   help="run only these models: " + ", ".join(e.key for e in progression.PROGRESSION))
    p.add_argument("--seed", type=int, default=1, help="the random seed of every model (default 1)")
    p.set_defaults(run=main)
    return p


def load_mnist():
    """MNIST as flat float32 pixels in [0, 1] and integer labels: (x_train, y_train), (x_test, y_test)."""
    from dendrite import datasets
    (x, y), (xt, yt) = datasets.mnist.load_data()
    flat = lambda a: a.reshape(len(a), -1).astype(np.float32) / 255.0  # noqa: E731
    return (flat(x), y.astype(np.int64)), (flat(xt), yt.astype(np.int64))


def split(experiment, data, quick):
    """(train, validation, test) as (x, labels) for ``experiment``: its source's split of the training set."""
    (x, y), (xt, yt) = data
    n_train, n_val = progression.SPLITS[experiment.source]
    if quick:
        n_train, n_val = QUICK["train"], QUICK["validation"]
        xt, yt = xt[:QUICK["test"]], yt[:QUICK["test"]]
        # the validation digits from the end of the training set, as in the full split
        return (x[:n_train], y[:n_train]), (x[-n_val:], y[-n_val:]), (xt, yt)
    return (x[:n_train], y[:n_train]), (x[n_train:n_train + n_val], y[n_train:n_train + n_val]), (xt, yt)


def build(experiment, seed):
    """The compiled model of ``experiment``, its weights drawn from ``seed``."""
    import dendrite
    from dendrite import layers, utils
    utils.set_random_seed(seed)
    model = dendrite.Sequential([layers.Input((784,))] + experiment.build(layers),
                                name=experiment.key.replace("-", "_"))
    model.compile(optimizer=experiment.optimizer(), loss="categorical_crossentropy", metrics=["accuracy"])
    return model


def describe(model):
    """The layers in one line: 'Dense(200, relu) > Dropout(0.25) > ...'."""
    parts = []
    for layer in model.layers:
        c = layer.get_config()
        args = [str(c[k]) for k in ("units", "filters", "rate", "target_shape") if k in c]
        if "kernel_size" in c:
            args.append("x".join(map(str, c["kernel_size"])))
        if c.get("strides") not in (None, (1, 1), [1, 1]):
            args.append(f"stride {c['strides'][0]}")
        if c.get("padding") == "same":
            args.append("same")
        if c.get("activation") not in (None, "linear"):
            args.append(str(c["activation"]))
        if c.get("use_bias") is False:
            args.append("no bias")
        if type(layer).__name__ == "BatchNormalization":
            args.append(f"center={c['center']}, scale={c['scale']}")
        parts.append(f"{type(layer).__name__}({', '.join(args)})" if args else type(layer).__name__)
    return " > ".join(parts)


def _grid_indices(truth, guess, n):
    """The first 2/3 of ``n`` test digits, then mistakes after them (the codelab's grid shows both)."""
    first = list(range(min(len(truth), n - n // 3)))
    wrong = [i for i in np.flatnonzero(truth != guess) if i >= len(first)]
    more = [i for i in range(len(first), len(truth)) if i not in wrong]
    return np.array((first + wrong + more)[:n])


def _figures(experiment, model, history, test, guess, folder, quick):
    """Draw the curves, the learning rate and the prediction grid; their paths (None where matplotlib is
    missing)."""
    from dendrite import viz
    from dendrite.viz._figure import pyplot
    rates = history.history.get("learning_rate")
    if not rates:  # a constant rate: fit logs it only with a schedule
        rates = [float(getattr(model.optimizer, "learning_rate", 0.0))] * len(history.history["loss"])
    x, truth = test
    picked = _grid_indices(truth, guess, 8 if quick else 24)
    figures = {"curves": viz.plot_history(history, title=experiment.title),
               "learning-rate": viz.plot_learning_rate(list(map(float, rates))),
               "predictions": viz.plot_predictions(x[picked].reshape(-1, 28, 28), truth[picked], guess[picked],
                                                   n=len(picked))}
    paths = {}
    for key, fig in figures.items():  # laid out by viz already: saved as drawn (no second 'tight' pass)
        paths[key] = os.path.join(folder, f"{experiment.key}-{key}.png")
        fig.savefig(paths[key], dpi=60 if quick else 100)
        pyplot().close(fig)
    return paths


def run_experiment(experiment, data, progress, index, folder, quick=False, seed=1):
    """Train, evaluate and draw one experiment; its row of the report as a dict."""
    from dendrite import callbacks, utils
    train, val, test = split(experiment, data, quick)
    epochs = min(experiment.epochs, QUICK["epochs"]) if quick else experiment.epochs
    model = build(experiment, seed)
    cbs = [progress]
    if experiment.schedule is not None:
        cbs.insert(0, callbacks.LearningRateScheduler(experiment.schedule))
    progress.start(index)
    start = time.perf_counter()
    history = model.fit(train[0], utils.to_categorical(train[1], 10), batch_size=experiment.batch_size,
                        epochs=epochs, validation_data=(val[0], utils.to_categorical(val[1], 10)),
                        callbacks=cbs, verbose=0)
    seconds = time.perf_counter() - start
    guess = model.predict(test[0], batch_size=1000, verbose=0).argmax(axis=1)
    logs = history.history
    row = {"key": experiment.key, "title": experiment.title, "source": experiment.source,
           "layers": describe(model), "params": int(model.count_params()), "epochs": len(logs["loss"]),
           "batch_size": experiment.batch_size, "optimizer": experiment.optimizer_text,
           "train_accuracy": float(logs["accuracy"][-1]), "val_accuracy": float(logs["val_accuracy"][-1]),
           "test_accuracy": float((guess == test[1]).mean()), "test_digits": int(len(test[1])),
           "train_digits": int(len(train[1])), "val_digits": int(len(val[1])),
           "wall_seconds": seconds, "published": experiment.published,
           "published_text": experiment.published_text, "history": {k: list(map(float, v)) for k, v in logs.items()}}
    try:
        row["figures"] = _figures(experiment, model, history, test, guess, folder, quick)
    except ImportError as e:  # matplotlib is an optional extra: the table is still written
        row["figures"] = {}
        print(f"(no figures: {e})", file=progress._out)
    return row


def plan_of(experiments, data, quick):
    """(name, epochs, work per epoch) for each experiment, for the time-left estimate."""
    plan = []
    for e in experiments:
        model = build(e, 0)
        n_train = QUICK["train"] if quick else progression.SPLITS[e.source][0]
        epochs = min(e.epochs, QUICK["epochs"]) if quick else e.epochs
        plan.append((e.key, epochs, work_per_sample(model) * n_train))
    return plan


def run(out="codelab-report", quick=False, only=None, seed=1, stream=None):
    """Run the experiments (all, or those named in ``only``) and write the report; the rows."""
    from .report import write_report
    stream = stream or sys.stdout
    experiments = progression.select(only)
    data = load_mnist()
    folder = os.path.join(out, "figures")
    os.makedirs(folder, exist_ok=True)
    progress = CodelabProgress(plan_of(experiments, data, quick), stream=stream)
    began = time.perf_counter()
    rows = []
    for i, experiment in enumerate(experiments):
        print(f"== {i + 1}/{len(experiments)} {experiment.key}: {experiment.title}", file=stream, flush=True)
        rows.append(run_experiment(experiment, data, progress, i, folder, quick=quick, seed=seed))
        r = rows[-1]
        print(f"   test accuracy {100 * r['test_accuracy']:.2f}%  (published: {r['published_text']}), "
              f"{r['params']:,} parameters, fit {r['wall_seconds']:.1f} s", file=stream, flush=True)
    total = time.perf_counter() - began
    run_info = {"quick": quick, "seed": seed, "total_seconds": total, "date": time.strftime("%Y-%m-%d %H:%M"),
                "test_digits": rows[0]["test_digits"] if rows else 0}
    with open(os.path.join(out, "results.json"), "w") as f:
        json.dump({"run": run_info, "rows": rows}, f, indent=1)
    paths = write_report(rows, run_info, out)
    print(f"Report written to {paths[0]} and {paths[1]} (total {clock(total)})", file=stream, flush=True)
    return rows


def main(args):
    try:
        progression.select(args.only)
    except ValueError as e:
        raise SystemExit(str(e)) from None
    run(args.out, quick=args.quick, only=args.only, seed=args.seed)
    return 0
