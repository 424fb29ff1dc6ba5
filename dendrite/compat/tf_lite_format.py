"""The file that dendrite's ``tf.lite.TFLiteConverter`` writes and its ``tf.lite.Interpreter`` reads.

It is not a TFLite flatbuffer: it is a NumPy ``.npz`` archive (read with ``allow_pickle=False``) holding a JSON
header (the format name, the model's architecture as ``model.to_json()`` writes it, the input and output
specifications, the quantization chosen) and the model's weights, stored as the conversion asks: float32,
float16, or int8 with one float32 scale per output channel (symmetric, as TFLite's post-training quantization
stores a kernel). A TFLite runtime cannot run it; a TFLite file (``TFL3`` at byte 4) is refused by the reader.

The quantization arithmetic is TFLite's: an int8 kernel is ``round(w / s)`` with ``s = max|w| / 127`` per
output channel (the last axis of a Keras kernel); an activation range ``[lo, hi]`` (widened to hold 0) maps to
8 bits with ``scale = (hi - lo) / 255`` and ``zero_point = round(qmin - lo / scale)``.
"""
import io
import json
import zipfile

import numpy as np

FORMAT = "dendrite-lite"
VERSION = 1
HEADER = "__dendrite_lite__"
# TFLite's post-training quantization leaves tensors smaller than this in float (weights_min_num_elements)
MIN_QUANTIZED_ELEMENTS = 1024
INT_RANGES = {"int8": (-128, 127), "uint8": (0, 255), "int16": (-32768, 32767)}


def quantize_kernel(weight, per_channel=True):
    """``weight`` as int8 values and one float32 scale per slice of its last axis (or one for all of it)."""
    weight = np.asarray(weight, np.float32)
    peak = np.abs(weight.reshape(-1, weight.shape[-1])).max(axis=0) if per_channel else np.abs(weight).max(
        keepdims=True)
    scales = np.where(peak > 0, peak / 127.0, 1.0).astype(np.float32)
    values = np.clip(np.rint(weight / scales), -127, 127).astype(np.int8)
    return values, scales


def store_weights(weights, mode, per_channel=True):
    """The arrays to write for ``weights`` (a list of arrays) under quantization ``mode`` and their records."""
    arrays, records = {}, []
    for i, weight in enumerate(weights):
        weight = np.asarray(weight)
        record = {"shape": list(weight.shape), "dtype": weight.dtype.name, "stored": weight.dtype.name}
        if weight.dtype.kind == "f":
            if mode == "float16":
                weight = weight.astype(np.float16)
                record["stored"] = "float16"
            elif mode in ("dynamic_range", "full_integer") and weight.ndim >= 2 \
                    and weight.size >= MIN_QUANTIZED_ELEMENTS:
                weight, arrays[f"s{i}"] = quantize_kernel(weight, per_channel)
                record["stored"] = "int8"
        arrays[f"w{i}"] = weight
        records.append(record)
    return arrays, records


def load_weights(archive, records):
    """The float weights (dequantized) and the stored arrays (as the file holds them) of ``records``."""
    weights, stored = [], []
    for i, record in enumerate(records):
        value = archive[f"w{i}"]
        stored.append(value)
        if record["stored"] == "int8":
            value = value.astype(np.float32) * archive[f"s{i}"]
        weights.append(value.astype(record["dtype"]))
    return weights, stored


def activation_params(lo, hi, dtype):
    """TFLite's (scale, zero_point) for an activation seen in ``[lo, hi]`` and stored as ``dtype``."""
    qmin, qmax = INT_RANGES[dtype]
    lo, hi = min(float(lo), 0.0), max(float(hi), 0.0)
    scale = (hi - lo) / (qmax - qmin) if hi > lo else 1.0
    zero_point = int(np.clip(np.rint(qmin - lo / scale), qmin, qmax))
    return float(np.float32(scale)), zero_point


def quantize(values, scale, zero_point, dtype):
    qmin, qmax = INT_RANGES[dtype]
    return np.clip(np.rint(values / scale) + zero_point, qmin, qmax).astype(dtype)


def dequantize(values, scale, zero_point):
    return ((values.astype(np.float32) - zero_point) * np.float32(scale)).astype(np.float32)


def _npy(array):
    buffer = io.BytesIO()
    np.lib.format.write_array(buffer, np.asarray(array), allow_pickle=False)
    return buffer.getvalue()


def pack(header, arrays):
    """The file's bytes: ``header`` (a JSON-able dict, deflated) and ``arrays`` (stored as they are, so the
    file's size shows the weights' precision) in one npz archive."""
    buffer = io.BytesIO()
    text = json.dumps(dict(header, format=FORMAT, version=VERSION), separators=(",", ":")).encode("utf-8")
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(HEADER + ".npy", _npy(np.frombuffer(text, np.uint8)), compress_type=zipfile.ZIP_DEFLATED)
        for name, array in arrays.items():
            archive.writestr(name + ".npy", _npy(array), compress_type=zipfile.ZIP_STORED)
    return buffer.getvalue()


def unpack(content, owner):
    """(header, archive) of bytes that ``pack`` wrote; a clear error for anything else."""
    content = bytes(content)
    if content[4:8] == b"TFL3":
        raise NotImplementedError(
            f"{owner}: this is a TensorFlow Lite flatbuffer written by TensorFlow; dendrite's tf.lite.Interpreter "
            "runs only the files dendrite's tf.lite.TFLiteConverter writes (its own container, not TFLite). "
            "Convert the Keras model with dendrite, or run this file with TensorFlow Lite (LiteRT). "
            "See docs/compat.md.")
    try:
        archive = np.load(io.BytesIO(content), allow_pickle=False)
        header = json.loads(bytes(archive[HEADER]).decode("utf-8"))
    except Exception:  # not a zip, no header, bad JSON
        raise ValueError(f"{owner}: the model content is not a model written by dendrite's "
                         f"tf.lite.TFLiteConverter (it starts {content[:8]!r}). Pass the bytes that "
                         "converter.convert() returned, or the file they were written to.") from None
    if header.get("format") != FORMAT or header.get("version") != VERSION:
        raise ValueError(f"{owner}: unknown model container {header.get('format')!r} version "
                         f"{header.get('version')!r}; this dendrite reads {FORMAT!r} version {VERSION}.")
    return header, archive
