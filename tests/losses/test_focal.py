"""BinaryFocalCrossentropy and CategoricalFocalCrossentropy: Keras 3's values, gradients, names, fit and saving."""
import numpy as np
import pytest

from dendrite import losses
from dendrite.autodiff import ops
from dendrite.testing import check_grads
from keras_metrics2_cases import cases, replay_loss

RS = np.random.default_rng(3)


@pytest.mark.parametrize("label, case", cases("losses", "BinaryFocalCrossentropy", "CategoricalFocalCrossentropy"))
def test_matches_keras(label, case):
    replay_loss(case)


def test_defaults_and_formula_by_hand():
    assert losses.BinaryFocalCrossentropy().get_config() == {
        "name": "binary_focal_crossentropy", "reduction": "sum_over_batch_size", "apply_class_balancing": False,
        "alpha": 0.25, "gamma": 2.0, "from_logits": False, "label_smoothing": 0.0, "axis": -1}
    assert losses.CategoricalFocalCrossentropy().get_config() == {
        "name": "categorical_focal_crossentropy", "reduction": "sum_over_batch_size", "alpha": 0.25, "gamma": 2.0,
        "from_logits": False, "label_smoothing": 0.0, "axis": -1}
    p = 0.8
    value = losses.binary_focal_crossentropy(np.array([[1.0]]), np.array([[p]]), gamma=2.0)
    assert float(value.value[0]) == pytest.approx((1 - p) ** 2 * -np.log(p), rel=1e-5)
    # gamma 0 without balancing is the plain binary cross-entropy
    y, q = RS.integers(0, 2, (4, 3)).astype(float), RS.uniform(0.05, 0.95, (4, 3))
    np.testing.assert_allclose(losses.binary_focal_crossentropy(y, q, gamma=0.0).value,
                               losses.binary_crossentropy(y, q).value, rtol=1e-6)
    np.testing.assert_allclose(losses.categorical_focal_crossentropy(np.eye(3), np.full((3, 3), 1 / 3), gamma=0.0,
                                                                     alpha=1.0).value, np.log(3.0), rtol=1e-6)


def test_gradients():
    y = RS.integers(0, 2, (3, 4)).astype(float)
    p = RS.uniform(0.1, 0.9, (3, 4))
    z = RS.normal(size=(3, 4)) * 2
    onehot = np.eye(4)[[1, 0, 3]]
    check_grads(lambda t, q: losses.binary_focal_crossentropy(t, q), [y, p])
    check_grads(lambda q: losses.binary_focal_crossentropy(y, q, apply_class_balancing=True, alpha=0.3, gamma=1.5,
                                                           label_smoothing=0.1), [p])
    check_grads(lambda a: losses.binary_focal_crossentropy(y, a, from_logits=True), [z])
    check_grads(lambda q: losses.categorical_focal_crossentropy(onehot, ops.softmax(q)), [z])
    check_grads(lambda a: losses.categorical_focal_crossentropy(onehot, a, from_logits=True, label_smoothing=0.2,
                                                                gamma=3.0, alpha=0.5), [z])
    check_grads(lambda q: losses.CategoricalFocalCrossentropy()(onehot, q, sample_weight=np.array([1.0, 0.5, 2.0])),
                [RS.uniform(0.1, 1.0, (3, 4))])


def test_by_name_in_fit_and_keras_file(tmp_path):
    import dendrite
    assert losses.get("binary_focal_crossentropy") is losses.binary_focal_crossentropy
    assert isinstance(losses.get("CategoricalFocalCrossentropy"), losses.CategoricalFocalCrossentropy)
    x = RS.normal(size=(32, 4)).astype("float32")
    y = (x[:, :1] > 0).astype("float32")
    model = dendrite.Sequential([dendrite.layers.Input((4,)), dendrite.layers.Dense(1, activation="sigmoid")])
    model.compile("adam", losses.BinaryFocalCrossentropy(apply_class_balancing=True, gamma=1.0), metrics=["accuracy"])
    history = model.fit(x, y, epochs=3, verbose=0).history
    assert history["loss"][-1] < history["loss"][0]
    model.save(tmp_path / "m.keras")
    again = dendrite.models.load_model(tmp_path / "m.keras")
    assert again.loss.get_config() == model.loss.get_config()
    assert again.evaluate(x, y, verbose=0) == pytest.approx(model.evaluate(x, y, verbose=0), rel=1e-6)
    softmax = dendrite.Sequential([dendrite.layers.Input((4,)), dendrite.layers.Dense(2, activation="softmax")])
    softmax.compile("adam", "categorical_focal_crossentropy")
    softmax.fit(x, np.eye(2, dtype="float32")[y[:, 0].astype(int)], epochs=1, verbose=0)


def test_bad_input():
    with pytest.raises(ValueError, match="gamma"):
        losses.BinaryFocalCrossentropy(gamma=-1.0)
    with pytest.raises(ValueError, match="same shape as y_pred"):
        losses.categorical_focal_crossentropy(np.array([0, 1]), np.eye(2))
    with pytest.raises(ValueError, match="axis must be an int"):
        losses.categorical_focal_crossentropy(np.eye(2), np.eye(2), axis=True)
    with pytest.warns(UserWarning, match="num_classes > 1"):
        losses.categorical_focal_crossentropy(np.ones((2, 1)), np.ones((2, 1)))
