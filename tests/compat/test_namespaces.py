"""The keras-shaped namespace: every era's module path, legacy spellings, keras.backend, preprocessing."""
import importlib
import sys

import numpy as np
import pytest

import dendrite
import dendrite.compat


@pytest.mark.parametrize("path", [
    "keras.layers.core", "keras.layers.convolutional", "keras.layers.pooling", "keras.layers.recurrent",
    "keras.layers.normalization", "keras.layers.embeddings", "keras.layers.merge", "keras.layers.advanced_activations",
    "keras.layers.wrappers", "keras.layers.noise", "keras.utils.np_utils", "keras.optimizers.legacy",
    "keras.backend", "keras.preprocessing.image", "keras.preprocessing.sequence", "tensorflow.keras.layers",
    "tensorflow.keras.callbacks", "tensorflow.python.keras.losses", "tf_keras.models", "tensorflow.compat.v1",
    "tensorflow.nn", "tensorflow.keras.optimizers.schedules"])
def test_every_era_module_path_imports(keras, path):
    assert importlib.import_module(path) is not None


@pytest.mark.parametrize("statement, name", [
    ("from keras.engine.topology import Layer, InputSpec", "Layer"),  # Keras 2.0-2.2
    ("from keras.engine import Layer", "Layer"),
    ("from keras.engine.training import Model", "Model"),
    ("from keras.engine.network import Network as Model", "Model"),
    ("from keras.engine.input_layer import Input", "Input"),
    ("from tensorflow.python.keras.engine.base_layer import Layer", "Layer"),
    ("from keras.layers.core.dense import Dense", "Dense"),  # Keras 2.6+'s one file per class
    ("from keras.layers.normalization.batch_normalization import BatchNormalization", "BatchNormalization"),
    ("from keras.layers.rnn.lstm import LSTM", "LSTM"),
    ("from keras.layers.reshaping.flatten import Flatten", "Flatten"),
    ("from keras.optimizers.optimizer_v2.adam import Adam", "Adam"),
    ("from keras.optimizers.adam import Adam", "Adam"),  # (keras.optimizers.adam, the Keras 2 alias, is a class)
    ("from tensorflow.keras.optimizers.experimental import AdamW", "AdamW"),
    ("from keras.callbacks.callbacks import EarlyStopping", "EarlyStopping"),  # Keras 2.3
    ("from keras.src.layers import Dense", "Dense"),  # Keras 3's internal path
    ("from tf_keras.src.engine.base_layer import Layer", "Layer"),
    ("from keras.utils.generic_utils import Progbar", "Progbar"),  # keras.utils's modules
    ("from keras.models import Input", "Input"),  # Keras 2's keras.models held Input too
    ("from keras_preprocessing.image import ImageDataGenerator", "ImageDataGenerator"),  # Keras 2's own package
    ("from keras_preprocessing.sequence import pad_sequences", "pad_sequences"),
    ("from keras_preprocessing.text import Tokenizer", "Tokenizer"),
])
def test_keras_module_files_and_internal_paths_import_the_public_names(keras, statement, name):
    scope = {}
    exec(statement, scope)
    public = {"Model": keras.Model, "Input": keras.Input, "AdamW": keras.optimizers.AdamW, "Adam": keras.optimizers.Adam,
              "EarlyStopping": keras.callbacks.EarlyStopping, "Progbar": keras.utils.Progbar,
              "ImageDataGenerator": keras.preprocessing.image.ImageDataGenerator,
              "pad_sequences": keras.preprocessing.sequence.pad_sequences,
              "Tokenizer": keras.preprocessing.text.Tokenizer}
    assert scope[name] is (public[name] if name in public else getattr(keras.layers, name))
    assert importlib.import_module("keras.layers.core").__spec__.name == "keras.layers.core"


def test_keras_2_print_summary_and_count_params(keras, capsys):
    from keras.utils.layer_utils import count_params, print_summary
    model = keras.Sequential([keras.layers.Dense(3, input_dim=4), keras.layers.Dense(1)])
    print_summary(model)
    assert "Total params: 19" in capsys.readouterr().out
    assert count_params(model.layers[0].weights) == 15


def test_a_module_file_does_not_invent_names(keras):
    with pytest.raises(NotImplementedError, match=r"keras.layers.core.NoSuchLayer` is not supported"):
        exec("from keras.layers.core.dense import NoSuchLayer", {})
    with pytest.raises(NotImplementedError, match=r"`keras.engine.not_there` is not supported"):
        exec("from keras.engine import not_there", {})


