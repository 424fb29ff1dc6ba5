import numpy as np
import pytest

import dendrite
from dendrite import losses, metrics
from dendrite.autodiff import GradientTape, Tensor, Variable, ops

RS = np.random.default_rng(1)


def _is_float32_scalar(x):
    return isinstance(x, np.float32)


# ------------------------------------------------------------- Mean and Sum
def test_mean_accumulates_weights_and_resets():
    m = metrics.Mean(name="loss")
    assert m.name == "loss" and _is_float32_scalar(m.result()) and m.result() == 0.0
    m.update_state([1.0, 2.0, 3.0])
    m.update_state(np.array([5.0]))
    assert m.result() == pytest.approx(11 / 4)
    assert _is_float32_scalar(m.result())
    m.reset_state()
    assert m(np.array([1.0, 3.0]), sample_weight=[3.0, 1.0]) == pytest.approx(1.5)
    assert m(Tensor(np.array([10.0], np.float32))) == pytest.approx((6 + 10) / 5)
    m.reset_states()
    assert m(4.0) == pytest.approx(4.0)


def test_mean_of_rows_with_per_sample_weights():
    m = metrics.Mean()
    values = np.array([[1.0, 3.0], [5.0, 7.0]])
    assert m(values) == pytest.approx(4.0)  # per-sample means 2 and 6
    m.reset_state()
    assert m(values, sample_weight=[1.0, 3.0]) == pytest.approx((2 * 1 + 6 * 3) / 4)


def test_sum():
    m = metrics.Sum()
    m.update_state([1.0, 2.0])
    m.update_state([3.0], sample_weight=[2.0])
    assert m.result() == pytest.approx(9.0)
    m.reset_state()
    assert m.result() == 0.0


def test_mean_metric_wrapper_on_a_function_and_a_dendrite_loss():
    m = metrics.MeanMetricWrapper(lambda y, p: np.abs(y - p).sum(-1), name="l1")
    m.update_state([[1.0, 2.0]], [[0.0, 0.0]])
    m.update_state([[1.0, 1.0], [0.0, 0.0]], [[1.0, 1.0], [0.0, 1.0]])
    assert m.name == "l1" and m.result() == pytest.approx(4 / 3)
    wrapped = metrics.MeanMetricWrapper(losses.mean_squared_error)
    z = Variable(np.array([[1.0, 2.0]], np.float32))
    with GradientTape() as tape:
        result = wrapped([[0.0, 0.0]], ops.multiply(z, 1.0))
        assert len(tape._nodes) == 1  # the metric recorded nothing on the tape
    assert result == pytest.approx(2.5)


# ------------------------------------------------------------------ accuracy
def test_accuracy_metrics_on_hand_made_batches():
    m = metrics.Accuracy()
    assert m([[1], [2], [3], [4]], [[0], [2], [3], [4]]) == pytest.approx(0.75)
    m.reset_state()
    assert m([[1], [2], [3], [4]], [[0], [2], [3], [4]], sample_weight=[1, 1, 0, 0]) == pytest.approx(0.5)

    b = metrics.BinaryAccuracy()
    assert b([[1], [1], [0], [0]], [[0.98], [1], [0], [0.6]]) == pytest.approx(0.75)
    b.reset_state()
    assert b([[1], [1], [0], [0]], [[0.98], [1], [0], [0.6]], sample_weight=[1, 0, 0, 1]) == pytest.approx(0.5)
    assert metrics.BinaryAccuracy(threshold=0.7)([1, 0], [[0.65], [0.2]]) == pytest.approx(0.5)

    c = metrics.CategoricalAccuracy()
    assert c([[0, 0, 1], [0, 1, 0]], [[0.1, 0.9, 0.8], [0.05, 0.95, 0]]) == pytest.approx(0.5)
    c.reset_state()
    assert c([[0, 0, 1], [0, 1, 0]], [[0.1, 0.9, 0.8], [0.05, 0.95, 0]], sample_weight=[0.7, 0.3]) == \
        pytest.approx(0.3)

    s = metrics.SparseCategoricalAccuracy()
    assert s([[2], [1]], [[0.1, 0.6, 0.3], [0.05, 0.95, 0]]) == pytest.approx(0.5)
    s.reset_state()
    assert s([2.0, 1.0], [[0.1, 0.6, 0.3], [0.05, 0.95, 0]], sample_weight=[0.7, 0.3]) == pytest.approx(0.3)


