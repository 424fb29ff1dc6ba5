"""The loss functions: hand-computed and independent NumPy values, gradients, the fused logits path, label and
shape checks."""
import warnings

import numpy as np
import pytest

import dendrite
from dendrite import losses
from dendrite.autodiff import GradientTape, Tensor, Variable, array_of, ops
from dendrite.testing import check_grads

RS = np.random.default_rng(0)
T2 = np.array([[0.0, 1.0], [0.0, 0.0]], np.float32)
P2 = np.array([[0.6, 0.4], [0.4, 0.6]], np.float32)


def value(t):
    return np.asarray(t.value if isinstance(t, Tensor) else t)


def _np_log_softmax(z):
    z = z - z.max(-1, keepdims=True)
    return z - np.log(np.exp(z).sum(-1, keepdims=True))


# ------------------------------------------------------------ reference values
@pytest.mark.parametrize("cls, y_true, y_pred, expected", [
    (losses.MeanSquaredError, [[0., 1.], [0., 0.]], [[1., 1.], [1., 0.]], 0.5),
    (losses.MeanAbsoluteError, [[0., 1.], [0., 0.]], [[1., 1.], [1., 0.]], 0.5),
    (losses.MeanAbsolutePercentageError, [[2., 4.]], [[1., 5.]], 37.5),
    (losses.MeanSquaredLogarithmicError, [[0., 1.], [0., 0.]], [[1., 1.], [1., 0.]], 0.240227),
    (losses.Huber, T2, P2, 0.155),
    (losses.LogCosh, [[0., 1.], [0., 0.]], [[1., 1.], [0., 0.]], 0.108445),
    (losses.BinaryCrossentropy, T2, P2, 0.815),
    (losses.Hinge, T2, P2, 1.3),
    (losses.SquaredHinge, T2, P2, 1.86),
    (losses.CategoricalHinge, T2, P2, 1.4),
    (losses.KLDivergence, T2, P2, 0.458),
    (losses.Poisson, [[0., 1.], [0., 0.]], [[1., 1.], [0., 0.]], 0.5),
    (losses.CategoricalCrossentropy, [[0, 1, 0], [0, 0, 1]], [[0.05, 0.95, 0], [0.1, 0.8, 0.1]], 1.177),
    (losses.SparseCategoricalCrossentropy, [1, 2], [[0.05, 0.95, 0], [0.1, 0.8, 0.1]], 1.177),
])
def test_loss_classes_match_hand_computed_values(cls, y_true, y_pred, expected):
    out = cls()(y_true, y_pred)
    assert isinstance(out, Tensor) and out.shape == () and out.dtype == np.float32
    np.testing.assert_allclose(value(out), expected, atol=1e-3)


def test_per_sample_values_by_hand():
    np.testing.assert_allclose(value(losses.categorical_crossentropy(
        [[0, 1, 0], [0, 0, 1]], [[0.05, 0.95, 0], [0.1, 0.8, 0.1]])), [0.0513, 2.3026], atol=1e-4)
    np.testing.assert_allclose(value(losses.cosine_similarity(
        [[0., 1.], [1., 1.], [1., 1.]], [[1., 0.], [1., 1.], [-1., -1.]])), [0., -1., 1.], atol=1e-6)
    np.testing.assert_allclose(value(losses.CosineSimilarity(axis=1)(
        [[0., 1.], [1., 1.]], [[1., 0.], [1., 1.]])), -0.5, atol=1e-6)
    # from logits: y=[0,1,0,0], z=[-18.6, 0.51, 2.94, -12.8]
    np.testing.assert_allclose(value(losses.BinaryCrossentropy(from_logits=True)(
        [0., 1., 0., 0.], [-18.6, 0.51, 2.94, -12.8])), 0.865, atol=1e-3)
    np.testing.assert_allclose(value(losses.huber([[0., 0.]], [[0.5, 3.0]], delta=1.0)), [(0.125 + 2.5) / 2])


