"""The cases of tests/fixtures/keras_metrics2 (written with real Keras 3 by tools/make_keras_metrics2_fixtures.py):
Keras's values for the metrics, losses, optimizers and schedules of issue 20."""
import json
import os
import re

FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures", "keras_metrics2")


def load(family):
    """The cases of one family: 'metrics', 'losses', 'optimizers' or 'schedules'."""
    with open(os.path.join(FIXTURES, f"{family}.json")) as f:
        return json.load(f)


def cases(family, *class_names):
    """(id, case) pairs of ``family`` whose class is one of ``class_names``, for pytest.mark.parametrize."""
    chosen = [c for c in load(family) if c["class_name"] in class_names]
    return [(f"{c['class_name']}-{i}", c) for i, c in enumerate(chosen)]


def keras_name(name):
    """A name as Keras's first instance has it: Keras numbers later instances of a class named by default
    ('recall_at_precision_1'), dendrite names each alike."""
    return re.sub(r"_\d+$", "", name)


def keras_config(config):
    """A Keras config with the name of Keras's first instance."""
    return {**config, "name": keras_name(config["name"])} if "name" in config else config


def replay_metric(case, rtol=1e-5, atol=1e-6):
    """Build the metric of a metrics case in dendrite, feed it Keras's batches and check every result, the name,
    the dtype and the config against Keras's; then the same through from_config."""
    import numpy as np

    from dendrite import metrics

    cls = getattr(metrics, case["class_name"])
    metric = cls(**case["kwargs"])
    assert metric.name == keras_name(case["name"]) and metric.dtype == case["dtype"]
    assert metric.get_config() == keras_config(case["config"])
    again = cls.from_config(metric.get_config())
    # whole weights as integers for a metric of integer dtype (IoU's default): Keras warned of float ones
    weight_dtype = np.int32 if np.dtype(metric.dtype).kind == "i" else np.float32
    for m in (metric, again):
        for (y_true, y_pred, weight), expected in zip(case["updates"], case["results"]):
            m.update_state(np.asarray(y_true, dtype=np.float32), np.asarray(y_pred, dtype=np.float32),
                           sample_weight=None if weight is None else np.asarray(weight, dtype=weight_dtype))
            result = m.result()
            assert np.asarray(result).dtype == np.float32
            np.testing.assert_allclose(result, np.asarray(expected, dtype=np.float32), rtol=rtol, atol=atol)
    metric.reset_state()
    first = case["updates"][0]
    metric.update_state(np.asarray(first[0], np.float32), np.asarray(first[1], np.float32),
                        sample_weight=None if first[2] is None else np.asarray(first[2], weight_dtype))
    np.testing.assert_allclose(metric.result(), np.asarray(case["results"][0], np.float32), rtol=rtol, atol=atol)
    return metric


def replay_loss(case, rtol=1e-5, atol=1e-6):
    """A losses case in dendrite: the function's per-sample values, the class's reduced value (with the case's
    sample_weight and reduction) and the class's config, each against Keras's."""
    import numpy as np

    from dendrite import losses

    y_true = np.asarray(case["y_true"], np.float32)
    y_pred = np.asarray(case["y_pred"], np.float32)
    values = getattr(losses, case["function"])(y_true, y_pred, **case["kwargs"])
    np.testing.assert_allclose(values.value, np.asarray(case["values"], np.float32), rtol=rtol, atol=atol)
    cls = getattr(losses, case["class_name"])
    loss = cls(reduction=case["reduction"], **case["kwargs"])
    assert loss.get_config() == case["config"]
    loss = cls.from_config(loss.get_config())
    weight = None if case["sample_weight"] is None else np.asarray(case["sample_weight"], np.float32)
    reduced = loss(y_true, y_pred, sample_weight=weight)
    np.testing.assert_allclose(reduced.value, np.asarray(case["reduced"], np.float32), rtol=rtol, atol=atol)


def optimizer_case(label):
    return next(c for c in load("optimizers")["cases"] if c["label"] == label)


def replay_optimizer(case, atol=1e-6):
    """An optimizers case in dendrite: the optimizer made from Keras's config, applied to Keras's gradients; the
    variables after every step, the optimizer's variables (names, shapes, final values) and the iterations, each
    against Keras's. Returns the optimizer."""
    import numpy as np

    from dendrite import optimizers
    from dendrite.autodiff.tensor import Variable

    opt = optimizers.deserialize(case["config"])
    variables = [Variable(np.asarray(v, np.float32), name=f"v{i}") for i, v in enumerate(case["init"])]
    for grads, after in zip(case["grads"], case["after"]):
        opt.apply([np.asarray(g, np.float32) for g in grads], variables)
        for var, expected in zip(variables, after):
            np.testing.assert_allclose(var.value, np.asarray(expected, np.float32), rtol=1e-5, atol=atol)
    assert [[v.name, list(v.value.shape)] for v in opt.variables] == case["variables"]
    for var, expected in zip(opt.variables, case["final_state"]):
        np.testing.assert_allclose(np.asarray(var.value, np.float64), np.asarray(expected, np.float64), rtol=1e-5,
                                   atol=atol)
    assert int(opt.iterations.value) == case["iterations"]
    return opt


def saved_and_resumed(make_optimizer, tmp_path, steps=3):
    """Train a small model with ``make_optimizer()`` for ``steps`` batches, save it to .keras, load it, and train
    the original and the loaded one on the same next batches: returns (original, loaded), whose weights and
    optimizer states must then agree."""
    import numpy as np

    import dendrite

    dendrite.utils.set_random_seed(0)  # the same initial weights at every call
    rng = np.random.default_rng(0)
    x = rng.normal(size=(8 * (steps + 2), 3)).astype("float32")
    y = (x @ np.array([[1.0], [-2.0], [0.5]], np.float32)).astype("float32")
    model = dendrite.Sequential([dendrite.layers.Input((3,)), dendrite.layers.Dense(4, activation="tanh"),
                                 dendrite.layers.Dense(1)])
    model.compile(make_optimizer(), "mse")
    model.fit(x[:8 * steps], y[:8 * steps], batch_size=8, epochs=1, shuffle=False, verbose=0)
    path = tmp_path / "model.keras"
    model.save(path)
    loaded = dendrite.models.load_model(path)
    assert type(loaded.optimizer) is type(model.optimizer)
    for a, b in zip(model.optimizer.variables, loaded.optimizer.variables):
        np.testing.assert_array_equal(a.value, b.value)
    for m in (model, loaded):
        for i in range(steps, steps + 2):
            m.train_on_batch(x[8 * i:8 * i + 8], y[8 * i:8 * i + 8])
    for a, b in zip(model.get_weights(), loaded.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-6)
    return model, loaded
