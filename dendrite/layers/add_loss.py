"""AddLoss and AddMetric: the layers tf.keras 2 puts in a functional model's graph for ``model.add_loss`` and
``model.add_metric`` of a symbolic tensor. Each time the model runs, AddLoss adds its input (a loss computed
from the model's inputs and layer outputs) to the layer's losses, so ``fit`` minimises it with the compiled
loss; AddMetric adds its input to the running mean logged as its metric's name. Both pass their input on
unchanged. Their configs are tf.keras 2's, so a model that tf.keras 2 saved with them loads."""
from .base import Layer


class AddLoss(Layer):

    def __init__(self, unconditional=False, **kwargs):
        super().__init__(**kwargs)
        self.unconditional = bool(unconditional)

    def call(self, inputs):
        self.add_loss(inputs)
        return inputs

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "unconditional": self.unconditional}


class AddMetric(Layer):

    def __init__(self, aggregation=None, metric_name=None, **kwargs):
        super().__init__(**kwargs)
        self.aggregation, self.metric_name = aggregation, metric_name

    def call(self, inputs):
        self.add_metric(inputs, name=self.metric_name, aggregation=self.aggregation)
        return inputs

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "aggregation": self.aggregation, "metric_name": self.metric_name}
