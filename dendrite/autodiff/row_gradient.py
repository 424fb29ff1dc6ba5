"""The gradient of a lookup table (``ops.take`` along axis 0: an Embedding's lookup, ``tf.gather``): the
dense sum of the looked-up rows' gradients, which is what any computation on it reads, carrying the rows'
occurrences (the indices and each occurrence's gradient).

TensorFlow hands such a gradient to a Keras 3 optimizer as IndexedSlices, one row per occurrence, and the
optimizers that square the gradient (Adam, AdamW, Nadam, RMSprop, Adagrad, Adadelta, Ftrl, Lamb) or take
its absolute value (Adamax) do so per occurrence before the rows are summed. A row looked up n times in a batch
(padding, frequent words) then gets a second moment of the sum of its n squared gradients, not the square of
their sum, and moves further. :func:`squares_into` and :func:`abs_into` give optimizers that figure, so that
text models train as under TensorFlow; any other use of the gradient sees the plain dense sum."""
import numpy as np


class RowGradient(np.ndarray):
    """A dense gradient (NumPy array) with ``occurrences``: (indices, gradients per occurrence), or None for
    arrays computed from it, which are plain sums."""

    def __array_finalize__(self, obj):
        self.occurrences = None

    def __repr__(self):
        return repr(self.view(np.ndarray))

    def __str__(self):
        return str(self.view(np.ndarray))


def row_gradient(dense, indices, grads):
    """``dense`` (the summed gradient of the table) carrying the ``indices`` looked up and ``grads``, the
    gradient of each lookup (shape ``indices.shape + row shape``)."""
    out = dense.view(RowGradient)
    out.occurrences = (indices, grads)
    return out


def _per_occurrence(grad, out, fn):
    indices, grads = grad.occurrences
    rows = grads.reshape((-1,) + grad.shape[1:])
    out[...] = 0
    np.add.at(out, np.asarray(indices).reshape(-1), fn(rows))
    return out


def squares_into(grad, out, xp):
    """``grad ** 2`` written into ``out``; for a table's gradient, the sum of each occurrence's square."""
    if getattr(grad, "occurrences", None) is None:
        return xp.square(grad, out=out)
    return _per_occurrence(grad, out, np.square)


def abs_into(grad, out, xp):
    """``|grad|`` written into ``out``; for a table's gradient, the sum of each occurrence's absolute value."""
    if getattr(grad, "occurrences", None) is None:
        return xp.abs(grad, out=out)
    return _per_occurrence(grad, out, np.abs)
