"""Merge layers: one output from a list of inputs (Add, Subtract, Multiply, Average, Maximum, Minimum,
Concatenate, Dot), and their functional forms (``layers.add([a, b])`` ...), as Keras defines them.

The elementwise merges take inputs whose shapes agree axis by axis, where a size of 1 broadcasts
against any size (Keras's rule, from the last axis back, so ranks may differ); the batch sizes must
agree. Any other difference is an error naming the layer and the shapes, raised when the layer is
first called (on symbolic tensors: when the model is defined).
"""
import math

import numpy as np

from ..autodiff import array_of, ops
from ..utils.validation import is_int
from .base import Layer


class _Merge(Layer):
    _several_inputs = True
    _min_inputs = 1
    supports_masking = True

    def compute_mask(self, inputs, mask=None):
        """A step is valid where it is valid in every input that has a mask (Keras 3's rule)."""
        if mask is None or all(m is None for m in mask):
            return None
        masks = [np.asarray(array_of(m), bool) for m in mask if m is not None]
        out = masks[0]
        for m in masks[1:]:
            out = out & m
        return out

    def _shapes(self, input_shape):
        """The list of input shapes, checked to be a list of at least ``_min_inputs`` shapes."""
        if not isinstance(input_shape, list) or not all(isinstance(s, tuple) for s in input_shape):
            raise ValueError(f"{self.who}: a merge layer must be called on a list of inputs, e.g. "
                             f"{type(self).__name__}()([a, b]); received input_shape={input_shape!r}.")
        if len(input_shape) < self._min_inputs:
            raise ValueError(f"{self.who}: needs a list of at least {self._min_inputs} inputs; received "
                             f"{len(input_shape)}.")
        return input_shape

    def build(self, input_shape):
        self.compute_output_shape(input_shape)  # checks that the shapes can merge

    def compute_output_shape(self, input_shape):
        shapes = self._shapes(input_shape)
        batches = {s[0] for s in shapes if s} - {None}
        if len(batches) > 1:
            raise ValueError(f"{self.who}: cannot merge tensors with different batch sizes; received "
                             f"input_shape={shapes}.")
        rank = max(len(s) for s in shapes)
        padded = [tuple(s[1:1]) + (1,) * (rank - len(s)) + tuple(s[1:]) for s in shapes]  # as call reshapes them
        out = padded[0]
        for shape in padded[1:]:
            out = self._elementwise_shape(out, shape, shapes)
        return (batches.pop() if batches else None,) + out

    def _elementwise_shape(self, a, b, shapes):
        if len(a) < len(b):
            a, b = b, a
        if not b:
            return a
        out = list(a[:len(a) - len(b)])
        for i, j in zip(a[len(a) - len(b):], b):
            if i is None or j is None:
                out.append(None)
            elif i == 1 or j == 1 or i == j:
                out.append(j if i == 1 else i)
            else:
                raise ValueError(f"{self.who}: inputs have incompatible shapes {shapes}: the axes after the batch "
                                 "axis must be equal, or 1 where one input is broadcast. Reshape the inputs, or "
                                 "use Concatenate to join tensors of different sizes.")
        return tuple(out)

    def call(self, inputs, training=None):
        rank = max(x.ndim for x in inputs)
        # an input of lower rank gains axes after its batch axis, as Keras 3 reshapes it (its batch axis
        # must stay first: broadcasting from the right would mix samples)
        inputs = [x if x.ndim == rank else ops.reshape(x, (x.shape[0],) + (1,) * (rank - x.ndim) + x.shape[1:])
                  for x in inputs]
        out = inputs[0]
        for x in inputs[1:]:
            out = self._merge(out, x)
        return out


class Add(_Merge):
    """The elementwise sum of the inputs (ResNet's shortcut: ``Add()([x, shortcut])``)."""

    def _merge(self, a, b):
        return ops.add(a, b)


class Subtract(_Merge):
    """``inputs[0] - inputs[1]``, for exactly two inputs."""

    _min_inputs = 2

    def _shapes(self, input_shape):
        shapes = super()._shapes(input_shape)
        if len(shapes) != 2:
            raise ValueError(f"{self.who}: Subtract takes exactly 2 inputs; received {len(shapes)}.")
        return shapes

    def _merge(self, a, b):
        return ops.subtract(a, b)


class Multiply(_Merge):
    """The elementwise product of the inputs."""

    def _merge(self, a, b):
        return ops.multiply(a, b)


class Average(Add):
    """The elementwise mean of the inputs."""

    def call(self, inputs, training=None):
        return ops.divide(super().call(inputs), float(len(inputs)))


class Maximum(_Merge):
    """The elementwise maximum of the inputs."""

    def _merge(self, a, b):
        return ops.maximum(a, b)


class Minimum(_Merge):
    """The elementwise minimum of the inputs."""

    def _merge(self, a, b):
        return ops.minimum(a, b)