def test_install_is_idempotent_and_uninstall_removes_everything():
    dendrite.compat.install()
    dendrite.compat.install()
    import tensorflow
    assert tensorflow.keras.Sequential is dendrite.Sequential
    dendrite.compat.uninstall()
    assert "tensorflow" not in sys.modules and not hasattr(dendrite.Model, "predict_classes")
    with pytest.raises(ImportError):
        import tensorflow  # noqa: F811,F401


def test_legacy_layer_spellings(keras):
    from keras.layers import Dense, Convolution2D, LSTM, Dropout, MaxPooling2D, GaussianNoise
    d = Dense(output_dim=3, input_dim=4, init="he_normal", W_regularizer=keras.regularizers.l2(0.01), bias=False)
    assert (type(d).__name__, d.units, d.use_bias, d.kernel_initializer.__class__.__name__) == \
        ("Dense", 3, False, "HeNormal")
    c = Convolution2D(8, 3, 3, border_mode="same", subsample=(2, 2), dim_ordering="tf")
    assert (c.filters, c.kernel_size, c.padding, c.strides) == (8, (3, 3), "same", (2, 2))
    assert LSTM(output_dim=5, inner_init="orthogonal").units == 5 and Dropout(p=0.25).rate == 0.25
    assert MaxPooling2D().pool_size == (2, 2) and GaussianNoise(sigma=0.1).stddev == 0.1
    with pytest.raises(TypeError, match="both `output_dim`"):
        Dense(3, output_dim=4, units=5)


def test_keras_2_lower_case_constraint_names(keras, capsys):
    """``from keras.constraints import maxnorm`` (Keras 2's dropout tutorials): the classes they aliased."""
    from keras.constraints import maxnorm, nonneg, unitnorm
    from keras.layers import Dense
    d = Dense(3, kernel_constraint=maxnorm(3), bias_constraint=nonneg())
    assert d.kernel_constraint.get_config() == {"max_value": 3, "axis": 0}
    assert type(d.bias_constraint).__name__ == "NonNeg" and type(unitnorm(axis=1)).__name__ == "UnitNorm"
    w = np.array([[3.0, 0.0], [4.0, 1.0]])  # column norms 5 and 1: the first is scaled to 3
    np.testing.assert_allclose(np.asarray(d.kernel_constraint(w)), [[1.8, 0.0], [2.4, 1.0]], rtol=1e-3)
    assert "`maxnorm` is the Keras 2 spelling of `MaxNorm`" in capsys.readouterr().err


def test_keras_2_regularizer_factor_spelled_l(keras, capsys):
    """Keras 2's ``regularizers.l2(l=...)`` (tf_keras 2.21 still reads it: L2 {'l2': 0.5})."""
    from keras import regularizers
    assert regularizers.l2(l=0.5).get_config() == {"l2": 0.5} and regularizers.l1(l=0.25).get_config() == {"l1": 0.25}
    assert regularizers.l2(0.1).get_config() == {"l2": 0.1}
    assert "`l` is the Keras 2 spelling; dendrite reads it as `l2`" in capsys.readouterr().err


def test_legacy_layers_save_as_keras_3_layers(keras, tmp_path):
    from keras.layers import Dense
    model = keras.Sequential([keras.Input((4,)), Dense(output_dim=2)])
    path = str(tmp_path / "m.keras")
    model.save(path)
    loaded = keras.models.load_model(path)
    assert type(loaded.layers[0]) is dendrite.layers.Dense
    np.testing.assert_allclose(loaded.predict(np.ones((1, 4)), verbose=0), model.predict(np.ones((1, 4)), verbose=0))


def test_backend_functions(keras):
    K = keras.backend
    assert K.image_dim_ordering() == "tf" and K.epsilon() == 1e-7 and K.floatx() == "float32"
    x = K.variable(np.array([[1.0, 2.0], [3.0, 4.0]]))
    assert K.int_shape(x) == (2, 2)
    np.testing.assert_allclose(K.get_value(K.mean(x, axis=0)), [2.0, 3.0])
    np.testing.assert_allclose(K.get_value(K.dot(x, x)), np.array([[7, 10], [15, 22]]))
    a, b = np.random.rand(3, 4, 5), np.random.rand(3, 5, 2)
    np.testing.assert_allclose(K.get_value(K.batch_dot(a, b)), np.einsum("bij,bjk->bik", a, b), rtol=1e-6)
    np.testing.assert_allclose(K.get_value(K.batch_dot(a[:, 0], a[:, 1])),
                               (a[:, 0] * a[:, 1]).sum(1, keepdims=True), rtol=1e-6)
    K.set_value(x, np.zeros((2, 2)))
    assert K.get_value(x).sum() == 0
    with pytest.raises(NotImplementedError, match="GradientTape"):
        K.gradients(None, None)


