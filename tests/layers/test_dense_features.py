"""layers.DenseFeatures inside Keras models, as TensorFlow's "Classify structured data with feature columns"
tutorial uses it: a heart-disease-like DataFrame (numbers and a text column) through numeric, bucketized,
indicator, embedding and crossed columns, in a Sequential model built from its first batch and in a
functional model on a dict of Inputs; fit / evaluate / predict on a Dataset of (dict, y), on dict(df) and on
the DataFrame itself; the output against NumPy; summary, weights files, bad input."""
import numpy as np
import pandas as pd
import pytest

import dendrite as keras
import dendrite.compat
from dendrite import layers
from dendrite.estimator import feature_column as fc
from dendrite.testing import check_grads

THAL = ["fixed", "normal", "reversible"]


def heart(n=480, seed=0):
    """A DataFrame shaped like the tutorial's heart.csv: integer and float columns, a text column 'thal', an
    unused text column 'note', and a target that depends on age, cholesterol and thal."""
    rng = np.random.default_rng(seed)
    df = pd.DataFrame({"age": rng.integers(29, 78, n), "chol": rng.normal(240, 45, n).round(),
                       "thal": rng.choice(THAL, n), "note": rng.choice(["a", "b"], n)})
    score = 0.12 * (df.age - 52) + 0.02 * (df.chol - 240) + 2.0 * (df.thal == "reversible") \
        - 1.5 * (df.thal == "normal") + rng.normal(0, 0.5, n)
    return df, (score > 0).astype("int64").to_numpy()


def columns():
    age = fc.numeric_column("age")
    age_buckets = fc.bucketized_column(age, [18, 25, 30, 35, 40, 45, 50, 55, 60, 65])
    thal = fc.categorical_column_with_vocabulary_list("thal", THAL)
    return [age, fc.numeric_column("chol", normalizer_fn=lambda v: (v - 240.0) / 45.0), age_buckets,
            fc.indicator_column(thal), fc.embedding_column(thal, dimension=8),
            fc.indicator_column(fc.crossed_column([age_buckets, "thal"], hash_bucket_size=100))]


WIDTH = 1 + 1 + 11 + 3 + 8 + 100  # age, chol, age_bucketized, thal_indicator, thal_embedding, the cross


def dataset(df, y, shuffle=True, batch_size=32):
    ds = keras.data.Dataset.from_tensor_slices((dict(df), y))
    return (ds.shuffle(len(df)) if shuffle else ds).batch(batch_size)


def compiled(model):
    model.compile("adam", keras.losses.BinaryCrossentropy(from_logits=True), metrics=["accuracy"])
    return model


def tutorial_sequential():
    return compiled(keras.Sequential([layers.DenseFeatures(columns()), layers.Dense(32, activation="relu"),
                                      layers.Dense(1)]))


def tutorial_functional():
    inputs = {"age": keras.Input(shape=(1,), name="age"), "chol": keras.Input(shape=(1,), name="chol"),
              "thal": keras.Input(shape=(1,), name="thal", dtype="string")}
    x = layers.DenseFeatures(columns())(inputs)
    x = layers.Dense(32, activation="relu")(x)
    return compiled(keras.Model(inputs, layers.Dense(1)(x)))


def numpy_reference(layer, df):
    """The layer's output computed in NumPy, the columns in name order: age, age_bucketized, the cross (its
    one-hot: one id per example), chol, thal_embedding, thal_indicator."""
    age, chol = df.age.to_numpy(float)[:, None], df.chol.to_numpy(float)[:, None]
    buckets = np.eye(11)[np.searchsorted([18, 25, 30, 35, 40, 45, 50, 55, 60, 65], age[:, 0], side="right")]
    thal = np.array([THAL.index(t) for t in df.thal])
    table = {w.name: w.numpy() for w in layer.weights}["thal_embedding/embedding_weights"]
    cross = {c.name: c for c in layer.feature_columns}["age_bucketized_X_thal_indicator"].categorical_column
    cross_ids = cross.ids(dict(df))  # its hashes are tested against TensorFlow's in tests/estimator
    assert cross_ids.shape == (len(df), 1)
    return np.concatenate([age, buckets, np.eye(100)[cross_ids[:, 0]], (chol - 240) / 45, table[thal],
                           np.eye(3)[thal]], axis=1)


