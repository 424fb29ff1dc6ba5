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
