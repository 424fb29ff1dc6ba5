"""``dendrite train csv FILE --target COLUMN`` and ``dendrite predict MODEL.keras --csv NEW.csv``: seed 003's
workflow from the command line.

train csv: read the file, hold out a validation part (30% by default, as seed 003), learn the scaling and the
categories on the training part, build the network with that preprocessing as its first layers (see
tabular.model), train with Adam and ``EarlyStopping(min_delta=0.001, patience=..., restore_best_weights=True)``
on the validation loss, and write to ``--out`` (default ``./<file name>-model/``):

- ``model.keras``: the model, preprocessing included;
- ``model.target.json``: the sidecar with what the model cannot hold: the target's name, the task, the
  class labels (output i is ``classes[i]``), the feature columns and the scaling;
- ``history.csv`` (one row per epoch, as ``pd.DataFrame(history.history)``) and ``history.png`` (the curves
  drawn by ``viz.plot_history``, when matplotlib is installed).

predict --csv: one output line per row of NEW.csv, as CSV on stdout (the predicted value, or the class and
its probability); the columns are matched to the model's inputs by name and the others are ignored.
"""
import csv
import json
import os
import sys

import numpy as np

from .features import SCALINGS, TASKS, class_label, feature_columns, input_name, model_inputs, plan_features, \
    plan_target, split_rows
from .model import DEFAULT_SPEC, build_model, parse_spec
from .table import CSVError, read_csv


def add_train_parser(datasets, positive_int):
    """``train csv`` as a subcommand of ``train`` (``positive_int(flag)``: the CLI's argparse type)."""
    p = datasets.add_parser("csv", help="train a network on the columns of a CSV file (seed 003's workflow)")
    p.add_argument("file", help="the CSV file: a header row naming the columns, then one row per sample")
    p.add_argument("--target", required=True, help="the column to predict")
    p.add_argument("--task", choices=TASKS, default=None,
                   help="default: regression for a numeric target, classification otherwise")
    p.add_argument("--model", default=DEFAULT_SPEC, help=f"hidden layers, 'dense:W1,W2,...' or 'linear' "
                   f"(default {DEFAULT_SPEC}, seed 003's network)")
    p.add_argument("--loss", default=None, help="a Keras loss name (default: 'mae' for regression as seed 003, "
                   "'sparse_categorical_crossentropy' for classification)")
    p.add_argument("--epochs", type=positive_int("--epochs"), default=500, help="at most this many (default 500)")
    p.add_argument("--batch-size", type=positive_int("--batch-size"), default=256, help="default 256")
    p.add_argument("--early-stopping", type=int, default=20, metavar="PATIENCE",
                   help="stop after PATIENCE epochs without a better validation loss and keep the best weights "
                   "(default 20; 0 trains every epoch)")
    p.add_argument("--learning-rate", type=float, default=0.001, help="Adam's learning rate (default 0.001)")
    p.add_argument("--scaling", choices=SCALINGS, default="minmax",
                   help="minmax: numbers to [0, 1] (default, as seed 003); standard: mean 0, variance 1")
    p.add_argument("--validation-split", type=float, default=0.3, help="share of rows held out (default 0.3)")
    p.add_argument("--ignore", action="append", default=[], metavar="COLUMN", help="a column not to use")
    p.add_argument("--seed", type=int, default=0, help="the split's and the weights' random seed (default 0)")
    p.add_argument("--out", default=None, help="the output folder (default ./<file name>-model)")
    p.add_argument("--quiet", dest="verbose", action="store_false", help="no summary or progress bar")
    p.set_defaults(run=train_csv)
    return p


def sidecar_path(model_path):
    """Where the target's sidecar of a model file lives: ``model.keras`` -> ``model.target.json``."""
    return os.path.splitext(os.fspath(model_path))[0] + ".target.json"


def _fail(command, error):
    return SystemExit(f"dendrite {command}: {error}")


def _loss_and_metrics(task, loss):
    if task == "regression":
        loss = loss or "mae"
        return loss, ([] if loss in ("mae", "mean_absolute_error") else ["mae"])
    return loss or "sparse_categorical_crossentropy", ["accuracy"]


