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


def test_keras_metrics_loss_functions_on_symbolic_tensors_build_a_loss_for_add_loss(tf):
    """tf.keras 2's VAE (Paris-Saclay's deep-learning lab): ``original_dim * metrics.binary_crossentropy(
    Flatten()(x), Flatten()(x_decoded))`` on the model's symbolic tensors, added with add_loss, trains the model."""
    import numpy as np
    from tensorflow.keras import layers, metrics
    x = tf.keras.Input(shape=(16,))
    h = layers.Dense(8, activation="relu")(x)
    z_mean, z_log_var = layers.Dense(2)(h), layers.Dense(2)(h)
    decoded = layers.Dense(16, activation="sigmoid")(layers.Concatenate()([z_mean, z_log_var]))
    vae = tf.keras.Model(x, decoded)
    xent = 16 * metrics.binary_crossentropy(layers.Flatten()(x), layers.Flatten()(decoded))
    assert isinstance(xent, dendrite.layers.node.KerasTensor) and xent.shape == (None,)
    kl = -0.5 * tf.reduce_sum(1 + z_log_var - tf.square(z_mean) - tf.exp(z_log_var), axis=-1)
    vae.add_loss(tf.reduce_mean(xent + kl))
    vae.compile(optimizer=tf.keras.optimizers.Adam(0.01))
    data = (np.random.default_rng(0).random((128, 16)) < 0.3).astype("float32")
    history = vae.fit(data, epochs=6, batch_size=32, verbose=0)
    assert history.history["loss"][-1] < 0.9 * history.history["loss"][0]
    assert tf.keras.metrics.binary_crossentropy(np.ones((2, 3)), np.full((2, 3), 0.5)).numpy().shape == (2,)