def test_accuracy_accumulates_over_batches():
    m = metrics.SparseCategoricalAccuracy()
    preds = RS.normal(size=(10, 4))
    labels = RS.integers(0, 4, 10)
    for start in range(0, 10, 3):
        m.update_state(labels[start:start + 3], preds[start:start + 3])
    assert m.result() == pytest.approx(np.mean(preds.argmax(-1) == labels))


def test_top_k_accuracy_counts_ties_as_in():
    m = metrics.TopKCategoricalAccuracy(k=1)
    assert m([[0, 0, 1], [0, 1, 0]], [[0.1, 0.9, 0.8], [0.05, 0.95, 0]]) == pytest.approx(0.5)
    sm = metrics.SparseTopKCategoricalAccuracy(k=2)
    preds = np.array([[0.5, 0.2, 0.2, 0.1], [0.1, 0.2, 0.3, 0.4], [0.4, 0.3, 0.2, 0.1]])
    # row 0: label 2 ties with label 1 at the 2nd place -> in; row 1: label 0 is last; row 2: label 1 -> in
    assert sm([2, 0, 1], preds) == pytest.approx(2 / 3)
    assert metrics.SparseTopKCategoricalAccuracy(k=5)([[3], [0]], preds[:2]) == pytest.approx(1.0)
    assert metrics.TopKCategoricalAccuracy().k == 5


def test_accuracy_functions():
    # element by element, as Keras 3's function (tf.keras 2 took the mean over the last axis)
    np.testing.assert_array_equal(metrics.binary_accuracy([[1, 0], [1, 1]], [[0.7, 0.2], [0.3, 0.9]]),
                                  [[1, 1], [0, 1]])
    np.testing.assert_allclose(metrics.categorical_accuracy(np.eye(3), np.eye(3)[[0, 2, 2]]), [1, 0, 1])
    np.testing.assert_allclose(metrics.sparse_categorical_accuracy([[0], [1]], [[0.9, 0.1], [0.8, 0.2]]), [1, 0])
    np.testing.assert_allclose(metrics.top_k_categorical_accuracy(np.eye(3), [[0.1, 0.5, 0.4]] * 3, k=2),
                               [0, 1, 1])


def test_one_dimensional_accuracy_takes_a_weight_per_element():
    y, p, w = [1.0, 0, 1, 1], [0.8, 0.3, 0.2, 0.9], [1.0, 2, 3, 4]
    # Keras 3.15 gives 0.7 for both: the third sample (weight 3) is the only miss
    m = metrics.BinaryAccuracy()
    m.update_state(y, p, sample_weight=w)
    assert m.result() == pytest.approx(0.7)
    m = metrics.Accuracy()
    m.update_state(y, np.round(p), sample_weight=w)
    assert m.result() == pytest.approx(0.7)
    # (N, k) predictions with one weight per sample: the weighted mean of the per-sample means
    m = metrics.BinaryAccuracy()
    m.update_state([[1, 0], [1, 1]], [[0.7, 0.2], [0.3, 0.9]], sample_weight=[1.0, 3.0])
    assert m.result() == pytest.approx((1 * 1.0 + 3 * 0.5) / 4)


def test_accuracy_shape_errors_suggest_the_other_metric():
    with pytest.raises(ValueError, match="sparse_categorical_accuracy"):
        metrics.CategoricalAccuracy().update_state([0, 1], np.eye(2))
    with pytest.raises(ValueError, match="categorical_accuracy"):
        metrics.SparseCategoricalAccuracy().update_state(np.eye(3), np.eye(3))
    with pytest.raises(ValueError, match=r"binary_accuracy.*\(3, 2\)"):
        metrics.BinaryAccuracy().update_state(np.zeros((3, 2)), np.zeros((3, 1)))


