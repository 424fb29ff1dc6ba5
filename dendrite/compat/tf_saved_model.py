"""``tf.saved_model`` and the SavedModel directories of tf.keras 2, in dendrite's own format
(dendrite.saving.saved_model_dir: the model as ``model.keras`` plus a marker file).

While the hooks are installed, ``model.save('path/without/extension')`` and ``model.save(path,
save_format='tf')`` (tf.keras 2) and ``model.export(path)`` (Keras 3) write such a directory, and
``tf.saved_model.save(keras_model, path)`` too; ``keras.models.load_model(path)`` reads it back whole, and
``tf.saved_model.load(path)`` gives a callable object with ``signatures['serving_default']``, as TensorFlow's
loaded SavedModel. A directory TensorFlow wrote (``saved_model.pb``) is refused, naming the files dendrite reads.
A ``tf.Module`` (not a Keras model) is saved with its variables and attribute tree (tf_saved_module); anything
else is refused: it would need TensorFlow's graphs."""
import os

import numpy as np

from ..autodiff import Tensor
from ..models.model_saving import ModelSaving
from ..models.training import Model
from ..saving import saved_model_dir
from . import tf_saved_module
from ._notes import note, unsupported
from .tf_module import Module

_KERAS_FILES = (".keras", ".h5", ".hdf5")


def _as_tensor(value):
    if isinstance(value, (list, tuple)):
        return type(value)(_as_tensor(v) for v in value)
    if isinstance(value, dict):
        return {k: _as_tensor(v) for k, v in value.items()}
    return value if isinstance(value, Tensor) else Tensor(np.asarray(value))


class ServingSignature:
    """``loaded.signatures['serving_default']``: called with the inputs (by keyword, as TensorFlow's concrete
    function takes them, or positionally), it gives a dict of output Tensors keyed by output name."""

    def __init__(self, model, inputs, outputs):
        self._model, self.input_names, self.output_names = model, list(inputs), list(outputs)
        self.structured_outputs = {name: None for name in self.output_names}

    def __call__(self, *args, **kwargs):
        if args and kwargs:
            raise TypeError("serving_default: pass the inputs either by position or by name "
                            f"({', '.join(self.input_names)}), not both.")
        if kwargs:
            unknown = sorted(set(kwargs) - set(self.input_names))
            if unknown and len(self.input_names) == 1 and len(kwargs) == 1:
                args = tuple(kwargs.values())  # one input: its name is the only one it can mean
            elif unknown or len(kwargs) != len(self.input_names):
                raise TypeError(f"serving_default: expected the inputs {self.input_names} by name; received "
                                f"{sorted(kwargs)}.")
            else:
                args = tuple(kwargs[name] for name in self.input_names)
        if len(args) != len(self.input_names):
            raise TypeError(f"serving_default: expected {len(self.input_names)} input(s) {self.input_names}; "
                            f"received {len(args)}.")
        out = self._model(args[0] if len(args) == 1 else list(args), training=False)
        if isinstance(out, dict):
            return _as_tensor(dict(out))
        outs = list(out) if isinstance(out, (list, tuple)) else [out]
        return {name: _as_tensor(value) for name, value in zip(self.output_names, outs)}

    def __repr__(self):
        return f"<ConcreteFunction serving_default inputs={self.input_names} outputs={self.output_names}>"


class LoadedModel:
    """What ``tf.saved_model.load`` gives for a Keras model's directory: calling it runs the model in inference
    mode (``training=`` may be given) and returns Tensors; ``signatures['serving_default']`` returns a dict of
    outputs; ``variables`` / ``trainable_variables`` are the model's weights; ``keras_api`` is the model."""

    def __init__(self, model, path):
        self._model, self._path = model, path
        self.signatures = {"serving_default": ServingSignature(model, *saved_model_dir.signature_names(model))}

    def __call__(self, inputs, training=False, mask=None, **kwargs):
        return _as_tensor(self._model(inputs, training=bool(training)))

    def serve(self, inputs):
        """Keras 3's ``model.export`` endpoint: the model's outputs in inference mode, as the model gives them."""
        return _as_tensor(self._model(inputs, training=False))

    @property
    def keras_api(self):
        return self._model

    @property
    def variables(self):
        return list(self._model.weights)

    @property
    def trainable_variables(self):
        return list(self._model.trainable_weights)

    @property
    def non_trainable_variables(self):
        return list(self._model.non_trainable_weights)

    def __repr__(self):
        return f"<dendrite saved model of {self._model.name!r} loaded from {self._path!r} (tf.saved_model.load)>"


