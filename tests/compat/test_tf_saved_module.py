"""tf.saved_model.save / load of a tf.Module with tf.function methods, as the TF SavedModel guide writes it."""
import numpy as np
import pytest


def _module_class(tf, register=False):
    class Linear(tf.Module):
        def __init__(self, units, name=None):
            super().__init__(name=name)
            self.w = tf.Variable(tf.ones([2, units]), name="w")
            self.b = tf.Variable(tf.zeros([units]), name="b", trainable=False)
            self.layers = [tf.Module(name="inner")]
            self.config = {"units": units, "scale": 2.0}

        @tf.function(input_signature=[tf.TensorSpec([None, 2], tf.float32)])
        def __call__(self, x):
            return tf.matmul(x, self.w) + self.b

        def get_config(self):  # (what Keras's registry asks of a registered class)
            return dict(self.config)

        @tf.function
        def scaled(self, x):
            return self(x) * self.config["scale"]
    # a class made inside a function is found at load through Keras's registry (one at a module's top level
    # through its module, without registering)
    return tf.keras.utils.register_keras_serializable(package="tests_saved_module")(Linear) if register else Linear


def test_module_saves_and_loads_with_its_methods(tf, tmp_path):
    Linear = _module_class(tf, register=True)
    module = Linear(3, name="lin")
    module.w.assign(np.arange(6.0).reshape(2, 3))
    tf.saved_model.save(module, str(tmp_path))
    assert tf.saved_model.contains_saved_model(str(tmp_path))
    loaded = tf.saved_model.load(str(tmp_path))
    assert isinstance(loaded, Linear) and loaded.name == "lin"
    x = tf.constant([[1.0, 2.0]])
    np.testing.assert_allclose(loaded(x).numpy(), module(x).numpy())
    np.testing.assert_allclose(loaded.scaled(x).numpy(), 2 * module(x).numpy())
    assert [v.name for v in loaded.trainable_variables] == ["w"] and len(loaded.variables) == 2
    assert loaded.config == {"units": 3, "scale": 2.0}
    out = loaded.signatures["serving_default"](x=x)
    assert list(out) == ["output_0"]
    np.testing.assert_allclose(out["output_0"].numpy(), module(x).numpy())
    listed = dict(tf.train.list_variables(str(tmp_path / "variables" / "variables")))
    assert listed == {"w/.ATTRIBUTES/VARIABLE_VALUE": [2, 3], "b/.ATTRIBUTES/VARIABLE_VALUE": [3]}


def test_a_module_whose_class_is_gone_keeps_its_variables(tf, tmp_path):
    Linear = _module_class(tf)
    Linear.__qualname__ = "NotDefinedAnywhere"  # as a program that does not define the class sees the file
    tf.saved_model.save(Linear(2), str(tmp_path))
    loaded = tf.saved_model.load(str(tmp_path))
    assert type(loaded).__name__ == "RestoredModule"
    np.testing.assert_array_equal(loaded.w.numpy(), np.ones((2, 2)))
    with pytest.raises(NotImplementedError, match="define or import the class"):
        loaded(tf.constant([[1.0, 2.0]]))
    with pytest.raises(NotImplementedError, match="`scaled` of the loaded module"):
        loaded.scaled
    with pytest.raises(AttributeError):
        loaded.not_saved


def test_what_a_module_cannot_save_is_refused(tf, tmp_path):
    class Holder(tf.Module):
        def __init__(self):
            super().__init__()
            self.data = object()
    with pytest.raises(NotImplementedError, match="holding a object .at `data`"):
        tf.saved_model.save(Holder(), str(tmp_path))


def test_signatures_record_their_outputs_as_tensorflow_traces_them(tf, tmp_path):
    """TF's SavedModel guide: structured_outputs of a saved signature (TF 2.21 gives
    {'custom_output_name': TensorSpec(shape=<unknown>, dtype=tf.float32, name='custom_output_name')})."""
    class WithOutputName(tf.Module):
        def __init__(self):
            super().__init__()
            self.v = tf.Variable(1.0)
            self.calls = 0

        @tf.function(input_signature=[tf.TensorSpec(None, tf.float32)])
        def __call__(self, x):
            self.v.assign_add(1.0)  # state a probe must not leave changed
            return {"custom_output_name": x * self.v}

        @tf.function
        def rows(self, x):
            return x[:, :1] * self.v

    module = WithOutputName()
    signatures = {"serving_default": module.__call__.get_concrete_function(tf.TensorSpec(None, tf.float32)),
                  "rows": module.rows.get_concrete_function(tf.TensorSpec([None, 3], tf.float32))}
    tf.saved_model.save(module, str(tmp_path), signatures=signatures)
    assert float(module.v.numpy()) == 1.0  # the variables are as they were before save
    loaded = tf.saved_model.load(str(tmp_path))
    (name, spec), = loaded.signatures["serving_default"].structured_outputs.items()
    assert name == "custom_output_name" and spec.shape.rank is None and spec.dtype == tf.float32
    assert repr(spec).startswith("TensorSpec(shape=<unknown>") and spec.is_compatible_with(tf.ones((4, 2)))
    rows = loaded.signatures["rows"].structured_outputs
    assert list(rows) == ["output_0"] and rows["output_0"].shape.as_list() == [None, 1]
    assert float(loaded.v.numpy()) == 1.0
    with pytest.raises(ValueError, match="as_list\\(\\) is not defined on an unknown TensorShape"):
        spec.shape.as_list()
