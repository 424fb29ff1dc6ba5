"""SwapEMAWeights, as Keras 3 defines it: with an optimizer built with ``use_ema=True``, evaluation (and
prediction, and with ``swap_on_epoch`` the end of each epoch) runs on the moving averages of the weights.

The model's trainable variables and the optimizer's averages trade values; they trade back when the evaluation
ends (or at the next epoch's start), and after the last epoch with ``swap_on_epoch`` the averages are made
equal to the weights the model keeps (the averaged ones). As in Keras 3.15, the end of a ``predict`` does not
swap back (its check is the one of ``on_predict_begin``): the averaged weights stay in the model until an
evaluation or epoch swaps them.
"""
import numpy as np

from dendrite.callbacks.base import Callback


def _ema_optimizer(model):
    optimizer = getattr(model, "optimizer", None)
    optimizer = getattr(optimizer, "inner_optimizer", optimizer)
    if optimizer is None or not getattr(optimizer, "use_ema", False):
        raise ValueError("SwapEMAWeights must be used when `use_ema=True` is set on the optimizer. Received: "
                         f"use_ema={getattr(optimizer, 'use_ema', None)}. Compile with e.g. "
                         "optimizer=keras.optimizers.Adam(use_ema=True).")
    return optimizer


class SwapEMAWeights(Callback):
    def __init__(self, swap_on_epoch=False):
        super().__init__()
        self.swap_on_epoch = bool(swap_on_epoch)
        self._ema_weights_in_model = False

    def _pairs(self):
        optimizer = _ema_optimizer(self.model)
        return zip(optimizer._variables, optimizer._averages)

    def _swap_variables(self):
        for var, average in self._pairs():
            held = np.array(var.value, copy=True)
            var.value[...] = average
            average[...] = held

    def _finalize_ema_values(self):
        for var, average in self._pairs():
            average[...] = var.value

    def on_epoch_begin(self, epoch, logs=None):
        if self.swap_on_epoch and self._ema_weights_in_model:
            self._swap_variables()
            self._ema_weights_in_model = False

    def on_epoch_end(self, epoch, logs=None):
        if self.swap_on_epoch and not self._ema_weights_in_model:
            self._swap_variables()
            self._ema_weights_in_model = True
            if epoch == self.params["epochs"] - 1:
                self._finalize_ema_values()

    def on_test_begin(self, logs=None):
        if not self._ema_weights_in_model:
            self._swap_variables()
            self._ema_weights_in_model = True

    def on_test_end(self, logs=None):
        if self._ema_weights_in_model:
            self._swap_variables()
            self._ema_weights_in_model = False

    def on_predict_begin(self, logs=None):
        if not self._ema_weights_in_model:
            self._swap_variables()
            self._ema_weights_in_model = True

    def on_predict_end(self, logs=None):
        if not self._ema_weights_in_model:  # (Keras 3.15's check: never true here, see the module)
            self._swap_variables()
            self._ema_weights_in_model = False
