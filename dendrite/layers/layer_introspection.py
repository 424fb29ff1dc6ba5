"""Keras 3's read-outs on every layer that tutorials and custom layers touch: ``path`` (the layer's name in its
model), ``input_dtype``, ``metrics`` / ``metrics_variables`` (the metrics a layer holds in its attributes),
``get_build_config`` / ``build_from_config`` (the input shape a layer was built for, as .keras files record it),
and ``add_metric``, which Keras 3 removed (it raises Keras's own message)."""


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

    @property
    def metrics(self):
        return [value for value in vars(self).values() if _is_metric(value)]

    @property
    def metrics_variables(self):
        return [v for m in self.metrics for v in getattr(m, "variables", [])]

    def get_build_config(self):
        shape = getattr(self, "_build_shape", None)
        if shape is None or not self.built:
            return None
        return {"input_shape": [tuple(s) for s in shape] if isinstance(shape, list) else tuple(shape)}

    def build_from_config(self, config):
        shape = (config or {}).get("input_shape")
        if shape is not None and not self.built:
            self.build([tuple(s) for s in shape] if shape and isinstance(shape[0], (list, tuple)) else tuple(shape))

    def add_metric(self, *args, **kwargs):
        raise NotImplementedError(
            "Layer `add_metric()` method is deprecated (Keras 3 removed it). Add your metric in "
            "`Model.compile(metrics=[...])`, or create metric trackers in __init__() or build() when subclassing "
            "the layer or model, then call `metric.update_state()` whenever necessary.")


def _is_metric(value):
    return hasattr(value, "update_state") and hasattr(value, "reset_state") and hasattr(value, "result") \
        and not isinstance(value, type)
