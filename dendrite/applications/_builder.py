"""What every application builder shares: the checks of ``weights`` / ``classes``, the input (a new
``Input`` or the caller's ``input_tensor``), the classifier or pooling head, and the weights: none, a local
file the caller names, or Keras's ImageNet file, looked for under its standard name in the local caches
(dendrite runs offline; a missing file is an error naming the file and where Keras downloads it)."""
import os

from .. import layers
from ..datasets._fetch import search_places
from ..layers.node import KerasTensor
from . import imagenet_utils

KERAS_WEIGHTS_URL = "https://storage.googleapis.com/tensorflow/keras-applications/"


def check_weights(weights, include_top, classes, api):
    """Keras's checks of ``weights`` and ``classes``, before anything is built."""
    from .. import backend
    if backend.image_data_format() != "channels_last":
        raise NotImplementedError(f"{api}: dendrite builds keras.applications models in the channels_last layout "
                                  "only; image_data_format() is 'channels_first'. Set it back with "
                                  "keras.backend.set_image_data_format('channels_last'). See docs/compat.md.")
    if not (weights in ("imagenet", None) or (isinstance(weights, (str, os.PathLike))
                                               and os.path.exists(weights))):
        raise ValueError(f"{api}: the `weights` argument should be either `None` (random initialization), "
                         "'imagenet' (pre-training on ImageNet), or the path to the weights file to be loaded.  "
                         f"Received: weights={weights}")
    if weights == "imagenet" and include_top and classes != 1000:
        raise ValueError(f"{api}: if using `weights='imagenet'` with `include_top=True`, `classes` should be "
                         f"1000.  Received classes={classes}")


def image_input(input_tensor, input_shape, api):
    """The model's input: ``input_tensor`` when it is a symbolic tensor, else a new ``Input``."""
    if input_tensor is None:
        return layers.Input(shape=input_shape)
    if isinstance(input_tensor, KerasTensor):
        return input_tensor
    raise ValueError(f"{api}: `input_tensor` must be a symbolic tensor (from keras.Input or a layer of a "
                     f"functional model); received a {type(input_tensor).__name__}. Pass "
                     "input_tensor=keras.Input(shape=...) or use input_shape=.")


def source_inputs(input_tensor, img_input):
    """The Input(s) the model starts from: those ``input_tensor`` descends from, as Keras's
    ``get_source_inputs`` finds them."""
    if input_tensor is None:
        return img_input
    found, seen, todo = [], set(), [input_tensor]
    while todo:
        tensor = todo.pop()
        parents = list(tensor.node.inputs) if getattr(tensor, "node", None) is not None else []
        if not parents:
            if id(tensor) not in seen:
                seen.add(id(tensor))
                found.append(tensor)
        else:
            todo.extend(parents)
    return found[0] if len(found) == 1 else found


def head(x, include_top, pooling, classes, classifier_activation, weights, pool_names=(None, None),
         top_pool_name=None):
    """The ImageNet classifier (global average pooling, named ``top_pool_name`` or else like the other average
    pooling, then the Dense 'predictions') or, without it, the optional global pooling ('avg' / 'max') of the
    features."""
    avg_name, max_name = pool_names
    if include_top:
        x = layers.GlobalAveragePooling2D(name=top_pool_name or avg_name)(x)
        imagenet_utils.validate_activation(classifier_activation, weights)
        return layers.Dense(classes, activation=classifier_activation, name="predictions")(x)
    if pooling == "avg":
        return layers.GlobalAveragePooling2D(name=avg_name)(x)
    if pooling == "max":
        return layers.GlobalMaxPooling2D(name=max_name)(x)
    return x


def find_weights_file(file_name, subfolder, base=KERAS_WEIGHTS_URL):
    """The path of Keras's weights file ``file_name`` in the local caches, or a FileNotFoundError naming it
    and its download address."""
    places = search_places(file_name, cache_subdir="models")
    data = os.environ.get("DENDRITE_DATA")
    if data:  # (`dendrite run --data-dir D` with the file directly in D)
        places.append(("$DENDRITE_DATA", os.path.join(os.path.expanduser(data), file_name)))
    for _, path in places:
        if path and os.path.isfile(path):
            return path
    url = f"{base}{subfolder}/{file_name}" if subfolder else f"{base}{file_name}"
    looked = ", ".join(path for _, path in places if path)
    raise FileNotFoundError(
        f"weights='imagenet' needs Keras's pretrained weights file {file_name} ({url}); dendrite runs offline "
        f"and found no copy (looked in: {looked}). Download it once into ~/.keras/models/ (or "
        "$DENDRITE_DATA/models/), pass weights='path/to/file.h5', or build the model with weights=None.")


def weights_path(weights, file_name, subfolder, base=KERAS_WEIGHTS_URL):
    """The file to load, found before anything is built: the caller's file, Keras's ImageNet file from the
    local caches (or the error naming it), or None for random initialization."""
    if weights == "imagenet":
        return find_weights_file(file_name, subfolder, base=base)
    return None if weights is None else os.fspath(weights)


def finish(inputs, outputs, name, path):
    """The functional model, with the weights of ``path`` (see weights_path) loaded."""
    from ..models import Model
    model = Model(inputs, outputs, name=name)
    if path is not None:
        model.load_weights(path)
    return model