def test_k_function_runs_the_graph_between_tensors(keras):
    inp = keras.Input((3,))
    hidden = keras.layers.Dense(2, activation="relu")(inp)
    out = keras.layers.Dense(1)(hidden)
    model = keras.Model(inp, out)
    get_hidden = keras.backend.function([model.input], [hidden])
    x = np.random.rand(4, 3).astype("float32")
    expected = np.maximum(x @ model.layers[1].kernel.numpy() + model.layers[1].bias.numpy(), 0)
    np.testing.assert_allclose(get_hidden([x])[0], expected, rtol=1e-5)


def test_optimizer_lr_and_set_value(keras):
    from keras.optimizers import Adam
    opt = Adam(lr=0.01, decay=0.1)
    assert float(opt.lr) == pytest.approx(0.01) and opt.decay == 0.1
    keras.backend.set_value(opt.lr, 0.5)
    assert opt.learning_rate == pytest.approx(0.5)


def test_keras_2_lower_case_optimizer_names_are_the_classes(keras):
    """Keras 2 (up to 2.3) named each optimizer class in lower case too (the Keras Cookbook's
    keras.optimizers.rmsprop(lr=0.0001, decay=1e-6)); they were dendrite's submodules ('module' not callable)."""
    from keras import optimizers
    opt = optimizers.rmsprop(lr=0.0001, decay=1e-6)
    assert type(opt) is optimizers.RMSprop and float(opt.learning_rate) == pytest.approx(1e-4) and opt.decay == 1e-6
    for alias, cls in [("sgd", "SGD"), ("adagrad", "Adagrad"), ("adadelta", "Adadelta"), ("adam", "Adam"),
                       ("adamax", "Adamax"), ("nadam", "Nadam")]:
        assert getattr(optimizers, alias) is getattr(optimizers, cls)
        assert getattr(optimizers.legacy, alias) is getattr(optimizers, cls)
    model = keras.models.Sequential([keras.layers.Dense(1, input_dim=2)])
    model.compile(optimizer=optimizers.sgd(lr=0.1), loss="mse")
    before = model.get_weights()[0].copy()
    model.fit(np.ones((4, 2)), np.ones(4), verbose=0)
    assert not np.allclose(model.get_weights()[0], before)


def test_set_value_changes_optimizer_learning_rate_in_a_callback(keras):
    class Exponential(keras.callbacks.Callback):
        def on_batch_begin(self, batch, logs=None):
            lr = keras.backend.get_value(self.model.optimizer.learning_rate)
            keras.backend.set_value(self.model.optimizer.learning_rate, lr * 0.5)

    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    model.compile(keras.optimizers.SGD(0.8), "mse")
    model.fit(np.random.rand(8, 2), np.random.rand(8, 1), batch_size=4, epochs=1, verbose=0,
              callbacks=[Exponential()])
    assert model.optimizer.learning_rate == pytest.approx(0.2)  # halved before each of the 2 batches
    model.optimizer.learning_rate.assign(0.05)
    assert float(model.optimizer.lr) == pytest.approx(0.05)


def test_history_answers_acc_and_accuracy(keras):
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(2, activation="softmax")])
    model.compile("sgd", "sparse_categorical_crossentropy", metrics=["accuracy"])
    h = model.fit(np.random.rand(8, 2), np.arange(8) % 2, epochs=2, validation_split=0.25, verbose=0)
    assert h.history["acc"] == h.history["accuracy"] and len(h.history["val_acc"]) == 2
    assert "val_acc" in h.history


