"""A layer's losses: what ``add_loss`` gave during the latest forward pass (Tensors, or tf.keras 2's
zero-argument callables, evaluated at each read), its activity regularizer's, and its weights' regularizers,
gathered with its sublayers' by ``losses``; ``_clear_losses`` starts a new forward pass."""
import inspect

import numpy as np

from .. import backend
from ..autodiff import Tensor
from .node import KerasTensor


class LayerLosses:

    def add_loss(self, loss):
        """Add a loss (a scalar Tensor, computed in ``call``) to this layer's ``losses``: a model adds it to
        the loss it minimises. As in Keras 3, a forward pass keeps one per call (a shared layer's add up); the
        next pass, at its outermost layer call, starts afresh. A zero-argument callable (tf.keras 2's
        unconditional loss, e.g. a penalty on a kernel added in ``build``) is kept and called each time
        ``losses`` is read, so a GradientTape sees it."""
        if callable(loss) and not isinstance(loss, Tensor):
            try:
                inspect.signature(loss).bind()
            except TypeError:
                raise TypeError(f"{type(self).__name__}.add_loss: a callable loss must take no arguments (tf.keras "
                                f"2 calls it with none each time .losses is read); received {loss!r}. Bind its "
                                "arguments first, e.g. functools.partial(fn, self.kernel).") from None
            except ValueError:  # (a builtin without a signature: accepted as given)
                pass
            self._loss_callables.append(loss)
            return
        if not isinstance(loss, Tensor):
            if isinstance(loss, KerasTensor):
                raise NotImplementedError(
                    f"{type(self).__name__}.add_loss of a symbolic tensor (a loss built from keras.Input and "
                    "layer outputs outside call()): only a functional Model takes one (tf.keras 2's "
                    "`model = Model(inputs, outputs); model.add_loss(loss)`), and the loss must be computed from "
                    "that model's inputs. On a layer, add the loss inside its call() with self.add_loss(...); "
                    "see docs/compat.md.")
            loss = Tensor(np.asarray(loss))
        self._added_losses.append(loss)

    def _clear_losses(self):
        """Forget add_loss's and the activity regularizer's losses, here and in every sublayer."""
        if self._added_losses or self._activity_losses:
            self._added_losses, self._activity_losses = [], []
        for layer in self._sublayers():
            layer._clear_losses()

    @property
    def losses(self):
        """The penalties this layer adds to a model's loss: its weights' regularizers, and its activity
        regularizer's and add_loss's losses of the latest forward pass (Tensors, on an active tape)."""
        out = list(self._added_losses)
        for fn in self._loss_callables:
            value = fn()
            out.append(value if isinstance(value, Tensor) else Tensor(np.asarray(value, dtype=backend.floatx())))
        for w in self._weights:
            reg = getattr(w, "regularizer", None)
            if reg is not None:
                out.append(reg(w))
        for layer in self._sublayers():
            out.extend(layer.losses)
        return out + self._activity_losses
