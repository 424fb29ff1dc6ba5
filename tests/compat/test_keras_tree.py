"""The keras-shaped tree's layer module paths: the layers of every era found where their programs import them."""
import importlib

import pytest

import dendrite


@pytest.mark.parametrize("path, name", [
    ("keras.layers.experimental.preprocessing", "Discretization"),  # TF 2.3-2.5's preprocessing layers
    ("tensorflow.keras.layers.experimental.preprocessing", "StringLookup"),
    ("tensorflow.keras.layers.experimental.preprocessing", "Normalization"),
    ("keras.layers.preprocessing", "Discretization"),
    ("keras.layers.convolutional", "Conv3D"),
    ("keras.layers.convolutional", "Conv3DTranspose"),
    ("keras.layers.convolutional", "UpSampling3D"),
    ("keras.layers.pooling", "GlobalAveragePooling3D"),
    ("keras.layers.normalization", "GroupNormalization"),
    ("tensorflow.keras.layers", "SpectralNormalization"),
])
def test_layer_module_paths_hold_the_layers(keras, path, name):
    assert getattr(importlib.import_module(path), name) is getattr(dendrite.layers, name)


@pytest.mark.parametrize("path, name", [
    ("tensorflow.keras.applications", "ResNet50"), ("keras.applications", "MobileNetV2"),
    ("tf_keras.applications", "VGG16"), ("tensorflow.keras.applications.resnet50", "preprocess_input"),
    ("keras.applications.resnet", "ResNet101"), ("keras.applications.resnet_v2", "ResNet50V2"),
    ("keras.applications.mobilenet", "MobileNet"), ("keras.applications.mobilenet_v2", "preprocess_input"),
    ("keras.applications.densenet", "DenseNet121"), ("keras.applications.vgg19", "VGG19"),
    ("keras.applications.inception_v3", "InceptionV3"), ("keras.applications.xception", "Xception"),
    ("keras.applications.efficientnet", "EfficientNetB0"),
    ("tensorflow.keras.applications.imagenet_utils", "decode_predictions"),
])
def test_applications_module_paths(keras, path, name):
    module = importlib.import_module(path)
    family = path.rsplit(".", 1)[-1]
    source = getattr(dendrite.applications, family) if family != "applications" else dendrite.applications
    assert getattr(module, name) is getattr(source, name)


def test_applications_build_offline_and_refuse_the_families_not_built(keras, tf):
    model = tf.keras.applications.MobileNetV2(weights=None, input_shape=(32, 32, 3), classes=10, alpha=0.35)
    assert model.output.shape == (None, 10) and model.name == "mobilenetv2_0.35_32"
    with pytest.raises(NotImplementedError, match=r"keras\.applications\.NASNetMobile.*docs/compat\.md"):
        keras.applications.NASNetMobile  # noqa: B018
    with pytest.raises(ImportError):
        importlib.import_module("keras.applications.convnext")