def test_sequential_built_from_the_first_batch_of_a_dataset_of_dicts_learns():
    df, y = heart()
    train, val, test = slice(0, 320), slice(320, 400), slice(400, 480)
    model = tutorial_sequential()
    history = model.fit(dataset(df[train], y[train]), validation_data=dataset(df[val], y[val], False), epochs=12,
                        verbose=0)
    assert history.history["val_accuracy"][-1] > 0.75  # the larger class is 57% of the examples
    loss, accuracy = model.evaluate(dataset(df[test], y[test], False), verbose=0)
    assert accuracy > 0.8
    predictions = model.predict(dict(df[test]), verbose=0)
    assert predictions.shape == (80, 1) and np.mean((predictions[:, 0] > 0) == y[test]) > 0.8  # logits
    # built on the dict: one Input per feature the columns read, text as 'string'; 'note' is not read
    assert [(t.name, t.dtype, t.shape) for t in model.inputs] == [("age", "float32", (None,)),
                                                                  ("chol", "float32", (None,)),
                                                                  ("thal", "string", (None,))]
    assert model.layers[0].output.shape == (None, WIDTH)
    features = model.layers[0]
    np.testing.assert_allclose(features(dict(df[test])).numpy(), numpy_reference(features, df[test]), rtol=1e-6)


def test_functional_model_on_a_dict_of_inputs_trains_on_the_dataframe_itself():
    df, y = heart()
    model = tutorial_functional()
    table = model.get_layer("dense_features").weights[0]
    before = table.numpy().copy()
    model.fit(df[:400], y[:400], batch_size=32, epochs=12, validation_split=0.2, verbose=0)
    assert model.evaluate(df[400:], y[400:], verbose=0)[1] > 0.8
    assert not np.allclose(table.numpy(), before)  # the embedding trains
    by_frame = model.predict(df[400:], verbose=0)
    np.testing.assert_allclose(model.predict(dict(df[400:]), verbose=0), by_frame, rtol=1e-6)
    np.testing.assert_allclose(model.predict(dataset(df[400:].drop(columns="note"), y[400:], False), verbose=0),
                               by_frame, rtol=1e-6)
    features = model.get_layer("dense_features")
    np.testing.assert_allclose(features(dict(df[400:])).numpy(), numpy_reference(features, df[400:]), rtol=1e-6)


def test_summary_counts_the_embedding_and_weights_files_round_trip(tmp_path):
    df, y = heart(96)
    model = tutorial_sequential()
    model.fit(df, y, epochs=1, verbose=0)
    lines = []
    model.summary(print_fn=lines.append)
    row = next(line for line in lines if line.startswith("dense_features"))
    # the embedding table: 3 words x 8 dimensions; the other columns have no weights
    assert f"(None, {WIDTH})" in row and row.split()[-1] == "24"
    assert f"Total params: {24 + (WIDTH * 32 + 32) + 33:,}" in lines
    assert [w.path for w in model.layers[0].weights] == ["dense_features/thal_embedding/embedding_weights"]
    model.save_weights(tmp_path / "heart.weights.h5")
    again = tutorial_sequential()
    again.predict(dict(df[:2]), verbose=0)  # built on data, its weights new
    assert not np.allclose(again.predict(df, verbose=0), model.predict(df, verbose=0))
    again.load_weights(tmp_path / "heart.weights.h5")
    np.testing.assert_array_equal(again.predict(df, verbose=0), model.predict(df, verbose=0))
    functional = tutorial_functional()
    functional.fit(df, y, epochs=1, verbose=0)
    functional.save_weights(tmp_path / "f.weights.h5")
    copy = tutorial_functional()
    copy.load_weights(tmp_path / "f.weights.h5")
    np.testing.assert_array_equal(copy.predict(df, verbose=0), functional.predict(df, verbose=0))


