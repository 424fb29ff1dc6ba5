"""AddLoss: the layer tf.keras 2 puts in a functional model's graph for ``model.add_loss(symbolic_tensor)``.
Each time the model runs it adds its input (a loss computed from the model's inputs and layer outputs) to the
layer's losses, so ``fit`` minimises it with the compiled loss; it passes its input on unchanged. Its config
is tf.keras 2's (``unconditional``), so a model that tf.keras 2 saved with such a loss loads."""
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