def train_csv(args):
    import dendrite
    from dendrite import callbacks, utils
    from dendrite.saving.weights_h5 import _h5py

    try:
        _h5py()
        hidden = parse_spec(args.model)
        table = read_csv(args.file)
        target = plan_target(table, args.target, args.task)
        numeric, categorical = feature_columns(table, args.target, args.ignore)
        train_rows, val_rows = split_rows(len(table), args.validation_split, args.seed)
        if args.early_stopping < 0:
            raise ValueError(f"--early-stopping: PATIENCE must be 0 (off) or more; received {args.early_stopping}.")
    except (CSVError, ValueError, ImportError) as e:
        raise _fail("train csv", e) from None
    train, val = table.take(train_rows), table.take(val_rows)
    plan = plan_features(train, numeric, categorical, args.scaling)
    utils.set_random_seed(args.seed)
    model = build_model(plan, target, hidden, name=input_name(os.path.splitext(os.path.basename(args.file))[0]))
    loss, metrics = _loss_and_metrics(target.task, args.loss)
    y_train, y_val = target.encode(train), target.encode(val)
    if loss in ("categorical_crossentropy", "categorical_focal_crossentropy"):
        y_train, y_val = (utils.to_categorical(y, len(target.classes)) for y in (y_train, y_val))
    try:
        model.compile(optimizer=dendrite.optimizers.Adam(args.learning_rate), loss=loss, metrics=metrics)
    except ValueError as e:
        raise _fail("train csv", f"--loss {loss!r}: {e}") from None
    print(f"{len(train)} training rows, {len(val)} validation rows; {len(numeric)} numeric columns "
          f"({args.scaling} scaling), {len(categorical)} one-hot; target {target.name!r} ({target.task}"
          + (f", {len(target.classes)} classes" if target.classes else "") + ")")
    if args.verbose:
        model.summary()
    cbs = []
    if args.early_stopping:
        cbs.append(callbacks.EarlyStopping(min_delta=0.001, patience=args.early_stopping, restore_best_weights=True))
    try:
        history = model.fit(model_inputs(train, numeric, categorical), y_train, batch_size=args.batch_size,
                            epochs=args.epochs, validation_data=(model_inputs(val, numeric, categorical), y_val),
                            callbacks=cbs, verbose=1 if args.verbose else 0)
    except ValueError as e:  # e.g. a loss that does not fit the targets
        raise _fail("train csv", e) from None
    _report(model, target, val, numeric, categorical, history, cbs)
    out = args.out or os.path.splitext(os.path.basename(args.file))[0] + "-model"  # in the working folder
    _save(model, plan, target, history, out)
    return 0


def _report(model, target, val, numeric, categorical, history, cbs):
    """Print the epochs run and the validation error in the target's own units."""
    epochs = len(history.history["loss"])
    stop = cbs[0] if cbs else None
    if stop is not None and stop.stopped_epoch:
        print(f"Early stopping after {epochs} epochs; kept the weights of epoch {stop.best_epoch + 1} "
              f"(val_loss {stop.best:.4f}).")
    pred = model.predict(model_inputs(val, numeric, categorical), verbose=0)
    truth = target.encode(val)
    if target.task == "regression":
        err = pred[:, 0] - truth
        print(f"Validation MAE: {np.abs(err).mean():.4f}  RMSE: {np.sqrt((err ** 2).mean()):.4f}  "
              f"({target.name!r} units, {len(truth)} rows)")
    else:
        print(f"Validation accuracy: {(pred.argmax(axis=1) == truth).mean():.4f}  ({len(truth)} rows)")


