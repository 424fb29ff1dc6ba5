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


# ---------------------------------------------------------------- datasets read from files (auto-shard)
RECORD = 11 * 4  # float32: 8 features, the label, the file's number, the record's number in its file


def _parse(logged):
    def parse(record):
        v = np.frombuffer(record, np.float32)
        logged.append((int(v[9]), int(v[10])))
        return v[:8], np.int64(v[8])
    return parse


class _Steps(dendrite.callbacks.Callback):
    def __init__(self):
        super().__init__()
        self.count = 0

    def on_train_batch_end(self, batch, logs=None):
        self.count += 1


def _file_names(out):
    import glob
    return sorted(glob.glob(os.path.join(out, "part-*.bin")))


class _GlobalBatches:
    """The global batches two processes train on under FILE, as one iterable: step k joins rank 0's k-th piece
    and rank 1's (each reads files r, r + 2, batches them by 16 and cuts each batch into 2 pieces)."""

    def __init__(self, names):
        pieces = []
        for r in (0, 1):
            rows = np.concatenate([np.fromfile(n, np.float32).reshape(-1, 11) for n in names[r::2]])
            mine = []
            for b in range(0, len(rows), 16):
                batch = rows[b:b + 16]
                half = len(batch) // 2
                mine += [batch[:half], batch[half:]]
            pieces.append(mine)
        steps = max(len(p) for p in pieces)
        self.batches = [np.concatenate([p[k] for p in pieces if k < len(p)]) for k in range(steps)]

    def __iter__(self):
        for rows in self.batches:
            yield rows[:, :8], rows[:, 8].astype(np.int64)


def files(out, policy):
    """fit for 2 epochs on the record files the test wrote: ``policy`` 'auto' (FILE: 4 files for 2 processes),
    'off', 'file' (the test wrote too few files) or 'data' (the global batches FILE makes, every process reading
    them all and keeping its share of each). Each rank writes the files it opened and the records it parsed."""
    from dendrite import data
    from dendrite.data import files as file_module
    strategy = distribute.MultiWorkerMirroredStrategy(timeout=60)
    rank = strategy.cluster_resolver.task_id
    opened, logged = [], []
    real_open = file_module.open_binary

    def counting_open(path, compression_type, who):
        opened.append(os.path.basename(path))
        return real_open(path, compression_type, who)

    file_module.open_binary = counting_open
    names = _file_names(out)
    if policy == "data":
        ds = _GlobalBatches(names)
    else:
        ds = data.FixedLengthRecordDataset(data.Dataset.list_files(os.path.join(out, "part-*.bin"), shuffle=False),
                                          RECORD)
        ds = ds.map(_parse(logged)).batch(16)
        if policy != "auto":
            options = data.Options()
            options.experimental_distribute.auto_shard_policy = getattr(data.experimental.AutoShardPolicy,
                                                                        policy.upper())
            ds = ds.with_options(options)
    m = model(strategy, optimizer=dendrite.optimizers.SGD(0.1))
    steps = _Steps()
    hist = m.fit(ds, epochs=2, verbose=0, callbacks=[steps])
    seen = {"opened": list(opened), "records": sorted(set(logged)), "parsed": len(logged)}
    logs = m.evaluate(ds, verbose=0, return_dict=True)
    if policy != "data":  # a custom loop's view: this process's steps of the dataset; evaluate takes it too
        dist = strategy.experimental_distribute_dataset(ds)
        seen["pieces"] = [len(xb) for xb, _ in dist]
        again = m.evaluate(dist, verbose=0, return_dict=True)
        seen["evaluate_again"] = [again["loss"] - logs["loss"], again["accuracy"] - logs["accuracy"]]
    tag = f"{policy}{strategy.num_replicas_in_sync}_rank{rank}"
    np.savez(os.path.join(out, f"files_{tag}.npz"), loss=np.array(hist.history["loss"]), steps=steps.count,
             evaluated=np.array([logs["loss"], logs["accuracy"]]), **weights(m))
    with open(os.path.join(out, f"files_{tag}.txt"), "w") as f:
        f.write(repr(seen))


# ---------------------------------------------------------------- custom train_step and custom loops
class _OwnStep(dendrite.Model):
    """Keras 3's custom train_step: compute_loss, then the optimizer applies the gradients (apply_gradients of
    pairs, or apply(grads, variables) as Keras 3's guide writes it)."""

    pairs = True

    def train_step(self, batch):
        x, y = batch
        with dendrite.GradientTape() as tape:
            y_pred = self(x, training=True)
            loss = self.compute_loss(x=x, y=y, y_pred=y_pred)
        grads = tape.gradient(loss, self.trainable_variables)
        if self.pairs:
            self.optimizer.apply_gradients(zip(grads, self.trainable_variables))
        else:
            self.optimizer.apply(grads, self.trainable_variables)
        return {"loss": loss}


