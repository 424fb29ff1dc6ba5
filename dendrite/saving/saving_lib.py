"""Whole models: ``model.save`` / ``load_model`` in Keras 3's ``.keras`` format and tf.keras 2's ``.h5``.

A ``.keras`` file is a zip archive of three members, as Keras 3 writes it: ``metadata.json``, ``config.json``
(the model's config in Keras's envelope, with ``build_config`` and, when compiled, ``compile_config``) and
``model.weights.h5`` (the weights in the ``.weights.h5`` layout, plus ``optimizer/vars`` for the optimizer's
state). A whole-model ``.h5`` file holds ``model_config`` and ``training_config`` attributes (JSON) and the
weights under ``model_weights`` in tf.keras 2's layout.

Loading runs nothing from the file: classes resolve by name (dendrite.saving's registry and
``custom_objects``), code stored in a config is refused, only the three known members of an archive are read
(never extracted to disk), each member's size is checked before it is read, and the weights the config would
make are counted before any is allocated.
"""
import datetime
import io
import json
import os
import warnings
import zipfile

import numpy as np

from .serialization import deserialize_keras_object, serialize_keras_object
from .file_checks import WeightsFileError, h5_group, reading, weight_dataset
from .weights_h5 import _atomic, _h5py, _text, load_weights_h5, write_legacy_group

_MEMBERS = ("metadata.json", "config.json", "model.weights.h5")
_MAX_CONFIG_BYTES = 64 * 2 ** 20  # a model's config is a few KB to a few MB
_MAX_WEIGHT_ELEMENTS = 2 ** 32  # what a loaded model may allocate (16 GB of float32): more is refused
_MAX_EXPANSION = 100  # a member over _MAX_CONFIG_BYTES expanding more than this (deflate reaches ~1000) is a bomb
_KERAS_FORMAT_MAJOR = 3  # the newest Keras whose .keras format dendrite knows


def _version():
    from .. import __version__
    return __version__


def _compile_config(model):
    """compile()'s arguments as Keras 3 writes them, or None for a model not compiled."""
    compiled = getattr(model, "_compiled", None)
    if compiled is None:
        return None
    args = compiled.arguments
    return {"optimizer": serialize_keras_object(compiled.optimizer),
            "loss": _serialize_spec(args["loss"]), "loss_weights": args["loss_weights"],
            "metrics": _serialize_spec(args["metrics"]), "weighted_metrics": _serialize_spec(args["weighted_metrics"]),
            "run_eagerly": False, "steps_per_execution": 1, "jit_compile": False}


def _serialize_spec(spec):
    """A loss / metric argument (a name, an object, or a list or dict of them) as a config holds it."""
    if spec is None or isinstance(spec, str):
        return spec
    if isinstance(spec, dict):
        return {key: _serialize_spec(value) for key, value in spec.items()}
    if isinstance(spec, (list, tuple)):
        return [_serialize_spec(value) for value in spec]
    return serialize_keras_object(spec)


def _model_config(model):
    config = serialize_keras_object(model)
    if model.built and getattr(model, "_build_shape", None) is not None:
        shape = model._build_shape
        config["build_config"] = {"input_shape": [list(s) for s in shape] if isinstance(shape, list) else list(shape)}
    compile_config = _compile_config(model)
    if compile_config is not None:
        config["compile_config"] = compile_config
    return config


# ------------------------------------------------------------------------ save
def save_model(model, filepath, overwrite=True, include_optimizer=True):
    """``model`` to ``filepath``: ``.keras`` (Keras 3's archive) or ``.h5`` / ``.hdf5`` (tf.keras 2's), written
    to a temporary file and renamed into place. A compiled model's optimizer is built first if it has not
    stepped yet, so that the file always holds its full state, as a loader (Keras's too) expects."""
    filepath = os.fspath(filepath)
    optimizer = getattr(model, "optimizer", None)
    if include_optimizer and optimizer is not None and not optimizer.built and model.trainable_weights:
        optimizer.build(model.trainable_weights)
    if not overwrite and os.path.exists(filepath):
        raise FileExistsError(f"save: {filepath} exists and overwrite=False.")
    name = filepath.lower()
    if name.endswith((".h5", ".hdf5")):
        return _atomic(filepath, lambda tmp: _save_h5(model, tmp, include_optimizer))
    if not name.endswith(".keras"):
        raise ValueError(f"save: a model is saved to a .keras file (Keras 3's format) or to .h5 (tf.keras 2's); "
                         f"received filepath={filepath!r}. For the weights alone use save_weights.")
    _atomic(filepath, lambda tmp: _save_keras(model, tmp, include_optimizer))


