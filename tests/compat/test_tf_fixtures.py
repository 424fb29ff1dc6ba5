"""tf.* expressions that tutorials use, evaluated through dendrite's compatibility `tensorflow`, against what
TensorFlow 2.21 gives for the same text (tests/fixtures/tf_compat/expressions.json, written by
tools/make_tf_compat_fixtures.py): values, dtypes and shapes."""
import json
import os

import numpy as np
import pytest

FIXTURE = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "fixtures", "tf_compat",
                       "expressions.json")
with open(FIXTURE) as f:
    CASES = json.load(f)["cases"]


# where dendrite differs on purpose: the expression, and why (the values still match TensorFlow's)
DTYPE_DIFFERS = {"tf.keras.utils.to_categorical([0, 2], 3)": "float32, as Keras 2's np_utils gave (Keras 3: float64)"}


def plain(value):
    """What the fixture script stores, from dendrite's result."""
    if isinstance(value, (tuple, list)) and value and hasattr(value[0], "numpy"):
        return [plain(v) for v in value]
    if hasattr(value, "indices") and hasattr(value, "values"):
        return [plain(value.values), plain(value.indices)]
    arr = np.asarray(value.numpy() if hasattr(value, "numpy") else value)
    if arr.dtype.kind in "OS":
        arr = arr.astype(object)
        data = json.loads(json.dumps(arr.tolist(), default=lambda b: {"bytes": b.decode("utf-8")}))
        return {"value": data, "dtype": "string", "shape": list(arr.shape)}
    return {"value": arr.tolist(), "dtype": arr.dtype.name, "shape": list(arr.shape)}


def same(got, want, case):
    if isinstance(want, list):
        assert isinstance(got, list) and len(got) == len(want), case
        for g, w in zip(got, want):
            same(g, w, case)
        return
    assert got["shape"] == want["shape"], f"{case}: shape {got['shape']} != TensorFlow's {want['shape']}"
    assert got["dtype"] == want["dtype"], f"{case}: dtype {got['dtype']} != TensorFlow's {want['dtype']}"
    if want["dtype"] == "string" or want["dtype"] == "bool":
        assert got["value"] == want["value"], case
    else:
        expected = np.array(want["value"], dtype=float)  # None (NaN) becomes nan
        np.testing.assert_allclose(np.array(got["value"], dtype=float), expected, rtol=2e-6, atol=1e-6,
                                   equal_nan=True, err_msg=case)


@pytest.mark.parametrize("case", sorted(CASES))
def test_expression_matches_tensorflow(case, tf):
    assert "error" not in CASES[case]  # the fixture holds only expressions TensorFlow evaluates
    want = CASES[case]
    if case in DTYPE_DIFFERS:
        want = dict(want, dtype="float32")
    same(plain(eval(case, {"tf": tf, "np": np})), want, case)
