"""Confusion-matrix metrics: TruePositives ... , Precision, Recall and AUC.

A prediction counts as positive at threshold t when y_pred > t (strictly), as in
Keras. Counts at every threshold come from one pass: each prediction is put in
the bucket of thresholds below it (``searchsorted``), bucket weights are summed
with ``bincount`` and a reversed cumulative sum gives the count at each threshold,
O(N log T) instead of a (T, N) comparison.
"""
import numpy as np

from ..losses.inputs import EPSILON, _shape_error, _squeeze_or_expand
from ..utils.validation import int_at_least, positive_int
from .base import Metric, _broadcast_sample_weight, _div_no_nan, _np

NEG_INF = -1e10


def _parse_thresholds(name, thresholds, default):
    if thresholds is None:
        return [default]
    values = [thresholds] if np.ndim(thresholds) == 0 else list(np.asarray(thresholds).ravel())
    bad = [t for t in values if t is None or not 0 <= t <= 1]
    if bad:
        raise ValueError(f"{name}: thresholds must lie in [0, 1]. Received: thresholds={thresholds!r} "
                         f"(out of range: {bad}).")
    return [float(t) for t in values]


def _evenly_spaced(thresholds):
    n = len(thresholds)
    return n >= 3 and np.allclose(thresholds, np.arange(n, dtype=np.float32) / (n - 1), atol=EPSILON)


def _filter_top_k(x, k):
    """Keep the k largest values on the last axis (lower index first on ties); the rest get NEG_INF."""
    keep = np.zeros(x.shape, dtype=bool)
    np.put_along_axis(keep, np.argsort(-x, axis=-1, kind="stable")[..., :k], True, axis=-1)
    return np.where(keep, x, np.float32(NEG_INF))


def confusion_counts(name, y_true, y_pred, thresholds, sample_weight=None, top_k=None, class_id=None,
                     clip=False, multi_label=False, label_weights=None):
    """Weighted (tp, fp, tn, fn) at each threshold, each of shape (T,), or (T, num_labels)
    when ``multi_label``."""
    y_pred = np.asarray(_np(y_pred), dtype=np.float32)
    y_true = _np(y_true)
    ps, ts = _squeeze_or_expand(y_pred.shape, y_true.shape)
    if ps != ts:
        raise _shape_error(name, y_true.shape, y_pred.shape)
    y_pred, y_true = y_pred.reshape(ps), y_true.reshape(ts)
    weight = None if sample_weight is None else _broadcast_sample_weight(name, sample_weight, ps)
    if top_k is not None:
        y_pred = _filter_top_k(y_pred, top_k)
    if class_id is not None:
        if y_pred.ndim < 2:
            raise ValueError(f"{name}: class_id={class_id} needs y_pred of shape (num_samples, num_classes). "
                             f"Received: y_pred.shape={y_pred.shape}.")
        y_true, y_pred = y_true[..., class_id], y_pred[..., class_id]
        weight = None if weight is None else weight[..., class_id]
    if label_weights is not None:
        lw = np.broadcast_to(np.asarray(label_weights, dtype=np.float64), y_pred.shape)
        weight = lw if weight is None else weight * lw
    if clip:
        y_pred = np.clip(y_pred, 0.0, 1.0)
    labels = y_pred.shape[-1] if multi_label and y_pred.ndim else 1
    p = y_pred.reshape(-1, labels)
    positive = (y_true != 0).reshape(-1, labels)
    w = np.ones(p.shape) if weight is None else np.asarray(weight, dtype=np.float64).reshape(-1, labels)

    t = np.asarray(thresholds, dtype=np.float32)
    order = np.argsort(t, kind="stable")
    n = t.size
    bucket = np.searchsorted(t[order], p, side="left")  # how many thresholds lie strictly below p
    bucket[np.isnan(p)] = 0
    bucket += np.arange(labels) * (n + 1)

    def counts(mask):
        bins = np.bincount(bucket.ravel(), weights=np.where(mask, w, 0.0).ravel(), minlength=labels * (n + 1))
        tail = np.cumsum(bins.reshape(labels, n + 1)[:, ::-1], axis=1)[:, ::-1]
        out = np.empty((labels, n))
        out[:, order] = tail[:, 1:]
        return out.T, tail[:, :1].T

    tp, all_pos = counts(positive)
    fp, all_neg = counts(~positive)
    fn, tn = all_pos - tp, all_neg - fp
    if not multi_label:
        tp, fp, tn, fn = tp[:, 0], fp[:, 0], tn[:, 0], fn[:, 0]
    return tp, fp, tn, fn


