"""The CTC loss op (dendrite/autodiff/ops/ctc.py): values and gradients against TensorFlow 2.21's
(tests/fixtures/ctc/ctc.npz, written by tools/make_ctc_fixtures.py), against a sum over every alignment, and
finite differences in float64."""
import itertools
import os

import numpy as np
import pytest

from dendrite import GradientTape, ops
from dendrite.autodiff import Tensor as constant  # keeps float64
from dendrite.autodiff.ops.ctc import LOG_ZERO, check_inputs, ctc_loss
from dendrite.testing import check_grads

FIX = np.load(os.path.join(os.path.dirname(__file__), "..", "..", "fixtures", "ctc", "ctc.npz"))
NAMES = dict(labels="labels", logits="logits", label_length="label_length", logit_length="logit_length")


def _loss_and_grad(logits, labels, label_len, logit_len, weights=None, **kw):
    x = constant(logits)
    with GradientTape() as tape:
        tape.watch(x)
        loss = ctc_loss(x, labels, label_len, logit_len, **kw)
        w = np.ones(len(labels), logits.dtype) if weights is None else np.asarray(weights, logits.dtype)
        total = ops.sum(ops.multiply(loss, w))
    return np.asarray(loss.value), np.asarray(tape.gradient(total, x))


def test_loss_and_gradient_equal_tensorflow_blank_0():
    loss, grad = _loss_and_grad(FIX["ops_logits"], FIX["ops_target"], FIX["ops_target_length"],
                                FIX["ops_output_length"], weights=[1.0, 0.5, 2.0, -1.0, 1.5])
    assert loss.dtype == np.float32
    np.testing.assert_allclose(loss, FIX["ops_loss"], rtol=1e-5, atol=1e-5)  # max diff 1e-6
    np.testing.assert_allclose(grad, FIX["ops_grad"], atol=1e-5)  # max diff 1.2e-7
    assert np.all(grad[3, 4:] == 0)  # steps past the output length


