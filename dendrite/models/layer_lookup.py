"""``Model.get_layer``: a model's layer by name or by position in ``model.layers`` (every kind of model:
Sequential, functional and subclassed, as in Keras)."""
from ..utils.validation import is_int


class LayerLookup:
    def get_layer(self, name=None, index=None):
        """The layer called ``name``, or the one at position ``index`` of ``model.layers``."""
        if name is not None and index is not None:
            raise ValueError(
                f"Model '{self.name}'.get_layer: give a layer name or a layer index, not both. "
                f"Received: name={name!r}, index={index!r}."
            )
        layers = self.layers
        if index is not None:
            if not is_int(index):
                raise TypeError(f"Model '{self.name}'.get_layer: `index` must be an int; received index={index!r}.")
            if not -len(layers) <= index < len(layers):
                raise ValueError(
                    f"Model '{self.name}'.get_layer: was asked for the layer at index {index}, but the model only "
                    f"has {len(layers)} layers (valid indices: {-len(layers)} to {len(layers) - 1})."
                )
            return layers[index]
        if name is not None:
            for layer in layers:
                if layer.name == name:
                    return layer
            raise ValueError(f"No such layer: {name}. Existing layers are: {[layer.name for layer in layers]}.")
        raise ValueError(f"Model '{self.name}'.get_layer: give either a layer name or a layer index, e.g. "
                         "get_layer('dense') or get_layer(index=0).")