# an independent NumPy formula for each loss, on random data
def _np_losses():
    eps = 1e-7

    def bce(t, p):
        p = np.clip(p, eps, 1 - eps)
        return -(t * np.log(p) + (1 - t) * np.log(1 - p)).mean(-1)

    def cce(t, p):
        q = np.clip(p / p.sum(-1, keepdims=True), eps, 1 - eps)
        return -(t * np.log(q)).sum(-1)

    def hinge_t(t):
        return 2 * t - 1

    return {
        "mse": lambda t, p: ((t - p) ** 2).mean(-1),
        "mae": lambda t, p: np.abs(t - p).mean(-1),
        "mape": lambda t, p: 100 * np.abs((t - p) / np.abs(t)).mean(-1),
        "msle": lambda t, p: ((np.log1p(p) - np.log1p(t)) ** 2).mean(-1),
        "huber": lambda t, p: np.where(np.abs(p - t) <= 1, 0.5 * (p - t) ** 2, np.abs(p - t) - 0.5).mean(-1),
        "logcosh": lambda t, p: np.log(np.cosh(p - t)).mean(-1),
        "binary_crossentropy": bce,
        "categorical_crossentropy": cce,
        "hinge": lambda t, p: np.maximum(1 - hinge_t(t) * p, 0).mean(-1),
        "squared_hinge": lambda t, p: (np.maximum(1 - hinge_t(t) * p, 0) ** 2).mean(-1),
        "categorical_hinge": lambda t, p: np.maximum(((1 - t) * p).max(-1) - (t * p).sum(-1) + 1, 0),
        "kld": lambda t, p: (t * np.log(t / p)).sum(-1),
        "poisson": lambda t, p: (p - t * np.log(p + eps)).mean(-1),
        "cosine_similarity": lambda t, p: -(t * p).sum(-1) / np.linalg.norm(t, axis=-1) / np.linalg.norm(p, axis=-1),
    }


def _inputs(name):
    """(y_true, y_pred) in float64, away from kinks and clipping bounds."""
    shape = (3, 4)
    if name in ("hinge", "squared_hinge"):
        return RS.integers(0, 2, shape).astype(np.float64), RS.uniform(-2.5, 2.5, shape)
    if name in ("categorical_crossentropy", "categorical_hinge"):
        return np.eye(4)[[0, 2, 3]], RS.uniform(0.1, 1.0, shape)
    if name in ("binary_crossentropy", "kld"):
        return RS.uniform(0.1, 0.9, shape), RS.uniform(0.1, 0.9, shape)
    if name in ("mape", "msle", "poisson"):
        return RS.uniform(0.5, 2.0, shape), RS.uniform(0.1, 3.0, shape)
    return RS.normal(size=shape), RS.normal(size=shape) * 2


@pytest.mark.parametrize("name", sorted(_np_losses()))
def test_functions_match_independent_numpy_formula(name):
    y_true, y_pred = _inputs(name)
    expected = _np_losses()[name](y_true, y_pred)
    out = losses.get(name)(y_true, y_pred)
    assert out.shape == (3,)
    np.testing.assert_allclose(value(out), expected, rtol=1e-6, atol=1e-6)


def _dodge(name, y_true, y_pred):
    """Move inputs away from the kinks of abs/max so central differences are valid."""
    if name == "mae" or name == "mape":
        y_pred = np.where(np.abs(y_pred - y_true) < 0.05, y_true + 0.3, y_pred)
    if name == "huber":
        err = y_pred - y_true
        y_pred = np.where(np.abs(np.abs(err) - 1) < 0.05, y_true + 0.5, y_pred)
    if name in ("hinge", "squared_hinge"):
        margin = 1 - (2 * y_true - 1) * y_pred
        y_pred = np.where(np.abs(margin) < 0.05, y_pred + 0.3, y_pred)
    return y_true, y_pred


@pytest.mark.parametrize("name", sorted(_np_losses()))
def test_gradients(name):
    y_true, y_pred = _dodge(name, *_inputs(name))
    fn = losses.get(name)
    if name in ("hinge", "squared_hinge"):
        y_true = y_true.astype(np.int64)  # labels, not differentiated
    check_grads(lambda t, p: fn(t, p), [y_true, y_pred])


