"""Core layers: Input, Dense, Activation, Flatten, Reshape, Identity and Masking (Embedding and Lambda have
modules of their own)."""
import operator

import numpy as np

from .. import activations, regularizers
from ..autodiff import ops
from ..autodiff.tensor import array_of
from ..backend import standardize_data_format
from ..utils.validation import number, positive_int
from .base import Layer
from .input_spec import InputSpec
from .node import KerasTensor, Node


class InputLayer(Layer):
    """Holds the input shape of a model; its output is the model's input."""

    def __init__(self, shape=None, batch_size=None, dtype=None, name=None, input_shape=None, batch_shape=None,
                 **kwargs):
        if batch_shape is not None:  # as Keras 3: the shape with its batch axis first
            shape, batch_size = tuple(batch_shape[1:]), batch_shape[0]
        shape = input_shape if shape is None else shape
        if shape is None:
            raise ValueError("InputLayer: give `shape`, the shape of one sample without the batch axis, e.g. shape=(784,).")
        shape = (shape,) if isinstance(shape, (int, np.integer)) else tuple(shape)
        super().__init__(name=name, dtype=dtype, input_shape=shape, batch_size=batch_size, **kwargs)
        # its one node makes the input tensor from nothing
        Node(self, [], KerasTensor(self._batch_input_shape, dtype=self.dtype, name=self.name))
        self._build_shape = self._batch_input_shape
        self.built = True

    @property
    def input(self):
        return []  # as Keras 3: an InputLayer has no input tensor, only its output

    def get_config(self):
        return {"batch_input_shape": self._batch_input_shape, "dtype": self.dtype, "name": self.name}

    @classmethod
    def from_config(cls, config):
        return cls(batch_shape=config["batch_input_shape"], dtype=config.get("dtype"), name=config.get("name"))


def refuse_lora_and_quantization(who, **args):
    """Keras 3's fine-tuning and quantization arguments (lora_rank, lora_alpha, quantization_config), which its
    configs write as None: any other value is refused, naming the layer ``who``."""
    for arg, value in args.items():
        if value is not None:
            raise ValueError(f"{who}: `{arg}` is not supported (LoRA and quantization); leave it "
                             f"None. Received: {arg}={value!r}")


def Input(shape=None, batch_size=None, dtype=None, name=None, batch_shape=None):
    """A symbolic input: ``Input(shape=(784,))`` starts a Sequential or functional model."""
    return InputLayer(shape=shape, batch_size=batch_size, dtype=dtype, name=name, batch_shape=batch_shape).output


class Dense(Layer):
    """``activation(inputs @ kernel + bias)``; kernel of shape (input_dim, units)."""

    supports_masking = True  # passes the input's mask on, as in Keras 3

    def __init__(self, units, activation=None, use_bias=True, kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", kernel_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, kernel_constraint=None, bias_constraint=None, lora_rank=None,
                 lora_alpha=None, quantization_config=None, **kwargs):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        refuse_lora_and_quantization(self.who, lora_rank=lora_rank, lora_alpha=lora_alpha,
                                     quantization_config=quantization_config)
        self.units = positive_int(self.who, "units", units)
        self.activation = activations.get(activation)
        self.use_bias = bool(use_bias)
        self._weight_args("kernel", kernel_initializer, kernel_regularizer, kernel_constraint)
        self._weight_args("bias", bias_initializer, bias_regularizer, bias_constraint)
        self.input_spec = InputSpec(min_ndim=2)

    def build(self, input_shape):
        in_dim = input_shape[-1]
        self.kernel = self._add_weight_for("kernel", (in_dim, self.units))
        self.bias = self._add_weight_for("bias", (self.units,)) if self.use_bias else None
        self.input_spec = InputSpec(min_ndim=2, axes={-1: in_dim})

    def call(self, inputs, training=None):
        return self.activation(ops.dense(inputs, self.kernel, self.bias))

    def compute_output_shape(self, input_shape):
        return tuple(input_shape[:-1]) + (self.units,)

    def get_config(self):
        return {**super().get_config(), "units": self.units, "activation": activations.serialize(self.activation),
                "use_bias": self.use_bias, **self._weight_config("kernel", "bias"),
                "activity_regularizer": regularizers.serialize(self.activity_regularizer), "quantization_config": None}


