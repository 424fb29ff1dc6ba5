"""`History`: the object `fit` returns, one list per metric."""

from dendrite.callbacks.base import Callback


class History(Callback):
    """Records each epoch's logs: `history` maps a metric name to its list
    of values, `epoch` lists the epoch indices (0-based) that ran.

    As in Keras, `history` is kept across fits of the same History object
    while `epoch` restarts with each `on_train_begin`.
    """

    def __init__(self):
        super().__init__()
        self.history = {}
        self.epoch = []

    def on_train_begin(self, logs=None):
        self.epoch = []

    def on_epoch_end(self, epoch, logs=None):
        self.epoch.append(epoch)
        for key, value in (logs or {}).items():
            self.history.setdefault(key, []).append(value)
        if self.model is not None:
            self.model.history = self
