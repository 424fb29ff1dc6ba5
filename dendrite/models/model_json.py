"""A model's architecture as JSON, in Keras's envelope: ``model.to_json()`` and ``model_from_json``.

``to_json`` writes ``{'module', 'class_name', 'config', 'registered_name', 'build_config'}`` as Keras 3's
``model.to_json()`` does (Sequential under 'keras', a functional model under
'keras.src.models.functional' with registered_name 'Functional'); ``model_from_json`` reads that, and the
JSON of tf.keras 2 (``{'class_name', 'config', 'keras_version', 'backend'}``). Weights are not in it.
"""
import json

from ..saving.builtin_objects import layer_classes
from ..saving.serialization import deserialize_keras_object, serialize_keras_object


def to_json(self, **kwargs):
    """The model's architecture as a JSON string (keyword arguments go to ``json.dumps``, e.g. indent=2)."""
    return json.dumps(serialize_keras_object(self), **kwargs)


def model_from_json(json_string, custom_objects=None):
    """The model (new weights) that ``model.to_json()`` (dendrite's, Keras 3's or tf.keras 2's) describes.

    Classes resolve by name only: dendrite's own layers and models, classes registered with
    ``dendrite.saving.register_keras_serializable``, those in ``custom_objects`` and those of an active
    ``custom_object_scope``. Nothing named in the JSON is imported, and a Lambda layer's bytecode is refused.
    """
    from .training import Model
    if not isinstance(json_string, (str, bytes, bytearray)):
        raise TypeError(f"model_from_json: expected the JSON string that model.to_json() returns; received "
                        f"{type(json_string).__name__}.")
    try:
        config = json.loads(json_string)
    except ValueError as error:
        raise ValueError(f"model_from_json: the string is not valid JSON ({error}). Pass what model.to_json() "
                         "returned.") from None
    if not isinstance(config, dict) or not isinstance(config.get("class_name"), str) \
            or not isinstance(config.get("config"), dict):
        raise ValueError("model_from_json: expected a JSON object with 'class_name' and a 'config' object (what "
                         f"model.to_json() writes); received {json_string[:200]!r}.")
    model = deserialize_keras_object(config, custom_objects, module_objects=layer_classes(),
                                     printable_module_name="model", owner="model_from_json")
    if not isinstance(model, Model):
        raise ValueError(f"model_from_json: the JSON describes a {type(model).__name__}, not a model. Use "
                         "dendrite.saving.deserialize_keras_object for a single layer's config.")
    return model