# --------------------------------------------------------------- regression
def test_regression_metrics():
    y = np.array([[1.0, 2.0], [3.0, 4.0]])
    p = np.array([[1.5, 2.0], [2.0, 6.0]])
    assert metrics.MeanAbsoluteError()(y, p) == pytest.approx(np.abs(y - p).mean())
    assert metrics.MeanSquaredError()(y, p) == pytest.approx(((y - p) ** 2).mean())
    rmse = metrics.RootMeanSquaredError()
    rmse.update_state(y[:1], p[:1])
    rmse.update_state(y[1:], p[1:], sample_weight=[3.0])
    sq = ((y - p) ** 2).mean(-1)
    assert rmse.result() == pytest.approx(np.sqrt((sq[0] + 3 * sq[1]) / 4))
    assert metrics.CosineSimilarity()([[0.0, 1.0], [1.0, 1.0]], [[1.0, 0.0], [1.0, 1.0]]) == pytest.approx(0.5)
    mae = metrics.MeanAbsoluteError()
    mae.update_state([1.0, 2.0], [[0.0], [0.0]], sample_weight=[1.0, 0.0])
    assert mae.result() == pytest.approx(1.0)


@pytest.mark.parametrize("name", ["mse", "mae", "mape", "msle", "log_cosh", "hinge", "squared_hinge",
                                  "categorical_hinge", "kld", "poisson", "binary_crossentropy",
                                  "categorical_crossentropy"])
def test_numpy_metric_functions_equal_the_losses(name):
    y = np.eye(4)[[0, 3, 1]] if "categorical" in name else RS.uniform(0.1, 0.9, (3, 4))
    if "hinge" == name or "squared_hinge" == name:
        y = RS.integers(0, 2, (3, 4)).astype(np.float64)
    p = RS.uniform(0.05, 0.95, (3, 4))
    expected = losses.get(name)(y, p).value
    np.testing.assert_allclose(metrics.get(name)._call_fn(y, p), expected, rtol=1e-6)


def test_cosine_metric_is_minus_the_loss():
    y, p = RS.normal(size=(3, 4)), RS.normal(size=(3, 4))
    np.testing.assert_allclose(metrics.cosine_similarity(y, p), -losses.cosine_similarity(y, p).value, rtol=1e-6)


# ------------------------------------------------------ crossentropy metrics
def test_crossentropy_metrics_match_losses_and_use_logits():
    z = RS.normal(size=(5, 3)).astype(np.float32) * 4
    labels = RS.integers(0, 3, 5)
    onehot = np.eye(3, dtype=np.float32)[labels]
    scce = metrics.SparseCategoricalCrossentropy(from_logits=True)
    assert scce(labels, z) == pytest.approx(float(losses.SparseCategoricalCrossentropy(from_logits=True)(labels, z)),
                                            rel=1e-5)
    cce = metrics.CategoricalCrossentropy()
    assert cce(onehot, ops.softmax(z)) == pytest.approx(float(losses.CategoricalCrossentropy(from_logits=True)(
        onehot, z)), rel=1e-5)
    extreme = np.array([[-150.0, 150.0, 0.0]], np.float32)
    ce = metrics.CategoricalCrossentropy()(np.array([[1.0, 0.0, 0.0]]), ops.softmax(extreme))
    assert ce == pytest.approx(300.0)
    bce = metrics.BinaryCrossentropy(from_logits=True, name="binary_crossentropy")
    y = np.array([[0.0], [1.0], [0.0], [0.0]])
    zb = np.array([[-18.6], [0.51], [2.94], [-12.8]])
    assert bce(y, zb) == pytest.approx(0.865, abs=1e-3)
    assert metrics.BinaryCrossentropy()(y, ops.sigmoid(zb.astype(np.float32))) == pytest.approx(0.865, abs=1e-3)
    assert bce.get_config()["from_logits"] is True


def test_sparse_crossentropy_metric_rejects_bad_labels():
    with pytest.raises(ValueError, match=r"\[0, 3\).*\[3\]"):
        metrics.SparseCategoricalCrossentropy().update_state([0, 3], np.full((2, 3), 1 / 3))


