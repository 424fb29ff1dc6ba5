# TensorFlow's post-training quantization tutorials: train a small MNIST model, convert it with
# tf.lite.TFLiteConverter (float, then dynamic range with Optimize.DEFAULT, then full integer with a
# representative dataset and uint8 inputs), write the files, and evaluate each with tf.lite.Interpreter one
# image at a time.
import pathlib

import numpy as np
import tensorflow as tf

(train_images, train_labels), (test_images, test_labels) = tf.keras.datasets.mnist.load_data()
train_images = train_images[:3000].astype(np.float32) / 255.0
test_images = test_images[:300].astype(np.float32) / 255.0
train_labels, test_labels = train_labels[:3000], test_labels[:300]

model = tf.keras.Sequential([
    tf.keras.layers.InputLayer(input_shape=(28, 28)),
    tf.keras.layers.Reshape(target_shape=(28, 28, 1)),
    tf.keras.layers.Conv2D(filters=12, kernel_size=(3, 3), activation='relu'),
    tf.keras.layers.MaxPooling2D(pool_size=(2, 2)),
    tf.keras.layers.Flatten(),
    tf.keras.layers.Dense(10)
])
model.compile(optimizer='adam', loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
              metrics=['accuracy'])
model.fit(train_images, train_labels, epochs=1, validation_data=(test_images, test_labels))
_, keras_accuracy = model.evaluate(test_images, test_labels, verbose=0)

converter = tf.lite.TFLiteConverter.from_keras_model(model)
tflite_model = converter.convert()
tflite_models_dir = pathlib.Path("mnist_tflite_models/")
tflite_models_dir.mkdir(exist_ok=True, parents=True)
tflite_model_file = tflite_models_dir / "mnist_model.tflite"
tflite_model_file.write_bytes(tflite_model)

converter.optimizations = [tf.lite.Optimize.DEFAULT]
tflite_quant_model = converter.convert()
tflite_model_quant_file = tflite_models_dir / "mnist_model_quant.tflite"
tflite_model_quant_file.write_bytes(tflite_quant_model)


def representative_data_gen():
    for input_value in tf.data.Dataset.from_tensor_slices(train_images).batch(1).take(100):
        yield [input_value]


converter = tf.lite.TFLiteConverter.from_keras_model(model)
converter.optimizations = [tf.lite.Optimize.DEFAULT]
converter.representative_dataset = representative_data_gen
converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
converter.inference_input_type = tf.uint8
converter.inference_output_type = tf.uint8
tflite_model_int8 = converter.convert()


def evaluate_model(interpreter):
    input_details = interpreter.get_input_details()[0]
    output_index = interpreter.get_output_details()[0]["index"]
    prediction_digits = []
    for test_image in test_images:
        test_image = np.expand_dims(test_image, axis=0)
        if input_details['dtype'] == np.uint8:
            input_scale, input_zero_point = input_details["quantization"]
            test_image = test_image / input_scale + input_zero_point
        test_image = test_image.astype(input_details["dtype"])
        interpreter.set_tensor(input_details["index"], test_image)
        interpreter.invoke()
        output = interpreter.tensor(output_index)
        prediction_digits.append(np.argmax(output()[0]))
    return np.mean(np.array(prediction_digits) == test_labels)


interpreter = tf.lite.Interpreter(model_path=str(tflite_model_file))
interpreter.allocate_tensors()
interpreter_quant = tf.lite.Interpreter(model_path=str(tflite_model_quant_file))
interpreter_quant.allocate_tensors()
interpreter_int8 = tf.lite.Interpreter(model_content=tflite_model_int8)
interpreter_int8.allocate_tensors()
int8_input = interpreter_int8.get_input_details()[0]
print(int8_input['dtype'].__name__, int8_input['quantization'][1])

float_accuracy = evaluate_model(interpreter)
quant_accuracy = evaluate_model(interpreter_quant)
int8_accuracy = evaluate_model(interpreter_int8)
ratio = tflite_model_file.stat().st_size / tflite_model_quant_file.stat().st_size
print("float matches keras", abs(float_accuracy - keras_accuracy) < 1e-6)
print("quantized within 2 points", abs(quant_accuracy - float_accuracy) <= 0.02,
      abs(int8_accuracy - float_accuracy) <= 0.03)
print("size ratio over 3", ratio > 3)
