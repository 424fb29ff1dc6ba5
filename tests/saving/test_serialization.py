"""serialize_keras_object / deserialize_keras_object: Keras 3's config format, custom objects by
registration, custom_objects and custom_object_scope, and loading that never imports or runs code."""
import json
import sys

import numpy as np
import pytest

import dendrite
from dendrite import (activations, constraints, initializers, layers, losses, metrics, optimizers, regularizers,
                      saving)
from dendrite.optimizers import schedules
from dendrite.saving import deserialize_keras_object, serialize_keras_object

# What Keras 3.15.1 (numpy backend) wrote: json.dumps(keras.saving.serialize_keras_object(obj)) for the
# same object built with keras instead of dendrite.
_SCHEDULE = ('{"module": "keras.optimizers.schedules", "class_name": "ExponentialDecay", "config": '
             '{"initial_learning_rate": 0.1, "decay_steps": 10, "decay_rate": 0.9, "staircase": false, '
             '"name": "ExponentialDecay"}, "registered_name": null}')
KERAS_WROTE = {
    "activation": (lambda: activations.relu, '{"module": "builtins", "class_name": "function", "config": "relu", '
                                             '"registered_name": "function"}'),
    "loss_function": (lambda: losses.mean_squared_error,
                      '{"module": "builtins", "class_name": "function", "config": "mean_squared_error", '
                      '"registered_name": "function"}'),
    "loss": (lambda: losses.BinaryCrossentropy(from_logits=True),
             '{"module": "keras.losses", "class_name": "BinaryCrossentropy", "config": {"name": '
             '"binary_crossentropy", "reduction": "sum_over_batch_size", "from_logits": true, "label_smoothing": '
             '0.0, "axis": -1}, "registered_name": null}'),
    "initializer": (lambda: initializers.GlorotUniform(seed=1),
                    '{"module": "keras.initializers", "class_name": "GlorotUniform", "config": {"seed": 1, '
                    '"input_axes": null, "output_axes": null}, "registered_name": null}'),
    "regularizer": (lambda: regularizers.L1L2(0.1, 0.2),
                    '{"module": "keras.regularizers", "class_name": "L1L2", "config": {"l1": 0.1, "l2": 0.2}, '
                    '"registered_name": null}'),
    "constraint": (lambda: constraints.MaxNorm(3),
                   '{"module": "keras.constraints", "class_name": "MaxNorm", "config": {"max_value": 3, "axis": 0}, '
                   '"registered_name": null}'),
    "metric": (lambda: metrics.BinaryAccuracy(threshold=0.7),
               '{"module": "keras.metrics", "class_name": "BinaryAccuracy", "config": {"name": "binary_accuracy", '
               '"dtype": "float32", "threshold": 0.7}, "registered_name": null}'),
    "schedule": (lambda: schedules.ExponentialDecay(0.1, 10, 0.9), _SCHEDULE),
    "optimizer_with_schedule": (
        lambda: optimizers.Adam(learning_rate=schedules.ExponentialDecay(0.1, 10, 0.9)),
        '{"module": "keras.optimizers", "class_name": "Adam", "config": {"name": "adam", "learning_rate": '
        + _SCHEDULE + ', "weight_decay": null, "clipnorm": null, "global_clipnorm": null, "clipvalue": null, '
        '"use_ema": false, "ema_momentum": 0.99, "ema_overwrite_frequency": null, "loss_scale_factor": null, '
        '"gradient_accumulation_steps": null, "beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-07, "amsgrad": false}, '
        '"registered_name": null}'),
}


@pytest.mark.parametrize("case", sorted(KERAS_WROTE))
def test_configs_are_what_keras_writes_and_load_back(case):
    make, written = KERAS_WROTE[case]
    obj = make()
    config = serialize_keras_object(obj)
    assert json.loads(json.dumps(config)) == json.loads(written)
    again = deserialize_keras_object(json.loads(written))
    if callable(obj) and not hasattr(obj, "get_config"):
        assert again is obj
    else:
        assert type(again) is type(obj) and serialize_keras_object(again) == config


