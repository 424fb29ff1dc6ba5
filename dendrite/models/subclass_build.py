"""``model.build(input_shape)`` of a subclassed model, as tf.keras 2 builds it: the model's call runs once on zeros of
that shape (each unknown size 1, in inference mode), so that its layers make their weights and ``summary()``
counts them before any data has passed (tutorials call ``model.build((None, 784)); model.summary()``). Keras 3
leaves such layers unbuilt; dendrite does as tf.keras 2, which only adds what Keras 3 lacks. The first call on
data builds the model without that extra run."""
import numpy as np

from .. import backend
from ..layers.base import _shape_record


def _zeros(shape):
    if isinstance(shape, dict):
        return {k: _zeros(v) for k, v in shape.items()}
    if isinstance(shape, list):
        return [_zeros(s) for s in shape]
    return np.zeros(tuple(1 if d is None else int(d) for d in shape), backend.floatx())


class SubclassBuild:

    def build(self, input_shape=None):
        if input_shape is not None and self._build_shape is None:
            self._build_shape = _shape_record(input_shape)
        self.built = True
        if input_shape is None or self.__dict__.get("_building_from_call") or not self._sublayers():
            return
        try:
            self(_zeros(self._build_shape), training=False)
        except Exception:  # noqa: BLE001 - a call that needs real data builds its layers on its first call
            pass
        self._clear_losses()

    def _maybe_build(self, shape):
        self.__dict__["_building_from_call"] = True  # the call that builds runs on the data itself
        try:
            super()._maybe_build(shape)
        finally:
            del self.__dict__["_building_from_call"]
