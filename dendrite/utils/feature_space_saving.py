"""A FeatureSpace in a ``.keras`` archive, in Keras 3's layout, and back (``keras.models.load_model``).

The archive holds ``config.json`` (the FeatureSpace's config, its ``build_config`` marking it adapted),
``model.weights.h5`` (each preprocessor under ``preprocessors/<class name in snake case, numbered when
repeated>/vars``: a Normalization's mean, variance and count; empty groups for the crossers, encoders and
concat, as Keras writes them) and, in files Keras writes, ``assets/preprocessors/<key>/vocabulary.txt`` for
adapted lookups (dendrite writes an adapted vocabulary into the lookup's config instead, which Keras reads too).
Reading never runs code from the file: classes by name only, arrays checked against the weights they fill.
"""
import datetime
import io
import json
import os
import zipfile

import numpy as np

from ..layers.lookup import StringLookup, IntegerLookup
from ..saving.file_checks import WeightsFileError, h5_group, reading, weight_dataset
from ..saving.serialization import deserialize_keras_object, serialize_keras_object
from ..saving.weights_h5 import _atomic, _h5py, _keyed


def _containers(fs):
    """(group name, [(key, layer)]) in Keras's layout."""
    return [("preprocessors", _keyed(list(fs.preprocessors.values()))),
            ("crossers", _keyed(list(fs.crossers.values()))),
            ("one_hot_encoders", _keyed(list(fs.one_hot_encoders.values())))]


def save_feature_space(fs, filepath):
    from ..saving.saving_lib import _version
    filepath = os.fspath(filepath)
    if not filepath.lower().endswith(".keras"):
        raise ValueError(f"FeatureSpace.save: the file name must end in .keras (Keras 3's archive); received "
                         f"filepath={filepath!r}. E.g. feature_space.save('featurespace.keras').")
    config = serialize_keras_object(fs)
    config["build_config"] = fs.get_build_config()
    h5py = _h5py()
    buffer = io.BytesIO()
    with h5py.File(buffer, "w") as f:
        f.create_group("vars").attrs["name"] = fs.name
        for container, keyed in _containers(fs):
            group = f.create_group(container)
            for key, layer in keyed:
                own = group.create_group(key).create_group("vars")
                own.attrs["name"] = layer.name
                for i, weight in enumerate(layer.weights):
                    own.create_dataset(str(i), data=np.asarray(weight.value))
        if fs.concat is not None:
            f.create_group("concat").create_group("vars").attrs["name"] = fs.concat.name
    metadata = {"keras_version": f"dendrite-{_version()}",
                "date_saved": datetime.datetime.now().strftime("%Y-%m-%d@%H:%M:%S")}

    def write(tmp):
        with zipfile.ZipFile(tmp, "w") as archive:
            archive.writestr("metadata.json", json.dumps(metadata))
            archive.writestr("config.json", json.dumps(config))
            archive.writestr("model.weights.h5", buffer.getvalue())
    _atomic(filepath, write)


def load_feature_space(archive, config, path, custom_objects=None, safe_mode=True):
    """The FeatureSpace that ``config`` (the archive's config.json) describes, its state read from ``archive``."""
    from .feature_space import FeatureSpace
    with reading(path, "building the FeatureSpace from its config"):
        fs = deserialize_keras_object({k: v for k, v in config.items() if k != "build_config"}, custom_objects,
                                      safe_mode=safe_mode, owner="load_model")
    if not isinstance(fs, FeatureSpace):
        raise WeightsFileError(f"{path}: config.json names FeatureSpace but describes a {type(fs).__name__}.")
    names = set(archive.namelist())
    keyed = dict(_containers(fs))["preprocessors"]
    for key, layer in keyed:
        asset = f"assets/preprocessors/{key}/vocabulary.txt"
        if isinstance(layer, (StringLookup, IntegerLookup)) and asset in names and layer._tokens is None:
            with reading(path, f"reading {asset}"):
                lines = archive.read(asset).decode("utf-8").splitlines()
                while lines and lines[-1] == "":
                    lines.pop()
                layer.set_vocabulary(lines if isinstance(layer, StringLookup) else [int(v) for v in lines])
    if "model.weights.h5" in names:
        h5py = _h5py()
        with reading(path, "reading model.weights.h5"), h5py.File(io.BytesIO(archive.read("model.weights.h5")),
                                                                    "r") as f:
            group = h5_group(h5py, f, "preprocessors", path, "preprocessors")
            for key, layer in keyed if group is not None else ():
                own = h5_group(h5py, group, key, path, f"preprocessors/{key}")
                own = own and h5_group(h5py, own, "vars", path, f"preprocessors/{key}/vars")
                if own is None or not len(own):
                    continue
                if not layer.weights:
                    layer.build((None, 1))
                if len(own) != len(layer.weights):
                    raise WeightsFileError(f"{path}: preprocessors/{key}/vars holds {len(own)} arrays; the "
                                           f"{type(layer).__name__} of the config has {len(layer.weights)}.")
                values = []
                for i, weight in enumerate(layer.weights):
                    where = f"preprocessors/{key}/vars/{i}"
                    data = weight_dataset(h5py, own, str(i), path, where)
                    if tuple(data.shape) != tuple(weight.shape):
                        raise WeightsFileError(f"{path}: '{where}' has shape {tuple(data.shape)}; "
                                               f"{layer.name}'s weight {weight.name} has {tuple(weight.shape)}.")
                    values.append(np.asarray(data[()]))
                layer.set_weights(values)
    if config.get("build_config") is not None:
        fs.build_from_config(config["build_config"])
        fs._check_if_built()
    return fs
