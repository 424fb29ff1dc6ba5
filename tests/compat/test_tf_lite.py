"""tf.lite in compatibility mode (dendrite.compat.tf_lite_converter, tf_lite_interpreter, tf_lite_format):
TFLiteConverter's float, dynamic-range, float16 and integer conversions of a Keras model into dendrite's own
container, and tf.lite.Interpreter's protocol, checked against what TensorFlow Lite 2.21 gives for the same
model and weights (tests/fixtures/tf_compat/tf_lite.npz, written by tools/make_tf_lite_fixtures.py)."""
import os

import numpy as np
import pytest

FIXTURE = os.path.join(os.path.dirname(__file__), os.pardir, "fixtures", "tf_compat", "tf_lite.npz")


@pytest.fixture(scope="module")
def expected():
    with np.load(FIXTURE, allow_pickle=False) as f:
        return {k: f[k] for k in f.files}


def _model(tf, expected):
    inputs = tf.keras.Input((6, 6, 4), name="image")
    x = tf.keras.layers.Conv2D(32, 3, activation="relu", name="conv")(inputs)
    x = tf.keras.layers.Flatten(name="flat")(x)
    x = tf.keras.layers.Dense(3, activation="relu", name="hidden")(x)
    model = tf.keras.Model(inputs, tf.keras.layers.Dense(8, name="logits")(x))
    model.set_weights([expected[f"weight_{i}"] for i in range(6)])
    return model


def _convert(tf, model, mode, expected=None):
    converter = tf.lite.TFLiteConverter.from_keras_model(model)
    if mode != "float":
        converter.optimizations = [tf.lite.Optimize.DEFAULT]
    if mode == "float16":
        converter.target_spec.supported_types = [tf.float16]
    if mode == "uint8":
        calibration = expected["calibration"]
        converter.representative_dataset = lambda: ([calibration[i:i + 1]] for i in range(len(calibration)))
        converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
        converter.inference_input_type = tf.uint8
        converter.inference_output_type = tf.uint8
    return converter.convert()


def _run(tf, content, x, path=None):
    interpreter = tf.lite.Interpreter(model_path=path) if path else tf.lite.Interpreter(model_content=content)
    interpreter.resize_tensor_input(0, x.shape)
    interpreter.allocate_tensors()
    inp, out = interpreter.get_input_details()[0], interpreter.get_output_details()[0]
    interpreter.set_tensor(inp["index"], x)
    interpreter.invoke()
    return interpreter, interpreter.get_tensor(out["index"])


def test_float_conversion_runs_the_model_as_tflite_does(tf, expected):
    model = _model(tf, expected)
    content = _convert(tf, model, "float")
    assert isinstance(content, bytes)
    interpreter = tf.lite.Interpreter(model_content=content)
    detail = interpreter.get_input_details()[0]
    assert detail["name"] == "serving_default_image:0" and detail["index"] == 0
    assert detail["shape"].tolist() == [1, 6, 6, 4] and detail["shape"].dtype == np.int32
    assert detail["shape_signature"].tolist() == expected["float_input_signature"].tolist()
    assert detail["dtype"] is np.float32 and detail["quantization"] == (0.0, 0)
    assert detail["quantization_parameters"]["scales"].size == 0
    interpreter, output = _run(tf, content, expected["x"])
    assert interpreter.get_input_details()[0]["shape"].tolist() == expected["float_input_shape"].tolist()
    np.testing.assert_allclose(output, expected["float_output"], rtol=1e-5, atol=1e-5)
    out = interpreter.get_output_details()[0]
    assert out["shape"].tolist() == [5, 8] and out["index"] > 6  # after the inputs and the stored weights
    assert np.shares_memory(interpreter.tensor(out["index"])(), interpreter.tensor(out["index"])())
    assert not np.shares_memory(interpreter.get_tensor(out["index"]), interpreter.tensor(out["index"])())