# -------------------------------------------------- precision, recall, AUC
def _direct_counts(y, p, thresholds, w=None):
    """Confusion counts by comparing every prediction with every threshold."""
    y = np.asarray(y).ravel().astype(bool)
    p = np.asarray(p, np.float32).ravel()
    w = np.ones(p.shape) if w is None else np.asarray(w, np.float64).ravel()
    above = p[None, :] > np.asarray(thresholds, np.float32)[:, None]
    tp = (above & y).astype(float) @ w
    fp = (above & ~y).astype(float) @ w
    fn = (~above & y).astype(float) @ w
    tn = (~above & ~y).astype(float) @ w
    return tp, fp, tn, fn


def test_precision_and_recall_against_direct_computation():
    y = RS.integers(0, 2, 40)
    p = RS.uniform(size=40)
    w = RS.uniform(size=40)
    thresholds = [0.8, 0.1, 0.5, 0.3]
    tp, fp, tn, fn = _direct_counts(y, p, thresholds, w)
    prec = metrics.Precision(thresholds=thresholds)
    rec = metrics.Recall(thresholds=thresholds)
    for part in (slice(0, 15), slice(15, 40)):  # two batches accumulate
        prec.update_state(y[part], p[part], sample_weight=w[part])
        rec.update_state(y[part], p[part], sample_weight=w[part])
    np.testing.assert_allclose(prec.result(), tp / (tp + fp), rtol=1e-6)
    np.testing.assert_allclose(rec.result(), tp / (tp + fn), rtol=1e-6)
    assert prec.result().dtype == np.float32 and prec.result().shape == (4,)
    single = metrics.Precision()
    single.update_state(y, p)
    tp5, fp5, _, _ = _direct_counts(y, p, [0.5])
    assert _is_float32_scalar(single.result()) and single.result() == pytest.approx(tp5[0] / (tp5[0] + fp5[0]))
    single.reset_state()
    assert single.result() == 0.0


def test_precision_recall_top_k_and_class_id():
    y = np.array([[0, 0, 1, 1], [1, 0, 0, 0]])
    p = np.array([[0.9, 0.1, 0.8, 0.2], [0.3, 0.6, 0.2, 0.1]])
    # top 2: row 0 -> classes 0 and 2 (one hit), row 1 -> classes 1 and 0 (one hit)
    assert metrics.Precision(top_k=2)(y, p) == pytest.approx(2 / 4)
    assert metrics.Recall(top_k=2)(y, p) == pytest.approx(2 / 3)
    # class 2 only: predictions 0.8 (label 1), 0.2 (label 0) at threshold 0.5
    assert metrics.Precision(class_id=2)(y, p) == pytest.approx(1.0)
    assert metrics.Recall(class_id=3)(y, p) == pytest.approx(0.0)


def test_confusion_counts_metrics():
    y, p = [0, 1, 1, 1, 0], [0.6, 0.4, 0.8, 0.5, 0.1]
    assert metrics.TruePositives()(y, p) == 1.0
    assert metrics.FalsePositives()(y, p) == 1.0
    assert metrics.TrueNegatives()(y, p) == 1.0
    assert metrics.FalseNegatives()(y, p) == 2.0  # 0.5 is not > 0.5
    np.testing.assert_allclose(metrics.TruePositives(thresholds=[0.3, 0.7])(y, p), [3.0, 1.0])


def _direct_auc(y, p, num_thresholds, curve="ROC", method="interpolation", w=None):
    eps = 1e-7
    t = [0 - eps] + [(i + 1) / (num_thresholds - 1) for i in range(num_thresholds - 2)] + [1 + eps]
    tp, fp, tn, fn = _direct_counts(y, np.clip(p, 0, 1), t, w)
    with np.errstate(invalid="ignore", divide="ignore"):
        rec = np.nan_to_num(tp / (tp + fn))
        if curve == "ROC":
            x, yv = np.nan_to_num(fp / (fp + tn)), rec
        else:
            x, yv = rec, np.nan_to_num(tp / (tp + fp))
    h = {"interpolation": (yv[:-1] + yv[1:]) / 2, "minoring": np.minimum(yv[:-1], yv[1:]),
         "majoring": np.maximum(yv[:-1], yv[1:])}[method]
    return float(((x[:-1] - x[1:]) * h).sum())