def test_gradients_of_crossentropies_from_logits_and_activations():
    z = RS.normal(size=(3, 4)) * 3
    onehot = np.eye(4)[[1, 0, 3]]
    labels = np.array([1, 0, 3])
    check_grads(lambda t, z: losses.categorical_crossentropy(t, z, from_logits=True, label_smoothing=0.1),
                [onehot, z])
    check_grads(lambda t, z: losses.categorical_crossentropy(t, ops.softmax(z)), [onehot, z])
    check_grads(lambda z: losses.categorical_crossentropy(onehot, ops.softmax(z, axis=0), axis=0), [z])
    check_grads(lambda y, z: losses.sparse_categorical_crossentropy(y, z, from_logits=True), [labels, z])
    check_grads(lambda y, z: losses.sparse_categorical_crossentropy(y, ops.softmax(z)), [labels, z])
    check_grads(lambda y, p: losses.sparse_categorical_crossentropy(y, p), [labels, RS.uniform(0.1, 1, (3, 4))])
    t = RS.uniform(0.1, 0.9, (3, 4))
    check_grads(lambda t, z: losses.binary_crossentropy(t, z, from_logits=True, label_smoothing=0.2), [t, z])
    check_grads(lambda t, z: losses.binary_crossentropy(t, ops.sigmoid(z)), [t, z])
    check_grads(lambda t, p: losses.CategoricalCrossentropy(axis=0)(t, p), [onehot, RS.uniform(0.1, 1, (3, 4))])


def test_gradients_of_loss_classes_with_sample_weight_and_reductions():
    t, p = RS.normal(size=(4, 3)), RS.normal(size=(4, 3))
    w = np.array([0.5, 1.0, 2.0, 0.0])
    for reduction in ("sum_over_batch_size", "sum", "mean_with_sample_weight", "none"):
        loss = losses.MeanSquaredError(reduction=reduction)
        check_grads(lambda t, p: loss(t, p, sample_weight=w), [t, p])
    z = RS.normal(size=(4, 5))
    check_grads(lambda z: losses.SparseCategoricalCrossentropy(from_logits=True, ignore_class=-1)(
        np.array([0, -1, 4, 2]), z, sample_weight=w), [z])


# ------------------------------------------------------- extreme logits, fused path
def test_softmax_of_minus_one_and_five():
    np.testing.assert_allclose(np.round(value(ops.softmax(np.array([[-1.0, 5.0]], np.float32))), 4),
                               [[0.0025, 0.9975]])


def test_softmax_crossentropy_on_extreme_logits_is_finite_and_exact():
    z = Variable(np.array([[-150.0, 150.0, 0.0], [150.0, -150.0, 0.0]], np.float32))
    y = np.array([[1.0, 0.0, 0.0], [1.0, 0.0, 0.0]], np.float32)
    with GradientTape(persistent=True) as tape:
        probs = ops.softmax(z)
        from_probs = losses.CategoricalCrossentropy()(y, probs)
        from_logits = losses.CategoricalCrossentropy(from_logits=True)(y, z)
    assert from_probs.dtype == np.float32
    np.testing.assert_allclose(value(from_probs), 150.0, rtol=1e-6)  # (300 + 0) / 2
    np.testing.assert_allclose(value(from_probs), value(from_logits))
    g = tape.gradient(from_probs, z)
    assert np.all(np.isfinite(g))
    np.testing.assert_allclose(g, (value(probs) - y) / 2, atol=1e-7)
    np.testing.assert_allclose(g, tape.gradient(from_logits, z))


def test_sparse_and_binary_crossentropy_on_extreme_logits():
    z = Variable(np.array([[-150.0, 150.0, 0.0]], np.float32))
    with GradientTape() as tape:
        loss = losses.SparseCategoricalCrossentropy()(np.array([0]), ops.softmax(z))
    np.testing.assert_allclose(value(loss), 300.0)
    np.testing.assert_allclose(tape.gradient(loss, z), [[-1.0, 1.0, 0.0]], atol=1e-7)
    s = Variable(np.array([[-150.0], [150.0]], np.float32))
    with GradientTape() as tape:
        loss = losses.BinaryCrossentropy()(np.array([[1.0], [0.0]]), ops.sigmoid(s))
    np.testing.assert_allclose(value(loss), 150.0)
    np.testing.assert_allclose(tape.gradient(loss, s), [[-0.5], [0.5]])


