"""Weights for dendrite.applications' models: a Keras 3 ``.weights.h5`` of a randomly initialized (and
perturbed) MobileNetV2 written by Keras (tests/fixtures/keras_applications, tools/make_keras_applications_
fixtures.py) loads by name and gives Keras's predictions; weights='imagenet' finds Keras's file by its standard
name in the local caches, or fails naming the file and its URL; Keras's argument checks."""
import os

import numpy as np
import pytest

from dendrite import applications

FIXTURES = os.path.join(os.path.dirname(__file__), "..", "fixtures", "keras_applications")
V2_WEIGHTS = os.path.join(FIXTURES, "mobilenet_v2_035.weights.h5")


def _v2(**kwargs):
    return applications.MobileNetV2(alpha=0.35, input_shape=(32, 32, 3), classes=10, **kwargs)


def test_keras_weights_file_loads_and_predicts_as_keras():
    data = np.load(os.path.join(FIXTURES, "mobilenet_v2_035.npz"))
    model = _v2(weights=V2_WEIGHTS)
    x = applications.mobilenet_v2.preprocess_input(data["x"].copy())
    got = model.predict(x, verbose=0)
    np.testing.assert_allclose(got, data["y"], atol=1e-4)
    fresh = _v2(weights=None).predict(x, verbose=0)
    assert np.abs(fresh - data["y"]).max() > 1e-2  # the load really changed the outputs


def test_imagenet_weights_found_by_keras_file_name(tmp_path, monkeypatch):
    source = _v2(weights=V2_WEIGHTS)
    notop = applications.MobileNetV2(alpha=0.35, input_shape=(96, 96, 3), include_top=False, weights=None)
    models = tmp_path / "models"
    models.mkdir()
    # tf.keras 2's layout, under the name Keras downloads it as (include_top=False at 96x96)
    for src, dst in zip(source.weights, [w for w in notop.weights]):
        if tuple(src.shape) == tuple(dst.shape):
            dst.assign(src.value)
    notop.save_weights(str(models / "mobilenet_v2_weights_tf_dim_ordering_tf_kernels_0.35_96_no_top.h5"))
    monkeypatch.setenv("DENDRITE_DATA", str(tmp_path))
    loaded = applications.MobileNetV2(alpha=0.35, input_shape=(96, 96, 3), include_top=False, weights="imagenet")
    assert loaded.name == "mobilenetv2_0.35_96"
    for a, b in zip(loaded.weights, notop.weights):
        np.testing.assert_array_equal(a.numpy(), b.numpy())


def test_imagenet_weights_missing_names_file_and_url(tmp_path, monkeypatch):
    monkeypatch.setenv("DENDRITE_DATA", str(tmp_path))
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras"))
    monkeypatch.setenv("DENDRITE_HOME", str(tmp_path / "dendrite"))
    with pytest.raises(FileNotFoundError, match=r"resnet50_weights_tf_dim_ordering_tf_kernels_notop\.h5 "
                                                r"\(https://storage\.googleapis\.com/tensorflow/keras-applications/"
                                                r"resnet/resnet50_weights_tf_dim_ordering_tf_kernels_notop\.h5\)"):
        applications.ResNet50(include_top=False, weights="imagenet", input_shape=(32, 32, 3))
    with pytest.raises(FileNotFoundError, match=r"efficientnetb0\.h5 \(https://storage\.googleapis\.com/"
                                                r"keras-applications/efficientnetb0\.h5\)"):
        applications.EfficientNetB0(weights="imagenet")


def test_keras_argument_errors():
    with pytest.raises(ValueError, match=r"`classes` should be 1000.  Received classes=10"):
        applications.VGG16(weights="imagenet", classes=10)
    with pytest.raises(ValueError, match=r"`input_shape` should be \(224, 224, 3\)"):
        applications.ResNet50(weights="imagenet", input_shape=(32, 32, 3))
    with pytest.raises(ValueError, match=r"Input size must be at least 32x32; Received: input_shape=\(16, 16, 3\)"):
        applications.MobileNetV2(weights=None, input_shape=(16, 16, 3), include_top=False)
    with pytest.raises(ValueError, match=r"at least 75x75"):
        applications.InceptionV3(weights=None, input_shape=(71, 71, 3), include_top=False)
    with pytest.raises(ValueError, match=r"`input_shape` must be a tuple of three integers"):
        applications.DenseNet121(weights=None, input_shape=(32, 32), include_top=False)
    with pytest.raises(ValueError, match=r"specify a static `input_shape`"):
        applications.VGG16(weights=None, input_shape=(None, None, 3))
    with pytest.raises(ValueError, match=r"the path to the weights file to be loaded.*weights=no/such/file\.h5"):
        applications.MobileNet(weights="no/such/file.h5")
    with pytest.raises(ValueError, match=r"alpha must be one of `0.35`"):
        applications.MobileNetV2(weights="imagenet", alpha=0.2)
    with pytest.raises(ValueError, match=r"Only `None` and `softmax` activations are allowed"):
        applications.MobileNetV2(weights=V2_WEIGHTS, alpha=0.35, input_shape=(32, 32, 3), classes=10,
                                 classifier_activation="sigmoid")


def test_input_tensor_and_default_shapes():
    import dendrite
    inputs = dendrite.layers.Input((48, 48, 3))
    scaled = applications.mobilenet_v2.preprocess_input(inputs)  # a layer of the model (Keras 3's ops)
    model = applications.MobileNetV2(input_tensor=scaled, include_top=False, pooling="avg", weights=None, alpha=0.5)
    assert model.inputs[0] is inputs and model.output.shape == (None, 1280)
    x = np.random.default_rng(0).uniform(0, 255, (2, 48, 48, 3)).astype("float32")
    direct = applications.MobileNetV2(input_shape=(48, 48, 3), include_top=False, pooling="avg", weights=None,
                                      alpha=0.5)
    direct.set_weights(model.get_weights())
    np.testing.assert_allclose(model.predict(x, verbose=0),
                               direct.predict(applications.mobilenet_v2.preprocess_input(x.copy()), verbose=0),
                               atol=1e-5)
    assert applications.VGG16(weights=None).input.shape == (None, 224, 224, 3)
    assert applications.InceptionV3(weights=None, include_top=False).input.shape == (None, None, None, 3)
    with pytest.warns(UserWarning, match="expects 1 or 3 input channels"):
        applications.ResNet50(weights=None, input_shape=(32, 32, 4), include_top=False)
