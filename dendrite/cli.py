"""The ``dendrite`` command. Its main job: ``dendrite train mnist`` trains the codelab's networks on MNIST
with the Keras progress bar, prints test accuracy and saves the model (``mnist-<model>.keras``).
``dendrite predict MODEL.keras IMAGE...`` classifies image files with a saved model and
``dendrite summary MODEL.keras`` prints a saved model's summary. ``dendrite train csv FILE --target COLUMN``
and ``dendrite predict MODEL.keras --csv NEW.csv`` train on and predict tables (see dendrite.tabular);
``dendrite codelab [--quick]`` runs the codelab's progression and writes its report (see dendrite.codelab)."""
import argparse
import os
import sys
import time

from .utils.validation import positive_int


def _positive_int_option(flag):
    """An argparse ``type`` for ``flag``: a positive int, else the shared positive-integer message."""
    def parse(text):
        try:
            value = int(text)
        except ValueError:
            value = text
        try:
            return positive_int(None, flag, value)  # argparse names the command and the option
        except ValueError as e:
            raise argparse.ArgumentTypeError(str(e)) from None
    return parse


def _dense(layers):
    return [layers.Input((28, 28)), layers.Flatten(), layers.Dense(200, activation="relu"),
            layers.Dense(60, activation="relu"), layers.Dense(10, activation="softmax")]


def _cnn(layers):
    return [layers.Input((28, 28)), layers.Reshape(target_shape=(28, 28, 1)),
            layers.Conv2D(kernel_size=3, filters=12, padding="same", activation="relu"),
            layers.Conv2D(kernel_size=6, filters=24, strides=2, padding="same", activation="relu"),
            layers.Conv2D(kernel_size=6, filters=32, strides=2, padding="same", activation="relu"),
            layers.Flatten(), layers.Dense(200, activation="relu"), layers.Dropout(0.4),
            layers.Dense(10, activation="softmax")]


def _cnn_bn(layers):
    def block(filters, kernel, strides):
        return [layers.Conv2D(kernel_size=kernel, filters=filters, strides=strides, padding="same", use_bias=False),
                layers.BatchNormalization(scale=False, center=True), layers.Activation("relu")]
    return ([layers.Input((28, 28)), layers.Reshape(target_shape=(28, 28, 1))]
            + block(24, 6, 1) + block(48, 5, 2) + block(64, 4, 2)
            + [layers.Flatten(), layers.Dense(200, use_bias=False), layers.BatchNormalization(scale=False, center=True),
               layers.Activation("relu"), layers.Dropout(0.3), layers.Dense(10, activation="softmax")])


# name -> (layer builder, batch size, default epochs, learning-rate schedule or None)
MODELS = {
    "dense": (_dense, 128, 10, None),
    "cnn": (_cnn, 128, 10, lambda epoch: 0.01 * 0.6 ** epoch),
    "cnn-bn": (_cnn_bn, 64, 10, lambda epoch: 0.01 * 0.666 ** epoch),
}


