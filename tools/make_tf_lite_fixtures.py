"""Writes what TensorFlow Lite gives for the model of tests/compat/test_tf_lite.py (not run in CI; needs
TensorFlow: /work/bvenv/bin/python tools/make_tf_lite_fixtures.py).

A small convolutional model with fixed weights (a Conv2D kernel of 1,152 values and a Dense kernel of 1,536,
both above TFLite's 1,024-value quantization threshold, and a Dense kernel of 24 below it) is converted four ways:
float, dynamic range (Optimize.DEFAULT), float16, and integer with uint8 inputs and outputs calibrated on a fixed
representative dataset. The fixture keeps the weights, the inputs, each interpreter's outputs, the details of
the inputs and outputs, TFLite's int8 kernels and their per-channel scales, and the sizes of the converted files,
in tests/fixtures/tf_compat/tf_lite.npz.
"""
import pathlib

import numpy as np
import tensorflow as tf
import keras

OUT = pathlib.Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "tf_compat" / "tf_lite.npz"


def model():
    inputs = keras.Input((6, 6, 4), name="image")
    x = keras.layers.Conv2D(32, 3, activation="relu", name="conv")(inputs)
    x = keras.layers.Flatten(name="flat")(x)
    x = keras.layers.Dense(3, activation="relu", name="hidden")(x)
    outputs = keras.layers.Dense(8, name="logits")(x)
    return keras.Model(inputs, outputs)


def main():
    rng = np.random.default_rng(7)
    net = model()
    weights = [rng.normal(0, 0.3, w.shape).astype(np.float32) for w in net.get_weights()]
    net.set_weights(weights)
    x = rng.random((5, 6, 6, 4)).astype(np.float32)
    calibration = rng.random((20, 6, 6, 4)).astype(np.float32)
    out = {f"weight_{i}": w for i, w in enumerate(weights)}
    out.update(x=x, calibration=calibration, keras=net(x).numpy())

    def representative():
        for i in range(len(calibration)):
            yield [calibration[i:i + 1]]

    for mode in ("float", "dynamic", "float16", "uint8"):
        converter = tf.lite.TFLiteConverter.from_keras_model(net)
        if mode != "float":
            converter.optimizations = [tf.lite.Optimize.DEFAULT]
        if mode == "float16":
            converter.target_spec.supported_types = [tf.float16]
        if mode == "uint8":
            converter.representative_dataset = representative
            converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
            converter.inference_input_type = tf.uint8
            converter.inference_output_type = tf.uint8
        content = converter.convert()
        out[f"{mode}_size"] = np.int64(len(content))
        interpreter = tf.lite.Interpreter(model_content=content)
        interpreter.resize_tensor_input(0, x.shape)
        interpreter.allocate_tensors()
        inp, outp = interpreter.get_input_details()[0], interpreter.get_output_details()[0]
        out[f"{mode}_input_shape"] = inp["shape"]
        out[f"{mode}_input_signature"] = inp["shape_signature"]
        out[f"{mode}_input_quantization"] = np.array(inp["quantization"], np.float64)
        out[f"{mode}_output_quantization"] = np.array(outp["quantization"], np.float64)
        value = x
        if mode == "uint8":
            scale, zero = inp["quantization"]
            value = np.clip(np.round(x / scale + zero), 0, 255).astype(np.uint8)
        interpreter.set_tensor(inp["index"], value)
        interpreter.invoke()
        out[f"{mode}_output"] = interpreter.get_tensor(outp["index"])
        if mode == "dynamic":  # TFLite's int8 kernels: conv (O, H, W, I), dense (out, in); scales per output
            for detail in interpreter.get_tensor_details():
                if detail["dtype"] == np.int8:
                    key = "conv" if len(detail["shape"]) == 4 else "dense"
                    out[f"dynamic_{key}_int8"] = interpreter.get_tensor(detail["index"])
                    out[f"dynamic_{key}_scales"] = detail["quantization_parameters"]["scales"]
    np.savez(OUT, **out)
    print(f"wrote {OUT}: {sorted(out)}")


if __name__ == "__main__":
    main()