def _weights_bytes(model, include_optimizer):
    h5py = _h5py()
    from .weights_h5 import write_object
    buffer = io.BytesIO()
    with h5py.File(buffer, "w") as f:
        write_object(f, model)
        optimizer = getattr(model, "optimizer", None)
        if include_optimizer and optimizer is not None and optimizer.built:
            group = f.create_group("optimizer").create_group("vars")
            group.attrs["name"] = optimizer.name
            for i, var in enumerate(optimizer.variables):
                group.create_dataset(str(i), data=var.value)
    return buffer.getvalue()


def _save_keras(model, path, include_optimizer):
    metadata = {"keras_version": f"dendrite-{_version()}",
                "date_saved": datetime.datetime.now().strftime("%Y-%m-%d@%H:%M:%S")}
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("metadata.json", json.dumps(metadata))
        archive.writestr("config.json", json.dumps(_model_config(model)))
        archive.writestr("model.weights.h5", _weights_bytes(model, include_optimizer))


def _save_h5(model, path, include_optimizer):
    h5py = _h5py()
    config = _model_config(model)
    compile_config = config.pop("compile_config", None)
    if compile_config is not None:  # tf.keras 2's training_config names the optimizer 'optimizer_config'
        compile_config = {"optimizer_config": compile_config.pop("optimizer"), **compile_config}
    with h5py.File(path, "w") as f:
        f.attrs["model_config"] = json.dumps(config)
        f.attrs["backend"] = "numpy"
        f.attrs["keras_version"] = f"dendrite-{_version()}"
        if compile_config is not None:
            f.attrs["training_config"] = json.dumps(compile_config)
        write_legacy_group(f.create_group("model_weights"), model)
        optimizer = getattr(model, "optimizer", None)
        if include_optimizer and optimizer is not None and optimizer.built:
            group = f.create_group("optimizer_weights")
            names = [f"{optimizer.name}/{var.name}:{i}" for i, var in enumerate(optimizer.variables)]
            group.attrs["weight_names"] = np.array([n.encode() for n in names])
            for name, var in zip(names, optimizer.variables):
                group.create_dataset(name, data=var.value)


# ------------------------------------------------------------------------ load
def load_model(filepath, custom_objects=None, compile=True, safe_mode=True):
    """The model saved at ``filepath`` (``.keras`` or ``.h5`` / ``.hdf5``, by dendrite or by Keras):
    architecture, weights and, with ``compile``, the compile settings and the optimizer's state, so that
    training continues where it stopped. A file that cannot be loaded raises WeightsFileError naming it and
    the problem."""
    filepath = os.fspath(filepath)
    if not os.path.exists(filepath):
        raise FileNotFoundError(f"load_model: no file at {filepath}.")
    if os.path.isdir(filepath):  # a model directory (the SavedModel layout) written by dendrite
        from .saved_model_dir import load_model_dir
        return load_model_dir(filepath, custom_objects, compile, safe_mode)
    if not filepath.lower().endswith((".keras", ".h5", ".hdf5")):
        raise WeightsFileError(f"load_model: {filepath} is not a model file name: load_model reads .keras files "
                               "(Keras 3's archive) and .h5 / .hdf5 files (tf.keras 2's), as Keras does. A model "
                               "saved under another name loads once renamed to end in .keras or .h5; weights "
                               "alone are read with model.load_weights.")
    if zipfile.is_zipfile(filepath):
        return _load_keras(filepath, custom_objects, compile, safe_mode)
    h5py = _h5py()
    if h5py.is_hdf5(filepath):
        return _load_h5(filepath, custom_objects, compile, safe_mode)
    raise WeightsFileError(f"{filepath}: neither a .keras archive nor an HDF5 file; it may be truncated or "
                           "corrupted.")


def _read_member(archive, name, path, required=True):
    """An archive member's bytes (None for a missing one not ``required``), its declared size checked first."""
    try:
        info = archive.getinfo(name)
    except KeyError:
        if not required:
            return None
        if name == "model.weights.h5" and "model.weights.npz" in archive.namelist():
            raise WeightsFileError(f"{path}: the weights are in model.weights.npz (Keras's save_model(..., "
                                   "weights_format='npz')), which dendrite does not read; save the model from Keras "
                                   "with the default weights_format='h5'.") from None
        raise WeightsFileError(f"{path}: the archive has no {name}; members are {archive.namelist()[:20]}. It is not "
                               "a .keras model file, or it is damaged.") from None
    limit = _MAX_CONFIG_BYTES if name.endswith(".json") else 8 * _MAX_WEIGHT_ELEMENTS
    if info.file_size > limit:
        raise WeightsFileError(f"{path}: {name} declares {info.file_size:,} bytes, more than a model file holds "
                               f"({limit:,}); refused.")
    if info.file_size > _MAX_CONFIG_BYTES and info.file_size > _MAX_EXPANSION * info.compress_size:
        raise WeightsFileError(f"{path}: {name} would expand {info.compress_size:,} bytes to {info.file_size:,} "
                               f"(more than {_MAX_EXPANSION} times): a decompression bomb, not a model; refused.")
    with reading(path, f"reading {name} (the file may be truncated or damaged)"):
        return archive.read(name)


