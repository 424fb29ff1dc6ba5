"""The tf.data methods and tf.data.experimental functions of counters / selection / grouping / ragged / csv
against what TensorFlow 2.21 gave for the same text (tools/make_tf_data3_fixtures.py wrote
tests/fixtures/tf_data3/pipelines.json): the elements in order, dtypes, and the cardinality."""
import json
import os
from types import SimpleNamespace

import numpy as np
import pytest

from dendrite import data
from dendrite.data import sparse
from dendrite.data.csv import decode_csv

FIXTURE = os.path.join(os.path.dirname(__file__), "..", "fixtures", "tf_data3", "pipelines.json")
with open(FIXTURE) as f:
    FIX = json.load(f)
PIPELINES = [c for c in FIX["cases"] if "csv" not in c]
CSV_CASES = [c for c in FIX["cases"] if "csv" in c]
tf = SimpleNamespace(io=SimpleNamespace(decode_csv=decode_csv))


def to_json(x):
    if isinstance(x, data.Dataset):
        return [to_json(e) for e in x.as_numpy_iterator()]
    if hasattr(x, "row_splits") and hasattr(x, "to_list"):
        return {"ragged": to_json(x.to_list())}
    if sparse.is_sparse(x):
        return {"indices": x.indices.tolist(), "values": to_json(x.values), "dense_shape": x.dense_shape.tolist()}
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


def build(text, **extra):
    env = {"D": data.Dataset, "E": data.experimental, "np": np, "tf": tf, "TS": data.TensorSpec, **extra}
    return eval(text, env)  # noqa: S307 - the fixture's own pipeline texts


@pytest.mark.parametrize("case", PIPELINES, ids=[c["pipeline"][:70] for c in PIPELINES])
def test_pipeline_matches_tf_data(case):
    ds = build(case["pipeline"])
    assert [to_json(e) for e in ds.as_numpy_iterator()] == case["elements"]
    assert int(ds.cardinality()) == case["cardinality"]


def _dtypes(element):
    from dendrite.data import structure
    return ["string" if isinstance(x, bytes) or np.asarray(x).dtype == object else np.asarray(x).dtype.name
            for x in structure.flatten(element)]


@pytest.mark.parametrize("case", CSV_CASES, ids=[c["pipeline"][:70] for c in CSV_CASES])
def test_csv_matches_tf_data(case, tmp_path):
    path = tmp_path / "data.csv"
    path.write_text(case["csv"])
    elements = list(build(case["pipeline"], PATH=str(path)).as_numpy_iterator())
    assert [to_json(e) for e in elements] == case["elements"]
    assert _dtypes(elements[0]) == case["dtypes"]
    first = elements[0]
    if case["keys"] is not None:
        features = first[0] if isinstance(first, tuple) else first
        assert type(features).__name__ == "OrderedDict" and list(features) == case["keys"]


@pytest.mark.parametrize("case", FIX["decode_csv"], ids=[c["call"][:60] for c in FIX["decode_csv"]])
def test_decode_csv_matches_tf(case):
    columns = build(case["call"])
    assert [to_json(c) for c in columns] == case["columns"]
    assert [("string" if c.dtype == object else c.dtype.name) for c in columns] == case["dtypes"]
