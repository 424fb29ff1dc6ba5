"""Callbacks as each Keras era spelled them. The monitoring callbacks read the Keras 2 keys 'acc' and
'val_acc' (and 'accuracy' / 'val_accuracy' for a model compiled with metrics=['acc']), so
``ModelCheckpoint('w-{epoch:02d}-{val_acc:.2f}.h5', monitor='val_acc', period=1)`` works whichever the model
logs. ``TensorBoard`` is dendrite's (tensorboardX writes the event files)."""
from .. import callbacks as _callbacks

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


def _with_aliases(base):
    def on_epoch_end(self, epoch, logs=None):
        return base.on_epoch_end(self, epoch, _aliased(logs))

    def on_train_batch_end(self, batch, logs=None):
        return base.on_train_batch_end(self, batch, _aliased(logs))

    return type(base)(base.__name__, (base,), {"on_epoch_end": on_epoch_end, "on_train_batch_end": on_train_batch_end,
                                               "__module__": base.__module__, "__qualname__": base.__qualname__,
                                               "__doc__": base.__doc__})


ModelCheckpoint = _with_aliases(_callbacks.ModelCheckpoint)
EarlyStopping = _with_aliases(_callbacks.EarlyStopping)
ReduceLROnPlateau = _with_aliases(_callbacks.ReduceLROnPlateau)
CSVLogger = _callbacks.CSVLogger


def tensorboard():
    return _callbacks.TensorBoard


NAMES = "ModelCheckpoint EarlyStopping ReduceLROnPlateau CSVLogger"
