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


class _Fault(dendrite.callbacks.Callback):
    """On rank 1, at batch 3: raise, or kill this process with SIGKILL."""

    def __init__(self, how):
        super().__init__()
        self.how = how

    def on_train_batch_end(self, batch, logs=None):
        if batch == 3 and distribute.world().rank == 1:
            if self.how == "raise":
                raise RuntimeError("a failure on one rank")
            if self.how == "hang":
                import time
                time.sleep(60)
            os.kill(os.getpid(), signal.SIGKILL)


def fault(out, how):
    strategy = distribute.MultiWorkerMirroredStrategy(timeout=3 if how == "hang" else 20)
    m = model(strategy)
    x, y = data()
    m.fit(x, y, batch_size=16, epochs=50, verbose=0, callbacks=[_Fault(how)])


def mismatch(out):
    strategy = distribute.MultiWorkerMirroredStrategy(timeout=20)
    m = model(strategy, width=16 + distribute.world().rank)
    x, y = data()
    m.fit(x, y, batch_size=16, epochs=50, verbose=0)


def callbacks(out):
    """EarlyStopping decides alike on every process; only rank 0 writes the checkpoint and the CSV log."""
    strategy = distribute.MultiWorkerMirroredStrategy(timeout=60)
    rank = strategy.cluster_resolver.task_id
    m = model(strategy, optimizer=dendrite.optimizers.SGD(0.5))
    x, y = data()
    stop = dendrite.callbacks.EarlyStopping(monitor="val_loss", patience=1, min_delta=0.02)
    files = [dendrite.callbacks.ModelCheckpoint(os.path.join(out, f"rank{rank}.weights.h5"), save_weights_only=True),
             dendrite.callbacks.CSVLogger(os.path.join(out, f"rank{rank}.csv"))]
    hist = m.fit(x, y, batch_size=32, epochs=40, validation_data=data(64, seed=1), verbose=0, callbacks=[stop] + files)
    with open(os.path.join(out, f"epochs{rank}.txt"), "w") as f:
        f.write(repr([len(hist.history["loss"]), hist.history["val_loss"]]))


class _Interrupt(dendrite.callbacks.Callback):
    def on_epoch_end(self, epoch, logs=None):
        if epoch == 1:
            raise KeyboardInterrupt("stopped after epoch 2, as a killed run")


def resume(out, interrupt):
    """Train 4 epochs with a backup; with ``interrupt``, stop after the second (the run is then resumed)."""
    strategy = distribute.MultiWorkerMirroredStrategy(timeout=60)
    m = model(strategy, optimizer=dendrite.optimizers.Adam(0.01))
    x, y = data()
    backup = dendrite.callbacks.BackupAndRestore(os.path.join(out, "backup"))
    try:
        m.fit(x, y, batch_size=32, epochs=4, verbose=0, callbacks=[backup] + ([_Interrupt()] if interrupt else []))
    except KeyboardInterrupt:
        return
    save(out, f"resumed{strategy.num_replicas_in_sync}.npz", **weights(m))


def uninterrupted(out):
    strategy = distribute.MultiWorkerMirroredStrategy(timeout=60)
    m = model(strategy, optimizer=dendrite.optimizers.Adam(0.01))
    x, y = data()
    m.fit(x, y, batch_size=32, epochs=4, verbose=0)
    save(out, "uninterrupted.npz", **weights(m))