class _ThresholdMetric(Metric):
    """Accumulates the confusion counts named in ``_counts`` at ``thresholds``."""

    _counts = ()

    def __init__(self, thresholds=None, top_k=None, class_id=None, name=None, dtype=None):
        super().__init__(name=name, dtype=dtype)
        positive_int(type(self).__name__, "top_k", top_k, allow_none=True)
        self.init_thresholds = thresholds
        self.top_k = top_k
        self.class_id = class_id
        self.thresholds = _parse_thresholds(type(self).__name__, thresholds, 0.5 if top_k is None else NEG_INF)
        self._evenly = _evenly_spaced(self.thresholds)
        self.reset_state()

    def reset_state(self):
        for key in self._counts:
            setattr(self, key, np.zeros(len(self.thresholds)))

    def update_state(self, y_true, y_pred, sample_weight=None):
        tp, fp, tn, fn = confusion_counts(self.name, y_true, y_pred, self.thresholds, sample_weight,
                                          self.top_k, self.class_id, clip=self._evenly)
        found = {"true_positives": tp, "false_positives": fp, "true_negatives": tn, "false_negatives": fn}
        for key in self._counts:
            getattr(self, key)[...] += found[key]

    def _one_or_all(self, values):
        return self._out(values[0] if len(self.thresholds) == 1 else values)

    def get_config(self):
        return {**super().get_config(), "thresholds": self.init_thresholds}


class _Count(_ThresholdMetric):
    def __init__(self, thresholds=None, name=None, dtype=None):
        super().__init__(thresholds=thresholds, name=name, dtype=dtype)

    def result(self):
        return self._one_or_all(getattr(self, self._counts[0]))


class TruePositives(_Count):
    _counts = ("true_positives",)


class FalsePositives(_Count):
    _counts = ("false_positives",)


class TrueNegatives(_Count):
    _counts = ("true_negatives",)


class FalseNegatives(_Count):
    _counts = ("false_negatives",)


class Precision(_ThresholdMetric):
    """tp / (tp + fp) at each threshold (0.5 by default; with ``top_k``, the top k scores are positive)."""

    _counts = ("true_positives", "false_positives")
    _direction = "up"

    def result(self):
        return self._one_or_all(_div_no_nan(self.true_positives, self.true_positives + self.false_positives))

    def get_config(self):
        return {**super().get_config(), "top_k": self.top_k, "class_id": self.class_id}


class Recall(_ThresholdMetric):
    """tp / (tp + fn) at each threshold (0.5 by default; with ``top_k``, the top k scores are positive)."""

    _counts = ("true_positives", "false_negatives")
    _direction = "up"

    def result(self):
        return self._one_or_all(_div_no_nan(self.true_positives, self.true_positives + self.false_negatives))

    def get_config(self):
        return {**super().get_config(), "top_k": self.top_k, "class_id": self.class_id}


_CURVES = {"roc": "ROC", "pr": "PR"}
_SUMMATIONS = ("interpolation", "minoring", "majoring")


