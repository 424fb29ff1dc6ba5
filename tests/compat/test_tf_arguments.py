"""TensorFlow's signatures on the compatibility namespace's tf.* functions (dendrite.compat.tf_arguments): the
signature sweep against TensorFlow 2.21's recorded signatures (tests/fixtures/tf_signatures/tf_2_21.json,
written by tools/sweep_tf_signatures.py with real TensorFlow), and calls that use TensorFlow's parameter
names, positions, ``name=`` and parameters dendrite refuses only away from TensorFlow's default."""
import importlib.util
import inspect
import json
import pathlib

import numpy as np
import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]

# TensorFlow's internal constructors, which programs do not call with these parameters (also
# tools/sweep_tf_signatures.py NOT_ADAPTED): the only gaps the sweep may report
ALLOWED = {
    "tf.DType": {"a": ["type_enum", "handle_data"]},  # tf.DType(type_enum): programs use tf.float32 / tf.as_dtype
    "tf.RaggedTensor": {"a": ["row_partition", "internal"]},  # internal; programs use RaggedTensor.from_*
    "tf.data.Dataset.__init__": {"a": ["variant_tensor"]},  # the abstract base; programs use from_tensor_slices...
    "tf.distribute.Strategy.__init__": {"a": ["extended"]},  # internal; programs build MirroredStrategy and friends
}