@pytest.mark.parametrize("family, case", [(activations, "activation"), (losses, "loss_function"), (losses, "loss"),
                                          (initializers, "initializer"), (regularizers, "regularizer"),
                                          (constraints, "constraint"), (metrics, "metric"), (schedules, "schedule"),
                                          (optimizers, "optimizer_with_schedule")])
def test_each_family_reads_keras_configs(family, case):
    make, written = KERAS_WROTE[case]
    obj, again = make(), family.deserialize(json.loads(written))
    if hasattr(obj, "get_config"):
        assert type(again) is type(obj) and again.get_config() == obj.get_config()
    else:
        assert again is obj


def test_wrappers_keras_wrote_load():
    # Keras 3.15.1's configs of LossFunctionWrapper(mean_absolute_error) and MeanMetricWrapper(binary_accuracy)
    fn = '{"module": "builtins", "class_name": "function", "config": "%s", "registered_name": "function"}'
    loss = losses.get(json.loads(
        '{"module": "keras.src.losses.losses", "class_name": "LossFunctionWrapper", "config": {"name": "my_mae", '
        '"reduction": "sum_over_batch_size", "fn": ' + fn % "mean_absolute_error" + '}, '
        '"registered_name": "LossFunctionWrapper"}'))
    assert type(loss) is losses.LossFunctionWrapper and loss.fn is losses.mean_absolute_error
    assert serialize_keras_object(loss)["config"]["fn"] == json.loads(fn % "mean_absolute_error")
    metric = metrics.get(json.loads(
        '{"module": "keras.metrics", "class_name": "MeanMetricWrapper", "config": {"name": "w", "dtype": "float32", '
        '"fn": ' + fn % "binary_accuracy" + '}, "registered_name": null}'))
    assert type(metric) is metrics.MeanMetricWrapper and metric._fn is metrics.binary_accuracy
    metric.update_state(np.array([1.0, 0.0]), np.array([0.9, 0.8]))
    assert float(metric.result()) == pytest.approx(0.5)


def test_family_serialize_writes_keras_format_except_activation_names():
    # Keras 3.15.1: activations.serialize(relu) is the name 'relu'; the other families write the dict
    assert activations.serialize(activations.relu) == "relu"
    assert regularizers.serialize(regularizers.L2(0.5)) == {"module": "keras.regularizers", "class_name": "L2",
                                                             "config": {"l2": 0.5}, "registered_name": None}
    assert losses.serialize(losses.mean_absolute_error)["config"] == "mean_absolute_error"
    assert metrics.serialize(metrics.Mean(name="m"))["module"] == "keras.metrics"


def test_tf_keras_2_configs_without_module_still_load():
    init = deserialize_keras_object({"class_name": "GlorotUniform", "config": {"seed": 3}})
    assert type(init) is initializers.GlorotUniform and init.seed == 3
    dense = deserialize_keras_object({"class_name": "Dense", "config": {"units": 4, "name": "d"}})
    assert isinstance(dense, layers.Dense) and dense.units == 4
    assert losses.get({"class_name": "Huber", "config": {"delta": 2.0}}).delta == 2.0


# ----------------------------------------------------------------- custom objects
@saving.register_keras_serializable(package="SerTest")
class Offset(regularizers.Regularizer):
    def __init__(self, k=0.1):
        self.k = k

    def __call__(self, x):
        return dendrite.ops.multiply(dendrite.ops.sum(x), self.k)

    def get_config(self):
        return {"k": self.k}


@saving.register_keras_serializable(package="SerTest")
def tripled(x):
    return dendrite.ops.multiply(x, 3.0)


@saving.register_keras_serializable(package="SerTest", name="abs_error")
class AbsError(losses.Loss):
    def call(self, y_true, y_pred):
        return dendrite.ops.mean(dendrite.ops.abs(dendrite.ops.subtract(y_pred, y_true)), axis=-1)


class Unregistered(constraints.Constraint):
    def __init__(self, cap=1.0):
        self.cap = cap

    def __call__(self, w):
        return np.minimum(w, self.cap)

    def get_config(self):
        return {"cap": self.cap}


