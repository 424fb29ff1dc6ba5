"""tabular.model: the --model spec, and the network whose first layers hold the preprocessing learned on the
training rows, so that the saved .keras file applies it by itself."""
import numpy as np
import pytest

import dendrite
from dendrite import layers
from dendrite.tabular import build_model, model_inputs, parse_spec, plan_features, plan_target, read_csv


def test_parse_spec():
    assert parse_spec("dense:512,512,512") == [512, 512, 512]
    assert parse_spec("Dense:8") == [8] and parse_spec("linear") == [] and parse_spec("dense:") == []
    for bad in ("conv:3", "dense:0", "dense:a,b", "", "dense"):
        with pytest.raises(ValueError, match="--model: expected 'dense:W1,W2,...' .* received"):
            parse_spec(bad)


@pytest.fixture
def table(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("size,weight,colour,label\n1,10,red,a\n2,30,blue,b\n3,20,red,a\n5,40,green,b\n")
    return read_csv(path)


def test_the_model_holds_the_scaling_and_the_one_hot_encoding(table, tmp_path):
    train = table.take([0, 1, 2])
    plan = plan_features(train, ["size", "weight"], ["colour"], "minmax")
    model = build_model(plan, plan_target(table, "label"), [4])
    assert [t.name for t in model.inputs] == ["size", "weight", "colour"]
    assert [t.dtype for t in model.inputs] == ["float32", "float32", "string"]
    scaling = model.get_layer("minmax_scaling")
    assert isinstance(scaling, layers.Normalization)
    # the scaled training rows lie in [0, 1]: (x - min) / (max - min)
    feed = model_inputs(train, ["size", "weight"], [])
    scaled = dendrite.Model(model.inputs[:2], scaling.output)([feed["size"], feed["weight"]])
    np.testing.assert_allclose(scaled.numpy(), [[0, 0], [0.5, 1], [1, 0.5]], atol=1e-6)
    lookup = model.get_layer("one_hot_colour")
    assert lookup.get_vocabulary() == ["[UNK]", "blue", "red"]  # 'green' was not in the training rows
    assert model.output.shape == (None, 2) and model.layers[-1].get_config()["activation"] == "softmax"
    # 2 scaled numbers + 3 one-hot slots -> Dense(4) -> Dense(2)
    assert model.count_params() == (5 * 4 + 4) + (4 * 2 + 2)

    model.save(tmp_path / "m.keras")
    again = dendrite.models.load_model(tmp_path / "m.keras")
    feed = model_inputs(table, ["size", "weight"], ["colour"])
    np.testing.assert_allclose(again.predict(feed, verbose=0), model.predict(feed, verbose=0), atol=1e-6)
    assert again.get_layer("minmax_scaling").get_config()["mean"] == [1.0, 10.0]


def test_regression_has_one_linear_output_and_numeric_only_inputs_skip_concatenation(table):
    plan = plan_features(table, ["size"], [], "standard")
    model = build_model(plan, plan_target(table, "weight"), [])
    assert model.output.shape == (None, 1) and model.count_params() == 2
    assert [type(layer).__name__ for layer in model.layers] == ["InputLayer", "Normalization", "Dense"]
