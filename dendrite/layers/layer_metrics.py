"""A layer's metrics: those it holds in its attributes (Keras 3 tracks them), those tf.keras 2's ``add_metric``
made, and its sublayers', which ``fit`` and ``evaluate`` log beside the compiled ones, as Keras 3 logs every
metric of ``model.metrics``.

``add_metric(value, name=...)`` (tf.keras 2; Keras 3 removed it) keeps a running mean of ``value`` under
``name``: called in ``call()`` on a Tensor, or on a functional model with a symbolic tensor computed from its
inputs (an AddMetric layer in the graph computes it at each call). ``GENERATION`` counts the metrics
``add_metric`` has made, so a model sees those made during a step without walking its layers at each batch."""
import numpy as np

from ..autodiff import Tensor, array_of
from .node import KerasTensor

GENERATION = [0]


def is_metric(value):
    return hasattr(value, "update_state") and hasattr(value, "reset_state") and hasattr(value, "result") \
        and not isinstance(value, type)


class LayerMetrics:

    @property
    def metrics(self):
        """The metrics this layer holds in its attributes or made with add_metric, then its sublayers' (once
        each), as Keras 3's ``Layer.metrics``."""
        out, seen = [], set()
        self._collect_metrics(out, seen)
        return out

    def _collect_metrics(self, out, seen):
        own = [value for value in vars(self).values() if is_metric(value)]
        for metric in own + list(self.__dict__.get("_added_metrics", {}).values()):
            if id(metric) not in seen:
                seen.add(id(metric))
                out.append(metric)
        for layer in self._sublayers():
            layer._collect_metrics(out, seen)

    @property
    def metrics_variables(self):
        return [v for m in self.metrics for v in getattr(m, "variables", [])]

    def add_metric(self, value, name=None, aggregation=None):
        """tf.keras 2's ``add_metric``: the running mean of ``value`` (a Tensor computed in ``call()``), logged by
        ``fit`` / ``evaluate`` as ``name``. A functional model also takes a symbolic tensor computed from its
        inputs."""
        who = f"{type(self).__name__}.add_metric"
        if aggregation not in (None, "mean"):
            raise ValueError(f"{who}: aggregation must be None or 'mean' (a running mean, as tf.keras 2 "
                             f"computes it); received {aggregation!r}.")
        if not isinstance(name, str) or not name:
            raise ValueError(f"{who}: give the metric a name, e.g. add_metric(value, name='mean_activation'); "
                             f"received name={name!r}.")
        if isinstance(value, KerasTensor):
            attach = getattr(self, "_attach", None)
            if attach is None:
                raise NotImplementedError(
                    f"{who} of a symbolic tensor (computed from keras.Input and layer outputs outside call()): "
                    "only a functional Model takes one (tf.keras 2's `model.add_metric(tensor, name=...)`). In a "
                    "layer, call add_metric inside call(); see docs/compat.md.")
            from .add_loss import AddMetric
            attach(AddMetric(metric_name=name, aggregation=aggregation)(value))
            return
        added = self.__dict__.setdefault("_added_metrics", {})
        metric = added.get(name)
        if metric is None:
            from ..metrics import Mean
            metric = added[name] = Mean(name=name)
            GENERATION[0] += 1
        metric.update_state(np.asarray(array_of(value) if isinstance(value, Tensor) else value, np.float32))