def save(obj, export_dir, signatures=None, options=None, **kwargs):
    """``tf.saved_model.save``: a Keras model to a model directory (dendrite's format, see the module)."""
    if isinstance(obj, Module):
        note(("saved_model", "module"), "tf.saved_model.save of a tf.Module writes its variables and attributes "
                                        "(dendrite's format, no graph); tf.saved_model.load gives it back to a "
                                        "program that defines the same class.")
        return tf_saved_module.save(obj, export_dir, signatures)
    if not isinstance(obj, Model):
        raise unsupported(f"tf.saved_model.save of a {type(obj).__name__}",
                          "dendrite saves Keras models (as a directory in its own format, or with "
                          "model.save('model.keras')) and tf.Modules: saving other objects' functions needs "
                          "TensorFlow's graphs. Keep its variables with "
                          "tf.train.Checkpoint(obj=...).save(path) instead.")
    if signatures is not None:
        note(("saved_model", "signatures"), "tf.saved_model.save: `signatures` are not stored; the loaded model "
                                            "offers its serving_default signature (the model's call).")
    note(("saved_model", "save"), "tf.saved_model.save writes dendrite's model directory (model.keras and a "
                                  "marker), not a TensorFlow graph.")
    saved_model_dir.save_model_dir(obj, export_dir)


def load(export_dir, tags=None, options=None):
    """``tf.saved_model.load``: the directory's model as a LoadedModel."""
    export_dir = os.fspath(export_dir)
    if not os.path.isdir(export_dir):
        raise FileNotFoundError(f"tf.saved_model.load: no directory at {export_dir}. A SavedModel is a directory; "
                                "a .keras or .h5 file is loaded with tf.keras.models.load_model.")
    if tf_saved_module.is_module_dir(export_dir):
        return tf_saved_module.load(export_dir)
    return LoadedModel(saved_model_dir.load_model_dir(export_dir), export_dir)


def contains_saved_model(export_dir):
    export_dir = os.fspath(export_dir)
    return saved_model_dir.is_model_dir(export_dir) or tf_saved_module.is_module_dir(export_dir) or os.path.isfile(os.path.join(export_dir, "saved_model.pb"))


def _writes_directory(filepath, save_format):
    if save_format == "tf":
        return True
    return save_format is None and not filepath.lower().endswith(_KERAS_FILES)


def model_save(self, filepath, overwrite=True, include_optimizer=True, save_format=None, signatures=None,
               options=None, save_traces=True, **kwargs):
    """``model.save`` under the hooks: tf.keras 2's SavedModel forms (a path without extension, or
    ``save_format='tf'``) write a model directory; ``.keras`` / ``.h5`` files as dendrite's Model.save."""
    filepath = os.fspath(filepath)
    if _writes_directory(filepath, save_format):
        note(("model", "save_dir"), f"model.save({filepath!r}): tf.keras 2's SavedModel directory, written in "
                                    "dendrite's format (model.keras and a marker); load_model reads it.")
        return saved_model_dir.save_model_dir(self, filepath, overwrite=overwrite,
                                              include_optimizer=include_optimizer)
    return ModelSaving.save(self, filepath, overwrite=overwrite, include_optimizer=include_optimizer,
                            save_format=save_format, **kwargs)


model_save.__doc__ = model_save.__doc__ + "\n\n" + (ModelSaving.save.__doc__ or "")


