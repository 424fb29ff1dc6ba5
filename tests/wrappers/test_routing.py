"""Routed parameters: picking one destination's parameters, making classes from them, calling the
model-building function with the arguments it takes."""
import pytest

import dendrite as keras
from dendrite.wrappers.routing import call_with, instantiate, route


def test_route_picks_plain_and_prefixed_parameters():
    params = {"batch_size": 8, "epochs": 3, "fit__batch_size": 16, "fit__cb__x": 1, "model__units": 4}
    assert route(params, "fit", plain=("epochs",)) == {"epochs": 3, "batch_size": 16, "cb__x": 1}
    assert route(params, "fit", plain=("epochs",), strict=True) == {"epochs": 3, "batch_size": 16}
    assert route(params, "model") == {"units": 4}


def test_instantiate_makes_classes_with_their_parameters():
    opt = instantiate(keras.optimizers.Adam, {"learning_rate": 0.02, "beta_1": 0.8}, "optimizer")
    assert isinstance(opt, keras.optimizers.Adam)
    assert float(opt.learning_rate) == pytest.approx(0.02) and opt.beta_1 == pytest.approx(0.8)
    # a list: `0__x` reaches the first item only, a plain `x` every item; positional `0` arguments
    made = instantiate([keras.callbacks.EarlyStopping, keras.callbacks.EarlyStopping],
                       {"0__patience": 7, "monitor": "val_loss"}, "callbacks")
    assert [m.patience for m in made] == [7, 0] and [m.monitor for m in made] == ["val_loss", "val_loss"]
    made = instantiate({"es": keras.callbacks.EarlyStopping}, {"es__patience": 2}, "callbacks")
    assert made["es"].patience == 2
    assert instantiate(keras.optimizers.SGD, {"0": 0.5}, "optimizer").learning_rate == pytest.approx(0.5)


def test_instantiate_refuses_parameters_for_an_object_or_name():
    with pytest.raises(ValueError, match=r"optimizer: routed parameters \['learning_rate'\].*not a class"):
        instantiate(keras.optimizers.Adam(), {"learning_rate": 0.1}, "optimizer")
    with pytest.raises(ValueError, match=r"optimizer: Adam could not be made from the routed parameters \['no_such'\]"
                                         r".*no_such.*Check the names after `optimizer__`"):
        instantiate(keras.optimizers.Adam, {"no_such": 1}, "optimizer")
    with pytest.raises(ValueError, match=r"callbacks__0: EarlyStopping could not be made.*no_such"):
        instantiate([keras.callbacks.EarlyStopping], {"0__no_such": 1}, "callbacks")


def test_call_with_passes_what_the_function_takes_and_names_what_it_does_not():
    def build(units, meta=None):
        return units, meta
    assert call_with(build, {"units": ("model__units", 3)}, {"meta": lambda: {"a": 1}, "params": dict}, "W") == \
        (3, {"a": 1})
    with pytest.raises(ValueError, match=r"W: the parameter `model__depth=2` .* build\(\), which takes no argument "
                                         r"`depth`; its arguments are \['meta', 'units'\]"):
        call_with(build, {"units": ("model__units", 3), "depth": ("model__depth", 2)}, {}, "W")
