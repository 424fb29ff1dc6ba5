"""dendrite.image against the values TensorFlow 2.21 computed (tests/fixtures/tfrecord/image_ops.*, written by
tools/make_tfrecord_fixtures.py): every resize method, convert_image_dtype, grayscale, standardisation,
contrast, brightness and the crops."""
import json
import os

import numpy as np
import pytest

from dendrite import image

FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures", "tfrecord")
with open(os.path.join(FIXTURES, "image_ops.json")) as _f:
    CASES = json.load(_f)["cases"]


@pytest.fixture(scope="module")
def arrays():
    with np.load(os.path.join(FIXTURES, "image_ops.npz"), allow_pickle=False) as data:
        return dict(data)


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c['function']}-{c['input']}-{c['kwargs']}")
def test_matches_tensorflow(case, arrays):
    expected = arrays[case["output"]]
    got = getattr(image, case["function"])(arrays[case["input"]], **case["kwargs"])
    assert got.dtype == expected.dtype and got.shape == expected.shape
    if expected.dtype.kind == "f":
        np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-5)
    else:
        np.testing.assert_array_equal(got, expected)


def test_fixture_covers_every_resize_method():
    methods = {c["kwargs"]["method"] for c in CASES if c["function"] == "resize"}
    assert methods == {getattr(image.ResizeMethod, k) for k in vars(image.ResizeMethod) if k.isupper()}