def test_dynamic_range_stores_tflites_int8_kernels_and_scales(tf, expected):
    model = _model(tf, expected)
    float_size, content = len(_convert(tf, model, "float")), _convert(tf, model, "dynamic")
    interpreter, output = _run(tf, content, expected["x"])
    stored = {d["name"]: d for d in interpreter.get_tensor_details() if d["dtype"] is np.int8}
    assert sorted(stored) == ["conv/kernel", "hidden/kernel"]  # the 24-value logits kernel stays float
    conv, dense = stored["conv/kernel"], stored["hidden/kernel"]
    # TFLite keeps a conv kernel as (out, h, w, in) and a dense one as (out, in); Keras as (h, w, in, out), (in, out)
    conv_values = np.transpose(interpreter.get_tensor(conv["index"]), (3, 0, 1, 2))
    dense_values = interpreter.get_tensor(dense["index"]).T
    assert np.abs(conv_values.astype(int) - expected["dynamic_conv_int8"]).max() <= 1
    assert np.mean(conv_values == expected["dynamic_conv_int8"]) > 0.999
    assert np.array_equal(dense_values, expected["dynamic_dense_int8"])
    np.testing.assert_allclose(conv["quantization_parameters"]["scales"], expected["dynamic_conv_scales"], rtol=1e-6)
    np.testing.assert_allclose(dense["quantization_parameters"]["scales"], expected["dynamic_dense_scales"],
                               rtol=1e-6)
    assert conv["quantization_parameters"]["quantized_dimension"] == 3
    # the outputs move from the float model's by about what TFLite's move (it also rounds activations)
    tf_shift = np.abs(expected["dynamic_output"] - expected["float_output"]).max()
    shift = np.abs(output - expected["float_output"]).max()
    assert 0 < shift < 3 * tf_shift
    np.testing.assert_allclose(output, expected["dynamic_output"], atol=3 * tf_shift)
    assert len(content) < float_size / 2  # TFLite's file shrinks 2.1x for this model (14,144 to 6,592 bytes)
    assert expected["dynamic_size"] < expected["float_size"] / 2


def test_float16_stores_every_weight_in_half_precision(tf, expected):
    model = _model(tf, expected)
    content = _convert(tf, model, "float16")
    interpreter, output = _run(tf, content, expected["x"])
    weights = [d for d in interpreter.get_tensor_details() if 0 < d["index"] < 7]
    assert [d["dtype"] for d in weights] == [np.float16] * 6
    assert interpreter.get_input_details()[0]["dtype"] is np.float32
    np.testing.assert_allclose(output, expected["float16_output"], atol=2e-3)
    assert len(content) < 0.6 * len(_convert(tf, model, "float"))


def test_integer_quantization_calibrates_inputs_and_outputs_as_tflite(tf, expected):
    model = _model(tf, expected)
    interpreter = tf.lite.Interpreter(model_content=_convert(tf, model, "uint8", expected))
    inp, out = interpreter.get_input_details()[0], interpreter.get_output_details()[0]
    assert inp["dtype"] is np.uint8 and out["dtype"] is np.uint8
    scale, zero_point = inp["quantization"]
    np.testing.assert_allclose(scale, expected["uint8_input_quantization"][0], rtol=1e-6)
    assert zero_point == expected["uint8_input_quantization"][1]
    np.testing.assert_allclose(out["quantization"][0], expected["uint8_output_quantization"][0], rtol=1e-5)
    assert out["quantization"][1] == expected["uint8_output_quantization"][1]
    x = np.clip(np.round(expected["x"] / scale + zero_point), 0, 255).astype(np.uint8)
    with pytest.raises(ValueError, match="Got value of type FLOAT32 but expected type UINT8"):
        _run(tf, _convert(tf, model, "uint8", expected), expected["x"])
    _, output = _run(tf, _convert(tf, model, "uint8", expected), x)
    assert output.dtype == np.uint8
    # TFLite also rounds each intermediate activation to 8 bits: a few steps of the output's scale apart
    assert np.abs(output.astype(int) - expected["uint8_output"]).max() <= 4