def train_mnist(args):
    import numpy as np
    import dendrite
    from dendrite import callbacks, layers, datasets, utils, distribute
    from dendrite.distribute import launch

    status = launch.relaunch(args.workers, args.argv)  # --workers N: this command as N MPI processes
    if status is not None:
        return status
    strategy = distribute.MultiWorkerMirroredStrategy()  # one replica per process (one without MPI)
    chief = strategy.cluster_resolver.task_id == 0
    build, batch_size, epochs, schedule = MODELS[args.model]
    batch_size = args.batch_size or batch_size
    epochs = args.epochs if args.epochs is not None else epochs
    if args.seed is not None:
        utils.set_random_seed(args.seed)
    (x_train, y_train), (x_test, y_test) = datasets.mnist.load_data()
    if args.limit:
        x_train, y_train = x_train[:args.limit], y_train[:args.limit]
        x_test, y_test = x_test[:max(args.limit // 6, 1)], y_test[:max(args.limit // 6, 1)]
    x_train = x_train.astype("float32") / 255.0
    x_test = x_test.astype("float32") / 255.0
    y_train_1h = utils.to_categorical(y_train, 10)
    y_test_1h = utils.to_categorical(y_test, 10)

    with strategy.scope():
        model = dendrite.Sequential(build(layers), name=f"mnist_{args.model.replace('-', '_')}")
        model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
    args.verbose = args.verbose and chief
    if args.verbose:
        model.summary()
    cbs = []
    if schedule is not None:
        cbs.append(callbacks.LearningRateScheduler(schedule, verbose=1 if args.verbose else 0))
    start = time.perf_counter()
    model.fit(x_train, y_train_1h, batch_size=batch_size, epochs=epochs, callbacks=cbs,
              validation_data=(x_test, y_test_1h), verbose=1 if args.verbose else 0)
    seconds = time.perf_counter() - start
    loss, acc = model.evaluate(x_test, y_test_1h, batch_size=1000, verbose=0)
    if not chief:
        return 0
    print(f"Test accuracy: {acc:.4f}  (test loss {loss:.4f}, {epochs} epochs, {seconds:.1f} s of training)")
    out = args.output or f"mnist-{args.model}.keras"
    if out.endswith(".npz") or not _has_h5py():  # the plain install: NumPy alone, no HDF5 writer
        if not out.endswith(".npz"):
            out = os.path.splitext(out)[0] + ".weights.npz"
            print("(h5py is not installed, so the model is not saved as .keras: pip install 'dendrite[saving]')")
        np.savez(out, **{f"{i:03d}/{w.path}": w.value for i, w in enumerate(model.weights)})
        print(f"Weights saved to {os.path.abspath(out)}")
    else:
        model.save(out)
        print(f"Model saved to {os.path.abspath(out)}  (dendrite predict {out} IMAGE.png)")
    return 0


def _has_h5py():
    import importlib.util
    return importlib.util.find_spec("h5py") is not None


def _load(path, compile=False):
    from .models import load_model
    if not os.path.exists(path):
        raise SystemExit(f"dendrite: no model file at {path}")
    return load_model(path, compile=compile)


def summary(args):
    _load(args.model).summary()
    return 0


def _image_batch(model, paths):
    """The images as the model's input: grey, resized to its input's height and width, scaled to [0, 1] as in
    training, and light-on-dark as MNIST (an image whose border is light is inverted)."""
    import numpy as np
    try:
        from PIL import Image
    except ImportError:
        raise SystemExit("dendrite predict reads images with Pillow: pip install 'dendrite[images]'") from None
    shape = tuple(model.input_shape[1:])
    if len(shape) == 1:
        side = int(round(shape[0] ** 0.5))
        height, width = side, side
    else:
        height, width = shape[0], shape[1]
    images = []
    for path in paths:
        try:
            with Image.open(path) as img:
                grey = np.asarray(img.convert("L").resize((width, height), Image.BILINEAR), dtype="float32") / 255.0
        except (OSError, ValueError) as e:
            raise SystemExit(f"dendrite predict: cannot read {path} as an image ({e}).") from None
        border = np.concatenate([grey[0], grey[-1], grey[:, 0], grey[:, -1]])
        images.append(1.0 - grey if border.mean() > 0.5 else grey)
    return np.stack(images).reshape((len(images),) + shape)


def predict(args):
    import numpy as np
    if args.csv:
        from .tabular.command import predict_csv
        return predict_csv(args)
    if not args.images:
        raise SystemExit("dendrite predict: give image files to classify, or --csv NEW.csv for a `train csv` model.")
    model = _load(args.model)
    probabilities = model.predict(_image_batch(model, args.images), verbose=0)
    for path, p in zip(args.images, probabilities):
        order = np.argsort(p)[::-1][:args.top]
        best = ", ".join(f"{int(k)} ({p[k]:.3f})" for k in order)
        print(f"{path}: {best}")
    return 0


def main(argv=None):
    parser = argparse.ArgumentParser(prog="dendrite", description="dendrite: Keras on NumPy.")
    sub = parser.add_subparsers(dest="command")
    train_parser = sub.add_parser("train", help="train a built-in example network (mnist) or one on a CSV file (csv)")
    datasets = train_parser.add_subparsers(dest="dataset", metavar="{mnist,csv}")
    train = datasets.add_parser("mnist", help="train one of the codelab's networks on MNIST")
    train.set_defaults(run=train_mnist)
    train.add_argument("--model", choices=sorted(MODELS), default="dense",
                       help="dense: 200-60-10 (97.5%%+); cnn: 3 conv layers (98.7%% measured); cnn-bn: with batch norm (99.4%%+)")
    train.add_argument("--epochs", type=_positive_int_option("--epochs"), default=None, help="number of epochs (default 10)")
    train.add_argument("--batch-size", type=_positive_int_option("--batch-size"), default=None, help="batch size (default 128; 64 for cnn-bn)")
    train.add_argument("--limit", type=_positive_int_option("--limit"), default=None, help="train on the first N images only (quick runs)")
    train.add_argument("--seed", type=int, default=None, help="random seed for a repeatable run")
    train.add_argument("--output", default=None,
                       help="where to save the model (default mnist-<model>.keras; a .npz name saves the weights only)")
    train.add_argument("--workers", type=_positive_int_option("--workers"), default=1,
                       help="train on N MPI processes (data-parallel, the batch split among them)")
    train.add_argument("--quiet", dest="verbose", action="store_false", help="no summary or progress bar")
    pred = sub.add_parser("predict", help="classify image files with a saved model")
    pred.add_argument("model", help="a model file saved by dendrite or Keras (.keras or .h5)")
    pred.add_argument("images", nargs="*", help="image files (PNG, JPEG, ...)")
    pred.add_argument("--csv", metavar="NEW.csv", help="predict the rows of a CSV file (a `train csv` model)")
    pred.add_argument("--top", type=_positive_int_option("--top"), default=1, help="how many classes to show")
    summ = sub.add_parser("summary", help="print a saved model's summary")
    summ.add_argument("model", help="a model file saved by dendrite or Keras (.keras or .h5)")
    from .compat import run as compat_run
    from .distribute import launch
    compat_run.add_parser(sub)
    launch.add_parser(sub)
    from .tabular.command import add_train_parser
    add_train_parser(datasets, _positive_int_option)
    from .codelab.runner import add_parser as add_codelab_parser
    add_codelab_parser(sub)
    args = parser.parse_args(argv)
    args.argv = sys.argv[1:] if argv is None else list(argv)
    commands = {"train": lambda a: a.run(a), "predict": predict, "summary": summary, "run": compat_run.main,
                "launch": launch.main, "codelab": lambda a: a.run(a)}
    if args.command not in commands or args.command == "train" and args.dataset is None:
        (train_parser if args.command == "train" else parser).print_help()
        return 2
    return commands[args.command](args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
