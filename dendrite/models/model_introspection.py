"""Keras 3's model read-outs and custom-step helpers beyond training.py: ``run_eagerly`` / ``jit_compile`` (compile's
switches, kept: dendrite always runs eagerly), ``distribute_strategy``, ``get_compile_config`` /
``compile_from_config`` (compile's arguments as a .keras file records them), ``compute_metrics`` /
``get_metrics_result`` (what a custom ``train_step`` returns in TF 2.11+ and Keras 3 guides), and
``metrics_variables``."""
from ..distribute import get_strategy


class ModelIntrospection:

    @property
    def run_eagerly(self):
        return bool(self.__dict__.get("_run_eagerly", False))

    @run_eagerly.setter
    def run_eagerly(self, value):
        self.__dict__["_run_eagerly"] = bool(value)

    @property
    def jit_compile(self):
        return bool(self.__dict__.get("_jit_compile", False))

    @jit_compile.setter
    def jit_compile(self, value):
        self.__dict__["_jit_compile"] = bool(value) if value != "auto" else False

    @property
    def distribute_strategy(self):
        return get_strategy()

    @property
    def distribute_reduction_method(self):
        return self.__dict__.get("_distribute_reduction_method") or "auto"

    @distribute_reduction_method.setter
    def distribute_reduction_method(self, value):
        self.__dict__["_distribute_reduction_method"] = value

    def get_compile_config(self):
        from ..saving.saving_lib import _compile_config
        return _compile_config(self)

    def compile_from_config(self, config):
        from ..saving.saving_lib import _compile_from
        _compile_from(self, config, None, f"{type(self).__name__}.compile_from_config")

    def compute_metrics(self, x, y, y_pred, sample_weight=None):
        """Update the compiled metrics with this batch; every metric's result by name (Keras 3)."""
        self._require_compiled("compute_metrics")
        self.compiled_metrics.update_state(y, y_pred, sample_weight)
        return self.get_metrics_result()

    def get_metrics_result(self):
        """Every metric's current result by its logs name: 'loss', the compiled metrics, then the model's own."""
        out = {}
        for metric in self.metrics:
            value = metric.result()
            if isinstance(value, dict):
                out.update(value)
            else:
                out[metric.name] = value
        return out

    @property
    def metrics_variables(self):
        return [v for m in self.metrics for v in getattr(m, "variables", [])]
