"""``tf.lite.Interpreter`` in compatibility mode: runs what dendrite's ``tf.lite.TFLiteConverter`` wrote.

The interpreter rebuilds the Keras model from the file (its architecture by class name, through the
serialization registry; classes the program defined are found when the same program converted the model;
nothing in the file is imported or run) with the stored weights (dequantized), and follows TFLite's calling
protocol: ``allocate_tensors()``, ``get_input_details()`` / ``get_output_details()`` (TFLite's dicts),
``set_tensor(index, value)`` (the dtype and shape must match, as TFLite checks), ``invoke()``,
``get_tensor(index)`` (a copy) and ``tensor(index)`` (a function giving the buffer), ``resize_tensor_input``,
``get_signature_list()`` and ``get_signature_runner()``. Tensor indices: the inputs first, then the stored
weights (``get_tensor`` gives them as stored: int8, float16 or float32), then the outputs.
"""
import os

import numpy as np

from ..autodiff import Tensor
from . import tf_lite_format as fmt
from .tf_lite_converter import PROGRAM_CLASSES

_SIGNATURE = "serving_default"


def _details(name, index, shape, signature, dtype, quantization=None, axis=0, scales=None):
    scale, zero_point = quantization or (0.0, 0)
    if scales is None:
        scales = [scale] if quantization else []
    return {"name": name, "index": index, "shape": np.asarray(shape, np.int32),
            "shape_signature": np.asarray(signature, np.int32), "dtype": np.dtype(dtype).type,
            "quantization": (float(scale), int(zero_point)) if np.size(scales) <= 1 else (0.0, 0),
            "quantization_parameters": {"scales": np.asarray(scales, np.float32),
                                        "zero_points": np.full(np.size(scales), zero_point, np.int32),
                                        "quantized_dimension": axis, "block_size": 0},
            "sparsity_parameters": {}}


