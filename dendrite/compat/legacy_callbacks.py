"""Callbacks as each Keras era spelled them. The monitoring callbacks read the Keras 2 keys 'acc' and
'val_acc' (and 'accuracy' / 'val_accuracy' for a model compiled with metrics=['acc']), so
``ModelCheckpoint('w-{epoch:02d}-{val_acc:.2f}.h5', monitor='val_acc', period=1)`` works whichever the model
logs. ``TensorBoard`` is dendrite's (tensorboardX writes the event files)."""
from .. import callbacks as _callbacks
from ._notes import note

_PAIRS = (("acc", "accuracy"), ("val_acc", "val_accuracy"))


def _aliased(logs):
    if not logs:
        return logs
    out = dict(logs)
    for a, b in _PAIRS:
        if a in out and b not in out:
            out[b] = out[a]
        elif b in out and a not in out:
            out[a] = out[b]
    return out


def _alias_of(key, logs):
    """Whether ``key`` is only _aliased's second name for a key ``logs`` has."""
    return any((key == a and b in logs) or (key == b and a in logs) for a, b in _PAIRS)


def _with_aliases(base):
    def on_epoch_end(self, epoch, logs=None):
        view = _aliased(logs)
        out = base.on_epoch_end(self, epoch, view)
        if logs is not None and view is not logs:  # what the callback logs (ReduceLROnPlateau's learning_rate)
            logs.update({k: v for k, v in view.items() if k not in logs and not _alias_of(k, logs)})
        return out

    def on_train_batch_end(self, batch, logs=None):
        return base.on_train_batch_end(self, batch, _aliased(logs))

    return type(base)(base.__name__, (base,), {"on_epoch_end": on_epoch_end, "on_train_batch_end": on_train_batch_end,
                                               "__module__": base.__module__, "__qualname__": base.__qualname__,
                                               "__doc__": base.__doc__})


ModelCheckpoint = _with_aliases(_callbacks.ModelCheckpoint)
EarlyStopping = _with_aliases(_callbacks.EarlyStopping)
ReduceLROnPlateau = _with_aliases(_callbacks.ReduceLROnPlateau)
CSVLogger = _callbacks.CSVLogger


_KERAS2_TENSORBOARD = ("batch_size", "write_grads", "embeddings_layer_names", "embeddings_data")


def tensorboard():
    """TensorBoard taking Keras 2's arguments too: ``batch_size``, ``write_grads`` (gradient histograms, which
    TensorFlow 2 dropped), ``embeddings_layer_names`` / ``embeddings_data``; accepted with a note, nothing written
    for them."""
    base = _callbacks.TensorBoard

    def __init__(self, *args, **kwargs):
        dropped = [k for k in _KERAS2_TENSORBOARD if k in kwargs]
        for key in dropped:
            kwargs.pop(key)
        if dropped:
            note(("TensorBoard", "keras2"), f"TensorBoard: Keras 2's {', '.join(dropped)} ha"
                 f"{'ve' if len(dropped) > 1 else 's'} no effect (TensorFlow 2 removed them).")
        base.__init__(self, *args, **kwargs)
    return type(base)("TensorBoard", (base,), {"__init__": __init__, "__module__": base.__module__,
                                               "__qualname__": base.__qualname__, "__doc__": base.__doc__})


NAMES = "ModelCheckpoint EarlyStopping ReduceLROnPlateau CSVLogger"
