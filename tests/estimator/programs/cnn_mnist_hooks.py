# TensorFlow's "layers MNIST" tutorial (cnn_mnist.py) as TensorFlow 2 code spells it, smaller, on a slice of
# MNIST: a LoggingTensorHook logs the softmax named "softmax_tensor" every 20 steps.
import sys

import numpy as np
import tensorflow as tf

tf.compat.v1.logging.set_verbosity(tf.compat.v1.logging.INFO)


def cnn_model_fn(features, labels, mode):
    input_layer = tf.reshape(features["x"], [-1, 28, 28, 1])
    conv1 = tf.keras.layers.Conv2D(filters=4, kernel_size=[5, 5], padding="same",
                                   activation=tf.nn.relu)(input_layer)
    pool1 = tf.keras.layers.MaxPooling2D(pool_size=[2, 2], strides=2)(conv1)
    pool1_flat = tf.reshape(pool1, [-1, 14 * 14 * 4])
    dense = tf.compat.v1.layers.dense(inputs=pool1_flat, units=32, activation=tf.nn.relu)
    logits = tf.compat.v1.layers.dense(inputs=dense, units=10)
    predictions = {
        "classes": tf.argmax(input=logits, axis=1),
        "probabilities": tf.nn.softmax(logits, name="softmax_tensor"),
    }
    if mode == tf.estimator.ModeKeys.PREDICT:
        return tf.estimator.EstimatorSpec(mode=mode, predictions=predictions)
    loss = tf.compat.v1.losses.sparse_softmax_cross_entropy(labels=labels, logits=logits)
    if mode == tf.estimator.ModeKeys.TRAIN:
        optimizer = tf.compat.v1.train.GradientDescentOptimizer(learning_rate=0.1)
        train_op = optimizer.minimize(loss=loss, global_step=tf.compat.v1.train.get_global_step())
        return tf.estimator.EstimatorSpec(mode=mode, loss=loss, train_op=train_op)
    eval_metric_ops = {"accuracy": tf.compat.v1.metrics.accuracy(labels=labels, predictions=predictions["classes"])}
    return tf.estimator.EstimatorSpec(mode=mode, loss=loss, eval_metric_ops=eval_metric_ops)


(train_data, train_labels), (eval_data, eval_labels) = tf.keras.datasets.mnist.load_data()
train_data = (train_data[:600] / np.float32(255)).reshape(-1, 784)
train_labels = train_labels[:600].astype(np.int32)
eval_data = (eval_data[:200] / np.float32(255)).reshape(-1, 784)
eval_labels = eval_labels[:200].astype(np.int32)

mnist_classifier = tf.estimator.Estimator(model_fn=cnn_model_fn, model_dir=sys.argv[1])
tensors_to_log = {"probabilities": "softmax_tensor"}
logging_hook = tf.compat.v1.train.LoggingTensorHook(tensors=tensors_to_log, every_n_iter=20)
train_input_fn = tf.compat.v1.estimator.inputs.numpy_input_fn(
    x={"x": train_data}, y=train_labels, batch_size=20, num_epochs=None, shuffle=True)
mnist_classifier.train(input_fn=train_input_fn, steps=60, hooks=[logging_hook])

eval_input_fn = tf.compat.v1.estimator.inputs.numpy_input_fn(
    x={"x": eval_data}, y=eval_labels, num_epochs=1, shuffle=False)
eval_results = mnist_classifier.evaluate(input_fn=eval_input_fn)
print("global step", eval_results["global_step"])
print("accuracy", eval_results["accuracy"])
print("same hook classes", tf.train.LoggingTensorHook is tf.estimator.LoggingTensorHook)
