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
    assert [v.name for v in loaded.trainable_variables] == ["w:0"] and len(loaded.variables) == 2
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


def _sampler_class(tf):
    class Sampler(tf.Module):
        def __init__(self):
            super().__init__()
            self.g = tf.random.Generator.from_seed(0)
            self.scale = tf.Variable(2.0)

        def get_config(self):  # (asked of a class Keras's registry finds it through)
            return {}

        @tf.function
        def __call__(self):
            return self.g.normal([]) * self.scale

        @tf.function
        def state(self):
            return self.g.state

        @tf.function(input_signature=[tf.TensorSpec([None], tf.float32)])
        def noisy(self, x):
            return x + self.g.normal(tf.shape(x))
    return tf.keras.utils.register_keras_serializable(package="tests_saved_module")(Sampler)


def test_a_module_holding_a_generator_continues_its_stream_after_load(tf, tmp_path):
    """TF 2.21: the generator's state is saved as g/_state_var (shape [3]); the loaded module's draws repeat
    those the original made after the save point, and its state() is an int64 Tensor, not a Variable."""
    Sampler = _sampler_class(tf)
    module = Sampler()
    module()  # one draw before saving: the state saved is the advanced one
    before = module.state()
    assert isinstance(before, tf.Tensor) and not isinstance(before, tf.Variable) and before.dtype == tf.int64
    tf.saved_model.save(module, str(tmp_path))
    np.testing.assert_array_equal(module.state().numpy(), before.numpy())  # the signature's probe drew nothing
    after_save = [float(module().numpy()) for _ in range(2)]
    listed = dict(tf.train.list_variables(str(tmp_path / "variables" / "variables")))
    assert listed == {"g/_state_var/.ATTRIBUTES/VARIABLE_VALUE": [3], "scale/.ATTRIBUTES/VARIABLE_VALUE": []}
    loaded = tf.saved_model.load(str(tmp_path))
    assert isinstance(loaded.g, tf.random.Generator) and loaded.g.algorithm == module.g.algorithm
    np.testing.assert_array_equal(loaded.state().numpy(), before.numpy())
    assert [float(loaded().numpy()) for _ in range(2)] == after_save
    np.testing.assert_array_equal(loaded.state().numpy(), module.state().numpy())
    assert len(set(after_save)) == 2  # the stream advances between draws
    noisy = loaded.signatures["serving_default"](x=tf.zeros([4]))["output_0"]
    assert noisy.shape == (4,) and noisy.dtype == tf.float32 and len(set(noisy.numpy().tolist())) == 4


def test_a_program_saves_and_loads_its_generator_module_under_dendrite_run(tmp_path):
    """The random-numbers guide's flow through `dendrite run`: the class is found in the program's __main__."""
    from .test_run import run
    code, out, err = run("tf2_random_module.py", str(tmp_path / "saved"))
    assert code == 0, err
    assert "logical ['/device:CPU:0', '/device:CPU:1', '/device:CPU:2']" in out
    assert "class Noise state Tensor" in out
    assert "same stream True" in out and "same state True" in out


def test_save_options_are_accepted_and_a_custom_gradient_survives_the_round_trip(tf, tmp_path):
    """TF's advanced-autodiff guide: tf.saved_model.save(..., options=tf.saved_model.SaveOptions(
    experimental_custom_gradients=True)); the loaded module's method keeps its custom gradient (TF 2.21 prints
    tf.Tensor(2.0) for the gradient of clip_by_norm's gradient at v = 2)."""
    @tf.custom_gradient
    def clip_gradients(y):
        def backward(dy):
            return tf.clip_by_norm(dy, 0.5)
        return y, backward

    class Clipped(tf.Module):
        @tf.function(input_signature=[tf.TensorSpec(None)])
        def call_custom_grad(self, x):
            return clip_gradients(x)

        def get_config(self):  # (what Keras's registry asks of a registered class)
            return {}

    tf.keras.utils.register_keras_serializable(package="tests_save_options")(Clipped)  # found at load
    options = tf.saved_model.SaveOptions(experimental_custom_gradients=True)
    assert options.experimental_custom_gradients is True
    tf.saved_model.save(Clipped(), str(tmp_path), options=options)
    loaded = tf.saved_model.load(str(tmp_path), options=tf.saved_model.LoadOptions())
    v = tf.Variable(2.0)
    with tf.GradientTape() as tape:
        out = loaded.call_custom_grad(v * v)
    assert float(tape.gradient(out, v).numpy()) == pytest.approx(2.0)
