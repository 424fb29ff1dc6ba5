"""dendrite.applications' architectures against Keras 3's (tests/fixtures/keras_applications/architectures.json,
written by tools/make_keras_applications_fixtures.py): parameter counts (trainable and not), the layers' classes
and names in model order, the output shape and the model's name, for each builder at small inputs."""
import json
import os

import pytest

import dendrite
from dendrite import applications

FIXTURES = os.path.join(os.path.dirname(__file__), "..", "fixtures", "keras_applications")
with open(os.path.join(FIXTURES, "architectures.json")) as _f:
    CASES = json.load(_f)["cases"]


def _count(weights):
    return int(sum(int(w.value.size) for w in weights))


@pytest.mark.parametrize("case", CASES, ids=[f"{c['fn']}-{i}" for i, c in enumerate(CASES)])
def test_architecture_matches_keras(case):
    dendrite.layers.base.reset_names()
    kwargs = {k: tuple(v) if isinstance(v, list) else v for k, v in case["kwargs"].items()}
    model = getattr(applications, case["fn"])(weights=None, **kwargs)
    assert model.name == case["name"]
    assert _count(model.trainable_weights) == case["trainable"]
    assert _count(model.non_trainable_weights) == case["non_trainable"]
    assert list(model.output.shape) == case["output_shape"]
    mine = [[type(layer).__name__, layer.name] for layer in model.layers]
    assert len(mine) == len(case["layers"])
    assert mine == case["layers"]