def test_fused_gradient_is_softmax_minus_onehot_over_batch():
    z = Variable(RS.normal(size=(8, 10)).astype(np.float32))
    y = np.eye(10, dtype=np.float32)[RS.integers(0, 10, 8)]
    with GradientTape() as tape:
        probs = ops.softmax(z)
        loss = losses.categorical_crossentropy(y, probs)
        loss = ops.mean(loss)
    np.testing.assert_allclose(tape.gradient(loss, z), (value(probs) - y) / 8, atol=1e-7)


@pytest.mark.parametrize("loss, labels", [
    (losses.CategoricalCrossentropy(), np.eye(10, dtype=np.float32)[np.arange(128) % 10]),
    (losses.SparseCategoricalCrossentropy(), np.arange(128) % 10),
])
def test_hot_path_is_one_fused_op_plus_a_mean(loss, labels):
    z = Variable(RS.normal(size=(128, 10)).astype(np.float32))
    with GradientTape() as tape:
        probs = ops.softmax(z)
        before = len(tape._nodes)
        loss(labels, probs)
        assert len(tape._nodes) - before == 2


def test_probabilities_without_logits_are_renormalised_and_clipped():
    y = np.array([[0.0, 1.0], [1.0, 0.0]], np.float32)
    p = np.array([[2.0, 0.0], [1.0, 1.0]], np.float32)  # rows summing to 2, and an exact zero
    out = value(losses.categorical_crossentropy(y, p))
    np.testing.assert_allclose(out, [-np.log(1e-7), np.log(2.0)], rtol=1e-5)
    assert np.all(np.isfinite(out))


def test_from_logits_on_softmax_output_warns_and_uses_logits():
    z = RS.normal(size=(4, 3)).astype(np.float32)
    y = np.array([0, 1, 2, 0])
    with pytest.warns(UserWarning, match="from_logits=True"):
        out = losses.SparseCategoricalCrossentropy(from_logits=True)(y, ops.softmax(z))
    np.testing.assert_allclose(value(out), value(losses.SparseCategoricalCrossentropy(from_logits=True)(y, z)),
                               rtol=1e-6)


def test_categorical_crossentropy_warns_on_one_output_unit():
    with pytest.warns(UserWarning, match="binary_crossentropy"):
        losses.categorical_crossentropy(np.ones((2, 1)), np.full((2, 1), 0.5))


def test_label_smoothing():
    y, p = np.array([[0.0, 1.0, 0.0]]), np.array([[0.2, 0.5, 0.3]])
    smooth = y * 0.7 + 0.3 / 3
    np.testing.assert_allclose(value(losses.categorical_crossentropy(y, p, label_smoothing=0.3)),
                               -(smooth * np.log(p)).sum(-1), rtol=1e-6)
    yb, pb = np.array([[1.0, 0.0]]), np.array([[0.8, 0.3]])
    sb = yb * 0.8 + 0.1
    np.testing.assert_allclose(value(losses.binary_crossentropy(yb, pb, label_smoothing=0.2)),
                               -(sb * np.log(pb) + (1 - sb) * np.log(1 - pb)).mean(-1), rtol=1e-6)


# ------------------------------------------------------------- sparse labels
def test_sparse_labels_accept_int_float_and_column_shapes():
    z = RS.normal(size=(4, 3))
    expected = -_np_log_softmax(z)[np.arange(4), [0, 2, 1, 2]]
    for labels in ([0, 2, 1, 2], np.array([[0], [2], [1], [2]]), np.array([0.0, 2.0, 1.0, 2.0], np.float32),
                   np.array([[0.0], [2.0], [1.0], [2.0]])):
        np.testing.assert_allclose(value(losses.sparse_categorical_crossentropy(labels, z, from_logits=True)),
                                   expected, rtol=1e-6)


@pytest.mark.parametrize("labels, found", [([0, 3, 1], "[3]"), ([-1, 0, 7], "[-1, 7]")])
def test_sparse_labels_out_of_range_raise(labels, found):
    with pytest.raises(ValueError) as err:
        losses.SparseCategoricalCrossentropy()(np.array(labels), np.full((3, 3), 1 / 3, np.float32))
    msg = str(err.value)
    assert "sparse_categorical_crossentropy" in msg and "[0, 3)" in msg and found in msg