def _sweep():
    spec = importlib.util.spec_from_file_location("sweep_tf_signatures", ROOT / "tools" / "sweep_tf_signatures.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_signature_sweep_finds_no_missing_or_misplaced_parameter(tf):
    sweep = _sweep()
    recorded = json.loads(sweep.FIXTURE.read_text())
    assert recorded["tensorflow"].startswith("2.21")
    gaps, served = sweep.compare_all(recorded["signatures"], tf)
    assert served > 700  # the sweep found dendrite's functions (a broken look-up would compare nothing)
    found = {key: {k: v for k, v in g.items() if v and k in "ab"} for key, g in gaps.items()}
    found = {key: g for key, g in found.items() if g}
    assert found == ALLOWED
    assert set(ALLOWED) == set(sweep.NOT_ADAPTED)


def test_the_sweep_reports_each_kind_of_gap():
    compare = _sweep().compare
    tf_params = [["x", "PK"], ["y", "PK"], ["summarize", "PK", None], ["message", "PK", None],
                 ["name", "PK", None]]
    ours = [["x", "PK"], ["y", "PK"], ["message", "PK", None], ["summarize", "PK", 3]]
    assert compare(tf_params, ours) == {"a": ["name"], "b": [("summarize", 2, 3), ("message", 3, 2)],
                                        "c": [("summarize", None, 3)]}
    assert compare(tf_params, [["args", "V"], ["kwargs", "VK"]]) == {"a": [], "b": [], "c": []}


def test_tensorflows_parameter_names_reach_dendrites_functions(tf):
    assert float(tf.add(x=1.0, y=2.0)) == 3.0 and float(tf.math.maximum(x=1.0, y=3.0)) == 3.0
    np.testing.assert_array_equal(tf.nn.relu(features=tf.constant([-1.0, 2.0])).numpy(), [0.0, 2.0])
    assert float(tf.stop_gradient(input=tf.constant(4.0))) == 4.0
    assert float(tf.strings.to_number(input="2.5")) == 2.5
    x = tf.Variable(3.0)
    with tf.GradientTape() as tape:
        y = tf.multiply(x=x, y=x)
    assert float(tape.gradient(y, x)) == 6.0  # (differentiable through the adapter)
    inputs = tf.keras.Input((3,))
    model = tf.keras.Model(inputs, tf.add(x=inputs, y=inputs))  # a KerasTensor still becomes a layer
    np.testing.assert_array_equal(model(np.ones((1, 3), np.float32)).numpy(), [[2.0, 2.0, 2.0]])


def test_name_is_taken_and_ignored_and_signatures_are_tensorflows(tf):
    assert tf.acos(0.5, name="angle").numpy() == pytest.approx(np.arccos(0.5))
    assert tf.strings.lower("AB", name="lower").numpy() == b"ab"
    assert tf.io.decode_raw(b"\x01\x02", tf.uint8, True, None, "raw").numpy().tolist() == [1, 2]
    ds = tf.data.Dataset.range(3).with_options(tf.data.Options(), name="opts")
    assert [int(v) for v in ds] == [0, 1, 2]
    assert list(inspect.signature(tf.io.decode_raw).parameters) == ["input_bytes", "out_type", "little_endian",
                                                                     "fixed_length", "name"]
    assert "synchronous" in inspect.signature(tf.data.Dataset.map).parameters


def test_positional_arguments_keep_tensorflows_meanings(tf):
    with pytest.raises(tf.errors.InvalidArgumentError, match="values differ"):
        tf.debugging.assert_none_equal(tf.constant(1), tf.constant(1), 3, "values differ")  # (x, y, summarize, message)
    with pytest.raises(tf.errors.InvalidArgumentError, match="not finite"):
        tf.debugging.assert_all_finite(tf.constant([np.inf]), "not finite")  # (x, message)
    (one,) = tf.tuple([tf.constant(1)], None, "t")  # (tensors, control_inputs, name)
    assert int(one) == 1
    product = tf.matmul(tf.ones((2, 2)), tf.eye(2), False, False, False, False, False, False, None, None, None, "m")
    np.testing.assert_array_equal(product.numpy(), np.ones((2, 2)))
    ds = tf.data.Dataset.range(3).map(lambda v: v * 2, None, True, None, False, "double")
    assert [int(v) for v in ds] == [0, 2, 4]
    v = tf.Variable(1.0, True, True, None, "weights")  # name is TensorFlow's 5th parameter
    assert v.name.startswith("weights")
    assert tf.io.TFRecordOptions("GZIP", None, None, None, None, 5).compression_level == 5
    image = np.zeros((4, 4, 3), np.uint8)
    jpeg = tf.io.encode_jpeg(image, "rgb", 80)  # (image, format, quality)
    assert isinstance(jpeg, tf.Tensor) and tf.io.decode_jpeg(jpeg).shape == (4, 4, 3)
    assert isinstance(tf.image.encode_jpeg(image, "", 80), tf.Tensor)
    gif = tf.io.decode_image(tf.io.encode_png(image), 3, tf.uint8, None, False)  # expand_animations is 5th
    assert gif.shape == (4, 4, 3)


def test_parameters_dendrite_lacks_work_at_tensorflows_default_and_are_refused_otherwise(tf):
    jpeg = tf.io.encode_jpeg(np.zeros((4, 4, 1), np.uint8))
    assert tf.io.decode_jpeg(jpeg, fancy_upscaling=True, try_recover_truncated=False, acceptable_fraction=1,
                             dct_method="INTEGER_ACCURATE").shape == (4, 4, 1)
    with pytest.raises(NotImplementedError, match=r"tf.io.decode_jpeg.*fancy_upscaling=False.*docs/compat.md"):
        tf.io.decode_jpeg(jpeg, fancy_upscaling=False)
    assert tf.zeros((2,), layout=None).shape == (2,)
    with pytest.raises(NotImplementedError, match=r"`tf.zeros` with layout="):
        tf.zeros((2,), layout="a DTensor layout")
    with pytest.raises(NotImplementedError, match=r"tf.tensor_scatter_nd_add.*bad_indices_policy='IGNORE'"):
        tf.tensor_scatter_nd_add(tf.zeros((3,)), [[0]], [1.0], bad_indices_policy="IGNORE")
    with pytest.raises(TypeError, match="unexpected keyword argument 'colour'"):
        tf.io.decode_raw(b"\x01", tf.uint8, colour=1)  # a wrong call fails in TensorFlow's names


def test_dendrites_own_keywords_stay_reachable(tf):
    v = tf.Variable([1.0, 2.0])
    v.scatter_nd_add([[1]], [5.0], use_locking=True)  # dendrite's keyword, after TensorFlow's (indices, updates, name)
    assert v.numpy().tolist() == [1.0, 7.0]
    assert list(inspect.signature(tf.Variable.scatter_nd_add).parameters) == ["self", "indices", "updates", "name",
                                                                              "use_locking"]
