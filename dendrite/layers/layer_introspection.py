"""Keras 3's read-outs on every layer that tutorials and custom layers touch: ``path`` (the layer's name in its
model), ``input_dtype``, ``get_build_config`` / ``build_from_config`` (the input shape a layer was built for, as
.keras files record it). A layer's metrics are in layer_metrics.py."""


class LayerIntrospection:

    @property
    def path(self):
        return self.__dict__.get("_path_override") or self.name

    @path.setter
    def path(self, value):  # (a subclass may keep a file path of its own under this name)
        self.__dict__["_path_override"] = value

    @property
    def input_dtype(self):
        return getattr(self, "dtype", None) or "float32"

    def get_build_config(self):
        shape = getattr(self, "_build_shape", None)
        if shape is None or not self.built:
            return None
        return {"input_shape": [tuple(s) for s in shape] if isinstance(shape, list) else tuple(shape)}

    def build_from_config(self, config):
        shape = (config or {}).get("input_shape")
        if shape is not None and not self.built:
            self.build([tuple(s) for s in shape] if shape and isinstance(shape[0], (list, tuple)) else tuple(shape))