def test_sparse_labels_non_integer_and_one_hot_raise():
    with pytest.raises(ValueError, match="non-integer"):
        losses.sparse_categorical_crossentropy([0.5, 1.0], np.ones((2, 3)))
    with pytest.raises(ValueError, match="non-integer"):
        losses.sparse_categorical_crossentropy([np.nan, 1.0], np.ones((2, 3)))
    with pytest.raises(ValueError, match="categorical_crossentropy"):
        losses.sparse_categorical_crossentropy(np.eye(3), np.ones((3, 3)))


def test_ignore_class_masks_and_averages_over_valid_samples():
    z = RS.normal(size=(4, 3)).astype(np.float32)
    labels = np.array([0, -1, 2, -1])
    per = -_np_log_softmax(z.astype(np.float64))[[0, 2], [0, 2]]
    loss = losses.SparseCategoricalCrossentropy(from_logits=True, ignore_class=-1)
    np.testing.assert_allclose(value(loss(labels, z)), per.mean(), rtol=1e-5)
    none = losses.SparseCategoricalCrossentropy(from_logits=True, ignore_class=-1, reduction="none")
    np.testing.assert_allclose(value(none(labels, z)), [per[0], 0, per[1], 0], rtol=1e-5)
    zv = Variable(z)
    with GradientTape() as tape:
        out = loss(labels, zv)
    g = tape.gradient(out, zv)
    assert np.all(g[[1, 3]] == 0) and np.all(g[[0, 2]] != 0)


# ------------------------------------------------------- binary targets
BCE_RANGE = r"^binary_crossentropy: expected targets y_true in \[0, 1\] \(0/1 labels or probabilities\)\. Received: "


@pytest.mark.parametrize("from_logits", [False, True])
@pytest.mark.parametrize("call", [
    lambda y, p, fl: losses.binary_crossentropy(y, p, from_logits=fl),
    lambda y, p, fl: losses.BinaryCrossentropy(from_logits=fl)(y, p),
    lambda y, p, fl: losses.get("binary_crossentropy")(y, p, from_logits=fl),
    lambda y, p, fl: losses.get({"class_name": "BinaryCrossentropy", "config": {"from_logits": fl}})(y, p),
])
def test_binary_crossentropy_refuses_targets_outside_0_1(call, from_logits):
    p = np.full((6, 1), 0.3, np.float32)
    with pytest.raises(ValueError, match=BCE_RANGE + r"values from 0 to 9\. They look like class indices: for 10 "
                                                  r"classes use loss='sparse_categorical_crossentropy' with a softmax "
                                                  r"output of 10 units \(Dense\(10, activation='softmax'\)\)\."):
        call(np.array([[0], [3], [9], [1], [2], [5]]), p, from_logits)
    with pytest.raises(ValueError, match=BCE_RANGE + r"values from -1 to 1\. Labels in \{-1, 1\} map to \{0, 1\} with "
                                                  r"\(y_true \+ 1\) / 2\."):
        call(np.array([[-1.0], [1.0]] * 3), p, from_logits)
    with pytest.raises(ValueError, match=BCE_RANGE + r"values from 0\.5 to 1\.5\. Scale the targets to \[0, 1\]"):
        call(np.array([[0.5], [1.5]] * 3), p, from_logits)
    # probabilities and 0/1 labels (ints or bools) are what it takes
    soft = array_of(call(np.array([[0.0], [1.0], [0.25]] * 2), p, from_logits))
    assert np.isfinite(soft).all() and (soft > 0).all()
    assert np.isfinite(array_of(call(np.array([[True], [False]] * 3), p, from_logits))).all()
    # noisy labels (a GAN's labels + 0.05 * uniform noise) are accepted, as Keras accepts them
    assert np.isfinite(array_of(call(np.array([[1.04], [0.03], [0.0]] * 2), p, from_logits))).all()


def test_binary_crossentropy_on_class_indices_is_refused_in_fit():
    m = dendrite.Sequential([dendrite.Input((4,)), dendrite.layers.Dense(1, activation="sigmoid")])
    m.compile("sgd", "binary_crossentropy")
    with pytest.raises(ValueError, match=BCE_RANGE + r"values from 0 to 9\. They look like class indices"):
        m.fit(RS.normal(size=(20, 4)), np.arange(20) % 10, verbose=0)  # it used to train on a negative loss


