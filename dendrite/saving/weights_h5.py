"""Weights files in the two HDF5 layouts Keras users meet (h5py, the ``saving`` extra).

- ``.weights.h5``, Keras 3's: the model's tree of objects, each with a ``vars`` group of datasets named 0, 1,
  ... (its own variables in creation order) and its sub-objects in groups named as Keras names them: a
  model's ``layers`` (each under its class name in snake case, made unique: ``dense``, ``dense_1``), a
  recurrent layer's ``cell``, Bidirectional's ``forward_layer`` / ``backward_layer``, TimeDistributed's
  ``layer``, StackedRNNCells' ``cells``, and whatever a layer's ``_weights_file_children()`` lists
  (MultiHeadAttention's ``query_dense``, ``key_dense``, ...).
- ``.h5`` / ``.hdf5``, tf.keras 2's (and Keras 3's legacy writer's): a ``layer_names`` attribute listing the
  layers with weights, and per layer a group whose ``weight_names`` attribute lists its datasets in order. In
  a whole-model file the same layout sits under ``model_weights``.

Reading never runs anything from the file: only datasets are read, each after its declared shape and dtype
have been checked against the weight it is for, and every mismatch is an error naming the file and the layer.
Writing goes to a temporary file in the same folder that replaces the target only once complete, so a crash
mid-write leaves any previous file whole.
"""
import os
import tempfile

import numpy as np

from ..utils.naming import to_snake_case
from .file_checks import WeightsFileError, h5_group, h5_object, reading, weight_dataset  # noqa: F401 (re-exported)


def _h5py():
    try:
        import h5py
    except ImportError:
        raise ImportError("Saving and loading .h5 weights needs h5py: pip install 'dendrite[saving]' "
                          "(or pip install h5py).") from None
    return h5py


# ------------------------------------------------------------------ the object tree
def _own_variables(obj):
    return list(obj.__dict__.get("_weights", ()))


def _children(obj):
    """``[(name, child or list of children)]``: what Keras 3 saves under a layer, by attribute name."""
    from ..models.training import Model
    if isinstance(obj, Model):
        return [("layers", list(obj.layers))]
    out = []
    cells = obj.__dict__.get("cells")
    if isinstance(cells, list) and cells:
        out.append(("cells", cells))
    for attr in ("cell", "forward_layer", "backward_layer", "layer"):
        child = obj.__dict__.get(attr)
        if child is not None and hasattr(child, "_weights"):
            out.append((attr, child))
    named = getattr(obj, "_weights_file_children", None)  # a layer that names its sublayers (MultiHeadAttention)
    return out + (named() if named is not None else [])


def _keyed(layers):
    """The keys Keras 3 gives a list of layers: class names in snake case, numbered when repeated."""
    seen, out = {}, []
    for layer in layers:
        base = to_snake_case(type(layer).__name__)
        n = seen.get(base, 0)
        seen[base] = n + 1
        out.append((base if n == 0 else f"{base}_{n}", layer))
    return out


def _atomic(path, write):
    """Run ``write(temp_path)`` and move the result onto ``path`` only when it succeeded."""
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=os.path.basename(path), dir=folder)
    os.close(fd)
    try:
        write(tmp)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)


# --------------------------------------------------------------- Keras 3's layout
def write_object(group, obj):
    """``obj`` (a model or layer) and its sub-objects into an open HDF5 group, in Keras 3's layout."""
    own = group.create_group("vars")
    own.attrs["name"] = obj.name
    for i, var in enumerate(_own_variables(obj)):
        own.create_dataset(str(i), data=var.value)
    for attr, child in _children(obj):
        if isinstance(child, list):
            sub = group.create_group(attr)
            for key, layer in _keyed(child):
                write_object(sub.create_group(key), layer)
        else:
            write_object(group.create_group(attr), child)


def _write_h5(path, fill):
    """A new HDF5 file at ``path`` filled by ``fill(file)``, written atomically."""
    h5py = _h5py()

    def write(tmp):
        with h5py.File(tmp, "w") as f:
            fill(f)
    _atomic(path, write)


def save_weights_h5(model, path):
    """``model``'s weights to ``path`` in Keras 3's ``.weights.h5`` layout."""
    _write_h5(path, lambda f: write_object(f, model))