class AUC(Metric):
    """Area under the ROC or PR curve by Keras's method: confusion counts at ``num_thresholds``
    evenly spaced thresholds (plus -eps and 1+eps), then a Riemann sum ('interpolation' is the
    trapezoid rule for ROC, and Davis & Goadrich's interpolation for PR)."""

    _direction = "up"

    def __init__(self, num_thresholds=200, curve="ROC", summation_method="interpolation", name=None, dtype=None,
                 thresholds=None, multi_label=False, num_labels=None, label_weights=None, from_logits=False):
        super().__init__(name=name, dtype=dtype)
        if str(curve).lower() not in _CURVES:
            raise ValueError(f"AUC: curve must be 'ROC' or 'PR'. Received: curve={curve!r}.")
        if str(summation_method).lower() not in _SUMMATIONS:
            raise ValueError(f"AUC: summation_method must be one of {list(_SUMMATIONS)}. "
                             f"Received: summation_method={summation_method!r}.")
        self.curve = _CURVES[str(curve).lower()]
        self.summation_method = str(summation_method).lower()
        if thresholds is not None:
            inner = sorted(_parse_thresholds("AUC", thresholds, None))
            self.num_thresholds = len(inner) + 2
            self._evenly = _evenly_spaced([0.0] + inner + [1.0])
        else:
            self.num_thresholds = num_thresholds = int_at_least("AUC", "num_thresholds", num_thresholds, 2)
            inner = [(i + 1) / (num_thresholds - 1) for i in range(num_thresholds - 2)]
            self._evenly = True
        self._thresholds = np.array([0.0 - EPSILON] + inner + [1.0 + EPSILON])
        self._init_thresholds = thresholds
        self.multi_label = bool(multi_label)
        self.num_labels = num_labels
        self.label_weights = None if label_weights is None else np.asarray(label_weights, dtype=np.float64)
        self._from_logits = bool(from_logits)
        self.reset_state()

    @property
    def thresholds(self):
        return list(self._thresholds)

    def reset_state(self):
        shape = (self.num_thresholds,) if not self.multi_label else (self.num_thresholds, self.num_labels or 0)
        for key in ("true_positives", "false_positives", "true_negatives", "false_negatives"):
            setattr(self, key, np.zeros(shape))

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_pred = np.asarray(_np(y_pred), dtype=np.float32)
        if self._from_logits:
            y_pred = (0.5 * (1.0 + np.tanh(0.5 * y_pred))).astype(np.float32)
        counts = confusion_counts(self.name, y_true, y_pred, self._thresholds, sample_weight, clip=self._evenly,
                                  multi_label=self.multi_label,
                                  label_weights=None if self.multi_label else self.label_weights)
        if self.multi_label and self.true_positives.shape != counts[0].shape:
            if self.true_positives.any():
                raise ValueError(f"AUC '{self.name}': expected {self.true_positives.shape[1]} labels, as in the "
                                 f"earlier batches. Received y_pred of shape {y_pred.shape}.")
            self.num_labels = counts[0].shape[1]
            self.reset_state()
        self.true_positives += counts[0]
        self.false_positives += counts[1]
        self.true_negatives += counts[2]
        self.false_negatives += counts[3]

    def _interpolate_pr_auc(self):
        tp, fp, fn = self.true_positives, self.false_positives, self.false_negatives
        dtp = tp[:-1] - tp[1:]
        p = tp + fp
        dp = p[:-1] - p[1:]
        slope = _div_no_nan(dtp, np.maximum(dp, 0))
        intercept = tp[1:] - slope * p[1:]
        both = (p[:-1] > 0) & (p[1:] > 0)
        ratio = np.where(both, _div_no_nan(p[:-1], np.maximum(p[1:], 0)), 1.0)
        return _div_no_nan(slope * (dtp + intercept * np.log(ratio)), np.maximum(tp[1:] + fn[1:], 0))

    def result(self):
        if self.curve == "PR" and self.summation_method == "interpolation":
            terms = self._interpolate_pr_auc()
        else:
            tp, fp, tn, fn = self.true_positives, self.false_positives, self.true_negatives, self.false_negatives
            recall = _div_no_nan(tp, tp + fn)
            if self.curve == "ROC":
                x, y = _div_no_nan(fp, fp + tn), recall
            else:
                x, y = recall, _div_no_nan(tp, tp + fp)
            if self.summation_method == "interpolation":
                heights = (y[:-1] + y[1:]) / 2.0
            elif self.summation_method == "minoring":
                heights = np.minimum(y[:-1], y[1:])
            else:
                heights = np.maximum(y[:-1], y[1:])
            terms = (x[:-1] - x[1:]) * heights
        if not self.multi_label:
            return self._out(terms.sum())
        by_label = terms.sum(axis=0)
        if self.label_weights is None:
            return self._out(by_label.mean() if by_label.size else 0.0)
        return self._out(_div_no_nan((by_label * self.label_weights).sum(), self.label_weights.sum()))

    def get_config(self):
        return {**super().get_config(), "num_thresholds": self.num_thresholds, "curve": self.curve,
                "summation_method": self.summation_method, "thresholds": self._init_thresholds,
                "multi_label": self.multi_label, "num_labels": self.num_labels,
                "label_weights": None if self.label_weights is None else self.label_weights.tolist(),
                "from_logits": self._from_logits}