def _own_step_model(strategy, pairs):
    with strategy.scope():
        dendrite.utils.set_random_seed(1)
        inputs = layers.Input((8,))
        hidden = layers.Dense(16, activation="relu")(inputs)
        m = _OwnStep(inputs, layers.Dense(3, activation="softmax")(hidden))
        m.pairs = pairs
        m.compile(optimizer=dendrite.optimizers.Adam(0.01), loss="sparse_categorical_crossentropy")
    return m


def custom_step(out):
    """A Model subclass overriding train_step, fit with global batches of 64 for 2 epochs (20 steps); and the
    gradient allreduces counted, for it and for fit's own step with an optimizer made in the strategy's scope
    (each step's gradients are reduced once, never again by the optimizer)."""
    from dendrite.distribute import collectives as c
    strategy = distribute.MultiWorkerMirroredStrategy(timeout=60)
    result, calls = {}, []
    real = c.allreduce_arrays

    def counted(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    c.allreduce_arrays = counted
    for name, pairs in (("pairs", True), ("apply", False), ("builtin", None)):
        m = _own_step_model(strategy, pairs) if pairs is not None else model(strategy, optimizer="adam")
        result.update({f"{name}_start_{k}": v for k, v in weights(m).items()})
        x, y = data(64 * 10)
        calls.clear()
        m.fit(x, y, batch_size=64, epochs=2, shuffle=True, verbose=0)
        result[f"{name}_allreduces"] = len(calls)
        result.update({f"{name}_{k}": v for k, v in weights(m).items()})
    np.savez(os.path.join(out, f"custom_step{strategy.num_replicas_in_sync}_rank{distribute.rank()}.npz"), **result)


def custom_loop(out):
    """TensorFlow's custom-training tutorial: experimental_distribute_dataset, strategy.run of a step computing
    compute_average_loss(per-example losses, GLOBAL_BATCH_SIZE) and apply_gradients, strategy.reduce(SUM) of the
    replicas' losses; the same with a mean loss (which the replica divides by num_replicas_in_sync); and with
    compute_average_loss's default global batch plus scale_regularization_loss of an L2 penalty."""
    import dendrite.compat
    dendrite.compat.install()
    import tensorflow as tf
    strategy = tf.distribute.MultiWorkerMirroredStrategy()
    global_batch = 32
    x, y = data(global_batch * 8)
    result = {}
    for name in ("average", "mean", "default"):
        with strategy.scope():
            tf.keras.utils.set_random_seed(1)
            penalty = tf.keras.regularizers.L2(0.01) if name == "default" else None
            m = tf.keras.Sequential([tf.keras.Input((8,)), tf.keras.layers.Dense(16, activation="relu",
                                                                                 kernel_regularizer=penalty),
                                     tf.keras.layers.Dense(3)])
            optimizer = tf.keras.optimizers.Adam(0.01)
            per_example = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True, reduction=None)
            mean = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)
        dist = strategy.experimental_distribute_dataset(
            tf.data.Dataset.from_tensor_slices((x, y)).batch(global_batch))

        def step(batch):
            xb, yb = batch
            with tf.GradientTape() as tape:
                logits = m(xb, training=True)
                if name == "average":
                    loss = tf.nn.compute_average_loss(per_example(yb, logits), global_batch_size=global_batch)
                elif name == "mean":
                    loss = mean(yb, logits)
                else:
                    loss = tf.nn.compute_average_loss(per_example(yb, logits)) + \
                        tf.nn.scale_regularization_loss(m.losses)
            grads = tape.gradient(loss, m.trainable_variables)
            optimizer.apply_gradients(zip(grads, m.trainable_variables))
            return loss

        @tf.function
        def distributed_step(batch):
            return strategy.reduce(tf.distribute.ReduceOp.SUM, strategy.run(step, args=(batch,)), axis=None)

        losses = [float(distributed_step(batch)) for _ in range(3) for batch in dist]
        result[f"{name}_loss"] = np.array(losses)
        result.update({f"{name}_{k}": v for k, v in weights(m).items()})
    np.savez(os.path.join(out, f"custom_loop{strategy.num_replicas_in_sync}_rank{distribute.rank()}.npz"), **result)


SCENARIOS = {"syncbn": syncbn, "collectives": collectives, "horovod": horovod_style, "equivalence": equivalence, "evaluate_predict": evaluate_predict, "callbacks": callbacks,
             "raise": lambda out: fault(out, "raise"), "kill": lambda out: fault(out, "kill"),
             "hang": lambda out: fault(out, "hang"), "mismatch": mismatch,
             "interrupted": lambda out: resume(out, True), "resume": lambda out: resume(out, False),
             "uninterrupted": uninterrupted, "custom_step": custom_step, "custom_loop": custom_loop,
             **{f"files_{policy}": (lambda out, p=policy: files(out, p)) for policy in ("auto", "off", "file", "data")}}

if __name__ == "__main__":
    SCENARIOS[sys.argv[1]](sys.argv[2])