class Activation(Layer):
    supports_masking = True  # passes the input's mask on, as in Keras 3

    def __init__(self, activation, **kwargs):
        super().__init__(**kwargs)
        self.activation = activations.get(activation)

    def call(self, inputs, training=None):
        return self.activation(inputs)

    def get_config(self):
        return {**super().get_config(), "activation": activations.serialize(self.activation)}


class Flatten(Layer):
    """Flattens all axes but the batch axis: (N, 28, 28) -> (N, 784)."""

    def __init__(self, data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.data_format = standardize_data_format(data_format, self.who)
        self.input_spec = InputSpec(min_ndim=1)

    def call(self, inputs, training=None):
        if self.data_format == "channels_first" and inputs.ndim > 2:
            inputs = ops.transpose(inputs, (0,) + tuple(range(2, inputs.ndim)) + (1,))
        return ops.reshape(inputs, (inputs.shape[0], -1))

    def compute_output_shape(self, input_shape):
        rest = input_shape[1:]
        n = None if any(d is None for d in rest) else int(np.prod(rest, dtype=np.int64))
        return (input_shape[0], n)

    def get_config(self):
        return {**super().get_config(), "data_format": self.data_format}


class Reshape(Layer):
    """Reshapes each sample to ``target_shape`` (one entry may be -1)."""

    def __init__(self, target_shape, **kwargs):
        super().__init__(**kwargs)
        if isinstance(target_shape, (int, np.integer)) and not isinstance(target_shape, bool):
            target_shape = (target_shape,)
        try:
            self.target_shape = tuple(operator.index(d) for d in target_shape)
        except TypeError:
            raise ValueError(f"Reshape '{self.name}': `target_shape` must be a tuple of ints (one may be -1), the "
                             f"shape of one sample; received target_shape={target_shape!r}.") from None
        if sum(d == -1 for d in self.target_shape) > 1 or any(d == 0 or d < -1 for d in self.target_shape):
            raise ValueError(f"Reshape '{self.name}': target_shape may hold positive sizes and at most one -1; "
                             f"received target_shape={target_shape!r}.")

    def _resolve(self, input_shape):
        n_in = int(np.prod(input_shape[1:], dtype=np.int64))
        known = int(np.prod([d for d in self.target_shape if d != -1], dtype=np.int64))
        if -1 in self.target_shape:
            if n_in % known:
                raise self._error(input_shape)
            return tuple(n_in // known if d == -1 else d for d in self.target_shape)
        if known != n_in:
            raise self._error(input_shape)
        return self.target_shape

    def _error(self, input_shape):
        return ValueError(
            f"Reshape '{self.name}': cannot reshape samples of shape {tuple(input_shape[1:])} "
            f"({int(np.prod(input_shape[1:]))} values) to target_shape {self.target_shape}. "
            "The total number of values per sample must stay the same."
        )

    def call(self, inputs, training=None):
        return ops.reshape(inputs, (inputs.shape[0],) + self._resolve(inputs.shape))

    def compute_output_shape(self, input_shape):
        return (input_shape[0],) + self._resolve(input_shape)

    def get_config(self):
        return {**super().get_config(), "target_shape": self.target_shape}


class Identity(Layer):
    """Returns its input unchanged (a placeholder layer, as keras.layers.Identity)."""

    supports_masking = True

    def call(self, inputs, training=None):
        return inputs


class Masking(Layer):
    """Marks the timesteps of a (batch, steps, features) sequence whose features all equal ``mask_value`` as
    padding: compute_mask gives False there, and the output holds zeros there (the input elsewhere)."""

    supports_masking = True

    def __init__(self, mask_value=0.0, **kwargs):
        super().__init__(**kwargs)
        self.mask_value = number(self.who, "mask_value", mask_value)

    def _kept(self, values, keepdims):
        return (values != values.dtype.type(self.mask_value)).any(axis=-1, keepdims=keepdims)

    def call(self, inputs, training=None):
        return ops.where(self._kept(inputs.value, True), inputs, 0)

    def compute_mask(self, inputs, mask=None):
        """A boolean array of shape inputs.shape[:-1]: True where some feature differs from mask_value."""
        return self._kept(np.asarray(array_of(inputs)), False)

    def get_config(self):
        return {**super().get_config(), "mask_value": self.mask_value}
