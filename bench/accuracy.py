"""Full-accuracy runs on MNIST (not part of CI): the figures the issues ask for.

    python bench/accuracy.py dense      # codelab dense net, Adam, 10 epochs: >= 97.5%
    python bench/accuracy.py mlp        # book MLP, Dropout 0.3, Adam, batch 128, 20 epochs, val split 0.2
    python bench/accuracy.py cnn        # codelab CNN with Dropout 0.4, 10 epochs
    python bench/accuracy.py cnn-bn     # codelab CNN+BN: epochs and wall time to 99.0%, final accuracy
    python bench/accuracy.py lstm       # workload F: LSTM(128) over the 28 rows, Adam, batch 128, 10 epochs
"""
import argparse
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.dirname(HERE))

import numpy as np  # noqa: E402

import dendrite  # noqa: E402
from dendrite import callbacks, layers  # noqa: E402
from dendrite.cli import MODELS  # noqa: E402
from workloads import keras_layers  # noqa: E402


def mlp():
    return [layers.Input((28, 28)), layers.Flatten(), layers.Dense(128, activation="relu"), layers.Dropout(0.3),
            layers.Dense(128, activation="relu"), layers.Dropout(0.3), layers.Dense(10, activation="softmax")]


class TestAccuracy(callbacks.Callback):
    """Prints test accuracy and elapsed time after each epoch; remembers when 99.0% was first reached."""

    def __init__(self, x, y):
        super().__init__()
        self.x, self.y, self.reached = x, y, None

    def on_train_begin(self, logs=None):
        self.start = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        acc = float(np.mean(self.model.predict(self.x, batch_size=1000, verbose=0).argmax(1) == self.y))
        elapsed = time.perf_counter() - self.start
        if self.reached is None and acc >= 0.99:
            self.reached = (epoch + 1, elapsed)
        print(f"  epoch {epoch + 1}: test accuracy {acc:.4f}, {elapsed:.0f} s", flush=True)
        self.last = acc


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("model", choices=["dense", "mlp", "cnn", "cnn-bn", "lstm"])
    ap.add_argument("--epochs", type=int, default=None)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    dendrite.utils.set_random_seed(args.seed)
    (xtr, ytr), (xte, yte) = dendrite.datasets.mnist.load_data()
    xtr, xte = xtr.astype("float32") / 255, xte.astype("float32") / 255
    ytr1, yte1 = dendrite.utils.to_categorical(ytr, 10), dendrite.utils.to_categorical(yte, 10)
    probe = TestAccuracy(xte, yte)
    cbs = [probe]
    if args.model == "mlp":
        model = dendrite.Sequential(mlp())
        batch, epochs, fit_kw = 128, args.epochs or 20, {"validation_split": 0.2}
    elif args.model == "lstm":
        model = dendrite.Sequential(keras_layers("F", layers, dendrite.Input))
        batch, epochs, fit_kw = 128, args.epochs or 10, {}
    else:
        build, batch, epochs, schedule = MODELS[args.model]
        model = dendrite.Sequential(build(layers))
        epochs = args.epochs or epochs
        fit_kw = {}
        if schedule is not None:
            cbs.append(callbacks.LearningRateScheduler(schedule))
    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
    start = time.perf_counter()
    model.fit(xtr, ytr1, batch_size=batch, epochs=epochs, callbacks=cbs, verbose=2, **fit_kw)
    total = time.perf_counter() - start
    _, acc = model.evaluate(xte, yte1, batch_size=1000, verbose=0)
    print(f"{args.model}: final test accuracy {acc:.4f} after {epochs} epochs, {total:.0f} s of training "
          f"(batch {batch})")
    if probe.reached:
        print(f"{args.model}: 99.0% test accuracy first reached after epoch {probe.reached[0]}, "
              f"{probe.reached[1]:.0f} s")


if __name__ == "__main__":
    main()
