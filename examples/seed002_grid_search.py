"""Hyperparameter grid search over an MNIST network with scikit-learn (seed 002, "Neural network foundations").

The chapter's network (two hidden ReLU layers with dropout, a softmax over the 10 digits) is wrapped as a
scikit-learn estimator by dendrite.wrappers.KerasClassifier; GridSearchCV then tries every combination of
optimizer, learning rate, batch size and hidden units with cross-validation, refits the best one on all
the training images, and this script prints the best parameters, the table of results (cv_results_) and
the best model's accuracy on the test images.

    python examples/seed002_grid_search.py            # 10,000 training images, 3-fold, 16 combinations
    python examples/seed002_grid_search.py --quick    # a few-second smoke run on a slice

(From a source checkout without `pip install .`, put the repository root on the path: `PYTHONPATH=. python
examples/seed002_grid_search.py`.) MNIST is read from the folder named by DENDRITE_DATA, or downloaded once.
Needs scikit-learn.
"""
import argparse
import time

import numpy as np
from sklearn.model_selection import GridSearchCV

import dendrite as keras
from dendrite import layers
from dendrite.wrappers import KerasClassifier

parser = argparse.ArgumentParser(description="GridSearchCV over an MNIST network's hyperparameters.")
parser.add_argument("--quick", action="store_true", help="a slice of MNIST, 1 epoch, 2 folds (a smoke run)")
parser.add_argument("--train", type=int, default=10000, help="training images used by the search")
parser.add_argument("--epochs", type=int, default=5)
parser.add_argument("--jobs", type=int, default=1, help="n_jobs of GridSearchCV (worker processes)")
args = parser.parse_args()

# ## The data: 784 grey levels per image scaled to [0, 1], integer labels
(x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
x_train = x_train.reshape(-1, 784).astype("float32") / 255
x_test = x_test.reshape(-1, 784).astype("float32") / 255
n_train, n_test, epochs, folds = args.train, len(x_test), args.epochs, 3
if args.quick:
    n_train, n_test, epochs, folds = 1000, 500, 1, 2
x_train, y_train, x_test, y_test = x_train[:n_train], y_train[:n_train], x_test[:n_test], y_test[:n_test]


# ## The model: a function of the hyperparameters the grid varies (the wrapper fills `hidden` from
# model__hidden and `meta` with what fit learned about the data: 784 features, 10 classes)
def build(meta, hidden=128, dropout=0.3):
    return keras.Sequential([
        keras.Input((meta["n_features_in_"],)),
        layers.Dense(hidden, activation="relu"), layers.Dropout(dropout),
        layers.Dense(hidden, activation="relu"), layers.Dropout(dropout),
        layers.Dense(meta["n_classes_"], activation="softmax"),
    ])


# the loss is chosen from the labels (sparse_categorical_crossentropy for integer classes and a softmax
# unit per class); optimizer and optimizer__learning_rate make the optimizer for each combination
model = KerasClassifier(build, loss="sparse_categorical_crossentropy", metrics=["accuracy"], epochs=epochs,
                        verbose=0, random_state=1)
grid = {
    "optimizer": ["rmsprop", "adam"],
    "optimizer__learning_rate": [0.001, 0.0001],
    "batch_size": [32, 128],
    "model__hidden": [64, 128],
}
search = GridSearchCV(model, grid, cv=folds, n_jobs=args.jobs)
start = time.perf_counter()
search.fit(x_train, y_train)
seconds = time.perf_counter() - start

# ## The results
print(f"{len(search.cv_results_['params'])} combinations x {folds} folds on {n_train} images, {epochs} "
      f"epoch{'s' if epochs != 1 else ''} each: {seconds:.1f} s")
print(f"Best: {search.best_score_:.4f} using {search.best_params_}")
columns = list(grid) + ["mean_test_score", "std_test_score", "mean_fit_time", "rank_test_score"]
rows = [[str(p[name]) for name in grid] for p in search.cv_results_["params"]]
for i, row in enumerate(rows):
    row += [f"{search.cv_results_['mean_test_score'][i]:.4f}", f"{search.cv_results_['std_test_score'][i]:.4f}",
            f"{search.cv_results_['mean_fit_time'][i]:.2f}", str(search.cv_results_["rank_test_score"][i])]
widths = [max(len(c), *(len(r[j]) for r in rows)) for j, c in enumerate(columns)]
print("  ".join(c.rjust(w) for c, w in zip(columns, widths)))
for row in sorted(rows, key=lambda r: int(r[-1])):
    print("  ".join(v.rjust(w) for v, w in zip(row, widths)))

accuracy = float(np.mean(search.predict(x_test) == y_test))  # the best combination, refitted on all images
print(f"Test accuracy: {accuracy:.4f}")