def _parse_json(text, path, what):
    with reading(path, f"parsing {what} as JSON"):
        return json.loads(text)


def _build_model(config, path, custom_objects, safe_mode):
    from ..layers.weight_making import allocation_limit
    from ..models.training import Model
    if not isinstance(config, dict) or not isinstance(config.get("class_name"), str):
        raise WeightsFileError(f"{path}: the model config is not a Keras object config (no 'class_name').")
    config = {key: value for key, value in config.items() if key != "compile_config"}
    with reading(path, "building the model from its config"), allocation_limit(_MAX_WEIGHT_ELEMENTS, path):
        model = deserialize_keras_object(config, custom_objects, safe_mode=safe_mode, owner="load_model")
    if not isinstance(model, Model):
        raise WeightsFileError(f"{path}: the config describes a {type(model).__name__}, not a model.")
    return model


def _compile_from(model, compile_config, custom_objects, path):
    """``model`` compiled as its file's compile config says."""
    from .. import losses, metrics, optimizers

    def spec(value, family):
        if value is None or isinstance(value, str):
            return value
        if isinstance(value, list):
            return [spec(v, family) for v in value]
        if isinstance(value, dict) and "class_name" not in value:
            return {key: spec(v, family) for key, v in value.items()}
        return family.deserialize(value, custom_objects=custom_objects)
    with reading(path, "compiling the model as its compile config says (load_model(..., compile=False) skips "
                       "it)"):
        optimizer = compile_config.get("optimizer", compile_config.get("optimizer_config", "rmsprop"))
        model.compile(optimizer=optimizers.deserialize(optimizer, custom_objects=custom_objects)
                      if isinstance(optimizer, dict) else optimizer,
                      loss=spec(compile_config.get("loss"), losses), loss_weights=compile_config.get("loss_weights"),
                      metrics=spec(compile_config.get("metrics"), metrics),
                      weighted_metrics=spec(compile_config.get("weighted_metrics"), metrics))


def _restore_optimizer(model, group, keys, path):
    """The optimizer's state from the datasets ``keys`` of ``group`` (in ``optimizer.variables`` order)."""
    h5py = _h5py()
    optimizer = model.optimizer
    optimizer.build(model.trainable_weights)
    variables = optimizer.variables
    if len(keys) != len(variables):
        raise WeightsFileError(f"{path}: the file holds {len(keys)} optimizer variables, the model's "
                               f"{type(optimizer).__name__} has {len(variables)}; compile with the optimizer it was "
                               "saved with, or load with compile=False.")
    stored = [weight_dataset(h5py, group, key, path, f"{group.name}/{key}".lstrip("/")) for key in keys]
    for var, data in zip(variables, stored):
        if tuple(data.shape) != tuple(var.value.shape):
            raise WeightsFileError(f"{path}: optimizer variable {var.name} has shape {tuple(var.value.shape)}; the "
                                   f"file holds {tuple(data.shape)}.")
    values = [np.asarray(data[()], dtype=var.value.dtype) for var, data in zip(variables, stored)]
    for var, value in zip(variables, values):
        var.assign(value)


def _check_metadata(raw, path):
    """A warning when metadata.json says a newer format wrote the file (Keras itself does not look; dendrite
    loads such a file as Keras 3's format and says so, since what fails next may be why)."""
    if raw is None:
        return
    try:
        version = json.loads(raw).get("keras_version")
    except (ValueError, AttributeError, RecursionError):
        warnings.warn(f"{path}: metadata.json is not the JSON object Keras writes; ignored.", stacklevel=3)
        return
    if not isinstance(version, str):
        return
    numbers = _version_numbers(version.removeprefix("dendrite-"))
    if version.startswith("dendrite-"):
        newer = numbers is not None and numbers > _version_numbers(_version())
        known = f"this dendrite is {_version()}"
    else:
        newer = numbers is not None and numbers[0] > _KERAS_FORMAT_MAJOR
        known = f"dendrite reads the format of Keras {_KERAS_FORMAT_MAJOR}.x"
    if newer:
        writer = version if version.startswith("dendrite-") else f"Keras {version}"
        warnings.warn(f"{path} was saved by {writer}, a newer version than dendrite knows ({known}); it is "
                      "loaded as Keras 3's .keras format, and parts a newer format added may fail to load.",
                      stacklevel=3)


