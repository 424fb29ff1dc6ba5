"""Tensors as TensorFlow 2's eager tensors while the hooks are installed (dendrite.compat.eager), and the
files tf.data / tf.io read by URL from --data-dir (dendrite.compat.tf_files), through the `tensorflow`
namespace."""
import numpy as np
import pytest

import dendrite
from dendrite.autodiff import Tensor


def test_equality_is_elementwise_and_hashing_stays_by_identity(tf):
    a, b = tf.constant([1, 2, 3]), tf.constant([1, 0, 3])
    eq = a == b
    assert isinstance(eq, Tensor) and eq.numpy().tolist() == [True, False, True]
    assert (a != b).numpy().tolist() == [False, True, False]
    assert (a == 2).numpy().tolist() == [False, True, False] and (a == None) is False  # noqa: E711
    # shapes that do not broadcast compare unequal, a scalar bool tensor, as in TF 2.21 (hogum's KNN notebook)
    assert (a == np.zeros((2, 2))).numpy() is np.False_ and (a != np.zeros((2, 2))).numpy() is np.True_
    assert {a: "a", b: "b"}[b] == "b"  # still usable as dict keys
    v, w = tf.Variable([1.0, 2.0]), tf.Variable([1.0, 2.0])
    assert (v == w) is False and v in [w, v] and [w, v].index(v) == 1  # weights compare by identity
    # ... but elementwise with numbers, lists and arrays, as TF's: the Applied Deep Learning book's Sudoku
    # solver finds its empty cells with tf.where(grid == 0)
    grid = tf.Variable([[1, 0], [0, 2]])
    assert tf.where(grid == 0).numpy().tolist() == [[0, 1], [1, 0]]
    assert (grid != [1, 0]).numpy().tolist() == [[False, False], [True, True]]
    assert (v == np.array([1.0, 5.0])).numpy().tolist() == [True, False] and (v == None) is False  # noqa: E711


def test_equality_is_identity_again_after_uninstall():
    dendrite.compat.install()
    dendrite.compat.uninstall()
    a = Tensor(np.array([1, 2]))
    assert (a == Tensor(np.array([1, 2]))) is False and a == a


def test_scalars_strings_format_indexing_and_rpow(tf):
    assert tf.constant("hi").numpy() == b"hi" and tf.constant(["a", "b"])[1].numpy() == b"b"
    assert isinstance(tf.constant(2.5).numpy(), np.float32)
    assert f"{tf.constant(2.0):.3f}" == "2.000" and f"{tf.constant([1, 2])}" == "[1 2]"
    assert tf.constant([[1, 2], [3, 4]])[tf.constant(1)].numpy().tolist() == [3, 4]
    np.testing.assert_allclose((2.0 ** tf.constant([1.0, 3.0])).numpy(), [2.0, 8.0])


def test_metric_results_answer_numpy(tf):
    m = tf.keras.metrics.Mean()
    r = m([1.0, 2.0, 6.0])
    assert float(r.numpy()) == pytest.approx(3.0) and r.numpy().dtype == np.float32 and r + 1 == pytest.approx(4.0)
    acc = tf.keras.metrics.SparseCategoricalAccuracy()
    acc.update_state([1, 0], [[0.2, 0.8], [0.3, 0.7]])
    assert acc.result().numpy() == pytest.approx(0.5)
    # printed as TF 2.21 prints it (a corpus 34 program printed metric(y, p) * 100)
    assert str(acc.result() * 100) == "tf.Tensor(50.0, shape=(), dtype=float32)" and f"{acc.result():.2f}" == "0.50"
    model = tf.keras.Sequential([tf.keras.Input((2,)), tf.keras.layers.Dense(2, activation="softmax")])
    model.compile("sgd", "sparse_categorical_crossentropy", metrics=["accuracy"])
    history = model.fit(np.ones((4, 2), np.float32), np.array([0, 1, 0, 1]), epochs=1, verbose=0)
    assert all(type(v[0]) is float for v in history.history.values())  # the logs keep Python floats