def load_weights_h5(model, source, skip_mismatch=False, label=None):
    """Weights from a Keras 3 ``.weights.h5`` file (a path, or a file object with ``label`` naming it in
    messages) into ``model``: everything is checked and read first, then set all at once, so that a file that
    fails leaves the model's weights as they were."""
    h5py = _h5py()
    path = label or source
    assignments = []

    def read_object(group, obj, where):
        own = _own_variables(obj)
        found = h5_group(h5py, group, "vars", path, f"{where}/vars".lstrip("/"))
        stored = [] if found is None else sorted(found.keys(), key=lambda k: int(k) if k.isdigit() else -1)
        if len(stored) != len(own) or any(not k.isdigit() for k in stored):
            if skip_mismatch:
                return
            if any(not k.isdigit() for k in stored):
                raise WeightsFileError(f"{path}: the arrays of '{where}' ({obj.who}) are named {stored[:10]}; Keras "
                                       "names them 0, 1, ... The file is damaged or was not written by Keras.")
            raise WeightsFileError(f"{path}: '{where}' ({obj.who}) has {len(own)} weight(s) of shapes "
                                   f"{[tuple(v.value.shape) for v in own]}; the file holds {len(stored)} for it "
                                   f"{_shapes(h5py, found, stored)}. The file was saved from a different model.")
        pending = []
        for var, key in zip(own, stored):
            data = weight_dataset(h5py, found, key, path, f"{where}/vars/{key}".lstrip("/"))
            if tuple(data.shape) != tuple(var.value.shape):
                if skip_mismatch:
                    return
                raise WeightsFileError(f"{path}: weight {key} of '{where}' ({obj.who}, {var.name}) has shape "
                                       f"{tuple(var.value.shape)}; the file holds {tuple(data.shape)} "
                                       f"({data.dtype}). The file was saved from a different model.")
            pending.append((var, data))
        assignments.extend(pending)
        for attr, child in _children(obj):
            sub = h5_group(h5py, group, attr, path, f"{where}/{attr}".lstrip("/"))
            if isinstance(child, list):
                keyed = _keyed(child)
                extra = sorted(set(sub.keys() if sub is not None else ()) - {key for key, _ in keyed})
                extra = [key for key in extra if _holds_weights(h5py, sub, key, path, f"{where}/{attr}/{key}")]
                if extra and not skip_mismatch:
                    raise WeightsFileError(f"{path}: the file holds weights for {[f'{attr}/{k}' for k in extra]}, "
                                           f"which the model does not have. The file was saved from a different "
                                           "model (pass skip_mismatch=True to load what matches).")
                for key, layer in keyed:
                    entry = None if sub is None else h5_group(h5py, sub, key, path, f"{where}/{attr}/{key}")
                    if entry is None:
                        if not _own_variables(layer) and not _children(layer):
                            continue  # nothing to load (InputLayer, pooling)
                        if skip_mismatch:
                            continue
                        raise WeightsFileError(f"{path}: no weights for '{where}/{attr}/{key}' ({layer.who}) in the "
                                               "file. The file was saved from a different model.")
                    read_object(entry, layer, f"{where}/{attr}/{key}".lstrip("/"))
            elif sub is not None:
                read_object(sub, child, f"{where}/{attr}".lstrip("/"))
            elif not skip_mismatch:
                raise WeightsFileError(f"{path}: no weights for '{where}/{attr}' ({child.who}) in the file.")

    _check_path(source)
    with reading(path, "reading the weights"):
        with _open(h5py, source, path) as f:
            read_object(f, model, "")
            values = [np.asarray(data[()], dtype=var.value.dtype) for var, data in assignments]
    for (var, _), value in zip(assignments, values):
        var.assign(value)


def _shapes(h5py, group, keys):
    """The shapes of the arrays ``keys`` of ``group`` as a message shows them ('?' for what is not an array)."""
    shapes = []
    for key in keys:
        item = group.get(key) if group is not None else None
        shapes.append(tuple(item.shape) if isinstance(item, h5py.Dataset) else "?")
    return f"(shapes {shapes})" if shapes else ""


def _holds_weights(h5py, parent, key, path, where):
    """Whether an object's group in a Keras 3 file (or any group under it) stores a weight (links are refused,
    not followed)."""
    group = h5_object(h5py, parent, key, path, where)
    if not isinstance(group, h5py.Group):
        return group is not None
    found = []
    group.visititems(lambda name, obj: found.append(name) if isinstance(obj, h5py.Dataset) else None)
    return bool(found)


def _check_path(source):
    """A path that names no file, or a directory, is refused before any reading (a file object passes)."""
    if not isinstance(source, (str, os.PathLike)):
        return
    if os.path.isdir(source):
        raise WeightsFileError(f"{source} is a directory; load_weights reads a weights file (.weights.h5 or .h5) or "
                               "a checkpoint prefix (dendrite.saving.latest_checkpoint(folder) names the latest).")
    if not os.path.exists(source):
        raise FileNotFoundError(f"No weights file at {source}.")


def _open(h5py, source, label=None):
    """An HDF5 file opened for reading from a path or a file object, with errors naming ``label``."""
    label = label or source
    _check_path(source)
    try:
        return h5py.File(source, "r")
    except OSError as e:
        raise WeightsFileError(f"{label}: not a readable HDF5 file ({e}). It may be truncated or corrupted.") from None