def test_interpreter_follows_tflites_calling_protocol(tf, expected):
    content = _convert(tf, _model(tf, expected), "float")
    interpreter = tf.lite.Interpreter(model_content=content)
    x = expected["x"][:1]
    with pytest.raises(ValueError, match="Tensor is unallocated. Try calling allocate_tensors"):
        interpreter.set_tensor(0, x)
    with pytest.raises(RuntimeError, match="Invoke called on model that is not ready"):
        interpreter.invoke()
    interpreter.allocate_tensors()
    with pytest.raises(ValueError, match="Got value of type FLOAT64 but expected type FLOAT32 for input 0, name: "
                                         "serving_default_image:0"):
        interpreter.set_tensor(0, x.astype(np.float64))
    with pytest.raises(ValueError, match="Dimension mismatch. Got 2 but expected 1 for dimension 0 of input 0"):
        interpreter.set_tensor(0, expected["x"][:2])
    with pytest.raises(ValueError, match="Dimension mismatch. Got 3 but expected 4 for input 0"):
        interpreter.set_tensor(0, x[0])
    with pytest.raises(ValueError, match="tensor index 99 is out of range"):
        interpreter.get_tensor(99)
    assert interpreter.get_signature_list() == {"serving_default": {"inputs": ["image"], "outputs": ["output_0"]}}
    runner = interpreter.get_signature_runner()
    assert list(runner.get_input_details()) == ["image"] and list(runner.get_output_details()) == ["output_0"]
    result = runner(image=expected["x"])
    np.testing.assert_allclose(result["output_0"], expected["float_output"], rtol=1e-5, atol=1e-5)
    with pytest.raises(ValueError, match="missing \\['image'\\]"):
        runner(pixels=x)


def test_files_and_other_sources(tf, expected, tmp_path):
    model = _model(tf, expected)
    path = tmp_path / "model.tflite"
    path.write_bytes(_convert(tf, model, "float"))
    _, output = _run(tf, None, expected["x"], path=str(path))  # read from the file
    np.testing.assert_allclose(output, expected["float_output"], rtol=1e-5, atol=1e-5)
    tf.saved_model.save(model, str(tmp_path / "saved"))
    converter = tf.lite.TFLiteConverter.from_saved_model(str(tmp_path / "saved"))
    _, output = _run(tf, converter.convert(), expected["x"])
    np.testing.assert_allclose(output, expected["float_output"], rtol=1e-5, atol=1e-5)
    model.save(str(tmp_path / "model.h5"))
    converter = tf.compat.v1.lite.TFLiteConverter.from_keras_model_file(str(tmp_path / "model.h5"))
    _, output = _run(tf, converter.convert(), expected["x"])
    np.testing.assert_allclose(output, expected["float_output"], rtol=1e-5, atol=1e-5)


def test_two_inputs_two_outputs_and_a_layer_of_the_programs_own(tf):
    class Doubler(tf.keras.layers.Layer):
        def call(self, x):
            return 2.0 * x

    a, b = tf.keras.Input((3,), name="a"), tf.keras.Input((2,), name="b")
    joined = tf.keras.layers.Concatenate()([a, Doubler(name="double")(b)])
    model = tf.keras.Model([a, b], [tf.keras.layers.Dense(1, name="one")(joined),
                                    tf.keras.layers.Dense(2, name="two")(a)])
    interpreter = tf.lite.Interpreter(model_content=tf.lite.TFLiteConverter.from_keras_model(model).convert())
    assert [d["name"] for d in interpreter.get_input_details()] == ["serving_default_a:0", "serving_default_b:0"]
    rng = np.random.default_rng(0)
    xa, xb = rng.random((4, 3)).astype(np.float32), rng.random((4, 2)).astype(np.float32)
    result = interpreter.get_signature_runner()(a=xa, b=xb)
    want = model.predict([xa, xb], verbose=0)
    np.testing.assert_allclose(result["output_0"], want[0], rtol=1e-5)
    np.testing.assert_allclose(result["output_1"], want[1], rtol=1e-5)
    assert [d["shape"].tolist() for d in interpreter.get_output_details()] == [[4, 1], [4, 2]]