def test_integer_ids_reach_the_columns_as_integers():
    ids = np.array([2 ** 40 + 1, 2 ** 40 + 2, 7, 2 ** 40 + 1])  # float32 would make the first two one number
    column = fc.indicator_column(fc.categorical_column_with_hash_bucket("user", 1000, dtype="int64"))
    model = keras.Sequential([layers.DenseFeatures([column])])
    expected = layers.DenseFeatures([column])({"user": ids}).numpy()
    assert not np.array_equal(expected[0], expected[1])
    np.testing.assert_array_equal(model.predict({"user": ids}, verbose=0), expected)
    assert model.inputs[0].dtype == "int64"


def test_strings_for_a_numeric_feature_nan_and_missing_keys_are_clear_errors():
    df, y = heart(64)
    for model in (tutorial_sequential(), tutorial_functional()):
        bad = dict(df, age=df.thal)
        with pytest.raises(ValueError, match=r"\.fit\(\): `x\['age'\]` must be numbers .* Received: an array of "
                                             r"strings \(dtype object, shape \(64,\), such as '(fixed|normal|"
                                             r"reversible)'\)"):
            model.fit(bad, y, verbose=0)
        with pytest.raises(ValueError, match=r"`x \(batch 0\)\['chol'\]` contains 1 NaN or infinite value"):
            model.fit(dataset(df.assign(chol=np.where(np.arange(64) == 3, np.nan, df.chol)), y), verbose=0)
    sequential = tutorial_sequential()
    with pytest.raises(ValueError, match=r"DenseFeatures 'dense_features_\d+': .*Column '\w*thal\w*': the feature "
                                         r"'thal' is not in the input; its keys are \['age', 'chol', 'note'\]"):
        sequential.fit(df.drop(columns="thal"), y, verbose=0)
    with pytest.raises(ValueError, match=r"the feature 'thal' is not in the input; its keys are \['age', 'chol'\]"):
        layers.DenseFeatures(columns())({"age": keras.Input(shape=(1,)), "chol": keras.Input(shape=(1,))})
    with pytest.raises(TypeError, match=r"DenseFeatures 'dense_features_\d+': expects a dict feature name -> array"):
        keras.Sequential([layers.DenseFeatures(columns())]).predict(np.zeros((4, 3)), verbose=0)


def test_embedding_gradients_through_the_model_are_checked():
    df, _ = heart(6)
    inputs = {"thal": keras.Input(shape=(1,), name="thal", dtype="string")}
    column = fc.embedding_column(fc.categorical_column_with_vocabulary_list("thal", THAL), 3, combiner="sqrtn")
    model = keras.Model(inputs, layers.Dense(2)(layers.DenseFeatures([column])(inputs)))
    features = {"thal": df.thal.to_numpy()[:, None]}
    check_grads(lambda: keras.ops.sum(keras.ops.square(model(features))), [], params=model.weights)


@pytest.fixture
def tf():
    dendrite.compat.install()
    import tensorflow
    yield tensorflow
    dendrite.compat.uninstall()


def test_the_tutorial_in_tensorflows_spelling(tf):
    df, y = heart()
    feature_column = tf.feature_column
    age = feature_column.numeric_column("age")
    thal = feature_column.categorical_column_with_vocabulary_list("thal", THAL)
    cols = [age, feature_column.bucketized_column(age, [30, 40, 50, 60]), feature_column.indicator_column(thal),
            feature_column.embedding_column(thal, dimension=8)]
    train_ds = tf.data.Dataset.from_tensor_slices((dict(df[:400]), y[:400])).shuffle(buffer_size=400).batch(32)
    test_ds = tf.data.Dataset.from_tensor_slices((dict(df[400:]), y[400:])).batch(32)
    model = tf.keras.Sequential([tf.keras.layers.DenseFeatures(cols), tf.keras.layers.Dense(32, activation="relu"),
                                 tf.keras.layers.Dense(1)])
    model.compile(optimizer="adam", loss=tf.keras.losses.BinaryCrossentropy(from_logits=True), metrics=["accuracy"])
    model.fit(train_ds, validation_data=test_ds, epochs=10, verbose=0)
    _, accuracy = model.evaluate(test_ds, verbose=0)
    assert accuracy > 0.75
