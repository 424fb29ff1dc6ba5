"""``tf.lite.TFLiteConverter`` in compatibility mode: a Keras model to the bytes dendrite's
``tf.lite.Interpreter`` runs, with TFLite's post-training quantizations.

``convert()`` writes dendrite's own container (tf_lite_format: the model's architecture and weights), not a
TFLite flatbuffer; a one-time note on stderr says so. What the quantizations change follows TFLite's
post-training quantization:

- ``optimizations = [tf.lite.Optimize.DEFAULT]`` alone: dynamic-range quantization; kernels of at least 1,024
  values are stored as int8 with a scale per output channel (the file shrinks about 4x, outputs move slightly).
- with ``target_spec.supported_types = [tf.float16]``: every float weight stored as float16.
- with a ``representative_dataset``: integer quantization; int8 kernels, the inputs' and outputs' ranges
  calibrated on the samples it yields, and ``inference_input_type`` / ``inference_output_type`` (tf.int8 or
  tf.uint8) make the interpreter take and give quantized values with TFLite's (scale, zero_point). Inside, the
  model computes in float32 with the dequantized kernels (TFLite's integer kernels also round every
  intermediate activation; dendrite rounds the inputs and outputs only).
"""
import os

import numpy as np

from ..autodiff import Tensor
from ..models.training import Model
from ._notes import note, unsupported
from . import tf_lite_format as fmt

_INT_TYPES = ("int8", "uint8")
# classes of the program's own layers seen by convert(): the interpreter in the same process rebuilds them by name
PROGRAM_CLASSES = {}


class Optimize:
    """``tf.lite.Optimize``: DEFAULT (OPTIMIZE_FOR_SIZE and OPTIMIZE_FOR_LATENCY are its deprecated aliases)."""
    DEFAULT = "DEFAULT"
    OPTIMIZE_FOR_SIZE = "OPTIMIZE_FOR_SIZE"
    OPTIMIZE_FOR_LATENCY = "OPTIMIZE_FOR_LATENCY"
    EXPERIMENTAL_SPARSITY = "EXPERIMENTAL_SPARSITY"


class OpsSet:
    """``tf.lite.OpsSet``: recorded; dendrite's interpreter runs every Keras layer."""
    TFLITE_BUILTINS = "TFLITE_BUILTINS"
    SELECT_TF_OPS = "SELECT_TF_OPS"
    TFLITE_BUILTINS_INT8 = "TFLITE_BUILTINS_INT8"
    EXPERIMENTAL_TFLITE_BUILTINS_ACTIVATIONS_INT16_WEIGHTS_INT8 = \
        "EXPERIMENTAL_TFLITE_BUILTINS_ACTIVATIONS_INT16_WEIGHTS_INT8"


class TargetSpec:
    """``tf.lite.TargetSpec(supported_ops=None, supported_types=None)``."""

    def __init__(self, supported_ops=None, supported_types=None, experimental_select_user_tf_ops=None,
                 supported_backends=None):
        self.supported_ops = set(supported_ops or {OpsSet.TFLITE_BUILTINS})
        self.supported_types = list(supported_types or [])
        self.experimental_select_user_tf_ops = list(experimental_select_user_tf_ops or [])
        self.supported_backends = supported_backends


class RepresentativeDataset:
    """``tf.lite.RepresentativeDataset(input_gen)``: a generator function yielding lists of input arrays."""

    def __init__(self, input_gen):
        self.input_gen = input_gen


def _dtype_name(value, what, allowed=("float32", "int8", "uint8")):
    from .dtypes import as_dtype
    name = as_dtype(value).name if value is not None else "float32"
    if name not in allowed:
        raise ValueError(f"TFLiteConverter: {what} must be one of {', '.join('tf.' + a for a in allowed)}; "
                         f"received {name}.")
    return name


def _program_classes(model):
    """Remember the classes of ``model``'s layers that the program defined (not dendrite's)."""
    seen, stack = set(), [model]
    while stack:
        layer = stack.pop()
        if id(layer) in seen:
            continue
        seen.add(id(layer))
        cls = type(layer)
        if not cls.__module__.startswith("dendrite."):
            PROGRAM_CLASSES[cls.__name__] = cls
        stack.extend(getattr(layer, "layers", None) or [])