# --------------------------------------------------------------- shapes
def test_trailing_axis_of_one_is_squeezed_or_expanded():
    y, p = RS.normal(size=4), RS.normal(size=(4, 1))
    np.testing.assert_allclose(value(losses.mse(y, p)), (y - p[:, 0]) ** 2)
    np.testing.assert_allclose(value(losses.mse(y[:, None], p[:, 0])), (y - p[:, 0]) ** 2)
    np.testing.assert_allclose(value(losses.BinaryCrossentropy()(np.array([1, 0, 1, 0]), np.full((4, 1), 0.5))),
                               np.log(2), rtol=1e-6)


@pytest.mark.parametrize("fn, y_true, y_pred, words", [
    (losses.mean_squared_error, np.zeros(4), np.zeros((4, 3)), ["mean_squared_error", "(4,)", "(4, 3)"]),
    (losses.binary_crossentropy, np.zeros((4, 2)), np.zeros((4, 1)), ["binary_crossentropy", "(4, 2)", "(4, 1)"]),
    (losses.categorical_crossentropy, np.array([1, 0, 2]), np.ones((3, 3)) / 3,
     ["categorical_crossentropy", "(3,)", "sparse_categorical_crossentropy", "to_categorical"]),
    (losses.categorical_crossentropy, np.array([[1], [0], [2]]), np.ones((3, 3)) / 3,
     ["(3, 1)", "sparse_categorical_crossentropy"]),
    (losses.sparse_categorical_crossentropy, np.zeros(5), np.ones((4, 3)), ["sparse_categorical_crossentropy",
                                                                           "(5,)", "(4, 3)"]),
])
def test_shape_mismatch_raises_naming_loss_and_shapes(fn, y_true, y_pred, words):
    with pytest.raises(ValueError) as err:
        fn(y_true, y_pred)
    for word in words:
        assert word in str(err.value)


def test_functions_accept_plain_arrays_without_a_tape():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = losses.categorical_crossentropy(np.eye(3), np.full((3, 3), 1 / 3))
    np.testing.assert_allclose(value(out), np.log(3), rtol=1e-6)


def test_sparse_crossentropy_of_an_output_that_is_not_probabilities_is_tensorflows():
    """Logits given with from_logits=False (a common slip; Packt's TF 2.0 book does it): TensorFlow clips each
    value to [eps, 1 - eps] and then renormalises, so the model still trains. TF 2.21's values for these inputs;
    for probabilities the result is the same as categorical_crossentropy's, and the gradient is checked."""
    y = np.array([0, 2, 1])
    p = np.array([[1.5, -0.3, 0.2], [-1.0, 2.0, 0.5], [0.05, 0.9, 0.05]], np.float32)
    np.testing.assert_allclose(losses.sparse_categorical_crossentropy(y, p).numpy(),
                               [0.182321697473526, 1.0986123085021973, 0.10536056011915207], rtol=1e-6)
    probs = np.array([[0.7, 0.2, 0.1], [0.1, 0.3, 0.6]])
    np.testing.assert_allclose(losses.sparse_categorical_crossentropy(np.array([1, 2]), probs).numpy(),
                               losses.categorical_crossentropy(np.eye(3)[[1, 2]], probs).numpy(), rtol=1e-9)
    check_grads(lambda t: losses.sparse_categorical_crossentropy(np.array([1, 2]), t), [probs])


@pytest.mark.parametrize("fn", [losses.categorical_crossentropy, losses.binary_crossentropy,
                                losses.mean_squared_error, losses.mean_absolute_error])
def test_python_lists_give_floatx_and_numpy_float64_stays_float64(fn):
    """TensorFlow converts Python numbers to float32 but keeps a NumPy array's float64 (figures from TF 2.21:
    ``tf.keras.losses.categorical_crossentropy([1, 0], [0.6, 0.4])`` is a float32 0.5108256)."""
    out = fn([1, 0], [0.6, 0.4])
    assert out.dtype == np.float32
    wide = fn(np.array([1.0, 0.0]), np.array([0.6, 0.4]))
    assert wide.dtype == np.float64
    np.testing.assert_allclose(array_of(out), array_of(wide), rtol=1e-6)
    if fn is losses.categorical_crossentropy:
        assert float(array_of(out)) == pytest.approx(0.5108256, rel=1e-6)