def test_auc_small_example_by_hand():
    y, p = [0, 0, 1, 1], [0.0, 0.5, 0.3, 0.9]
    assert metrics.AUC(num_thresholds=3)(y, p) == pytest.approx(0.75)
    assert metrics.AUC(num_thresholds=3, summation_method="minoring")(y, p) == pytest.approx(0.5)
    assert metrics.AUC(num_thresholds=3, summation_method="majoring")(y, p) == pytest.approx(1.0)
    # PR interpolation (Davis & Goadrich): (1/3)(1 + (2/3) ln 4)/2 + 1/2
    expected = (1 / 3) * (1 + (2 / 3) * np.log(4)) / 2 + 0.5
    assert metrics.AUC(num_thresholds=3, curve="PR")(y, p) == pytest.approx(expected, rel=1e-6)


@pytest.mark.parametrize("curve, method", [("ROC", "interpolation"), ("ROC", "minoring"), ("PR", "majoring"),
                                           ("PR", "minoring")])
def test_auc_against_direct_threshold_computation(curve, method):
    y = RS.integers(0, 2, 60)
    p = np.clip(RS.normal(0.5, 0.25, 60) + 0.2 * y, -0.1, 1.1)  # includes values outside [0, 1]
    w = RS.uniform(size=60)
    auc = metrics.AUC(num_thresholds=50, curve=curve, summation_method=method)
    auc.update_state(y[:25], p[:25], sample_weight=w[:25])
    auc.update_state(y[25:], p[25:], sample_weight=w[25:])
    assert auc.result() == pytest.approx(_direct_auc(y, p, 50, curve, method, w), rel=1e-5)


def test_auc_and_top_k_counts_must_be_integers_in_range():
    assert metrics.AUC(num_thresholds=2).num_thresholds == 2
    for bad, shown in ((1, "num_thresholds=1"), (200.0, r"num_thresholds=200\.0 \(type float\)")):
        with pytest.raises(ValueError, match=rf"^AUC: `num_thresholds` must be an integer >= 2\. Received: {shown}\.$"):
            metrics.AUC(num_thresholds=bad)
    with pytest.raises(ValueError, match=r"^SparseTopKCategoricalAccuracy: `k` must be a positive integer\. Received: "
                                         r"k=2\.0 \(type float\)\.$"):
        metrics.SparseTopKCategoricalAccuracy(k=2.0)
    with pytest.raises(ValueError, match=r"^Recall: `top_k` must be a positive integer or None\. Received: top_k=0\.$"):
        metrics.Recall(top_k=0)


def test_roc_auc_is_close_to_the_rank_statistic():
    y = RS.integers(0, 2, 500)
    p = 1 / (1 + np.exp(-(RS.normal(size=500) + 1.5 * y)))
    pos, neg = p[y == 1], p[y == 0]
    exact = (pos[:, None] > neg[None, :]).mean()
    assert metrics.AUC()(y, p) == pytest.approx(exact, abs=5e-3)


def test_auc_options():
    y = RS.integers(0, 2, (30, 3))
    z = RS.normal(size=(30, 3)) + y
    probs = 1 / (1 + np.exp(-z))
    multi = metrics.AUC(multi_label=True)
    by_label = [metrics.AUC()(y[:, j], probs[:, j]) for j in range(3)]
    assert multi(y, probs) == pytest.approx(np.mean(by_label), rel=1e-5)
    weighted = metrics.AUC(multi_label=True, label_weights=[1.0, 0.0, 3.0])(y, probs)
    assert weighted == pytest.approx((by_label[0] + 3 * by_label[2]) / 4, rel=1e-5)
    assert metrics.AUC(from_logits=True)(y, z) == pytest.approx(metrics.AUC()(y, probs), rel=1e-6)
    assert metrics.AUC(thresholds=[0.25, 0.5, 0.75])(y, probs) == pytest.approx(
        metrics.AUC(num_thresholds=5)(y, probs), rel=1e-6)
    with pytest.raises(ValueError, match="curve"):
        metrics.AUC(curve="DET")
    with pytest.raises(ValueError, match="thresholds"):
        metrics.Precision(thresholds=[0.5, 1.5])


