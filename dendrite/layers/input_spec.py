"""What a layer says about its inputs (``InputSpec``: rank and axis sizes; ``ImageSpec``: images, with the
channel axis named in errors) and the checks of tuple-valued arguments (kernel sizes, strides)."""
from ..utils.validation import positive_int_tuple


def normalize_tuple(value, n, name, owner):
    """An int or a sequence of n ints -> a tuple of n positive ints, with a clear error otherwise (``owner``: the
    layer's name)."""
    return positive_int_tuple(f"Layer '{owner}'", name, value, n)


class InputSpec:
    """What a layer accepts: ``ndim``, ``min_ndim`` and fixed sizes on some ``axes``."""

    def __init__(self, ndim=None, min_ndim=None, axes=None):
        self.ndim, self.min_ndim, self.axes = ndim, min_ndim, dict(axes or {})

    def check(self, shape, layer):
        rank = len(shape)
        if self.ndim is not None and rank != self.ndim:
            raise ValueError(
                f"Input 0 of layer '{layer.name}' is incompatible with the layer: expected ndim={self.ndim}, "
                f"found ndim={rank}. Full shape received: {tuple(shape)}. "
                f"Reshape the input to rank {self.ndim} (batch axis included)."
            )
        if self.min_ndim is not None and rank < self.min_ndim:
            raise ValueError(
                f"Input 0 of layer '{layer.name}' is incompatible with the layer: expected min_ndim={self.min_ndim}, "
                f"found ndim={rank}. Full shape received: {tuple(shape)}. "
                "Did you forget the batch axis? Layers take batches: x of shape (batch, ...)."
            )
        for axis, size in self.axes.items():
            if size is not None and -rank <= axis < rank and shape[axis] is not None and shape[axis] != size:
                raise ValueError(
                    f"Input 0 of layer '{layer.name}' is incompatible with the layer: expected axis {axis} of input "
                    f"shape to have value {size}, but received input with shape {tuple(shape)}. "
                    f"The layer was built for inputs with {size} features on that axis."
                )


def channel_axis_hint(shape, rank, data_format):
    """For an image input of ``rank`` spatial axes that has one axis too few (MNIST's (N, 28, 28) into a 2-D
    layer): a sentence on adding the channel axis, else ''."""
    shape = tuple(shape)
    if len(shape) != rank + 1:
        return ""
    first = data_format == "channels_first"
    fixed, fix = (shape[:1] + (1,) + shape[1:], "x[:, None]") if first else (shape + (1,), "x[..., None]")
    return f" The input seems to lack the channel axis: add it, e.g. {fix} (shape {fixed})."


class ImageSpec(InputSpec):
    """The input check of an image layer (``rank`` spatial axes and a channel axis): InputSpec's, with the
    channel-axis hint when the input is one axis short."""

    def __init__(self, rank, data_format):
        super().__init__(ndim=rank + 2)
        self.rank, self.data_format = rank, data_format

    def check(self, shape, layer):
        try:
            super().check(shape, layer)
        except ValueError as e:
            raise ValueError(str(e) + channel_axis_hint(shape, self.rank, self.data_format)) from None