def test_dataset_iteration_gives_tensors_and_fit_reads_arrays(tf):
    x = np.arange(12, dtype="float32").reshape(6, 2)
    ds = tf.data.Dataset.from_tensor_slices((x, np.arange(6))).batch(4)
    first_x, first_y = next(iter(ds))
    assert isinstance(first_x, Tensor) and first_x.numpy().shape == (4, 2) and first_y.numpy().tolist() == [0, 1, 2, 3]
    assert isinstance(next(ds.as_numpy_iterator())[0], np.ndarray)
    model = tf.keras.Sequential([tf.keras.layers.Dense(1, input_shape=(2,))])
    model.compile(optimizer="sgd", loss="mse")
    assert len(model.fit(ds, epochs=2, verbose=0).history["loss"]) == 2


def test_files_named_by_url_are_read_from_the_data_dir(tf, tmp_path, monkeypatch):
    (tmp_path / "records.bin").write_bytes(b"HEAD" + bytes(range(6)))
    (tmp_path / "notes.txt").write_text("one\ntwo\n")
    monkeypatch.setenv("DENDRITE_DATA", str(tmp_path))
    ds = tf.data.FixedLengthRecordDataset("gs://bucket/records.bin", 3, header_bytes=4)
    assert [r.numpy() for r in ds] == [bytes([0, 1, 2]), bytes([3, 4, 5])]
    assert [line.numpy() for line in tf.data.TextLineDataset(["https://example.com/x/notes.txt"])] == [b"one", b"two"]
    assert tf.io.gfile.exists("gs://bucket/notes.txt") and not tf.io.gfile.exists("gs://bucket/none.txt")
    with tf.io.gfile.GFile("gs://bucket/notes.txt") as f:
        assert f.read() == "one\ntwo\n"
    assert tf.io.read_file("gs://bucket/notes.txt") == b"one\ntwo\n"
    with pytest.raises(FileNotFoundError, match="remote path and no file of that name is in --data-dir"):
        tf.io.gfile.GFile("gs://bucket/missing.csv")
    assert tf.io.decode_raw(b"\x01\x00\x02\x00", tf.int16, name="raw").numpy().tolist() == [1, 2]
    assert tf.data.Dataset is dendrite.data.Dataset


def test_clone_model_has_the_architecture_and_fresh_weights(keras):
    model = keras.Sequential([keras.layers.Dense(3, input_shape=(2,)), keras.layers.Dense(1)])
    clone = keras.models.clone_model(model)
    assert [type(layer).__name__ for layer in clone.layers] == ["Dense", "Dense"]
    assert [w.shape for w in clone.get_weights()] == [w.shape for w in model.get_weights()]
    assert not np.allclose(clone.get_weights()[0], model.get_weights()[0])

    class Mine(keras.Model):
        def call(self, x):
            return x
    with pytest.raises(ValueError, match="subclassed model"):
        keras.models.clone_model(Mine())


def test_top_level_keras_aliases(tf):
    assert tf.losses.MeanSquaredError is tf.keras.losses.MeanSquaredError
    assert tf.metrics.BinaryAccuracy is tf.keras.metrics.BinaryAccuracy
    assert tf.optimizers.Adam is tf.keras.optimizers.Adam


def test_shape_is_a_tensorshape_and_get_shape_gives_it(tf):
    w = tf.Variable(tf.zeros([3, 4]))
    x = tf.ones([2, 5, 7])
    assert w.get_shape().as_list() == [3, 4] and x.shape.as_list() == [2, 5, 7]
    assert x.shape.rank == 3 and x.shape.ndims == 3 and x.shape[-1] == 7 and x.shape == (2, 5, 7)
    assert isinstance(x.shape, tf.TensorShape) and x.shape.is_fully_defined()
    flat = tf.reshape(x, [-1, x.get_shape().as_list()[1] * x.shape[2]])
    assert flat.shape == (2, 35)
    # TF's text: str is the tuple's, repr (a notebook cell's last expression, a list of shapes) TensorShape's
    assert str(x.shape) == f"{x.shape}" == "(2, 5, 7)" and repr(x.shape) == "TensorShape([2, 5, 7])"
    assert repr([tf.TensorShape([None, 3]), tf.constant(1.0).shape]) == "[TensorShape([None, 3]), TensorShape([])]"
    assert repr(tf.TensorShape(None)) == "TensorShape(None)" and str(tf.TensorShape(None)) == "<unknown>"


