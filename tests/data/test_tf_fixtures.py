"""Pipelines against what TensorFlow 2.21's tf.data gave for the same text (tools/make_tf_data_fixtures.py
wrote tests/fixtures/tf_data/pipelines.json): the elements in order, and the cardinality."""
import json
import os
from types import SimpleNamespace

import numpy as np
import pytest

from dendrite import data

FIXTURE = os.path.join(os.path.dirname(__file__), "..", "fixtures", "tf_data", "pipelines.json")
with open(FIXTURE) as f:
    CASES = json.load(f)["cases"]

# the few TensorFlow functions the pipeline texts call, on NumPy
tf = SimpleNamespace(fill=lambda shape, value: np.full([int(s) for s in shape], value),
                     shape=lambda x: np.array(np.shape(x)), TensorSpec=data.TensorSpec, int32="int32")


def to_json(x):
    if isinstance(x, data.Dataset):
        return [to_json(e) for e in x]
    if isinstance(x, dict):
        return {k: to_json(v) for k, v in x.items()}
    if isinstance(x, (tuple, list)):
        return [to_json(v) for v in x]
    if isinstance(x, bytes):
        return {"bytes": x.decode()}
    if isinstance(x, np.ndarray):
        return [to_json(v) for v in x] if x.dtype == object else x.tolist()
    if isinstance(x, np.generic):
        return x.item()
    return x


def build(text):
    return eval(text, {"D": data.Dataset, "np": np, "tf": tf})  # noqa: S307 - the fixture's own pipeline texts


@pytest.mark.parametrize("case", CASES, ids=[c["pipeline"][:60] for c in CASES])
def test_pipeline_matches_tf_data(case):
    ds = build(case["pipeline"])
    assert int(ds.cardinality()) == case["cardinality"]
    if "elements" in case:
        got = [to_json(e) for e in ds.take(40)] if case["cardinality"] == -1 else [to_json(e) for e in ds]
        assert got == case["elements"]
