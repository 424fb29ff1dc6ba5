"""model_to_estimator: a compiled model trained, evaluated and predicted through the Estimator API."""
import numpy as np

import dendrite
from dendrite.estimator import model_to_estimator, numpy_input_fn


def test_model_to_estimator_trains_the_models_own_weights(tmp_path):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(200, 4)).astype(np.float32)
    y = (x[:, 0] > 0).astype(np.int64)
    model = dendrite.Sequential([dendrite.Input((4,)), dendrite.layers.Dense(8, activation="relu"),
                                 dendrite.layers.Dense(2, activation="softmax")])
    model.compile(optimizer=dendrite.optimizers.Adam(0.05), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    est = model_to_estimator(keras_model=model, model_dir=str(tmp_path))
    est.train(numpy_input_fn(x, y, batch_size=20, num_epochs=None, shuffle=True), steps=60)
    result = est.evaluate(numpy_input_fn(x, y, shuffle=False))
    assert result["accuracy"] > 0.9 and result["global_step"] == 60
    np.testing.assert_array_equal(est.get_variable_value(model.weights[0].path), model.weights[0].numpy())
    first = next(est.predict(numpy_input_fn(x[:1], shuffle=False)))
    (name, value), = first.items()
    assert name == model.name and value.shape == (2,)


def test_a_model_on_a_dict_of_features_takes_the_input_fns_dict_whole(tmp_path):
    from dendrite.estimator import feature_column as fc
    rng = np.random.default_rng(0)
    n = 200
    features = {"size": rng.normal(size=n).astype(np.float32), "color": rng.choice(["red", "green", "blue"], n)}
    y = ((features["size"] > 0) ^ (features["color"] == "red")).astype(np.int64)
    color = fc.categorical_column_with_vocabulary_list("color", ["red", "green", "blue"])
    model = dendrite.Sequential([dendrite.layers.DenseFeatures([fc.numeric_column("size"), fc.indicator_column(color),
                                                                fc.embedding_column(color, 2)]),
                                 dendrite.layers.Dense(16, activation="relu"),
                                 dendrite.layers.Dense(2, activation="softmax")])
    model.compile(optimizer=dendrite.optimizers.Adam(0.05), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    est = model_to_estimator(keras_model=model, model_dir=str(tmp_path))
    est.train(numpy_input_fn(features, y, batch_size=20, num_epochs=None, shuffle=True), steps=100)
    assert est.evaluate(numpy_input_fn(features, y, shuffle=False))["accuracy"] > 0.9
    table = "dense_features/color_embedding/embedding_weights"
    assert table in est.get_variable_names()
    np.testing.assert_array_equal(est.get_variable_value(table), model.layers[0].weights[0].numpy())