class Concatenate(_Merge):
    """The inputs joined along ``axis`` (the last by default); every other axis must agree."""

    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        if not is_int(axis):
            raise ValueError(f"{self.who}: `axis` must be an int; received axis={axis!r}.")
        self.axis = int(axis)

    def compute_output_shape(self, input_shape):
        shapes = self._shapes(input_shape)
        rank = len(shapes[0])
        if any(len(s) != rank for s in shapes) or not -rank <= self.axis < rank or self.axis % rank == 0:
            raise ValueError(f"{self.who}: inputs must have the same rank and `axis` must be one of their axes "
                             f"after the batch axis; received axis={self.axis} and input_shape={shapes}.")
        axis = self.axis % rank
        out = list(shapes[0])
        for d in range(rank):
            sizes = [s[d] for s in shapes]
            if d == axis:
                out[d] = None if None in sizes else sum(sizes)
            else:
                known = {n for n in sizes if n is not None}
                if len(known) > 1:
                    raise ValueError(
                        f"{self.who}: a Concatenate layer requires inputs with matching shapes except for the "
                        f"concatenation axis ({self.axis}); received input_shape={shapes} (axis {d} differs). "
                        "Reshape the inputs, or concatenate along the axis where they differ.")
                out[d] = known.pop() if known else None
        return tuple(out)

    def call(self, inputs, training=None):
        return ops.concatenate(list(inputs), axis=self.axis)

    def compute_mask(self, inputs, mask=None):
        """Joined along a step axis, the masks are joined too (all valid where an input has none); joined
        along the feature axis, a step is valid where it is valid in every input."""
        if mask is None or all(m is None for m in mask):
            return None
        rank = inputs[0].ndim
        if self.axis % rank == rank - 1:
            return super().compute_mask(inputs, mask)
        full = [np.ones(x.shape[:rank - 1], bool) if m is None else np.asarray(array_of(m), bool)
                for x, m in zip(inputs, mask)]
        return np.concatenate(full, axis=self.axis % rank)

    def get_config(self):
        return {**super().get_config(), "axis": self.axis}


class Dot(_Merge):
    """The dot product of two inputs along ``axes`` for each sample (a batched matrix product);
    ``normalize=True`` L2-normalises both along those axes first (cosine similarity)."""

    _min_inputs = 2

    def __init__(self, axes, normalize=False, **kwargs):
        super().__init__(**kwargs)
        pair = (axes, axes) if is_int(axes) else tuple(axes) if isinstance(axes, (list, tuple)) else ()
        if len(pair) != 2 or not all(is_int(a) for a in pair):
            raise ValueError(f"{self.who}: `axes` must be an int or a tuple of 2 ints; received axes={axes!r}.")
        self.axes = axes if is_int(axes) else tuple(int(a) for a in pair)
        self._pair = tuple(int(a) for a in pair)
        self.normalize = bool(normalize)

    def _axes_for(self, shapes):
        if len(shapes) != 2:
            raise ValueError(f"{self.who}: Dot takes exactly 2 inputs; received {len(shapes)}.")
        axes = []
        for a, shape in zip(self._pair, shapes):
            if not -len(shape) <= a < len(shape) or a % len(shape) == 0:
                raise ValueError(f"{self.who}: axes={self.axes!r} must name an axis after the batch axis of each "
                                 f"input; received input_shape={shapes}.")
            axes.append(a % len(shape))
        n1, n2 = shapes[0][axes[0]], shapes[1][axes[1]]
        if n1 is not None and n2 is not None and n1 != n2:
            raise ValueError(f"{self.who}: the dot axes must have the same size; axis {axes[0]} of the first input "
                             f"has {n1}, axis {axes[1]} of the second has {n2} (input_shape={shapes}).")
        return axes

    def compute_output_shape(self, input_shape):
        shapes = self._shapes(input_shape)
        a1, a2 = self._axes_for(shapes)
        first, second = list(shapes[0]), list(shapes[1])
        first.pop(a1)
        second.pop(a2)
        second.pop(0)
        out = first + second
        return tuple(out + [1] if len(out) == 1 else out)

    def call(self, inputs, training=None):
        x, y = inputs
        a1, a2 = self._axes_for([tuple(x.shape), tuple(y.shape)])
        if self.normalize:
            # x / sqrt(max(sum(x**2), 1e-12)), Keras's l2_normalize: a norm under 1e-6 counts as 1e-6
            x, y = ops.l2_normalize(x, a1, epsilon=1e-6), ops.l2_normalize(y, a2, epsilon=1e-6)
        # move the contracted axis of x last and that of y first after the batch, then one batched product
        rest1 = [d for d in range(1, x.ndim) if d != a1]
        rest2 = [d for d in range(1, y.ndim) if d != a2]
        xt = ops.transpose(x, [0] + rest1 + [a1])
        yt = ops.transpose(y, [0, a2] + rest2)
        n, k = x.shape[0], x.shape[a1]
        m1 = math.prod(x.shape[d] for d in rest1)
        m2 = math.prod(y.shape[d] for d in rest2)
        out = ops.matmul(ops.reshape(xt, (n, m1, k)), ops.reshape(yt, (n, k, m2)))
        shape = [n] + [x.shape[d] for d in rest1] + [y.shape[d] for d in rest2]
        return ops.reshape(out, shape + [1] if len(shape) == 1 else shape)

    def get_config(self):
        return {**super().get_config(), "axes": self.axes, "normalize": self.normalize}


def _functional_form(cls):
    """``name(inputs, **kwargs)`` = ``cls(**kwargs)(inputs)``: Keras's functional spelling of a merge."""
    def merge(inputs, **kwargs):
        return cls(**kwargs)(inputs)
    merge.__name__ = merge.__qualname__ = cls.__name__.lower()
    merge.__doc__ = f"``{cls.__name__}(**kwargs)(inputs)``."
    return merge


add, subtract, multiply = _functional_form(Add), _functional_form(Subtract), _functional_form(Multiply)
average, maximum, minimum = _functional_form(Average), _functional_form(Maximum), _functional_form(Minimum)


def concatenate(inputs, axis=-1, **kwargs):
    """``Concatenate(axis=axis, **kwargs)(inputs)``."""
    return Concatenate(axis=axis, **kwargs)(inputs)


def dot(inputs, axes=-1, normalize=False, **kwargs):
    """``Dot(axes, normalize, **kwargs)(inputs)``."""
    return Dot(axes=axes, normalize=normalize, **kwargs)(inputs)