def test_registered_objects_are_written_as_keras_writes_them():
    # Keras 3.15.1 writes a registered class under its module and 'package>name', a registered function
    # as a function whose config is 'package>name', and an unregistered class under its own name
    assert serialize_keras_object(Offset(0.5)) == {"module": __name__, "class_name": "Offset", "config": {"k": 0.5},
                                                   "registered_name": "SerTest>Offset"}
    assert serialize_keras_object(tripled) == {"module": "builtins", "class_name": "function",
                                               "config": "SerTest>tripled", "registered_name": "function"}
    assert activations.serialize(tripled) == serialize_keras_object(tripled)
    assert serialize_keras_object(Unregistered(2.0))["registered_name"] == "Unregistered"


def test_registered_objects_are_found_by_each_family_and_by_layer_configs():
    dense = layers.Dense(2, activation=tripled, kernel_regularizer=Offset(0.25), name="custom_dense")
    config = json.loads(json.dumps(dense.get_config()))
    assert config["activation"]["config"] == "SerTest>tripled"
    again = layers.Dense.from_config(config)
    assert again.activation is tripled and isinstance(again.kernel_regularizer, Offset)
    assert again.kernel_regularizer.k == 0.25
    x = np.ones((1, 3), np.float32)
    out = again(x).numpy()  # the registered activation runs
    np.testing.assert_allclose(out, 3.0 * (x @ again.kernel.numpy() + again.bias.numpy()), rtol=1e-6)
    assert isinstance(regularizers.get("SerTest>Offset"), Offset)
    assert activations.get("SerTest>tripled") is tripled
    assert isinstance(losses.get("SerTest>abs_error"), AbsError)
    loss = losses.get(json.loads(json.dumps(losses.serialize(AbsError(name="ae")))))
    assert isinstance(loss, AbsError) and loss.name == "ae"
    assert float(loss(np.zeros((2, 2)), np.ones((2, 2)))) == pytest.approx(1.0)


def test_unregistered_class_needs_custom_objects_or_a_scope():
    config = json.loads(json.dumps(constraints.serialize(Unregistered(2.0))))
    with pytest.raises(ValueError) as info:
        constraints.deserialize(config)
    message = str(info.value)
    for part in ("unknown constraint class 'Unregistered'", f"(module '{__name__}')", "MaxNorm",
                 "never imports the module", "register_keras_serializable", "custom_objects={'Unregistered'",
                 "custom_object_scope"):
        assert part in message
    assert constraints.deserialize(config, custom_objects={"Unregistered": Unregistered}).cap == 2.0
    with saving.custom_object_scope({"Unregistered": Unregistered}):
        assert constraints.get(config).cap == 2.0
        dense = layers.Dense.from_config({"units": 2, "kernel_constraint": config})
        assert isinstance(dense.kernel_constraint, Unregistered)
        assert isinstance(deserialize_keras_object(config), Unregistered)


def test_custom_objects_find_a_registered_class_by_its_plain_name():
    # a file written where the class was registered as 'Other>Offset' loads with custom_objects by class name
    config = {"module": "somewhere", "class_name": "Offset", "config": {"k": 1.0}, "registered_name": "Other>Offset"}
    assert isinstance(regularizers.deserialize(config, custom_objects={"Offset": Offset}), Offset)
    with pytest.raises(ValueError, match=r"Unknown regularizer class 'Offset' \(module 'somewhere', registered as "
                                         r"'Other>Offset'\)"):
        regularizers.deserialize(config)


def test_a_custom_function_name_loads_from_custom_objects():
    def halve(x):
        return dendrite.ops.multiply(x, 0.5)

    config = json.loads(json.dumps(activations.serialize(halve)))
    assert config == {"module": "builtins", "class_name": "function", "config": "halve",
                      "registered_name": "function"}
    with pytest.raises(ValueError, match=r"Unknown activation function 'halve'.*custom_objects=\{'halve': halve\}"):
        activations.deserialize(config)
    assert activations.deserialize(config, custom_objects={"halve": halve}) is halve
    with saving.custom_object_scope({"halve": halve}):
        assert layers.Dense.from_config({"units": 1, "activation": config}).activation is halve