def _save(model, plan, target, history, out):
    os.makedirs(out, exist_ok=True)
    path = os.path.join(out, "model.keras")
    model.save(path)
    info = {**target.to_json(), "numeric_columns": plan.numeric, "categorical_columns": plan.categorical,
            "scaling": plan.scaling, "inputs": {input_name(c): c for c in plan.columns}}
    with open(sidecar_path(path), "w") as f:
        json.dump(info, f, indent=1)
    logs = history.history
    with open(os.path.join(out, "history.csv"), "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["epoch"] + list(logs))
        for i in range(len(logs["loss"])):
            writer.writerow([i + 1] + [f"{logs[k][i]:.6g}" for k in logs])
    print(f"Model saved to {os.path.abspath(path)}  (dendrite predict {path} --csv NEW.csv)")
    try:
        from dendrite import viz
        viz.plot_history(history, to_file=os.path.join(out, "history.png"),
                         title=f"{target.name} ({target.task})")
        print(f"Curves drawn to {os.path.join(out, 'history.png')}")
    except ImportError:
        print("(matplotlib is not installed, so the curves are not drawn; history.csv holds them: "
              "pip install 'dendrite[plots]')")


def _columns_for(model, table):
    """The model's inputs as arrays from the table's columns (matched by input name), or an error naming what
    is missing."""
    by_key = {input_name(c): c for c in table.names}
    feed, missing = {}, []
    for t in model.inputs:
        column = by_key.get(t.name)
        if column is None:
            missing.append(t.name)
            continue
        if tuple(t.shape[1:]) != (1,):
            raise CSVError(f"the model's input {t.name!r} takes samples of shape {tuple(t.shape[1:])}, not one "
                           "CSV column; predict --csv is for models made by `dendrite train csv`.")
        feed[t.name] = (table.strings(column) if t.dtype == "string" else
                        table.numbers(column).astype(np.float32))[:, None]
    if missing:
        raise CSVError(f"{table.path} lacks the columns the model needs: {missing} (the model's inputs are "
                       f"{[t.name for t in model.inputs]}; the file has {table.names}). Add them, named as in the "
                       "training file.")
    return feed


def _warn_unseen(model, feed):
    for key, values in feed.items():
        try:
            lookup = model.get_layer(f"one_hot_{key}")
        except ValueError:
            continue
        unseen = sorted(set(values[:, 0].tolist()) - set(lookup.get_vocabulary()))
        if unseen:
            print(f"dendrite predict: column {key!r} has categories not seen in training: {unseen[:5]}; they are "
                  "encoded as 'unknown'.", file=sys.stderr)


def predict_csv(args):
    from dendrite.models import load_model

    if not os.path.exists(args.model):
        raise SystemExit(f"dendrite predict: no model file at {args.model}")
    model = load_model(args.model, compile=False)
    info = {}
    if os.path.exists(sidecar_path(args.model)):
        with open(sidecar_path(args.model)) as f:
            info = json.load(f)
    try:
        table = read_csv(args.csv)
        feed = _columns_for(model, table)
    except CSVError as e:
        raise _fail("predict", e) from None
    _warn_unseen(model, feed)
    pred = np.asarray(model.predict(feed, verbose=0))
    name = info.get("target", "prediction")
    writer = csv.writer(sys.stdout, lineterminator="\n")
    classes = info.get("classes")
    if classes or (not info and pred.shape[-1] > 1):
        best = pred.argmax(axis=1)
        labels = [classes[i] for i in best] if classes else best.tolist()
        writer.writerow([name, "probability"])
        writer.writerows([label, f"{p:.4f}"] for label, p in zip(labels, pred[np.arange(len(pred)), best]))
    else:
        writer.writerow([name])
        writer.writerows([f"{v:.6g}"] for v in pred[:, 0])
    if info.get("target") in table.cells:
        _score(info, table, pred)
    if not info:
        print(f"dendrite predict: no {os.path.basename(sidecar_path(args.model))} next to the model, so the target's "
              "name and class labels are unknown (classes are printed as indices).", file=sys.stderr)
    return 0


def _score(info, table, pred):
    """When NEW.csv also holds the target, how well the predictions match it (on stderr)."""
    try:
        truth = table.column(info["target"])
        if info["classes"]:
            hits = [info["classes"][i] == class_label(t) for i, t in zip(pred.argmax(axis=1), truth)]
            text = f"accuracy {np.mean(hits):.4f}"
        else:
            text = f"MAE {np.abs(pred[:, 0] - table.numbers(info['target'])).mean():.4f}"
    except CSVError:
        return
    print(f"dendrite predict: {info['target']!r} is in {table.path}: {text} over {len(truth)} rows.",
          file=sys.stderr)
