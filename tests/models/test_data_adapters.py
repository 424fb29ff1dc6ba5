"""fit / evaluate / predict on every kind of input through the one data step: a Python generator, a PyDataset
(on the calling thread, two threads, two processes) and a dataset-like object (iterable with cardinality())
give the same weights and figures as the arrays they hold, batch for batch; and what streams refuse."""
import math
import warnings

import numpy as np
import pytest

import dendrite
from dendrite import layers
from dendrite.utils import PyDataset

rng = np.random.default_rng(0)
X = rng.standard_normal((64, 4)).astype(np.float32)
Y = rng.integers(0, 3, 64)
SW = rng.uniform(0.5, 2, 64).astype(np.float32)
XV, YV = X[:24] * 0.5, Y[:24]
BS, CW = 16, {0: 1.0, 1: 2.5, 2: 0.5}


def classifier():
    dendrite.set_random_seed(7)
    m = dendrite.Sequential([dendrite.Input((4,)), layers.Dense(8, activation="relu"),
                             layers.Dense(3, activation="softmax")], name="clf")
    m.compile(dendrite.optimizers.SGD(0.1), "sparse_categorical_crossentropy", metrics=["accuracy"])
    return m


def batches(x, y=None, sw=None, bs=BS):
    for i in range(0, len(x), bs):
        yield tuple(a[i:i + bs] for a in (x, y, sw) if a is not None) if y is not None else (x[i:i + bs],)


class Batches(PyDataset):
    """A PyDataset over arrays, batch ``i`` being samples [i*BS, (i+1)*BS)."""

    def __init__(self, *arrays, **kwargs):
        super().__init__(**kwargs)
        self.arrays = arrays

    def __len__(self):
        return math.ceil(len(self.arrays[0]) / BS)

    def __getitem__(self, i):
        return tuple(a[i * BS:(i + 1) * BS] for a in self.arrays)


class TinyDataset:
    """The duck-typed dataset interface (dendrite.data.Dataset's): iterating yields already-made batches,
    cardinality() is their number (-1 infinite, -2 unknown)."""

    def __init__(self, *arrays, cardinality=None, repeat=False):
        self.arrays, self.repeat = arrays, repeat
        self._cardinality = cardinality

    def cardinality(self):
        if self._cardinality is not None:
            return self._cardinality
        return -1 if self.repeat else math.ceil(len(self.arrays[0]) / BS)

    def __iter__(self):
        while True:
            yield from batches(*self.arrays)
            if not self.repeat:
                return


def run(kind, make, **fit_kwargs):
    """Weights, history, evaluate logs and predictions of one fit (2 epochs, class weights, validation)."""
    m = classifier()
    if kind == "arrays":
        h = m.fit(X, Y, sample_weight=SW, batch_size=BS, epochs=2, shuffle=False, class_weight=CW,
                  validation_data=(XV, YV), verbose=0, **fit_kwargs)
        logs = m.evaluate(X, Y, batch_size=BS, return_dict=True, verbose=0)
        pred = m.predict(X, batch_size=BS, verbose=0)
    else:
        h = m.fit(make(X, Y, SW), epochs=2, shuffle=False, class_weight=CW, validation_data=make(XV, YV),
                  verbose=0, **fit_kwargs)
        logs = m.evaluate(make(X, Y), return_dict=True, verbose=0)
        pred = m.predict(make(X), verbose=0)
    return m.get_weights(), h.history, logs, pred


def generator_of(*arrays):
    def forever():
        while True:
            yield from batches(*arrays)
    return forever()


KINDS = {
    "generator": (lambda *a: generator_of(*a), {"steps_per_epoch": 4, "validation_steps": 2}),
    "py_dataset": (lambda *a: Batches(*a), {}),
    "py_dataset_threads": (lambda *a: Batches(*a, workers=2, max_queue_size=3), {}),
    "py_dataset_processes": (lambda *a: Batches(*a, workers=2, use_multiprocessing=True), {}),
    "dataset": (lambda *a: TinyDataset(*a), {}),
    "dataset_repeated": (lambda *a: TinyDataset(*a, repeat=True), {"steps_per_epoch": 4, "validation_steps": 2}),
}


@pytest.fixture(scope="module")
def reference():
    return run("arrays", None)


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_input_kind_trains_evaluates_and_predicts_as_the_arrays(kind, reference):
    make, fit_kwargs = KINDS[kind]
    if kind in ("generator", "dataset_repeated"):  # evaluate / predict take `steps` from an endless stream
        weights, history, logs, pred = _run_endless(make, fit_kwargs)
    else:
        weights, history, logs, pred = run(kind, make, **fit_kwargs)
    ref_weights, ref_history, ref_logs, ref_pred = reference
    if kind == "generator" or kind == "dataset_repeated":  # validation took the first 2 of 2 batches (24 samples)
        history = {k: v for k, v in history.items() if not k.startswith("val_")}
        ref_history = {k: v for k, v in ref_history.items() if not k.startswith("val_")}
    for a, b in zip(weights, ref_weights):
        np.testing.assert_array_equal(a, b)
    assert history == ref_history
    assert logs == ref_logs
    np.testing.assert_array_equal(pred, ref_pred)