# ----------------------------------------------------------------- safety
def test_a_config_never_imports_the_module_it_names(tmp_path, monkeypatch):
    (tmp_path / "evil_module_for_dendrite.py").write_text(
        "import os\nos.environ['DENDRITE_EVIL_IMPORTED'] = '1'\nclass Boom:\n    pass\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delenv("DENDRITE_EVIL_IMPORTED", raising=False)
    for config in ({"module": "evil_module_for_dendrite", "class_name": "Boom", "config": {}, "registered_name": None},
                   {"module": "os", "class_name": "system", "config": {"command": "true"}, "registered_name": None}):
        with pytest.raises(ValueError, match="never imports the module a config names"):
            deserialize_keras_object(config)
    assert "evil_module_for_dendrite" not in sys.modules
    assert "DENDRITE_EVIL_IMPORTED" not in __import__("os").environ


def test_lambdas_are_refused_both_ways():
    with pytest.raises(ValueError, match=r"Cannot serialize the lambda.*never writes code into a config"):
        serialize_keras_object(lambda x: x)
    with pytest.raises(ValueError, match="never writes code"):
        layers.Dense(2, activation=lambda x: x).get_config()
    # what Keras 3.15.1 writes for Lambda(lambda x: x * 2, name='twice'), its bytecode cut short
    keras_lambda = {"module": "keras.layers", "class_name": "Lambda", "config": {
        "name": "twice", "trainable": True, "function": {"class_name": "__lambda__", "config": {
            "code": "4wEAAAAAAAAAAAAAAAIAAAADAAAA8wwAAACXAHwAZAF6BQAAUwA=", "defaults": None, "closure": None}},
        "arguments": {}}, "registered_name": None}
    with pytest.raises(ValueError, match=r"a Lambda layer 'twice' whose function.*bytecode.*safe_mode=True refuses"):
        deserialize_keras_object(keras_lambda)
    with pytest.raises(ValueError, match=r"even with safe_mode=False: it never loads Python bytecode"):
        deserialize_keras_object(keras_lambda, safe_mode=False)
    with pytest.raises(ValueError, match=r"a Python lambda, stored as Python bytecode.*safe_mode=True"):
        activations.deserialize(keras_lambda["config"]["function"])


def test_reserved_values_round_trip_and_arrays_are_checked():
    values = {"t": (1, 2), "array": np.arange(6, dtype=np.int32).reshape(2, 3), "scalar": np.float32(1.5),
              "bytes": b"abc", "slice": slice(1, None, 2), "dots": Ellipsis, "dtype": np.dtype("float64")}
    config = json.loads(json.dumps(serialize_keras_object(values)))
    assert config["scalar"] == 1.5 and config["dtype"] == "float64" and config["t"] == [1, 2]
    again = deserialize_keras_object(config)
    np.testing.assert_array_equal(again["array"], values["array"])
    assert again["array"].dtype == np.int32
    assert (again["bytes"], again["slice"], again["dots"]) == (b"abc", slice(1, None, 2), Ellipsis)
    tensor = deserialize_keras_object(serialize_keras_object(dendrite.constant(np.ones((2, 2)))))
    assert isinstance(tensor, dendrite.Tensor) and tensor.shape == (2, 2)
    with pytest.raises(ValueError, match=r"numeric or bool dtype; received dtype='O'"):
        deserialize_keras_object({"class_name": "__numpy__", "config": {"value": [1], "dtype": "O"}})


def test_unreadable_configs_fail_with_dendrites_message():
    with pytest.raises(TypeError, match=r"'class_name' must be a string; received 3"):
        deserialize_keras_object({"class_name": 3, "config": {}})
    with pytest.raises(TypeError, match=r"a function's config must be its name"):
        deserialize_keras_object({"class_name": "function", "config": {"x": 1}})
    with pytest.raises(TypeError, match=r"the 'config' of a Dense must be a dict; received 'units'"):
        deserialize_keras_object({"module": "keras.layers", "class_name": "Dense", "config": "units"})
    with pytest.raises(TypeError, match=r"serialize_keras_object: expected an instance or a function; received the "
                                        r"class MaxNorm"):
        serialize_keras_object(constraints.MaxNorm)
    with pytest.raises(TypeError, match=r"Cannot serialize <object.*must define get_config"):
        serialize_keras_object(object())
    with pytest.raises(TypeError, match=r"unexpected argument\(s\) \['bogus'\]"):
        deserialize_keras_object({}, bogus=1)


def test_build_config_rebuilds_the_layers_weights():
    dense = layers.Dense(3, name="built")
    dense(np.ones((2, 5), np.float32))
    config = json.loads(json.dumps(serialize_keras_object(dense)))
    assert config["build_config"] == {"input_shape": [2, 5]}  # the shape it was built on, as Keras writes it
    again = deserialize_keras_object(config)
    assert again.built and again.kernel.shape == (5, 3)


# ----------------------------------------------------------------- every family, custom classes
class _Halving(schedules.LearningRateSchedule):
    def __init__(self, start=1.0):
        self.start = start

    def __call__(self, step):
        return self.start / 2.0 ** step

    def get_config(self):
        return {"start": self.start}


class _FillInitializer(initializers.Initializer):
    def __init__(self, fill=0.5):
        self.fill = fill

    def __call__(self, shape, dtype=None):
        return np.full(shape, self.fill, dtype=dtype or "float32")

    def get_config(self):
        return {"fill": self.fill}


class _Total(metrics.Sum):
    pass


class _SlowSGD(optimizers.SGD):
    pass


CUSTOM = {  # family, a custom object, what identifies it after the round trip
    "initializer": (initializers, lambda: _FillInitializer(0.25), lambda o: o.fill),
    "regularizer": (regularizers, lambda: Offset(0.75), lambda o: o.k),
    "constraint": (constraints, lambda: Unregistered(2.0), lambda o: o.cap),
    "loss": (losses, lambda: AbsError(name="ae"), lambda o: o.name),
    "metric": (metrics, lambda: _Total(name="total"), lambda o: o.name),
    "schedule": (schedules, lambda: _Halving(4.0), lambda o: o(2)),
    "optimizer": (optimizers, lambda: _SlowSGD(learning_rate=_Halving(8.0), momentum=0.5),
                  lambda o: (o.momentum, o.learning_rate)),
}


@pytest.mark.parametrize("case", sorted(CUSTOM))
def test_every_family_finds_custom_classes_by_registration_or_scope(case):
    family, make, identity = CUSTOM[case]
    get = getattr(family, "get", family.deserialize)  # schedules have no get, as in Keras
    obj = make()
    config = json.loads(json.dumps(family.serialize(obj)))
    assert config["module"] == __name__ and config["class_name"] == type(obj).__name__
    name = type(obj).__name__
    if saving.get_registered_name(type(obj)) == name:  # not registered
        with pytest.raises(ValueError, match=rf"class '{name}'.*custom_objects=\{{'{name}': {name}\}}"):
            family.deserialize(config)
        objects = {name: type(obj), "_Halving": _Halving}
        with saving.custom_object_scope(objects):
            again = get(config)
        assert identity(family.deserialize(config, custom_objects=objects)) == identity(obj)
    else:
        again = get(config)
    assert type(again) is type(obj) and identity(again) == identity(obj)


@pytest.mark.parametrize("case", sorted(KERAS_WROTE))
def test_configs_dendrite_writes_load_in_real_keras(case, real_keras):
    """Skipped without Keras (never installed in CI)."""
    real = real_keras
    make, written = KERAS_WROTE[case]
    theirs = real.saving.deserialize_keras_object(json.loads(json.dumps(serialize_keras_object(make()))))
    assert json.loads(json.dumps(real.saving.serialize_keras_object(theirs))) == json.loads(written)


def test_wrapper_configs_load_in_real_keras(real_keras):
    """Skipped without Keras: the loss and metric wrappers name their function as Keras 3.15.1 does."""
    real = real_keras
    loss = real.saving.deserialize_keras_object(serialize_keras_object(
        losses.LossFunctionWrapper(losses.mean_absolute_error, name="my_mae")))
    assert loss.fn is real.losses.mean_absolute_error and loss.name == "my_mae"
    metric = real.saving.deserialize_keras_object(serialize_keras_object(
        metrics.MeanMetricWrapper(metrics.binary_accuracy, name="w")))
    assert metric._fn is real.metrics.binary_accuracy and metric.name == "w"
