"""The programs the distributed tests run under ``mpiexec -n 2`` (and on one process to compare with): one
per scenario, chosen by the first argument; each writes what the test checks to the folder given second."""
import os
import signal
import sys

import numpy as np

import dendrite
from dendrite import distribute, layers


def data(n=256, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 8)).astype("float32")
    y = (x[:, :3].sum(axis=1) > 0).astype("int64") + (x[:, 3] > 1).astype("int64")
    return x, y


def model(strategy, width=16, batch_norm=None, optimizer="sgd"):
    with strategy.scope():
        dendrite.utils.set_random_seed(1)
        stack = [layers.Input((8,)), layers.Dense(width, activation="relu")]
        if batch_norm is not None:
            stack.append(batch_norm)
        stack.append(layers.Dense(3, activation="softmax"))
        m = dendrite.Sequential(stack)
        m.compile(optimizer=optimizer, loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return m


def save(out, name, **arrays):
    if distribute.world().rank == 0:
        np.savez(os.path.join(out, name), **arrays)


def weights(m):
    return {f"w{i}": w.numpy() if hasattr(w, "numpy") else np.asarray(w) for i, w in enumerate(m.get_weights())}


def equivalence(out):
    """50 steps of global batch 64 (12800 samples over 4 epochs... 200 samples, shuffled, 4 epochs)."""
    strategy = distribute.MultiWorkerMirroredStrategy(timeout=60)
    m = model(strategy, optimizer=dendrite.optimizers.Adam(0.01))
    x, y = data(64 * 25)
    hist = m.fit(x, y, batch_size=64, epochs=2, shuffle=True, verbose=0)
    save(out, f"equivalence{strategy.num_replicas_in_sync}.npz", loss=np.array(hist.history["loss"]),
         acc=np.array(hist.history["accuracy"]), **weights(m))


def evaluate_predict(out):
    strategy = distribute.MultiWorkerMirroredStrategy(timeout=60)
    m = model(strategy)
    x, y = data(101)  # 101 samples in batches of 10: the last batch of 1 leaves rank 1 without samples
    m.fit(x, y, batch_size=10, epochs=1, verbose=0)
    logs = m.evaluate(x, y, batch_size=10, verbose=0, return_dict=True)
    pred = m.predict(x, batch_size=10, verbose=0)
    save(out, f"evaluate{strategy.num_replicas_in_sync}.npz", loss=logs["loss"], acc=logs["accuracy"], pred=pred,
         **weights(m))


SCENARIOS = {"equivalence": equivalence, "evaluate_predict": evaluate_predict}

if __name__ == "__main__":
    SCENARIOS[sys.argv[1]](sys.argv[2])