def _run_endless(make, fit_kwargs):
    m = classifier()
    h = m.fit(make(X, Y, SW), epochs=2, class_weight=CW, validation_data=make(XV, YV), verbose=0, **fit_kwargs)
    logs = m.evaluate(make(X, Y), steps=4, return_dict=True, verbose=0)
    pred = m.predict(make(X), steps=4, verbose=0)
    return m.get_weights(), h.history, logs, pred


def test_validation_from_a_stream_equals_validation_from_arrays(reference):
    _, ref_history, _, _ = reference
    m = classifier()
    h = m.fit(generator_of(X, Y, SW), steps_per_epoch=4, epochs=2, class_weight=CW, verbose=0,
              validation_data=generator_of(XV, YV), validation_steps=2)  # 2 batches: all 24 samples each epoch
    assert h.history == ref_history


def test_train_and_test_on_batch_take_the_same_conversions_as_fit():
    a, b = classifier(), classifier()
    xs = (X[:BS] * 100).astype(np.float64)  # float64 becomes floatx in both
    a.fit(xs, Y[:BS], sample_weight=SW[:BS], class_weight=CW, batch_size=BS, shuffle=False, verbose=0)
    logs = b.train_on_batch(xs, Y[:BS], sample_weight=SW[:BS], class_weight=CW, return_dict=True)
    for u, v in zip(a.get_weights(), b.get_weights()):
        np.testing.assert_array_equal(u, v)
    assert a.evaluate(xs, Y[:BS], batch_size=BS, verbose=0, return_dict=True) == \
        b.test_on_batch(xs, Y[:BS], return_dict=True)
    assert logs["loss"] > 0
    with pytest.raises(TypeError, match=r"^Sequential 'clf'\.train_on_batch\(\): `x` must be one batch of arrays "
                                        r".*Received: a generator \(generator\)"):
        b.train_on_batch(batches(X, Y))


def test_an_integer_input_stays_integer_and_floats_become_floatx():
    seen = []

    class Spy(layers.Layer):
        _autocast = False  # it shows what the model is fed, not what a float layer would make of it

        def call(self, x):
            seen.append(np.asarray(x.numpy() if hasattr(x, "numpy") else x).dtype)
            return x

    inp = dendrite.Input((3,), dtype="int32")
    out = layers.Dense(1)(layers.Flatten()(layers.Embedding(10, 2)(Spy()(inp))))
    m = dendrite.Model(inp, out)
    m.compile("sgd", "mse")
    ids = np.array([[1, 2, 3], [4, 5, 6]], dtype=np.int64)
    m.fit(ids, np.zeros((2, 1)), verbose=0)
    m.fit(generator_of(ids, np.zeros((2, 1))), steps_per_epoch=1, verbose=0)
    m.predict(ids, verbose=0)
    assert seen and set(seen) == {np.dtype("int32")}  # Keras 3 keeps an int32 Input integer (was float32)
    seen.clear()
    f = dendrite.Sequential([dendrite.Input((3,)), Spy(), layers.Dense(1)])
    f.compile("sgd", "mse")
    f.fit(generator_of(ids, np.zeros((2, 1))), steps_per_epoch=1, verbose=0)
    assert set(seen) == {np.dtype("float32")}  # a float Input gets floatx from integer data, as before


def test_a_dict_of_dataframe_columns_feeds_a_model_with_one_input_per_column():
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame({"a": X[:, 0], "b": X[:, 1], "target": Y % 2})
    ins = {name: dendrite.Input((1,), name=name) for name in ("a", "b")}
    out = layers.Dense(1, activation="sigmoid")(layers.Concatenate()(list(ins.values())))
    m = dendrite.Model(ins, out)
    m.compile("sgd", "binary_crossentropy")
    before = m.predict(dict(df[["a", "b"]]), verbose=0)
    np.testing.assert_allclose(before, m.predict({"a": X[:, :1], "b": X[:, 1:2]}, verbose=0), rtol=1e-6)
    h = m.fit(dict(df[["a", "b"]]), df["target"], epochs=2, verbose=0)
    assert len(h.history["loss"]) == 2 and np.isfinite(h.history["loss"]).all()