class Interpreter:
    """``tf.lite.Interpreter(model_path=None, model_content=None, ...)``."""

    def __init__(self, model_path=None, model_content=None, experimental_delegates=None, num_threads=None,
                 experimental_op_resolver_type=None, experimental_preserve_all_tensors=False,
                 experimental_disable_delegate_clustering=False,
                 experimental_default_delegate_latest_features=False):
        from ..models.model_json import model_from_json
        from ..saving import custom_object_scope
        if (model_path is None) == (model_content is None):
            raise ValueError("Interpreter: pass either model_path (a file converter.convert()'s bytes were "
                             "written to) or model_content (those bytes), not both or neither.")
        if model_path is not None:
            with open(os.fspath(model_path), "rb") as f:
                model_content = f.read()
        if not isinstance(model_content, (bytes, bytearray, memoryview)):
            raise TypeError(f"Interpreter: model_content must be bytes (what converter.convert() returns); "
                            f"received {type(model_content).__name__}.")
        header, archive = fmt.unpack(model_content, "tf.lite.Interpreter")
        with custom_object_scope(dict(PROGRAM_CLASSES)):
            self._model = model_from_json(header["model"])
        weights, self._stored = fmt.load_weights(archive, header["weights"])
        self._scales = {i: archive[f"s{i}"] for i, r in enumerate(header["weights"]) if r["stored"] == "int8"}
        self._model.set_weights(weights)
        self._records = header["weights"]
        self._inputs, self._outputs = header["inputs"], header["outputs"]
        self._shapes = [[1 if d == -1 else d for d in spec["shape_signature"]] for spec in self._inputs]
        self._output_shapes = [None] * len(self._outputs)
        self._values = {}
        self._allocated = False
        self._first_output = len(self._inputs) + len(self._stored)

    # --- the tensors -------------------------------------------------------------------------------------------
    def get_input_details(self):
        return [_details(spec["name"], i, self._shapes[i], spec["shape_signature"], spec["dtype"],
                         spec["quantization"]) for i, spec in enumerate(self._inputs)]

    def get_output_details(self):
        details = []
        for k, spec in enumerate(self._outputs):
            shape = self._output_shapes[k] or []
            signature = [-1] + list(shape[1:]) if shape else []
            details.append(_details(spec["name"], self._first_output + k, shape, signature, spec["dtype"],
                                    spec["quantization"]))
        return details

    def get_tensor_details(self):
        weights = []
        for i, (record, value) in enumerate(zip(self._records, self._stored)):
            index = len(self._inputs) + i
            scales = self._scales.get(i)
            weights.append(_details(record.get("name", f"weight_{i}"), index, value.shape, value.shape,
                                    value.dtype, None, axis=value.ndim - 1 if scales is not None else 0,
                                    scales=scales))
        return self.get_input_details() + weights + self.get_output_details()

    def _check_index(self, index, what):
        if not isinstance(index, (int, np.integer)) or not 0 <= index < self._first_output + len(self._outputs):
            raise ValueError(f"Interpreter.{what}: tensor index {index!r} is out of range; the model has "
                             f"{self._first_output + len(self._outputs)} tensors (inputs from 0, outputs from "
                             f"{self._first_output}). Use get_input_details() / get_output_details()['index'].")
        return int(index)

    def resize_tensor_input(self, input_index, tensor_size, strict=False):
        index = self._check_index(input_index, "resize_tensor_input")
        if index >= len(self._inputs):
            raise ValueError(f"Interpreter.resize_tensor_input: tensor {index} is not an input.")
        signature = self._inputs[index]["shape_signature"]
        size = [int(d) for d in np.asarray(tensor_size).reshape(-1)]
        if len(size) != len(signature) or (strict and any(s != -1 and s != d for s, d in zip(signature, size))):
            raise ValueError(f"Interpreter.resize_tensor_input: cannot resize input {index} (shape signature "
                             f"{signature}) to {size}.")
        self._shapes[index] = size
        self._allocated = False

    def allocate_tensors(self):
        for i, spec in enumerate(self._inputs):
            self._values[i] = np.zeros(self._shapes[i], spec["dtype"])
        if not any(self._output_shapes):  # the output shapes at the allocated sizes, as TFLite reports them
            self._run()
        self._allocated = True

    def set_tensor(self, tensor_index, value):
        index = self._check_index(tensor_index, "set_tensor")
        if not self._allocated:
            raise ValueError("Cannot set tensor: Tensor is unallocated. Try calling allocate_tensors() first")
        if index >= len(self._inputs):
            raise ValueError(f"Cannot set tensor: tensor {index} is not an input of the model; set inputs only "
                             f"(indices 0 to {len(self._inputs) - 1}).")
        value = np.asarray(value.numpy() if isinstance(value, Tensor) else value)
        expected = np.dtype(self._inputs[index]["dtype"])
        if value.dtype != expected:
            raise ValueError(f"Cannot set tensor: Got value of type {value.dtype.name.upper()} but expected type "
                             f"{expected.name.upper()} for input {index}, name: {self._inputs[index]['name']} ")
        shape = self._shapes[index]
        if value.ndim != len(shape):
            raise ValueError(f"Cannot set tensor: Dimension mismatch. Got {value.ndim} but expected {len(shape)} "
                             f"for input {index}.")
        for axis, (got, want) in enumerate(zip(value.shape, shape)):
            if got != want:
                raise ValueError(f"Cannot set tensor: Dimension mismatch. Got {got} but expected {want} for "
                                 f"dimension {axis} of input {index}.")
        self._values[index] = value.copy()

    def _buffer(self, index, what):
        index = self._check_index(index, what)
        if len(self._inputs) <= index < self._first_output:
            return self._stored[index - len(self._inputs)]
        if index not in self._values:
            raise ValueError(f"Interpreter.{what}: tensor {index} is unallocated. Call allocate_tensors() first.")
        return self._values[index]

    def get_tensor(self, tensor_index, subgraph_index=0):
        return np.array(self._buffer(tensor_index, "get_tensor"))

    def tensor(self, tensor_index):
        index = self._check_index(tensor_index, "tensor")
        return lambda: self._buffer(index, "tensor")

    # --- running ------------------------------------------------------------------------------------------------
    def _run(self):
        inputs = []
        for i, spec in enumerate(self._inputs):
            value = self._values.get(i, np.zeros(self._shapes[i], spec["dtype"]))
            activation = spec.get("activation")
            if spec["quantization"]:
                value = fmt.dequantize(value, *spec["quantization"])
            elif activation:  # integer models round their float inputs to 8 bits on the way in
                value = fmt.dequantize(fmt.quantize(value, *activation[:2], activation[2]), *activation[:2])
            inputs.append(value)
        results = self._model(inputs if len(inputs) > 1 else inputs[0], training=False)
        results = results if isinstance(results, (list, tuple)) else [results]
        for k, (spec, result) in enumerate(zip(self._outputs, results)):
            result = np.asarray(result.numpy() if isinstance(result, Tensor) else result)
            activation = spec.get("activation")
            if spec["quantization"]:
                result = fmt.quantize(result, *spec["quantization"], spec["dtype"])
            elif activation:
                result = fmt.dequantize(fmt.quantize(result, *activation[:2], activation[2]), *activation[:2])
            self._values[self._first_output + k] = result
            self._output_shapes[k] = list(result.shape)

    def invoke(self):
        if not self._allocated:
            raise RuntimeError("Invoke called on model that is not ready.")
        self._run()

    # --- signatures ---------------------------------------------------------------------------------------------
    def get_signature_list(self):
        return {_SIGNATURE: {"inputs": [s["signature_name"] for s in self._inputs],
                             "outputs": [s["signature_name"] for s in self._outputs]}}

    def get_signature_runner(self, signature_key=None):
        if signature_key not in (None, _SIGNATURE):
            raise ValueError(f"Interpreter.get_signature_runner: no signature {signature_key!r}; the model has "
                             f"{[_SIGNATURE]}.")
        return SignatureRunner(self)

    def reset_all_variables(self):
        pass  # the converted model holds no variables that inference changes


class SignatureRunner:
    """``interpreter.get_signature_runner()``: called with the inputs by name, gives ``{'output_0': ...}``."""

    def __init__(self, interpreter):
        self._interpreter = interpreter
        self._names = [s["signature_name"] for s in interpreter._inputs]

    def get_input_details(self):
        return dict(zip(self._names, self._interpreter.get_input_details()))

    def get_output_details(self):
        names = [s["signature_name"] for s in self._interpreter._outputs]
        return dict(zip(names, self._interpreter.get_output_details()))

    def __call__(self, **kwargs):
        missing = [n for n in self._names if n not in kwargs]
        extra = [n for n in kwargs if n not in self._names]
        if missing or extra:
            raise ValueError(f"SignatureRunner: the signature takes the inputs {self._names} by keyword; missing "
                             f"{missing}, unknown {extra}.")
        it = self._interpreter
        values = [np.asarray(kwargs[n].numpy() if isinstance(kwargs[n], Tensor) else kwargs[n])
                  for n in self._names]
        if any(list(v.shape) != it._shapes[i] for i, v in enumerate(values)) or not it._allocated:
            for i, value in enumerate(values):
                it.resize_tensor_input(i, value.shape)
            it.allocate_tensors()
        for i, value in enumerate(values):
            it.set_tensor(i, value)
        it.invoke()
        return {s["signature_name"]: it.get_tensor(it._first_output + k) for k, s in enumerate(it._outputs)}