# --------------------------------------------------------------- registry
@pytest.mark.parametrize("identifier, cls, name", [
    ("mae", metrics.MeanAbsoluteError, "mean_absolute_error"),
    ("mse", metrics.MeanSquaredError, "mean_squared_error"),
    ("AUC", metrics.AUC, "auc"),
    ("auc", metrics.AUC, "auc"),
    ("binary_accuracy", metrics.BinaryAccuracy, "binary_accuracy"),
    ("Precision", metrics.Precision, "precision"),
    ("RootMeanSquaredError", metrics.RootMeanSquaredError, "root_mean_squared_error"),
    ("kld", metrics.KLDivergence, "kl_divergence"),
    (metrics.Recall, metrics.Recall, "recall"),
    ({"class_name": "BinaryAccuracy", "config": {"threshold": 0.7, "name": "ba"}}, metrics.BinaryAccuracy, "ba"),
])
def test_get(identifier, cls, name):
    m = metrics.get(identifier)
    assert type(m) is cls and m.name == name


def test_get_passthrough_and_unknown():
    m = metrics.Mean()
    assert metrics.get(m) is m and metrics.get(None) is None
    assert metrics.get(np.subtract) is np.subtract
    with pytest.raises(ValueError) as err:
        metrics.get("acuracy")
    msg = str(err.value)
    assert "'acuracy'" in msg and "binary_accuracy" in msg and "AUC" in msg and "Did you mean" in msg


@pytest.mark.parametrize("metric", [
    metrics.BinaryAccuracy(threshold=0.3), metrics.TopKCategoricalAccuracy(k=3, name="top3"),
    metrics.Precision(thresholds=[0.2, 0.6], class_id=1), metrics.AUC(num_thresholds=20, curve="PR"),
    metrics.BinaryCrossentropy(from_logits=True, label_smoothing=0.1), metrics.Mean(name="m"),
    metrics.MeanMetricWrapper("mae", name="w"),
])
def test_metric_config_round_trip(metric):
    config = metric.get_config()
    assert type(metric).from_config(config).get_config() == config
    assert metrics.get(metrics.serialize(metric)).get_config() == config


# ---------------------------------------------------------------- resolve
@pytest.mark.parametrize("loss, y_true, y_pred, cls", [
    ("binary_crossentropy", (8, 1), (8, 1), metrics.BinaryAccuracy),
    ("binary_crossentropy", (8, 4), (8, 4), metrics.CategoricalAccuracy),  # several columns: Keras 3 (TF 2.21)
    ("mse", (8, 1), (8, 1), metrics.BinaryAccuracy),  # y_pred has one column
    ("sparse_categorical_crossentropy", (8,), (8, 10), metrics.SparseCategoricalAccuracy),
    (losses.SparseCategoricalCrossentropy(from_logits=True), (8,), (8, 10), metrics.SparseCategoricalAccuracy),
    (None, (8,), (8, 10), metrics.SparseCategoricalAccuracy),  # y_true has fewer axes
    (None, (8, 1), (8, 10), metrics.SparseCategoricalAccuracy),  # a column of labels
    ("categorical_crossentropy", (8, 10), (8, 10), metrics.CategoricalAccuracy),
    (losses.categorical_crossentropy, (8, 10), (8, 10), metrics.CategoricalAccuracy),
    ("mse", (8, 3), (8, 3), metrics.CategoricalAccuracy),
])
def test_resolve_accuracy(loss, y_true, y_pred, cls):
    for word in ("accuracy", "acc"):
        m = metrics.resolve(word, loss, y_true, y_pred)
        assert type(m) is cls and m.name == word


def test_resolve_crossentropy_follows_the_loss():
    m = metrics.resolve("ce", losses.SparseCategoricalCrossentropy(from_logits=True), (8,), (8, 10))
    assert type(m) is metrics.SparseCategoricalCrossentropy and m.name == "ce" and m.from_logits
    m = metrics.resolve("crossentropy", "binary_crossentropy", (8, 1), (8, 1))
    assert type(m) is metrics.BinaryCrossentropy and not m.from_logits
    assert type(metrics.resolve("ce", "categorical_crossentropy", (8, 3), (8, 3))) is metrics.CategoricalCrossentropy