def model_export(self, filepath, format="tf_saved_model", verbose=True, **kwargs):
    """Keras 3's ``model.export(path)``: the inference artifact, here the model directory without the
    optimizer's state; ``tf.saved_model.load(path)`` serves it."""
    if format != "tf_saved_model":
        raise unsupported(f"model.export(format={format!r})", "dendrite exports format='tf_saved_model' (as its "
                                                              "own model directory).")
    saved_model_dir.save_model_dir(self, os.fspath(filepath), include_optimizer=False)
    if verbose:
        print(f"Saved artifact at '{os.fspath(filepath)}' (dendrite's model directory).")


def targets():
    """(class, attribute, value) for each change, made by _patches.apply and undone by _patches.undo."""
    return [(Model, "save", model_save), (Model, "export", model_export)]


class SaveOptions:
    """``tf.saved_model.SaveOptions(...)``: TensorFlow's options for writing graphs (custom gradients, function
    aliases, namespace whitelists, ...). dendrite's directories hold no graphs, so the options are kept and
    change nothing: a custom gradient is used again whenever the loaded module's class runs its method."""

    def __init__(self, namespace_whitelist=None, save_debug_info=False, function_aliases=None,
                 experimental_io_device=None, experimental_variable_policy=None,
                 experimental_custom_gradients=True, experimental_image_format=False,
                 experimental_skip_saver=False, experimental_sharding_callback=None, extra_tags=None):
        self.namespace_whitelist, self.save_debug_info = namespace_whitelist, save_debug_info
        self.function_aliases, self.experimental_io_device = function_aliases, experimental_io_device
        self.experimental_variable_policy = experimental_variable_policy
        self.experimental_custom_gradients = experimental_custom_gradients
        self.experimental_image_format, self.experimental_skip_saver = experimental_image_format, experimental_skip_saver
        self.experimental_sharding_callback, self.extra_tags = experimental_sharding_callback, extra_tags


class LoadOptions:
    """``tf.saved_model.LoadOptions(...)``: kept, changing nothing (see SaveOptions)."""

    def __init__(self, allow_partial_checkpoint=False, experimental_io_device=None,
                 experimental_skip_checkpoint=False, experimental_variable_policy=None,
                 experimental_load_function_aliases=False):
        self.allow_partial_checkpoint = allow_partial_checkpoint
        self.experimental_io_device = experimental_io_device
        self.experimental_skip_checkpoint = experimental_skip_checkpoint
        self.experimental_variable_policy = experimental_variable_policy
        self.experimental_load_function_aliases = experimental_load_function_aliases


# TensorFlow's SavedModel constants (tags, signature keys, file and directory names), as TF 2.21 spells them
CONSTANTS = dict(
    ASSETS_DIRECTORY="assets", ASSETS_KEY="saved_model_assets", CLASSIFY_INPUTS="inputs",
    CLASSIFY_METHOD_NAME="tensorflow/serving/classify", CLASSIFY_OUTPUT_CLASSES="classes",
    CLASSIFY_OUTPUT_SCORES="scores", DEBUG_DIRECTORY="debug", DEBUG_INFO_FILENAME_PB="saved_model_debug_info.pb",
    DEFAULT_SERVING_SIGNATURE_DEF_KEY="serving_default", GPU="gpu", PREDICT_INPUTS="inputs",
    PREDICT_METHOD_NAME="tensorflow/serving/predict", PREDICT_OUTPUTS="outputs", REGRESS_INPUTS="inputs",
    REGRESS_METHOD_NAME="tensorflow/serving/regress", REGRESS_OUTPUTS="outputs",
    SAVED_MODEL_FILENAME_PB="saved_model.pb", SAVED_MODEL_FILENAME_PBTXT="saved_model.pbtxt",
    SAVED_MODEL_SCHEMA_VERSION=1, SERVING="serve", TPU="tpu", TRAINING="train", VARIABLES_DIRECTORY="variables",
    VARIABLES_FILENAME="variables")

SAVED_MODEL = dict(save=save, load=load, contains_saved_model=contains_saved_model, SaveOptions=SaveOptions,
                   LoadOptions=LoadOptions, **CONSTANTS)