def test_each_named_feature_is_converted_and_checked_as_the_model_reads_it():
    """A model on a dict of named features (DenseFeatures first; a functional model on a dict of Inputs) gets
    text and ids as given and numbers as floatx, from arrays, a DataFrame itself and a dataset of dicts."""
    pd = pytest.importorskip("pandas")
    from dendrite.estimator import feature_column as fc
    seen = []

    class Spy(dendrite.Sequential):
        def train_step(self, data):
            seen.append({key: value.dtype for key, value in data[0].items()})
            return super().train_step(data)

    n = 8
    df = pd.DataFrame({"age": np.arange(n) + 30, "thal": ["fixed", "normal"] * (n // 2),
                       "user": np.arange(n) + 2 ** 40, "note": ["x"] * n})
    cols = [fc.numeric_column("age"), fc.indicator_column(fc.categorical_column_with_vocabulary_list(
        "thal", ["fixed", "normal"])), fc.indicator_column(fc.categorical_column_with_hash_bucket("user", 5, "int64"))]
    m = Spy([layers.DenseFeatures(cols), layers.Dense(1)])
    m.compile("sgd", "mse")
    assert m._input_dtypes() == {"age": "float32", "thal": "raw", "user": "raw"}  # the columns say how they read
    y = np.zeros(n)
    m.fit(df, y, batch_size=4, verbose=0)
    m.fit(dict(df), y, batch_size=4, verbose=0)
    m.fit(dendrite.data.Dataset.from_tensor_slices((dict(df), y)).batch(4), verbose=0)
    assert len(seen) == 6
    for dtypes in seen:
        assert dtypes["age"] == np.float32 and dtypes["user"] == np.int64 and dtypes["note"].kind in "OU"
        assert dtypes["thal"].kind in "OU"  # text: object from a DataFrame, '<U' from arrays
    with pytest.raises(ValueError, match=r"`x\['age'\]` contains 1 NaN or infinite value"):
        m.fit(df.assign(age=np.where(np.arange(n) == 5, np.nan, df.age)), y, verbose=0)
    # a functional model on a dict of Inputs: its Inputs' dtypes decide; a DataFrame gives its columns
    ins = {"age": dendrite.Input((1,), name="age"), "thal": dendrite.Input((1,), name="thal", dtype="string")}
    f = dendrite.Model(ins, layers.Dense(1)(layers.DenseFeatures(cols[:2])(ins)))
    f.compile("sgd", "mse")
    assert f._input_dtypes() == {"age": "float32", "thal": "string"}
    np.testing.assert_allclose(f.predict(df, verbose=0), f.predict({"age": df.age.to_numpy(float)[:, None],
                                                                   "thal": df.thal.to_numpy()}, verbose=0))
    with pytest.raises(ValueError, match=r"^Functional '.*'\.fit\(\): `x\['age'\]` must be numbers"):
        f.fit(dict(df, age=df.thal), y, verbose=0)


# ------------------------------------------------------------------------------------- steps
def test_steps_per_epoch_beyond_a_finite_dataset_warns_as_keras_and_never_hangs():
    m = classifier()
    counts = []

    class Count(dendrite.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            counts.append(self.n)

        def on_epoch_begin(self, epoch, logs=None):
            self.n = 0

        def on_train_batch_end(self, batch, logs=None):
            self.n += 1
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        m.fit(TinyDataset(X, Y), steps_per_epoch=6, epochs=2, verbose=0, callbacks=[Count()])
    assert counts == [4, 4]  # each epoch meets the end of the 4 batches, then the next one starts a new pass
    assert sum("ran out of data" in str(w.message) for w in caught) == 2


def test_a_generator_is_used_up_once_keras_warns_and_training_stops():
    m = classifier()
    with pytest.warns(UserWarning, match=r"ran out of data.*`x`, a generator, has no batches left for epoch 2"):
        h = m.fit(batches(X, Y), epochs=3, verbose=0)
    assert len(h.history["loss"]) == 1
    m2 = classifier()
    with pytest.warns(UserWarning, match=r"ran out of data"):
        h = m2.fit(batches(X, Y), steps_per_epoch=3, epochs=3, verbose=0)  # 3 + 1 of the 4 batches, then none
    assert len(h.history["loss"]) == 2


def test_a_stream_of_unknown_length_shows_unknown_then_the_count_it_learned(capsys):
    """As Keras: while the first epoch runs its length is unknown ('      1/Unknown - 0s ...'); its last line,
    and every later epoch, counts against the number of batches it had."""
    m = classifier()
    bar = dendrite.callbacks.ProgbarLogger(dynamic_display=True)  # redrawn in place, as in a terminal
    m.fit(TinyDataset(X, Y, cardinality=-2), epochs=2, verbose=1, callbacks=[bar])
    first, second = capsys.readouterr().out.split("Epoch 2/2\n")
    assert first.startswith("Epoch 1/2\n\r      1/Unknown - ") and "\r4/4 [==============================] - " in first
    assert second.startswith("\r1/4 [======>.......................] - ETA: ")
    m.evaluate(batches(X, Y), verbose=1)  # off a terminal: only the final line, with the count it learned
    assert capsys.readouterr().out.startswith("4/4 [==============================] - ")


# ------------------------------------------------------------------------------------- bad input
def test_what_streams_refuse_names_the_argument_and_how_to_fix_it():
    m = classifier()
    with pytest.raises(ValueError, match=r"^Sequential 'clf'\.fit\(\): `validation_split` is only supported for "
                                         r"Tensors or NumPy arrays, as in Keras; `x` is a generator.*Pass the "
                                         r"validation batches as `validation_data`"):
        m.fit(batches(X, Y), validation_split=0.2, verbose=0)
    for data in (batches(X, Y), Batches(X, Y), TinyDataset(X, Y)):
        with pytest.raises(ValueError, match=r"^Sequential 'clf'\.fit\(\): Do not specify `batch_size` if your data "
                                             r"is in the form of a dataset, generator or PyDataset: `x` is a "
                                             r"(generator|PyDataset|dataset).*Received: batch_size=8"):
            m.fit(data, batch_size=8, verbose=0)
    with pytest.raises(ValueError, match=r"`y` must not be given when `x` is a PyDataset: the PyDataset yields the "
                                         r"targets itself.*Received: y of type ndarray"):
        m.fit(Batches(X, Y), Y, verbose=0)
    with pytest.raises(ValueError, match=r"^Sequential 'clf'\.fit\(\): `x` is an infinite dataset \(cardinality -1, "
                                         r"e\.g\. after \.repeat\(\)\), so an epoch has no end: pass "
                                         r"`steps_per_epoch`"):
        m.fit(TinyDataset(X, Y, repeat=True), verbose=0)
    with pytest.raises(ValueError, match=r"^Sequential 'clf'\.evaluate\(\): `x` is an infinite dataset.*pass `steps`"):
        m.evaluate(TinyDataset(X, Y, repeat=True), verbose=0)
    with pytest.raises(ValueError, match=r"^Sequential 'clf'\.fit\(\): `validation_data` is an infinite dataset.*"
                                         r"pass `validation_steps`"):
        m.fit(X, Y, validation_data=TinyDataset(X, Y, repeat=True), verbose=0)
    with pytest.raises(ValueError, match=r"^Sequential 'clf'\.fit\(\): `x`, a generator, gave no batches\. It must "
                                         r"yield at least one batch"):
        m.fit(iter([]), verbose=0)
    with pytest.raises(ValueError, match=r"^Sequential 'clf'\.predict\(\): `x`, a dataset, gave no batches.*Its "
                                         r"cardinality\(\) is 0"):
        m.predict(TinyDataset(X, cardinality=0), verbose=0)


def test_inconsistent_batches_are_refused_naming_the_batch():
    m = classifier()

    def mixed():
        yield X[:8], Y[:8]
        yield X[8:16], Y[8:16]
        yield X[16:24]
    with pytest.raises(ValueError, match=r"^Sequential 'clf'\.fit\(\): `x`, a generator, gave batch 2 as \(x\) with x "
                                         r"one array, but batch 0 as \(x, y\) with x one array, y one array\. Every "
                                         r"batch must have the same structure"):
        m.fit(mixed(), verbose=0)

    def bad_values():
        yield X[:8], Y[:8]
        yield np.full((8, 4), np.nan, np.float32), Y[:8]
    with pytest.raises(ValueError, match=r"^`x \(batch 1\)` contains 32 NaN or infinite value\(s\)"):
        m.fit(bad_values(), verbose=0)

    def short_labels():
        yield X[:8], Y[:5]
    with pytest.raises(ValueError, match=r"Data cardinality is ambiguous: x \(batch 0\) has 8 samples but y \(batch 0\) "
                                         r"has 5"):
        m.fit(short_labels(), verbose=0)
    with pytest.raises(ValueError, match=r"gave batch 0 as a tuple of 4 entries\. Each batch must be x, \(x,\), "
                                         r"\(x, y\) or \(x, y, sample_weight\)"):
        m.fit(iter([(X, Y, SW, SW)]), verbose=0)
    with pytest.raises(ValueError, match=r"the batches of `x` \(a generator\) have no targets, but the loss "
                                         r"'sparse_categorical_crossentropy' needs them"):
        m.fit(batches(X), verbose=0)


def test_a_used_up_validation_generator_is_an_error_saying_what_to_pass():
    m = classifier()
    with pytest.raises(ValueError, match=r"^Sequential 'clf'\.fit\(\): `validation_data`, a generator, has no "
                                         r"batches left: a Python generator can be iterated only once\. Pass"):
        m.fit(X, Y, epochs=2, validation_data=batches(XV, YV), verbose=0)
