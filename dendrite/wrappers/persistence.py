"""A wrapper's models through pickle (scikit-learn's n_jobs sends estimators to worker processes with it, and
users pickle fitted estimators): each model travels as the bytes of a ``.keras`` archive made in memory by
dendrite's own saver (architecture, weights, compile settings and the optimizer's state), with the classes
of its layers so that custom ones resolve. Only a model that dendrite cannot describe as a config falls back
to ordinary pickling of the object. Loading a ``.keras`` archive never unpickles anything; only pickle itself,
on objects this process made, does."""
import io

from ..saving import saving_lib

_TAG = "dendrite.keras"


def _layer_classes(model, found):
    found.setdefault(type(model).__name__, type(model))
    for layer in getattr(model, "layers", []) or []:
        if layer is not model:
            _layer_classes(layer, found)
    return found


def pack(model):
    """``model`` as a picklable tuple holding its ``.keras`` bytes (or the model itself where it has no
    config)."""
    classes = {name: cls for name, cls in _layer_classes(model, {}).items()
               if not cls.__module__.startswith("dendrite.")}
    buffer = io.BytesIO()
    try:
        optimizer = getattr(model, "optimizer", None)
        if optimizer is not None and not optimizer.built and model.built and model.trainable_weights:
            optimizer.build(model.trainable_weights)
        saving_lib._save_keras(model, buffer, include_optimizer=True)
    except (NotImplementedError, TypeError, ValueError, AttributeError):
        return (_TAG, None, model)
    return (_TAG, buffer.getvalue(), classes)


def unpack(packed):
    """The model ``pack`` described."""
    _, data, extra = packed
    if data is None:
        return extra
    return saving_lib._load_keras(io.BytesIO(data), extra or None, compile=True, safe_mode=True)


def is_packed(value):
    return isinstance(value, tuple) and len(value) == 3 and value[0] == _TAG
