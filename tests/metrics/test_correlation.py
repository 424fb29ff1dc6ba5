"""PearsonCorrelation / ConcordanceCorrelation and the metric forms of huber and the focal cross-entropies,
against Keras 3.15 (tests/fixtures/keras/layers4_objects.json); names, configs and use in compile."""
import numpy as np

import dendrite
from dendrite import layers, metrics
from keras_objects4 import value

A, B = value("a"), value("b")


def test_functions_match_keras():
    np.testing.assert_allclose(metrics.pearson_correlation(A, B), value("pearson"), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(metrics.pearson_correlation(A, B, axis=0), value("pearson_axis0"), rtol=1e-5,
                               atol=1e-6)
    np.testing.assert_allclose(metrics.concordance_correlation(A, B), value("concordance"), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(metrics.huber(A, B), value("huber"), rtol=1e-5)
    np.testing.assert_allclose(metrics.binary_focal_crossentropy(value("binary"), 1 / (1 + np.exp(-A))),
                               value("bfce"), rtol=1e-5)
    onehot = np.eye(4, dtype=np.float32)[value("labels")]
    np.testing.assert_allclose(metrics.categorical_focal_crossentropy(onehot, value("probs")), value("cfce"),
                               rtol=1e-5)


def test_classes_accumulate_as_keras():
    for cls, key in ((metrics.PearsonCorrelation, "Pearson"), (metrics.ConcordanceCorrelation, "Concordance")):
        metric = cls()
        metric.update_state(A, B)
        metric.update_state(B, A + 0.5 * B)
        np.testing.assert_allclose(float(metric.result()), float(value(key)), rtol=1e-5)
        config = metric.get_config()
        assert config == {"name": metric.name, "dtype": config["dtype"], "axis": -1}
        assert cls.from_config(config).get_config() == config
        assert metric._direction == "up"


def test_by_name_in_compile():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((64, 3)).astype(np.float32)
    y = (x @ np.array([[1.0], [-2.0], [0.5]])).astype(np.float32)
    model = dendrite.Sequential([layers.Input((3,)), layers.Dense(1)])
    model.compile("adam", "mse", metrics=["pearson_correlation", metrics.ConcordanceCorrelation(axis=0), "huber"])
    history = model.fit(x, y, epochs=1, batch_size=64, verbose=0)
    assert {"pearson_correlation", "concordance_correlation", "huber"} <= set(history.history)
    assert isinstance(metrics.get("PearsonCorrelation"), metrics.PearsonCorrelation)
