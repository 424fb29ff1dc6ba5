"""Model directories: dendrite's stand-in for the SavedModel directory that tf.keras 2 wrote for
``model.save('path/without/extension')`` and ``tf.saved_model.save(model, path)``.

The directory holds the model as dendrite's ``.keras`` archive (``model.keras``) and a small marker,
``dendrite_saved_model.json``, naming the format, the archive and the model's input and output names (what
``tf.saved_model.load(path).signatures['serving_default']`` takes and returns). It is not TensorFlow's
SavedModel: no graph is written, and a directory that TensorFlow wrote (``saved_model.pb`` without the marker)
is refused with an error naming the formats dendrite does read. Only the compatibility mode writes these
directories (Keras 3's ``model.save`` takes ``.keras`` or ``.h5`` only); ``load_model`` reads them anywhere.
"""
import json
import os

from .file_checks import WeightsFileError

MARKER = "dendrite_saved_model.json"
ARCHIVE = "model.keras"
FORMAT = "dendrite-saved-model"
_MAX_MARKER_BYTES = 2 ** 20


def save_model_dir(model, dirpath, overwrite=True, include_optimizer=True):
    """``model`` to the directory ``dirpath`` (made with its parents): ``model.keras`` and the marker."""
    from .saving_lib import save_model
    dirpath = os.fspath(dirpath)
    if os.path.exists(dirpath) and not os.path.isdir(dirpath):
        raise FileExistsError(f"save: {dirpath} is a file; a model directory (the SavedModel layout) needs a "
                              "directory path. Remove the file or save to a .keras file instead.")
    if os.path.isfile(os.path.join(dirpath, "saved_model.pb")) and not is_model_dir(dirpath):
        raise FileExistsError(f"save: {dirpath} holds a TensorFlow SavedModel (saved_model.pb); dendrite does not "
                              "write over it. Choose another directory.")
    if not overwrite and is_model_dir(dirpath):
        raise FileExistsError(f"save: {dirpath} already holds a saved model and overwrite=False.")
    os.makedirs(dirpath, exist_ok=True)
    save_model(model, os.path.join(dirpath, ARCHIVE), overwrite=True, include_optimizer=include_optimizer)
    inputs, outputs = signature_names(model)
    marker = {"format": FORMAT, "version": 1, "archive": ARCHIVE, "model": model.name, "inputs": inputs,
              "outputs": outputs}
    with open(os.path.join(dirpath, MARKER), "w", encoding="utf-8") as f:
        json.dump(marker, f, indent=1)
    return dirpath


def signature_names(model):
    """The input and output names of a model's serving signature, as TensorFlow named them: a Sequential's
    input is '<first layer>_input' and its output its last layer's name; a functional model's are its own."""
    if hasattr(model, "input_names") and hasattr(model, "output_names"):
        return list(model.input_names), list(model.output_names)
    layers = getattr(model, "layers", [])
    if layers:
        return [f"{layers[0].name}_input"], [layers[-1].name]
    return ["input_1"], ["output_1"]


def is_model_dir(dirpath):
    return os.path.isfile(os.path.join(os.fspath(dirpath), MARKER))


def read_marker(dirpath):
    """The marker of a model directory, checked; the errors name what the directory is instead."""
    dirpath = os.fspath(dirpath)
    path = os.path.join(dirpath, MARKER)
    if not os.path.isfile(path):
        raise tf_directory_error(dirpath)
    if os.path.getsize(path) > _MAX_MARKER_BYTES:
        raise WeightsFileError(f"{path}: {os.path.getsize(path):,} bytes, more than a marker holds; refused.")
    try:
        with open(path, encoding="utf-8") as f:
            marker = json.load(f)
    except (ValueError, UnicodeDecodeError) as e:
        raise WeightsFileError(f"{path}: not valid JSON ({e}); the model directory is damaged. Save the model "
                               "again.") from None
    if not isinstance(marker, dict) or marker.get("format") != FORMAT:
        raise WeightsFileError(f"{path}: expected a marker with format '{FORMAT}'; received {marker!r:.200}.")
    archive = marker.get("archive", ARCHIVE)
    if not isinstance(archive, str) or os.path.basename(archive) != archive:
        raise WeightsFileError(f"{path}: the archive must be a file name inside the directory; received "
                               f"{archive!r}.")
    return marker


def tf_directory_error(dirpath):
    """The error for a directory without dendrite's marker (a TensorFlow SavedModel, or no model at all)."""
    if os.path.isfile(os.path.join(dirpath, "saved_model.pb")) or os.path.isfile(
            os.path.join(dirpath, "saved_model.pbtxt")):
        return WeightsFileError(
            f"{dirpath} is a TensorFlow SavedModel (saved_model.pb): a TensorFlow graph, which dendrite cannot "
            "read. Save the model in TensorFlow as a .keras file (model.save('model.keras')), as .h5 "
            "(model.save('model.h5')) or its weights alone (model.save_weights('model.weights.h5')), and load "
            "that file with dendrite.")
    return WeightsFileError(f"{dirpath} is a directory without a saved model: expected {MARKER} (a model "
                            "directory written by dendrite) or a .keras / .h5 file path.")


def load_model_dir(dirpath, custom_objects=None, compile=True, safe_mode=True):
    """The model saved in the directory ``dirpath`` by save_model_dir."""
    from .saving_lib import load_model
    marker = read_marker(dirpath)
    archive = os.path.join(os.fspath(dirpath), marker.get("archive", ARCHIVE))
    if not os.path.isfile(archive):
        raise FileNotFoundError(f"{dirpath}: the model directory has no {os.path.basename(archive)}; it is "
                                "incomplete. Save the model again.")
    return load_model(archive, custom_objects=custom_objects, compile=compile, safe_mode=safe_mode)