def test_history_answers_lr_for_the_learning_rate_a_scheduler_logs(keras):
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    model.compile(keras.optimizers.SGD(0.1), "mse")
    schedule = keras.callbacks.LearningRateScheduler(lambda epoch: 0.1 * 0.5 ** epoch)
    h = model.fit(np.random.rand(8, 2), np.random.rand(8, 1), epochs=3, verbose=0, callbacks=[schedule])
    assert h.history["lr"] == pytest.approx([0.1, 0.05, 0.025]) and h.history["lr"] == h.history["learning_rate"]
    assert "lr" in h.history
    plateau = keras.callbacks.ReduceLROnPlateau(factor=0.5, patience=5)
    h = model.fit(np.random.rand(8, 2), np.random.rand(8, 1), epochs=2, verbose=0, callbacks=[plateau],
                  validation_data=(np.random.rand(4, 2), np.random.rand(4, 1)))
    assert len(h.history["lr"]) == 2 and sorted(h.history) == ["learning_rate", "loss", "val_loss"]


def test_pad_sequences_as_keras(keras):
    from keras.preprocessing.sequence import pad_sequences
    np.testing.assert_array_equal(pad_sequences([[1, 2, 3], [4]], maxlen=2), [[2, 3], [0, 4]])
    np.testing.assert_array_equal(pad_sequences([[1, 2, 3], [4]], padding="post", truncating="post"),
                                  [[1, 2, 3], [4, 0, 0]])


def test_image_data_generator_flow_rescale_and_augmentation(keras):
    from keras.preprocessing.image import ImageDataGenerator
    x = np.arange(2 * 4 * 4, dtype="float32").reshape(2, 4, 4, 1)
    plain = ImageDataGenerator(rescale=1 / 2.0).flow(x, np.array([0, 1]), batch_size=2, shuffle=False)
    xb, yb = plain[0]
    np.testing.assert_allclose(xb, x / 2) and np.testing.assert_array_equal(yb, [0, 1])
    assert len(plain) == 1
    flipped = ImageDataGenerator(horizontal_flip=True)
    img = x[0]
    outs = {flipped.random_transform(img).tobytes() for _ in range(20)}
    assert outs == {img.tobytes(), img[:, ::-1].tobytes()}
    shifted = ImageDataGenerator(fill_mode="constant", cval=-1).apply_transform(img, {"ty": 1})
    np.testing.assert_array_equal(shifted[:-1, :, 0], img[1:, :, 0]) and np.testing.assert_array_equal(shifted[-1], -1)


# (transform, [(row, col, value) of the nonzero pixels]) of an 8x10 image with one pixel at (2, 3), from
# tf.keras.preprocessing.image.ImageDataGenerator().apply_transform in TF 2.21 (Keras 3.15, scipy's bilinear
# sampling): 'tx', drawn from height_shift_range, moves the columns and 'ty' the rows, as Keras's matrix does
KERAS_TRANSFORMS = [
    ({"tx": 2}, [(2, 1, 1.0)]), ({"ty": 2}, [(0, 3, 1.0)]), ({"theta": 90}, [(5, 1, 1.0)]),
    ({"tx": 1.5}, [(2, 1, 0.5), (2, 2, 0.5)]), ({"zx": 2.0, "zy": 1.0}, [(2, 3, 0.5)]),
    ({"shear": 20}, [(1, 1, 0.042), (1, 2, 0.169), (2, 2, 0.726), (2, 3, 0.123)])]


@pytest.mark.parametrize("params, expected", KERAS_TRANSFORMS)
def test_image_data_generator_transforms_as_keras(keras, params, expected):
    """Keras samples bilinearly (interpolation_order=1): a fractional shift, a zoom or a shear blends pixels."""
    from keras.preprocessing.image import ImageDataGenerator
    x = np.zeros((8, 10, 1), "float32")
    x[2, 3, 0] = 1.0
    y = ImageDataGenerator().apply_transform(x, params)
    got = [(int(a), int(b), round(float(y[a, b, 0]), 3)) for a, b in np.argwhere(y[..., 0] > 1e-6)]
    assert got == expected
    nearest = ImageDataGenerator(interpolation_order=0).apply_transform(x, {"tx": 1.4})
    assert np.argwhere(nearest[..., 0]).tolist() == [[2, 2]] and nearest.max() == 1.0