def test_loss_and_gradient_equal_tensorflow_blank_in_the_middle():
    loss, grad = _loss_and_grad(FIX["ops_logits"], FIX["mask2_target"], FIX["mask2_length"],
                                FIX["ops_output_length"], blank=2)
    np.testing.assert_allclose(loss, FIX["mask2_loss"], rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(grad, FIX["mask2_grad"], atol=1e-5)


def test_labels_that_cannot_fit_get_tensorflows_large_finite_loss():
    # "1 1 2 3" needs 5 steps (a blank between the ones) and has 4; "1 2 3 1" has 3 steps
    loss, grad = _loss_and_grad(FIX["inf_logits"], FIX["inf_target"], [4, 4], [4, 3])
    np.testing.assert_allclose(loss, FIX["inf_loss"], rtol=1e-6)  # 714.0105, 707.56116
    assert np.all(np.isfinite(grad)) and np.all(grad[1, 3] == 0)
    # TensorFlow's gradient there is not the derivative of its loss (it lets paths start anywhere too);
    # dendrite's is: checked by finite differences below
    loss, grad = _loss_and_grad(FIX["inf_logits"], FIX["inf_target"], [4, 4], [4, 3], soft_end=False)
    assert np.all(np.isinf(loss)) and np.all(grad == 0)


def _brute_force(logits, labels, blank):
    """-log of the summed probability of every alignment that collapses to ``labels``."""
    logp = logits - np.log(np.exp(logits).sum(-1, keepdims=True))
    total = 0.0
    for path in itertools.product(range(logits.shape[1]), repeat=logits.shape[0]):
        collapsed = [c for i, c in enumerate(path) if c != blank and (i == 0 or path[i - 1] != c)]
        if collapsed == list(labels):
            total += np.exp(sum(logp[t, c] for t, c in enumerate(path)))
    return -np.log(total)


@pytest.mark.parametrize("labels, steps, blank", [([1, 1], 4, 0), ([2, 1, 2], 5, 0), ([], 3, 0), ([0, 0], 3, 2),
                                                  ([1], 1, 0), ([0, 2, 2], 5, 1)])
def test_loss_is_the_sum_over_every_alignment(labels, steps, blank):
    rng = np.random.default_rng(len(labels) + steps)
    logits = rng.normal(size=(steps, 3))
    padded = np.array([labels + [0] * (3 - len(labels))])
    loss = ctc_loss(constant(logits[None]), padded, [len(labels)], [steps], blank=blank)
    np.testing.assert_allclose(loss.value[0], _brute_force(logits, labels, blank), rtol=1e-10)


def test_no_time_steps():
    loss = ctc_loss(constant(np.zeros((2, 3, 4))), np.array([[0], [1]]), [0, 1], [0, 0])
    np.testing.assert_allclose(loss.value, [0.0, -LOG_ZERO])


@pytest.mark.parametrize("blank", [0, 2, 3])
def test_gradient_by_finite_differences(blank):
    rng = np.random.default_rng(blank)
    logits = rng.normal(size=(4, 7, 4)) * 1.5
    labels = {0: [[1, 1, 2], [3, 0, 0], [0, 0, 0], [2, 3, 2]], 2: [[1, 1, 3], [3, 0, 0], [0, 0, 0], [0, 3, 0]],
              3: [[1, 1, 2], [0, 0, 0], [2, 0, 0], [2, 2, 2]]}[blank]
    labels = np.array(labels)
    check_grads(lambda z: ctc_loss(z, labels, [3, 1, 0, 3], [7, 5, 6, 7], blank=blank), [logits])


def test_gradient_by_finite_differences_when_labels_cannot_fit():
    logits = np.random.default_rng(3).normal(size=(2, 4, 4))
    check_grads(lambda z: ctc_loss(z, np.array([[1, 1, 2, 3], [1, 2, 3, 1]]), [4, 4], [4, 3]), [logits],
                rtol=1e-4)


def test_float64_stays_float64_and_extreme_logits_stay_finite():
    logits = np.random.default_rng(1).normal(size=(1, 5, 3)) * 200
    loss, grad = _loss_and_grad(logits, np.array([[1, 2]]), [2], [5])
    assert loss.dtype == np.float64 and np.isfinite(loss).all() and np.isfinite(grad).all()


@pytest.mark.parametrize("change, message", [
    (dict(shape=(2, 5)), "`logits` must have rank 3 (batch, time, classes); received shape (2, 5)"),
    (dict(labels=np.zeros((3, 2), int)), "`labels` must be integer labels of shape (batch, max_labels) = (2, ...); "
                                         "received shape (3, 2)"),
    (dict(label_length=[1, 3]), "`label_length` must lie in [0, 2] (the length of the labels' second axis); "
                                "received [1, 3]"),
    (dict(logit_length=[5, 6]), "`logit_length` must lie in [0, 5] (the length of the time axis); received [5, 6]"),
    (dict(logit_length=[5]), "`logit_length` must have shape (2,), one length per sample; received shape (1,)"),
    (dict(labels=np.array([[1, 4], [1, 1]])), "classes in [0, 4) other than the blank 0 within each sample's "
                                              "length; received 4 at [0, 1]"),
    (dict(labels=np.array([[1, 0], [1, 1]])), "received 0 at [0, 1]"),
    (dict(labels=np.array([[1.5, 2.0], [1.0, 1.0]])), "`labels` must be integer class indices; received dtype "
                                                      "float64 with fractional values"),
    (dict(blank=4), "the blank index must lie in [-4, 4) for 4 classes; received 4"),
])
def test_bad_inputs_name_the_argument(change, message):
    args = dict(shape=(2, 5, 4), labels=np.array([[1, 2], [3, 0]]), label_length=[2, 1], logit_length=[5, 4],
                blank=0)
    args.update(change)
    with pytest.raises(ValueError) as err:
        check_inputs("api", NAMES, args["shape"], args["labels"], args["label_length"], args["logit_length"],
                     args["blank"])
    assert str(err.value).startswith("api: ") and message in str(err.value), str(err.value)