def test_a_variable_slice_assigns_into_the_variable(tf):
    v = tf.Variable(tf.zeros((3, 2)))
    v[0, 0].assign(3.0)
    v[1:, 1].assign_add(tf.ones((2,)))
    v[2].assign_sub([0.5, 0.5])
    np.testing.assert_allclose(v.numpy(), [[3.0, 0.0], [0.0, 1.0], [-0.5, 0.5]])
    with pytest.raises(ValueError, match=r"assign on a slice of Variable.*\(2,\).*\(3,\)"):
        v[0].assign([1.0, 2.0, 3.0])
    with pytest.raises(AttributeError, match=r"'Tensor' object has no attribute 'assign'.*tf.Variable"):
        tf.ones((2,)).assign(1.0)


def test_a_scalar_gradient_converts_to_an_array(tf):
    w = tf.Variable(0.5)
    x = np.array([1.0, 2.0, 3.0])
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(tf.square(w * x - x))
    grad = tape.gradient(loss, [w])[0]
    assert np.asarray(grad).shape == () and np.asarray(grad) == pytest.approx(-14.0 / 3, rel=1e-5)
    tf.optimizers.SGD(0.1).apply_gradients(zip([grad], [w]))
    assert w.numpy() == pytest.approx(0.5 + 1.4 / 3, rel=1e-5)


def test_tensors_and_variables_print_as_tensorflow_prints_them(tf):
    assert str(tf.constant("hello world")) == "tf.Tensor(b'hello world', shape=(), dtype=string)"
    assert repr(tf.constant(4.0)) == "<tf.Tensor: shape=(), dtype=float32, numpy=4.0>"
    assert str(tf.constant([[1, 2], [3, 4]])) == "tf.Tensor(\n[[1 2]\n [3 4]], shape=(2, 2), dtype=int32)"
    # a value's text starts on a new line only when it spans several lines (TensorFlow 2.21's output)
    assert repr(tf.constant([1.0, 2.0])) == "<tf.Tensor: shape=(2,), dtype=float32, numpy=array([1., 2.], dtype=float32)>"
    assert str(tf.constant([1.0, 2.0])) == "tf.Tensor([1. 2.], shape=(2,), dtype=float32)"
    assert repr(tf.constant([[1, 2], [3, 4]])) == ("<tf.Tensor: shape=(2, 2), dtype=int32, numpy=\n"
                                                   "array([[1, 2],\n       [3, 4]], dtype=int32)>")
    assert repr(tf.Variable([1.0, 2.0], name="v")) == ("<tf.Variable 'v:0' shape=(2,) dtype=float32, "
                                                       "numpy=array([1., 2.], dtype=float32)>")
    assert repr(tf.Variable(1.0, name="w")) == "<tf.Variable 'w:0' shape=() dtype=float32, numpy=1.0>"


def test_a_tensor_names_the_cpu_as_its_device(tf):
    x = tf.random.uniform([3, 3])
    assert x.device.endswith("CPU:0") and not x.device.endswith("GPU:0")
    with tf.device("CPU:0"):
        assert tf.Variable(1.0).device.endswith("CPU:0")