def test_image_data_generator_draws_as_keras(keras):
    from keras.preprocessing.image import ImageDataGenerator
    gen = ImageDataGenerator(rotation_range=30, width_shift_range=0.25, height_shift_range=[2, 3], zoom_range=0.2,
                             shear_range=10, horizontal_flip=True, brightness_range=(0.5, 1.5))
    draws = [gen.get_random_transform((8, 12, 1), seed=i) for i in range(200)]
    assert all(abs(d["theta"]) <= 30 and abs(d["shear"]) <= 10 and 0.8 <= min(d["zx"], d["zy"]) <= 1.2
               for d in draws)
    assert {abs(d["tx"]) for d in draws} == {2, 3}  # a list: one of its values, either sign, in pixels
    assert max(abs(d["ty"]) for d in draws) <= 3.0 and len({d["ty"] for d in draws}) > 100  # 0.25 of 12 columns
    assert {d["flip_horizontal"] for d in draws} == {True, False} and not any(d["flip_vertical"] for d in draws)
    assert all(0.5 <= d["brightness"] <= 1.5 for d in draws) and draws[0]["channel_shift_intensity"] is None
    x = np.random.default_rng(0).uniform(0, 255, (8, 12, 3)).astype("float32")
    np.testing.assert_allclose(gen.random_transform(x, seed=7), gen.apply_transform(x, draws[7]), rtol=1e-6)
    with pytest.raises(NotImplementedError, match=r"interpolation_order=3.*Orders 0 \(nearest\) and 1"):
        ImageDataGenerator(interpolation_order=3)


def test_flow_from_directory(keras, tmp_path):
    from PIL import Image
    from keras.preprocessing.image import ImageDataGenerator
    for cls in ("cats", "dogs"):
        (tmp_path / cls).mkdir()
        for i in range(3):
            Image.fromarray(np.full((6, 6, 3), 40 * i, np.uint8)).save(tmp_path / cls / f"{i}.png")
    flow = ImageDataGenerator(rescale=1 / 255.0).flow_from_directory(str(tmp_path), target_size=(4, 4),
                                                                     batch_size=4, shuffle=False)
    xb, yb = flow[0]
    assert xb.shape == (4, 4, 4, 3) and yb.shape == (4, 2) and flow.class_indices == {"cats": 0, "dogs": 1}
    assert xb.max() <= 1.0


def test_applications_not_built_are_refused_clearly(keras):
    with pytest.raises(NotImplementedError, match="build this network with keras.layers"):
        keras.applications.InceptionResNetV2  # noqa: B018


def test_an_unsupported_module_is_an_import_error_so_guarded_imports_fall_back(tf):
    import importlib
    import importlib.util
    with pytest.raises(ImportError, match=r"tensorflow\.python\.framework.*docs/compat\.md") as caught:
        importlib.import_module("tensorflow.python.framework.ops")
    assert isinstance(caught.value, NotImplementedError)  # and still the error every unsupported API raises
    with pytest.raises(ModuleNotFoundError):
        importlib.util.find_spec("tensorflow.python.eager")
    try:  # the guard older programs use
        from tensorflow.python.framework import ops  # noqa: F401
        fell_back = False
    except ImportError:
        fell_back = True
    assert fell_back


def test_backend_functions_on_keras_tensors_become_layers_of_the_model(keras):
    from keras import backend as K
    inputs = keras.Input((4,))
    hidden = keras.layers.Dense(3, kernel_initializer="ones")(inputs)
    out = K.sum(K.square(hidden), axis=-1, keepdims=True) - K.mean(hidden, axis=-1, keepdims=True)
    model = keras.Model(inputs, out)
    assert K.int_shape(hidden) == (None, 3) and K.int_shape(out) == (None, 1)
    x = np.array([[1.0, 0.0, 1.0, 0.0]], "float32")  # each hidden unit is 2
    np.testing.assert_allclose(model(x).numpy(), [[3 * 4.0 - 2.0]])


def test_tf_as_string_is_tf_strings_as_string(tf):
    # values as TensorFlow 2.21 writes them: floats with six decimals, width / fill padding
    assert tf.as_string(tf.constant([1.5, 2.0])).numpy().tolist() == [b"1.500000", b"2.000000"]
    assert tf.as_string(3, width=4, fill="0").numpy() == b"0003"
    assert "as_string" in dir(tf)


def test_tf_logging_of_tensorflow_python_platform(tf):
    from tensorflow.python.platform import tf_logging
    tf_logging.set_verbosity(tf_logging.INFO)
    assert tf_logging.INFO == 20 and tf_logging.get_logger().name == "tensorflow"
    tf_logging.set_verbosity(tf_logging.WARN)
