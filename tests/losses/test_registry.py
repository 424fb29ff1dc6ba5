"""Losses by name and config: get, serialize and deserialize."""
import numpy as np
import pytest

from dendrite import losses


@pytest.mark.parametrize("loss", [
    losses.BinaryCrossentropy(from_logits=True, label_smoothing=0.1, name="bce_x"),
    losses.CategoricalCrossentropy(label_smoothing=0.2, axis=-1, reduction="sum"),
    losses.SparseCategoricalCrossentropy(from_logits=True, ignore_class=0),
    losses.Huber(delta=2.0), losses.CosineSimilarity(axis=0), losses.MeanSquaredError(reduction=None),
    losses.LossFunctionWrapper(losses.mae, name="my_mae"),
])
def test_config_round_trip(loss):
    config = loss.get_config()
    again = type(loss).from_config(config)
    assert again.get_config() == config
    assert losses.get(losses.serialize(loss)).get_config() == config


def test_get_names_aliases_classes_and_objects():
    assert losses.get("mse") is losses.mean_squared_error
    assert losses.get("MAE") is losses.mean_absolute_error
    assert losses.get("logcosh") is losses.log_cosh
    assert losses.get("kullback_leibler_divergence") is losses.kl_divergence
    assert losses.get("sparse_categorical_crossentropy") is losses.sparse_categorical_crossentropy
    assert isinstance(losses.get("BinaryCrossentropy"), losses.BinaryCrossentropy)
    assert isinstance(losses.get(losses.Huber), losses.Huber)
    inst = losses.Poisson()
    assert losses.get(inst) is inst
    assert losses.get(np.add) is np.add
    assert losses.get(None) is None
    got = losses.get({"class_name": "CategoricalCrossentropy", "config": {"from_logits": True}})
    assert isinstance(got, losses.CategoricalCrossentropy) and got.from_logits


@pytest.mark.parametrize("bad", ["mean_sqared_error", 3, {"class_name": "Nope", "config": {}}])
def test_get_unknown_lists_valid_names(bad):
    with pytest.raises(ValueError) as err:
        losses.get(bad)
    msg = str(err.value)
    assert "mean_squared_error" in msg and "categorical_crossentropy" in msg and "Huber" in msg
    assert "Unknown loss" in msg


def test_get_suggests_close_name():
    with pytest.raises(ValueError, match="Did you mean 'mean_squared_error'"):
        losses.get("mean_sqared_error")
