"""Saving: one registry and one config format for every family (Keras 3's ``keras.saving`` API), and the
weights files (HDF5 in Keras 3's and tf.keras 2's layouts, and checkpoint prefixes).

``register_keras_serializable`` / ``get_registered_object`` / ``get_registered_name`` /
``custom_object_scope`` name custom classes and functions; ``serialize_keras_object`` /
``deserialize_keras_object`` convert objects to and from ``{'module', 'class_name', 'config',
'registered_name'}`` configs. Loading resolves names only against dendrite's own objects, the registry
and ``custom_objects``: it never imports a module a config names and never runs code from a config.
"""
from .checkpoint import latest_checkpoint
from .object_registration import (CustomObjectScope, custom_object_scope, get_custom_objects, get_registered_name,
                                  get_registered_object, register_keras_serializable)
from .saving_lib import load_model, save_model
from .serialization import deserialize_keras_object, serialize_keras_object
from .weights_h5 import WeightsFileError

__all__ = ["CustomObjectScope", "custom_object_scope", "get_custom_objects", "get_registered_name",
           "get_registered_object", "register_keras_serializable", "serialize_keras_object",
           "deserialize_keras_object", "latest_checkpoint", "WeightsFileError", "load_model", "save_model"]