class TFLiteConverter:
    """Converts a Keras model; make one with ``from_keras_model``, ``from_saved_model`` (a directory
    ``model.save`` / ``tf.saved_model.save`` wrote) or ``from_concrete_functions(funcs, model)``."""

    def __init__(self, model):
        if not isinstance(model, Model):
            raise unsupported(f"tf.lite.TFLiteConverter of a {type(model).__name__}",
                              "dendrite converts Keras models (from_keras_model); a tf.function or tf.Module "
                              "needs TensorFlow's graphs.")
        self._keras_model = model
        self.optimizations = []
        self.representative_dataset = None
        self.target_spec = TargetSpec()
        self.inference_input_type = None
        self.inference_output_type = None
        self.allow_custom_ops = False
        self.experimental_new_converter = True
        self.experimental_new_quantizer = True
        self.exclude_conversion_metadata = False
        self._experimental_disable_per_channel = False

    @classmethod
    def from_keras_model(cls, model):
        return cls(model)

    @classmethod
    def from_saved_model(cls, saved_model_dir, signature_keys=None, tags=None):
        from ..saving import saved_model_dir as model_dirs
        from .tf_saved_module import MARKER as MODULE_MARKER
        if os.path.isfile(os.path.join(os.fspath(saved_model_dir), MODULE_MARKER)):
            raise unsupported("tf.lite.TFLiteConverter.from_saved_model of a saved tf.Module",
                              "dendrite converts Keras models; a tf.Module's functions need TensorFlow's graphs.")
        return cls(model_dirs.load_model_dir(saved_model_dir, compile=False))

    @classmethod
    def from_concrete_functions(cls, funcs, trackable_obj=None):
        if isinstance(trackable_obj, Model):
            return cls(trackable_obj)
        raise unsupported("tf.lite.TFLiteConverter.from_concrete_functions without the Keras model",
                          "Pass the model as trackable_obj (from_concrete_functions([f], model)) or use "
                          "from_keras_model(model).")

    @classmethod
    def from_keras_model_file(cls, model_file, input_arrays=None, input_shapes=None, output_arrays=None,
                              custom_objects=None):
        """TF 1's ``tf.compat.v1.lite.TFLiteConverter.from_keras_model_file``: a model file to convert."""
        from ..saving.saving_lib import load_model
        return cls(load_model(model_file, custom_objects=custom_objects, compile=False))

    def _mode(self):
        optimize = any(o in (Optimize.DEFAULT, Optimize.OPTIMIZE_FOR_SIZE, Optimize.OPTIMIZE_FOR_LATENCY)
                       for o in (self.optimizations or []))
        types = [_dtype_name(t, "target_spec.supported_types", ("float32", "float16", "int8", "int16"))
                 for t in self.target_spec.supported_types]
        io_types = (_dtype_name(self.inference_input_type, "inference_input_type"),
                    _dtype_name(self.inference_output_type, "inference_output_type"))
        if not optimize:
            mode = "float"
        elif "float16" in types:
            mode = "float16"
        elif self.representative_dataset is not None:
            mode = "full_integer"
        else:
            mode = "dynamic_range"
        if mode != "full_integer" and any(t != "float32" for t in io_types):
            raise ValueError("The inference_input_type and inference_output_type must be tf.float32 unless the "
                             "model is fully quantized: set converter.optimizations = [tf.lite.Optimize.DEFAULT] "
                             "and a converter.representative_dataset.")
        if OpsSet.TFLITE_BUILTINS_INT8 in self.target_spec.supported_ops and mode != "full_integer":
            raise ValueError("For full integer quantization, a `representative_dataset` must be specified.")
        return mode, io_types

    def _calibrate(self, model):
        """The (min, max) of every input, then every output, over the representative dataset."""
        source = self.representative_dataset
        source = getattr(source, "input_gen", source)
        samples = source() if callable(source) else source
        names = [t.name for t in model.inputs]
        ranges, count = None, 0
        for sample in samples:
            if isinstance(sample, dict):
                sample = [sample[n] for n in names]
            elif not isinstance(sample, (list, tuple)):
                sample = [sample]
            if len(sample) != len(names):
                raise ValueError(f"TFLiteConverter: the representative_dataset yielded {len(sample)} arrays; the "
                                 f"model takes {len(names)} inputs ({names}). Yield a list with one array per "
                                 "input.")
            inputs = [np.asarray(s.numpy() if isinstance(s, Tensor) else s, str(t.dtype))
                      for s, t in zip(sample, model.inputs)]
            outputs = model(inputs if len(inputs) > 1 else inputs[0], training=False)
            outputs = outputs if isinstance(outputs, (list, tuple)) else [outputs]
            values = inputs + [np.asarray(o.numpy() if isinstance(o, Tensor) else o) for o in outputs]
            found = [(float(v.min()), float(v.max())) for v in values]
            ranges = found if ranges is None else [(min(a, c), max(b, d)) for (a, b), (c, d) in zip(ranges, found)]
            count += 1
        if not count:
            raise ValueError("TFLiteConverter: the representative_dataset yielded no samples; it must yield lists "
                             "of input arrays (a hundred or so examples of the model's inputs).")
        return ranges

    def _io_specs(self, model, mode, input_type, output_type):
        """The records of the model's inputs and outputs: names, dtypes and, for an integer model, the 8-bit
        ranges calibrated on the representative dataset."""
        def record(name, signature_name, tensor, io_type):
            base = np.dtype(str(tensor.dtype)).name
            quantized = mode == "full_integer" and np.dtype(base).kind == "f"
            return {"name": name, "signature_name": signature_name, "quantization": None,
                    "dtype": io_type if quantized else base, "quantized": quantized}

        inputs = [dict(record(f"serving_default_{t.name}:0", t.name, t, input_type),
                       shape_signature=[-1 if d is None else int(d) for d in t.shape]) for t in model.inputs]
        outputs = [record(f"StatefulPartitionedCall_1:{i}", f"output_{i}", t, output_type)
                   for i, t in enumerate(model.outputs)]
        ranges = self._calibrate(model) if mode == "full_integer" else [None] * (len(inputs) + len(outputs))
        for spec, seen in zip(inputs + outputs, ranges):
            if spec.pop("quantized"):
                storage = spec["dtype"] if spec["dtype"] in _INT_TYPES else "int8"
                spec["activation"] = fmt.activation_params(*seen, storage) + (storage,)
                if spec["dtype"] in _INT_TYPES:  # the interpreter takes or gives 8-bit values
                    spec["quantization"] = list(spec["activation"][:2])
        return inputs, outputs

    def convert(self):
        """The converted model as bytes (dendrite's container; write them to a ``.tflite`` file if you like)."""
        from ..models.model_json import model_from_json
        from ..saving import custom_object_scope
        model = self._keras_model
        if not getattr(model, "inputs", None):
            if model.built:  # a subclassed model: its call is Python code, not a graph of layers
                raise NotImplementedError(
                    f"TFLiteConverter: the model {model.name!r} is a subclassed {type(model).__name__} without "
                    "symbolic inputs; dendrite's converter stores a functional or Sequential model's architecture "
                    "and weights. Build the model from keras.Input and layers to convert it. See docs/compat.md.")
            raise ValueError(f"TFLiteConverter: the model {model.name!r} has no known inputs (it was never built). "
                             "Give it an Input layer (or an input_shape) or call it on data before converting.")
        mode, (input_type, output_type) = self._mode()
        _program_classes(model)
        config = model.to_json()
        try:  # the interpreter rebuilds the model from its config: check now that it can
            with custom_object_scope(dict(PROGRAM_CLASSES)):
                model_from_json(config)
        except Exception as error:
            raise NotImplementedError(
                f"TFLiteConverter: dendrite's converter stores the model's architecture and weights, and the "
                f"model {model.name!r} ({type(model).__name__}) cannot be rebuilt from its config ({error}). A "
                "subclassed model needs get_config() and from_config(); a functional or Sequential model of "
                "layers converts as it is. See docs/compat.md.") from None
        arrays, records = fmt.store_weights(model.get_weights(), mode,
                                            per_channel=not self._experimental_disable_per_channel)
        for record, variable in zip(records, model.weights):
            record["name"] = variable.path
        inputs, outputs = self._io_specs(model, mode, input_type, output_type)
        note(("lite", "format"), "tf.lite.TFLiteConverter.convert writes dendrite's own model container (the "
             "model's architecture and weights, quantized as asked), not a TensorFlow Lite flatbuffer: dendrite's "
             "tf.lite.Interpreter runs it, a TFLite runtime on a phone cannot. See docs/compat.md.")
        header = {"model": config, "mode": mode, "weights": records, "inputs": inputs, "outputs": outputs}
        return fmt.pack(header, arrays)