def test_integer_inputs_stay_integers_in_an_integer_model(tf):
    tokens = tf.keras.Input((5,), dtype="int32", name="tokens")
    x = tf.keras.layers.GlobalAveragePooling1D()(tf.keras.layers.Embedding(300, 8)(tokens))
    model = tf.keras.Model(tokens, tf.keras.layers.Dense(2, activation="softmax")(x))
    data = np.random.default_rng(3).integers(0, 300, (30, 5)).astype(np.int32)
    converter = tf.lite.TFLiteConverter.from_keras_model(model)
    converter.optimizations = [tf.lite.Optimize.DEFAULT]
    converter.representative_dataset = tf.lite.RepresentativeDataset(lambda: ([data[i:i + 1]] for i in range(30)))
    interpreter = tf.lite.Interpreter(model_content=converter.convert())
    assert interpreter.get_input_details()[0]["dtype"] is np.int32
    assert interpreter.get_input_details()[0]["quantization"] == (0.0, 0)
    assert [d["dtype"] for d in interpreter.get_tensor_details()][1] is np.int8  # the 2,400-value embedding
    result = interpreter.get_signature_runner()(tokens=data)["output_0"]
    assert result.dtype == np.float32  # float outputs, rounded to the calibrated 8 bits
    np.testing.assert_allclose(result, model.predict(data, verbose=0), atol=0.02)


def test_clear_errors(tf, expected):
    model = _model(tf, expected)
    with pytest.raises(NotImplementedError, match="TensorFlow Lite flatbuffer written by TensorFlow"):
        tf.lite.Interpreter(model_content=b"\x1c\x00\x00\x00TFL3" + bytes(40))
    with pytest.raises(ValueError, match="not a model written by dendrite's tf.lite.TFLiteConverter"):
        tf.lite.Interpreter(model_content=b"not a model at all")
    with pytest.raises(ValueError, match="either model_path .* or model_content"):
        tf.lite.Interpreter()
    converter = tf.lite.TFLiteConverter.from_keras_model(model)
    converter.inference_input_type = tf.int8
    with pytest.raises(ValueError, match="must be tf.float32 unless the model is fully quantized"):
        converter.convert()
    converter = tf.lite.TFLiteConverter.from_keras_model(model)
    converter.optimizations = [tf.lite.Optimize.DEFAULT]
    converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
    with pytest.raises(ValueError, match="a `representative_dataset` must be specified"):
        converter.convert()
    converter.representative_dataset = lambda: iter([])
    with pytest.raises(ValueError, match="yielded no samples"):
        converter.convert()
    converter.representative_dataset = lambda: iter([[expected["x"][:1], expected["x"][:1]]])
    with pytest.raises(ValueError, match="yielded 2 arrays; the model takes 1 inputs"):
        converter.convert()

    class Free(tf.keras.Model):
        def __init__(self, units):
            super().__init__()
            self.dense = tf.keras.layers.Dense(units)

        def call(self, x):
            return self.dense(x)

    free = Free(2)
    free(np.zeros((1, 3), np.float32))
    with pytest.raises(NotImplementedError, match="is a subclassed Free without symbolic inputs"):
        tf.lite.TFLiteConverter.from_keras_model(free).convert()
    with pytest.raises(ValueError, match="has no known inputs .it was never built"):
        tf.lite.TFLiteConverter.from_keras_model(tf.keras.Sequential([tf.keras.layers.Dense(2)])).convert()
    with pytest.raises(NotImplementedError, match="tf.lite.experimental"):
        tf.lite.experimental.Analyzer