def _version_numbers(text):
    parts = text.split(".")[:3]
    return tuple(int(p) for p in parts) if all(p.isdigit() for p in parts) else None


def _load_keras(path, custom_objects, compile, safe_mode):
    with reading(path, "opening the .keras archive"):
        archive = zipfile.ZipFile(path)
    with archive:
        _check_metadata(_read_member(archive, "metadata.json", path, required=False), path)
        config = _parse_json(_read_member(archive, "config.json", path), path, "config.json")
        if isinstance(config, dict) and config.get("class_name") == "FeatureSpace":  # keras.utils.FeatureSpace.save
            from ..utils.feature_space_saving import load_feature_space
            return load_feature_space(archive, config, path, custom_objects, safe_mode)
        model = _build_model(config, path, custom_objects, safe_mode)
        weights = _read_member(archive, "model.weights.h5", path)
        ignored = [name for name in archive.namelist() if name not in _MEMBERS and not name.endswith("/")]
    if ignored:
        warnings.warn(f"{path}: dendrite reads metadata.json, config.json and model.weights.h5 of a .keras archive; "
                      f"its other members {ignored[:10]} are ignored (Keras keeps layer assets there, such as an "
                      "adapted StringLookup's vocabulary: a layer that needs them loads without them). Nothing is "
                      "extracted.", stacklevel=3)
    h5py = _h5py()
    load_weights_h5(model, io.BytesIO(weights), label=path)
    if compile and isinstance(config.get("compile_config"), dict):
        _compile_from(model, config["compile_config"], custom_objects, path)
        with reading(path, "restoring the optimizer's state"), h5py.File(io.BytesIO(weights), "r") as f:
            group = h5_group(h5py, f, "optimizer", path, "optimizer")
            group = group and h5_group(h5py, group, "vars", path, "optimizer/vars")
            if group is not None and len(group):
                keys = list(group)
                if not all(key.isdigit() for key in keys):
                    raise WeightsFileError(f"{path}: optimizer/vars holds {keys[:10]}; Keras numbers them 0, 1, ...")
                _restore_optimizer(model, group, sorted(keys, key=int), path)
    return model


def _load_h5(path, custom_objects, compile, safe_mode):
    h5py = _h5py()
    from .weights_h5 import load_weights_legacy_h5
    with reading(path, "opening the HDF5 file"):
        f = h5py.File(path, "r")
    with f:
        with reading(path, "reading its model_config attribute"):
            raw, training = f.attrs.get("model_config"), f.attrs.get("training_config")
        if raw is None:
            raise WeightsFileError(f"{path}: no 'model_config' attribute: a weights file, not a whole model "
                                   "(load it with model.load_weights).")
        text = _attribute_text(raw, path, "model_config")
        config = _parse_json(text, path, "model_config")
        model = _build_model(config, path, custom_objects, safe_mode)
        load_weights_legacy_h5(model, f)
        if compile and training is not None:
            compile_config = _parse_json(_attribute_text(training, path, "training_config"), path, "training_config")
            if not isinstance(compile_config, dict):
                raise WeightsFileError(f"{path}: training_config is not the JSON object Keras writes.")
            _compile_from(model, compile_config, custom_objects, path)
            with reading(path, "restoring the optimizer's state"):
                group = h5_group(h5py, f, "optimizer_weights", path, "optimizer_weights")
                if group is not None and "weight_names" in group.attrs:
                    names = _text(group.attrs["weight_names"])
                    if names:
                        _restore_optimizer(model, group, names, path)
    return model


def _attribute_text(raw, path, name):
    """A JSON attribute (str or bytes) as text, its size checked."""
    if not isinstance(raw, (str, bytes)):
        raise WeightsFileError(f"{path}: the {name} attribute is a {type(raw).__name__}; Keras writes a JSON string.")
    if len(raw) > _MAX_CONFIG_BYTES:
        raise WeightsFileError(f"{path}: {name} is larger than a model's config; refused.")
    with reading(path, f"{name} is not UTF-8 text"):
        return raw.decode() if isinstance(raw, bytes) else raw