def collectives(out):
    """The collectives on known values: each rank r contributes r + 1 (small buckets, so arrays are split)."""
    from dendrite.distribute import collectives as c
    c.BUCKET_BYTES = 64  # 16 float32 per bucket: the arrays below span several
    r, n = distribute.rank(), distribute.size()
    arrays = [np.full((5, 7), r + 1.0, np.float32), np.arange(3, dtype=np.float32) * (r + 1), np.ones(40, np.float32)]
    summed, extra = c.allreduce_arrays(arrays, scale=2.0, extra=[r + 1.0])
    total = n * (n + 1) / 2
    result = {
        "sum": [a.tolist() for a in summed], "extra": extra.tolist(),
        "hvd_mean": distribute.allreduce(np.full(3, r + 1.0)).tolist(),
        "hvd_sum": distribute.allreduce(np.full(3, r + 1.0), op=distribute.Sum).tolist(),
        "bcast": distribute.broadcast(np.full(2, r + 5.0), root_rank=1 if n > 1 else 0).tolist(),
        "gather": distribute.allgather(np.full((r + 1, 2), r)).tolist(),
        "reduce_mean_axis": float(distribute.MultiWorkerMirroredStrategy().reduce(
            distribute.ReduceOp.MEAN, np.arange(r * 4, r * 4 + 4 + r, dtype=np.float32), axis=0)),
        "reduce_sum": float(distribute.MultiWorkerMirroredStrategy().reduce("SUM", np.float32(r + 1))),
        "total": total, "size": n, "local": [distribute.local_rank(), distribute.local_size()],
        "shares": [b[0].tolist() for b in distribute.MultiWorkerMirroredStrategy().experimental_distribute_dataset(
            dendrite.data.Dataset.from_tensor_slices((np.arange(10.0), np.arange(10.0))).batch(4))],
    }
    with open(os.path.join(out, f"collectives{r}.txt"), "w") as f:
        f.write(repr(result))


def horovod_style(out):
    """Horovod's way: each process its own half of every batch of 64, DistributedOptimizer averaging the
    gradients, rank 0's initial weights broadcast: the weights one process reaches with batches of 64."""
    distribute.init()
    r, n = distribute.rank(), distribute.size()
    dendrite.utils.set_random_seed(1 + r)  # different initial weights on purpose: the callback makes them rank 0's
    m = dendrite.Sequential([layers.Input((8,)), layers.Dense(16, activation="relu"), layers.Dense(3, "softmax")])
    if r == 0:
        dendrite.utils.set_random_seed(1)
        m = dendrite.Sequential([layers.Input((8,)), layers.Dense(16, activation="relu"), layers.Dense(3, "softmax")])
    m.compile(optimizer=distribute.DistributedOptimizer(dendrite.optimizers.SGD(0.1)),
              loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    x, y = data(64 * 10)
    per = 64 // n  # this process's rows of each batch of 64
    mine = np.concatenate([np.arange(b * 64 + r * per, b * 64 + (r + 1) * per) for b in range(10)])
    hist = m.fit(x[mine], y[mine], batch_size=per, epochs=2, shuffle=False, verbose=0,
                 callbacks=[distribute.callbacks.BroadcastGlobalVariablesCallback(0),
                            distribute.callbacks.MetricAverageCallback()])
    save(out, f"horovod{n}.npz", loss=np.array(hist.history["loss"]), **weights(m))


def syncbn(out):
    """BatchNormalization(synchronized=True) and the plain one, trained with global batches of 32."""
    strategy = distribute.MultiWorkerMirroredStrategy(timeout=60)
    results = {}
    for name, synchronized in (("sync", True), ("local", False)):
        m = model(strategy, batch_norm=layers.BatchNormalization(synchronized=synchronized, momentum=0.5))
        x, y = data()
        m.fit(x, y, batch_size=32, epochs=1, shuffle=False, verbose=0)
        results.update({f"{name}_{k}": v for k, v in weights(m).items()})
    save(out, f"syncbn{strategy.num_replicas_in_sync}.npz", **results)


SCENARIOS = {"syncbn": syncbn, "collectives": collectives, "horovod": horovod_style, "equivalence": equivalence, "evaluate_predict": evaluate_predict, "callbacks": callbacks,
             "raise": lambda out: fault(out, "raise"), "kill": lambda out: fault(out, "kill"),
             "hang": lambda out: fault(out, "hang"), "mismatch": mismatch,
             "interrupted": lambda out: resume(out, True), "resume": lambda out: resume(out, False),
             "uninterrupted": uninterrupted}

if __name__ == "__main__":
    SCENARIOS[sys.argv[1]](sys.argv[2])
