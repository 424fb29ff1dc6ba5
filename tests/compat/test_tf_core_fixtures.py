"""Programs using gradients of gradients (nested tapes, a persistent tape inside its context, a WGAN-GP
gradient penalty, a Hessian-vector product, a Hessian by jacobian), tf.sparse and tf.IndexedSlices, run through
dendrite's compatibility `tensorflow` and compared with what TensorFlow 2.21 gave for the same text
(tests/fixtures/tf_compat/core.json, written by tools/make_tf_core_fixtures.py)."""
import json
import os

import numpy as np
import pytest

FIXTURE = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "fixtures", "tf_compat",
                       "core.json")
with open(FIXTURE) as f:
    CASES = json.load(f)["cases"]


def plain(value):
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return np.asarray(value.numpy() if hasattr(value, "numpy") else value)


def same(got, want, case):
    if isinstance(want, list) and isinstance(got, list):
        assert len(got) == len(want), case
        for g, w in zip(got, want):
            same(g, w, case)
        return
    np.testing.assert_allclose(np.asarray(got, dtype=float), np.asarray(want, dtype=float), rtol=2e-5, atol=1e-6,
                               err_msg=case)


@pytest.mark.parametrize("case", sorted(CASES))
def test_program_gives_tensorflows_values(tf, case):
    scope = {"tf": tf, "np": np}
    exec(CASES[case]["program"], scope)  # noqa: S102 - the fixture's own program text (written in this repo)
    same(plain(scope["result"]), CASES[case]["result"], case)