def test_tensor_operators_mod_floordiv_and_logical(tf):
    """TensorFlow's tensor operators: % (floormod, Python's sign rule), //, & | ^ ~ (logical on bools)."""
    import numpy as np

    from dendrite.testing import check_grads

    i = tf.constant(-7)
    assert int(i % 3) == 2 and int(7 % tf.constant(3)) == 1 and int(i // 2) == -4
    assert float(tf.constant(5.5) % 2.0) == 1.5
    a, b = tf.constant([True, False, True]), tf.constant([True, True, False])
    assert (a & b).numpy().tolist() == [True, False, False] and (a | b).numpy().tolist() == [True, True, True]
    assert (a ^ b).numpy().tolist() == [False, True, True] and (~a).numpy().tolist() == [False, True, False]
    assert (tf.constant([6]) & 3).numpy().tolist() == [2]  # integers: bitwise
    fizz = [int(n) for n in tf.range(1, 16) if n % 3 == 0]
    assert fizz == [3, 6, 9, 12, 15]
    check_grads(lambda x: x % 0.7, [np.array([0.3, 1.1, 2.05])])


def test_iterating_windows_gives_datasets_of_tensors(tf):
    # Values from TensorFlow 2.21: each window is a dataset (of tensors), the partial ones at the end kept
    windows = [[int(v.numpy()) for v in w] for w in tf.data.Dataset.range(10).window(5, shift=1)]
    assert windows == [[0, 1, 2, 3, 4], [1, 2, 3, 4, 5], [2, 3, 4, 5, 6], [3, 4, 5, 6, 7], [4, 5, 6, 7, 8],
                       [5, 6, 7, 8, 9], [6, 7, 8, 9], [7, 8, 9], [8, 9], [9]]
    assert all(isinstance(w, tf.data.Dataset) for w in tf.data.Dataset.range(3).window(2))
    pairs = tf.data.Dataset.from_tensor_slices(([1, 2, 3], [4, 5, 6])).window(2)
    assert [([int(v) for v in a], [int(v) for v in b]) for a, b in pairs] == [([1, 2], [4, 5]), ([3], [6])]
    flat = tf.data.Dataset.range(6).window(3, shift=1, drop_remainder=True).flat_map(lambda w: w.batch(3))
    assert [w.numpy().tolist() for w in flat] == [[0, 1, 2], [1, 2, 3], [2, 3, 4], [3, 4, 5]]


def test_dataset_reduce_and_single_element_give_tensors(tf):
    """TF's tf.data guide: `ds.reduce(0, lambda s, x: s + x).numpy()` (eager TF returns Tensors)."""
    total = tf.data.Dataset.range(5).reduce(np.int64(0), lambda state, x: state + x)
    assert isinstance(total, tf.Tensor) and total.numpy() == 10
    first, second = tf.data.Dataset.from_tensors(([1, 2], 3)).get_single_element()
    assert first.numpy().tolist() == [1, 2] and second.numpy() == 3


def test_keras_metric_functions_give_tensors_and_still_compile(tf, tmp_path):
    """tf.keras.metrics.mse(a, b).numpy() as the DeepLearning.AI forecasting lab calls it; the same functions
    given to compile keep their names, and the model saves and loads."""
    assert tf.keras.metrics.mse(np.ones(3), np.zeros(3)).numpy() == pytest.approx(1.0)
    np.testing.assert_allclose(tf.keras.metrics.mae(np.ones((2, 3)), np.zeros((2, 3))).numpy(), [1.0, 1.0])
    model = tf.keras.Sequential([tf.keras.layers.Dense(1, input_shape=(3,))])
    model.compile("sgd", "mse", metrics=[tf.keras.metrics.mae, tf.keras.metrics.binary_accuracy])
    history = model.fit(np.ones((8, 3)), np.ones(8), verbose=0)
    assert sorted(history.history) == ["binary_accuracy", "loss", "mean_absolute_error"]
    model.save(str(tmp_path / "m.keras"))
    loaded = tf.keras.models.load_model(str(tmp_path / "m.keras"))
    np.testing.assert_allclose(loaded.evaluate(np.ones((8, 3)), np.ones(8), verbose=0),
                               model.evaluate(np.ones((8, 3)), np.ones(8), verbose=0), rtol=1e-6)