def test_resolve_names_and_objects():
    assert metrics.resolve("mae", "mse", (4, 1), (4, 1)).name == "mae"
    auc = metrics.resolve("AUC", "binary_crossentropy", (4, 1), (4, 1))
    assert type(auc) is metrics.AUC and auc.name == "auc"
    assert metrics.resolve("binary_accuracy").name == "binary_accuracy"
    own = metrics.SparseCategoricalAccuracy()
    assert metrics.resolve(own, "mse", (4,), (4, 3)) is own

    def my_metric(y_true, y_pred):
        return np.abs(np.asarray(y_true) - np.asarray(y_pred)).max(-1)

    wrapped = metrics.resolve(my_metric)
    assert isinstance(wrapped, metrics.MeanMetricWrapper) and wrapped.name == "my_metric"
    assert wrapped([[1.0, 3.0]], [[0.0, 0.0]]) == pytest.approx(3.0)
    acc = metrics.resolve("acc", "sparse_categorical_crossentropy", np.zeros((3,)), np.zeros((3, 2)))
    acc.update_state(np.array([1, 0, 1]), np.array([[0.2, 0.8], [0.6, 0.4], [0.9, 0.1]]))
    assert acc.result() == pytest.approx(2 / 3)


class _CountAbove(dendrite.metrics.Metric):
    """A custom metric keeping its state in add_weight variables, as Keras 2 / 3 custom metrics do."""

    def __init__(self, threshold=0.5, name="count_above", **kwargs):
        super().__init__(name=name, **kwargs)
        self.threshold = threshold
        self.hits = self.add_weight(name="hits", initializer="zeros")
        self.seen = self.add_weight(name="seen", initializer="zeros", dtype="int32")

    def update_state(self, y_true, y_pred, sample_weight=None):
        pred = np.asarray(y_pred.value if hasattr(y_pred, "value") else y_pred)
        self.hits.assign_add(float((pred > self.threshold).sum()))
        self.seen.assign_add(pred.size)

    def result(self):
        return self.hits / dendrite.ops.cast(self.seen, "float32") if int(self.seen.numpy()) else 0.0


def test_a_custom_metric_with_add_weight_state_resets_to_zero_and_runs_in_fit():
    metric = _CountAbove()
    assert [v.name for v in metric.variables] == ["hits", "seen"]
    assert metric.seen.dtype == np.int32 and not metric.hits.trainable
    metric.update_state(None, np.array([0.2, 0.7, 0.9, 0.1]))
    assert float(np.asarray(metric.result())) == 0.5
    metric.reset_state()  # the default: every add_weight variable back to zero
    assert float(metric.hits.numpy()) == 0.0 and int(metric.seen.numpy()) == 0
    model = dendrite.Sequential([dendrite.Input((3,)), dendrite.layers.Dense(1, activation="sigmoid")])
    model.compile("sgd", "binary_crossentropy", metrics=[_CountAbove()])
    history = model.fit(np.random.default_rng(0).random((16, 3)), np.ones((16, 1)), epochs=2, verbose=0)
    assert len(history.history["count_above"]) == 2 and 0.0 <= history.history["count_above"][-1] <= 1.0


def test_a_metric_without_variables_must_define_reset_state():
    class Bare(dendrite.metrics.Metric):
        def update_state(self, *args):
            pass

    with pytest.raises(NotImplementedError, match="Metric 'bare'.*reset_state.*self.add_weight"):
        Bare().reset_state()


def test_metric_add_variable_is_keras3s_state_variable():
    from dendrite import metrics

    class Hits(metrics.Metric):
        def __init__(self, name="hits", **kwargs):
            super().__init__(name=name, **kwargs)
            self.hits = self.add_variable(shape=(), name="ctp", initializer="zeros")

        def update_state(self, y_true, y_pred, sample_weight=None):
            self.hits.assign_add(float(np.sum(np.asarray(y_true) == np.asarray(y_pred))))

        def result(self):
            return self.hits.value

    m = Hits()
    m.update_state([1, 2, 3], [1, 0, 3])
    assert float(m.result()) == 2.0 and m.variables[0].name == "ctp"
    m.reset_state()
    assert float(m.result()) == 0.0
