"""Writes Keras 3's values for the metrics, losses, optimizers and schedules of issue 20 (F1Score, IoU, focal
losses, Lion, Adafactor, LossScaleOptimizer, EMA, gradient accumulation, CosineDecayRestarts, ...), for the
tests under tests/metrics, tests/losses and tests/optimizers (not run in CI; needs real Keras 3).

    KERAS_BACKEND=numpy /work/kvenv/bin/python tools/make_keras_metrics2_fixtures.py

writes tests/fixtures/keras_metrics2/{metrics,losses,optimizers,schedules,versions}.json: each case holds its
inputs (drawn here from a seeded generator, rounded), the arguments given to Keras, what Keras returned and
the config Keras wrote. Plain JSON (lists of floats), nothing pickled.
"""
import json
import os
import sys

import numpy as np

os.environ.setdefault("KERAS_BACKEND", "numpy")
import keras  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fixtures", "keras_metrics2")
RNG = np.random.default_rng(20)


def _plain(x):
    """JSON-able: arrays to (nested) lists, NumPy scalars to Python numbers."""
    if isinstance(x, dict):
        return {k: _plain(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_plain(v) for v in x]
    if isinstance(x, np.ndarray) or hasattr(x, "dtype"):
        return np.asarray(x).tolist()
    return x


def _probs(*shape):
    return np.round(RNG.uniform(0.02, 0.98, shape), 3).astype("float32")


def _binary(*shape):
    return RNG.integers(0, 2, shape).astype("float32")


def _one_hot(n, k):
    return np.eye(k, dtype="float32")[RNG.integers(0, k, n)]


def _softmax_rows(n, k):
    p = RNG.uniform(0.05, 1.0, (n, k))
    return np.round(p / p.sum(axis=-1, keepdims=True), 4).astype("float32")


# ----------------------------------------------------------------------------------------------- metrics
def metric_cases():
    m = keras.metrics
    cases = []

    def case(cls, kwargs, updates):
        metric = getattr(m, cls)(**kwargs)
        results = []
        for y_true, y_pred, weight in updates:
            metric.update_state(y_true, y_pred, sample_weight=weight)
            results.append(np.asarray(metric.result()))
        cases.append({"class_name": cls, "kwargs": kwargs, "updates": [list(u) for u in updates],
                      "results": results, "config": metric.get_config(), "name": metric.name,
                      "dtype": metric.dtype})

    multi = [(_binary(6, 3), _probs(6, 3), None), (_binary(5, 3), _probs(5, 3), np.round(RNG.uniform(0, 2, 5), 2))]
    single = [(_one_hot(6, 4), _softmax_rows(6, 4), None), (_one_hot(4, 4), _softmax_rows(4, 4), [1.0, 0.5, 2.0, 0.0])]
    for average in (None, "micro", "macro", "weighted"):
        case("F1Score", {"average": average, "threshold": 0.5}, multi)
        case("F1Score", {"average": average}, single)
    case("FBetaScore", {"average": "weighted", "beta": 2.0, "threshold": 0.4}, multi)
    case("FBetaScore", {"average": None, "beta": 0.5}, single)
    case("FBetaScore", {"average": "micro", "beta": 1.5, "threshold": 0.6}, multi)

    reg = [(np.round(RNG.normal(size=(8, 3)), 3).astype("float32"), np.round(RNG.normal(size=(8, 3)), 3).astype("float32"),
            None),
           (np.round(RNG.normal(size=(5, 3)), 3).astype("float32"), np.round(RNG.normal(size=(5, 3)), 3).astype("float32"),
            np.round(RNG.uniform(0, 2, 5), 2))]
    for aggregation in ("uniform_average", "variance_weighted_average", None):
        case("R2Score", {"class_aggregation": aggregation}, reg)
    case("R2Score", {"num_regressors": 2}, reg)
    case("R2Score", {"num_regressors": 30}, reg[:1])  # more regressors than samples: the plain R2 score
    case("R2Score", {}, [(np.round(RNG.normal(size=(7, 1)), 3).astype("float32"),
                          np.round(RNG.normal(size=(7, 1)), 3).astype("float32"), None)])

    labels = [(RNG.integers(0, 3, 10).astype("float32"), RNG.integers(0, 3, 10).astype("float32"), None),
              (RNG.integers(0, 3, (2, 4)).astype("float32"), RNG.integers(0, 3, (2, 4)).astype("float32"),
               RNG.integers(0, 3, (2, 4)).astype("float32"))]
    case("IoU", {"num_classes": 3, "target_class_ids": [0, 2]}, labels)
    case("IoU", {"num_classes": 3, "target_class_ids": [1], "ignore_class": 0}, labels)
    case("MeanIoU", {"num_classes": 3}, labels)
    case("MeanIoU", {"num_classes": 3, "ignore_class": 1, "dtype": "float32"},
         [(labels[0][0], labels[0][1], np.round(RNG.uniform(0, 2, 10), 2))])
    case("MeanIoU", {"num_classes": 4, "sparse_y_pred": False}, [(RNG.integers(0, 4, 6).astype("float32"),
                                                                _softmax_rows(6, 4), None)])
    case("BinaryIoU", {}, [(_binary(8), _probs(8), None), (_binary(2, 3), _probs(2, 3), None)])
    case("BinaryIoU", {"target_class_ids": [1], "threshold": 0.3}, [(_binary(8), _probs(8), None)])
    case("OneHotIoU", {"num_classes": 3, "target_class_ids": [1, 2]}, [(_one_hot(7, 3), _softmax_rows(7, 3), None)])
    case("OneHotMeanIoU", {"num_classes": 3}, [(_one_hot(7, 3), _softmax_rows(7, 3), None),
                                               (_one_hot(3, 3), _softmax_rows(3, 3), [1.0, 2.0, 1.0])])

    scores = [(_binary(12), _probs(12), None), (_binary(6), _probs(6), np.round(RNG.uniform(0, 2, 6), 2))]
    case("SpecificityAtSensitivity", {"sensitivity": 0.6}, scores)
    case("SensitivityAtSpecificity", {"specificity": 0.7, "num_thresholds": 50}, scores)
    case("PrecisionAtRecall", {"recall": 0.4}, scores)
    case("RecallAtPrecision", {"precision": 0.6, "num_thresholds": 1}, scores)
    case("RecallAtPrecision", {"precision": 0.8}, scores)
    case("PrecisionAtRecall", {"recall": 0.5, "class_id": 1}, [(_binary(9, 3), _probs(9, 3), None)])

    pos = [(np.round(RNG.uniform(0, 3, (5, 3)), 2).astype("float32"), _probs(5, 3) * 2, None),
           (np.round(RNG.uniform(0, 3, (4, 3)), 2).astype("float32"), _probs(4, 3) * 2, [1.0, 0.0, 2.0, 0.5])]
    case("Poisson", {}, pos)
    case("KLDivergence", {}, [(_softmax_rows(5, 3), _softmax_rows(5, 3), None),
                              (_softmax_rows(4, 3), _softmax_rows(4, 3), [1.0, 0.0, 2.0, 0.5])])
    case("LogCoshError", {}, reg)
    case("CosineSimilarity", {}, reg)
    hinge = [(_binary(5, 3), np.round(RNG.normal(size=(5, 3)), 3).astype("float32"), None),
             (_binary(4, 3), np.round(RNG.normal(size=(4, 3)), 3).astype("float32"), [1.0, 0.0, 2.0, 0.5])]
    case("Hinge", {}, hinge)
    case("SquaredHinge", {}, hinge)
    case("CategoricalHinge", {}, [(_one_hot(5, 3), _softmax_rows(5, 3), None)])
    return cases


# ----------------------------------------------------------------------------------------------- losses
def loss_cases():
    losses = keras.losses
    cases = []

    def case(fn, cls, kwargs, y_true, y_pred, sample_weight=None, reduction="sum_over_batch_size"):
        values = getattr(losses, fn)(y_true, y_pred, **kwargs)
        obj = getattr(losses, cls)(reduction=reduction, **kwargs)
        reduced = obj(y_true, y_pred, sample_weight=sample_weight)
        cases.append({"function": fn, "class_name": cls, "kwargs": kwargs, "y_true": y_true, "y_pred": y_pred,
                      "sample_weight": sample_weight, "reduction": reduction, "values": np.asarray(values),
                      "reduced": np.asarray(reduced), "config": obj.get_config()})

    yt, yp = _binary(4, 3), _probs(4, 3)
    logits = np.round(RNG.normal(size=(4, 3)) * 2, 3).astype("float32")
    case("binary_focal_crossentropy", "BinaryFocalCrossentropy", {}, yt, yp)
    case("binary_focal_crossentropy", "BinaryFocalCrossentropy",
         {"apply_class_balancing": True, "alpha": 0.3, "gamma": 1.5}, yt, yp, [1.0, 0.5, 2.0, 0.0])
    case("binary_focal_crossentropy", "BinaryFocalCrossentropy", {"from_logits": True, "label_smoothing": 0.1},
         yt, logits, None, "sum")
    case("binary_focal_crossentropy", "BinaryFocalCrossentropy", {"gamma": 0.0, "axis": 0}, yt, yp)
    ct, cp = _one_hot(5, 4), _softmax_rows(5, 4)
    clog = np.round(RNG.normal(size=(5, 4)) * 2, 3).astype("float32")
    case("categorical_focal_crossentropy", "CategoricalFocalCrossentropy", {}, ct, cp)
    case("categorical_focal_crossentropy", "CategoricalFocalCrossentropy",
         {"alpha": 0.5, "gamma": 3.0, "label_smoothing": 0.2}, ct, cp, [1.0, 0.5, 2.0, 0.0, 1.0])
    case("categorical_focal_crossentropy", "CategoricalFocalCrossentropy", {"from_logits": True}, ct, clog,
         None, "none")
    seg_t, seg_p = _binary(2, 4, 3), _probs(2, 4, 3)
    case("dice", "Dice", {}, seg_t, seg_p)
    case("dice", "Dice", {"axis": -1}, seg_t, seg_p, [[1.0, 0.5, 2.0, 0.0], [1.0, 1.0, 1.0, 1.0]])
    case("dice", "Dice", {"axis": [1, 2]}, seg_t, seg_p, None, "sum")
    case("tversky", "Tversky", {}, seg_t, seg_p)
    case("tversky", "Tversky", {"alpha": 0.7, "beta": 0.3, "axis": -1}, seg_t, seg_p, None, "none")
    case("tversky", "Tversky", {"alpha": 0.2, "beta": 0.9, "axis": [1, 2]}, seg_t, seg_p, [2.0, 0.5])
    return cases


# ----------------------------------------------------------------------------------------------- optimizers
SHAPES = [(3, 4), (4,), (2, 3, 2)]
STEPS = 6


def optimizer_cases():
    o = keras.optimizers
    cases = []
    init = [np.round(RNG.normal(size=s), 3).astype("float32") for s in SHAPES]
    grads = [[np.round(RNG.normal(size=s), 3).astype("float32") for s in SHAPES] for _ in range(STEPS)]
    grads[2][1][0] = 0.0  # a zero gradient (Lion's sign)

    def case(label, make, grad_steps=grads):
        opt = make()
        variables = [keras.Variable(v, name=f"v{i}") for i, v in enumerate(init)]
        after, extra = [], []
        for g in grad_steps:
            opt.apply([np.asarray(x) for x in g], variables)
            after.append([np.asarray(v.value) for v in variables])
            if isinstance(opt, o.LossScaleOptimizer):
                extra.append({"scale": float(np.asarray(opt.dynamic_scale.value)),
                              "step_counter": int(np.asarray(opt.step_counter.value))})
        cases.append({"label": label, "config": keras.saving.serialize_keras_object(opt), "init": init,
                      "grads": grad_steps, "after": after, "extra": extra,
                      "variables": [[v.name, list(v.shape)] for v in opt.variables],
                      "final_state": [np.asarray(v.value) for v in opt.variables],
                      "iterations": int(np.asarray(opt.iterations))})

    case("lion", lambda: o.Lion())
    case("lion_tuned", lambda: o.Lion(learning_rate=0.01, beta_1=0.95, beta_2=0.98, weight_decay=0.1))
    case("adafactor", lambda: o.Adafactor())
    case("adafactor_tuned", lambda: o.Adafactor(learning_rate=0.01, beta_2_decay=-0.5, epsilon_2=1e-2,
                                                clip_threshold=0.5, relative_step=False))
    case("adafactor_relative", lambda: o.Adafactor(learning_rate=0.5))
    case("adam_ema", lambda: o.Adam(learning_rate=0.01, use_ema=True, ema_momentum=0.9))
    case("sgd_ema_overwrite", lambda: o.SGD(learning_rate=0.1, momentum=0.5, use_ema=True, ema_momentum=0.8,
                                            ema_overwrite_frequency=3))
    case("sgd_accumulate", lambda: o.SGD(learning_rate=0.1, momentum=0.9, gradient_accumulation_steps=2))
    case("adam_accumulate", lambda: o.Adam(learning_rate=0.01, gradient_accumulation_steps=3, clipnorm=1.0))
    case("adam_accumulate_ema", lambda: o.Adam(learning_rate=0.01, gradient_accumulation_steps=2, use_ema=True,
                                                ema_momentum=0.5, weight_decay=0.1))
    case("rmsprop_loss_scale_factor", lambda: o.RMSprop(learning_rate=0.01, loss_scale_factor=8.0))
    inf_grads = [list(g) for g in grads]
    inf_grads[1] = [g.copy() for g in grads[1]]
    inf_grads[1][0][0, 0] = np.inf
    inf_grads[4] = [g.copy() for g in grads[4]]
    inf_grads[4][2][0, 0, 0] = np.nan
    case("loss_scale_sgd", lambda: o.LossScaleOptimizer(o.SGD(learning_rate=0.1, momentum=0.9), initial_scale=8.0,
                                                        dynamic_growth_steps=2), inf_grads)
    case("loss_scale_adam", lambda: o.LossScaleOptimizer(o.Adam(learning_rate=0.01)), inf_grads)
    defaults = {name: keras.saving.serialize_keras_object(getattr(o, name)()) for name in ("Lion", "Adafactor")}
    defaults["LossScaleOptimizer"] = keras.saving.serialize_keras_object(o.LossScaleOptimizer(o.SGD()))
    return {"cases": cases, "defaults": defaults}


# ----------------------------------------------------------------------------------------------- schedules
def schedule_cases():
    s = keras.optimizers.schedules
    steps = list(range(0, 60)) + [75, 99, 100, 101, 150, 333, 1000, 5000]
    cases = []

    def case(cls, kwargs):
        schedule = getattr(s, cls)(**kwargs)
        values = [float(np.asarray(schedule(step))) for step in steps]
        cases.append({"class_name": cls, "kwargs": kwargs, "steps": steps, "values": values,
                      "config": schedule.get_config()})

    case("CosineDecayRestarts", {"initial_learning_rate": 0.1, "first_decay_steps": 10})
    case("CosineDecayRestarts", {"initial_learning_rate": 1.0, "first_decay_steps": 7, "t_mul": 1.5, "m_mul": 0.8,
                                 "alpha": 0.1})
    case("CosineDecayRestarts", {"initial_learning_rate": 0.5, "first_decay_steps": 5, "t_mul": 1.0, "m_mul": 0.5})
    case("CosineDecay", {"initial_learning_rate": 0.1, "decay_steps": 40, "alpha": 0.05})
    case("CosineDecay", {"initial_learning_rate": 0.0, "decay_steps": 40, "warmup_target": 0.2,
                         "warmup_steps": 10})
    case("CosineDecay", {"initial_learning_rate": 0.01, "decay_steps": 30, "alpha": 0.1, "warmup_target": 0.1,
                         "warmup_steps": 5})
    case("PolynomialDecay", {"initial_learning_rate": 0.1, "decay_steps": 20, "end_learning_rate": 0.01,
                             "power": 0.5})
    case("PolynomialDecay", {"initial_learning_rate": 0.1, "decay_steps": 20, "power": 2.0, "cycle": True})
    case("PiecewiseConstantDecay", {"boundaries": [10, 30, 100], "values": [1.0, 0.5, 0.1, 0.01]})
    case("InverseTimeDecay", {"initial_learning_rate": 0.1, "decay_steps": 10, "decay_rate": 0.5})
    case("InverseTimeDecay", {"initial_learning_rate": 0.1, "decay_steps": 10, "decay_rate": 0.5, "staircase": True})
    case("ExponentialDecay", {"initial_learning_rate": 0.1, "decay_steps": 10, "decay_rate": 0.9})
    case("ExponentialDecay", {"initial_learning_rate": 0.1, "decay_steps": 7, "decay_rate": 0.5, "staircase": True})
    return cases


def main():
    os.makedirs(OUT, exist_ok=True)
    for name, make in (("metrics", metric_cases), ("losses", loss_cases), ("optimizers", optimizer_cases),
                       ("schedules", schedule_cases)):
        with open(os.path.join(OUT, f"{name}.json"), "w") as f:
            json.dump(_plain(make()), f)
    with open(os.path.join(OUT, "versions.json"), "w") as f:
        json.dump({"keras": keras.__version__, "backend": keras.backend.backend(), "numpy": np.__version__,
                   "python": sys.version.split()[0]}, f, indent=1)


if __name__ == "__main__":
    main()