# ----------------------------------------------------------- tf.keras 2's layout
def _weight_names(layer, prefix=""):
    """tf.keras 2's names for a layer's weights, in layer.weights order: layer/var:0, with the sublayers'
    names between (lstm/lstm_cell/kernel:0, bidirectional/forward_gru/gru_cell/kernel:0)."""
    names = [f"{prefix}{layer.name}/{var.name}:0" for var in _own_variables(layer)]
    for _, child in _children(layer):
        for sub in (child if isinstance(child, list) else [child]):
            names.extend(_weight_names(sub, f"{prefix}{layer.name}/"))
    return names


def save_weights_legacy_h5(model, path):
    """``model``'s weights to ``path`` in tf.keras 2's HDF5 layout (layer_names / weight_names)."""
    _write_h5(path, lambda f: write_legacy_group(f, model))


def write_legacy_group(group, model):
    """tf.keras 2's layout into an open HDF5 group (a whole-model file puts it under ``model_weights``)."""
    layers = [layer for layer in model.layers if layer.weights]
    group.attrs["layer_names"] = np.array([layer.name.encode() for layer in layers])
    group.attrs["backend"] = b"numpy"
    group.attrs["keras_version"] = f"dendrite-{_version()}".encode()
    for layer in layers:
        sub = group.create_group(layer.name)
        names = _weight_names(layer)
        if len(names) != len(layer.weights) or len(set(names)) != len(names):  # weights held some other way
            names = [f"{layer.name}/weight_{i}:0" for i in range(len(layer.weights))]
        sub.attrs["weight_names"] = np.array([n.encode() for n in names])
        for name, var in zip(names, layer.weights):
            sub.create_dataset(name, data=var.value)


def _version():
    from .. import __version__
    return __version__


def _text(values):
    """An attribute's names (bytes or str; one or an array) as strings."""
    return [v.decode() if isinstance(v, bytes) else str(v) for v in np.atleast_1d(np.asarray(values)).tolist()]


def load_weights_legacy_h5(model, source, by_name=False, skip_mismatch=False):
    """Weights from a tf.keras 2 layout ``.h5`` file (a weights file, or a whole model's ``model_weights``; a
    path or an open h5py File): layer by layer in order, or by layer name with ``by_name``, as Keras loads them.
    Everything is checked and read first, then set all at once."""
    h5py = _h5py()
    if isinstance(source, h5py.File):
        path = source.filename
        with reading(path, "reading the weights"):
            assignments = _load_legacy(h5py, model, source, path, by_name, skip_mismatch)
    else:
        _check_path(source)
        with reading(source, "reading the weights"), _open(h5py, source) as f:
            assignments = _load_legacy(h5py, model, f, source, by_name, skip_mismatch)
    for var, value in assignments:
        var.assign(value)


def _load_legacy(h5py, model, f, path, by_name, skip_mismatch):
    """[(variable, array)]: the file's weights for the model, all checked and read."""
    group = f
    if f.get("model_weights", getlink=True) is not None and "layer_names" not in f.attrs:
        group = h5_group(h5py, f, "model_weights", path, "model_weights")
    if "layer_names" not in group.attrs:
        raise WeightsFileError(f"{path}: no 'layer_names' attribute: not a weights file in the tf.keras HDF5 "
                               "layout (a Keras 3 file ends in .weights.h5).")
    names = _text(group.attrs["layer_names"])
    stored = {}
    for name in names:
        layer_group = h5_group(h5py, group, name, path, name) if name else None
        if layer_group is None:
            raise WeightsFileError(f"{path}: layer '{name}' is listed but has no group: the file is damaged.")
        weight_names = _text(layer_group.attrs.get("weight_names", []))
        stored[name] = [weight_dataset(h5py, layer_group, w, path, f"{name}/{w}") for w in weight_names]
    stored = {name: values for name, values in stored.items() if values}
    layers = [layer for layer in model.layers if layer.weights]
    if by_name:
        pairs = [(layer, stored[layer.name]) for layer in layers if layer.name in stored]
    else:
        if len(stored) != len(layers):
            raise WeightsFileError(f"{path}: the file holds weights for {len(stored)} layer(s) "
                                   f"{list(stored)}, the model has {len(layers)} with weights "
                                   f"{[layer.name for layer in layers]}. Load with by_name=True to match "
                                   "layers by name.")
        pairs = list(zip(layers, stored.values()))
    assignments = []
    for layer, values in pairs:
        mine = layer.weights
        shapes_ok = len(values) == len(mine) and all(
            tuple(v.shape) == tuple(w.value.shape) for v, w in zip(values, mine))
        if not shapes_ok:
            if skip_mismatch:
                continue
            raise WeightsFileError(
                f"{path}: layer {layer.who} has weights of shapes {[tuple(w.value.shape) for w in mine]}; the "
                f"file holds {[tuple(v.shape) for v in values]} for it. Pass skip_mismatch=True to skip it.")
        assignments.extend(zip(mine, values))
    return [(var, np.asarray(data[()], dtype=var.value.dtype)) for var, data in assignments]
