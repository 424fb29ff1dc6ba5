"""Seed 001's TensorFlow estimators on MNIST: a premade DNNClassifier, then a custom Estimator.

1. ``DNNClassifier(hidden_units=[512, 256, 128], feature_columns=[numeric_column('x2', shape=(784,))],
   n_classes=10)`` fed by ``numpy_input_fn(x, y, batch_size=128, num_epochs=None, shuffle=True)``,
   ``train(steps=2000)``, then ``evaluate`` on the test set (``num_epochs=1``);
2. a custom ``Estimator(model_fn, params={'learning_rate': 1e-4})`` whose ``model_fn(features, labels, mode,
   params)`` returns an ``EstimatorSpec`` for PREDICT, TRAIN and EVAL, with TensorFlow 1's global step, Adam
   ``minimize`` and streaming accuracy (dendrite.estimator.v1, which compatibility mode serves as
   ``tf.compat.v1``).

    python examples/seed001_estimators.py            # the full run: 60,000 images, 2,000 steps each
    python examples/seed001_estimators.py --quick    # a few-second smoke run on a slice

(From a source checkout without `pip install .`: `PYTHONPATH=. python examples/seed001_estimators.py`.) MNIST is
read from the folder named by DENDRITE_DATA, or downloaded once. Checkpoints go to a temporary model_dir.
"""
import argparse
import logging
import tempfile
import time

import numpy as np

import dendrite
from dendrite import estimator, feature_column, layers
from dendrite.estimator import v1

parser = argparse.ArgumentParser(description="Seed 001's premade and custom estimators on MNIST.")
parser.add_argument("--quick", action="store_true", help="60 steps on 2,000 images (a smoke run)")
parser.add_argument("--steps", type=int, default=2000)
args = parser.parse_args()
logging.basicConfig(level=logging.INFO, format="%(levelname)s:%(name)s: %(message)s")
dendrite.utils.set_random_seed(1)

(x_train, y_train), (x_test, y_test) = dendrite.datasets.mnist.load_data()
x_train = x_train.reshape(-1, 784).astype(np.float32) / 255
x_test = x_test.reshape(-1, 784).astype(np.float32) / 255
y_train, y_test = y_train.astype(np.int64), y_test.astype(np.int64)  # labels as values, not one-hot
steps = args.steps
if args.quick:
    x_train, y_train, x_test, y_test = x_train[:2000], y_train[:2000], x_test[:500], y_test[:500]
    steps = 60

# ## The premade estimator
train_input_fn = estimator.inputs.numpy_input_fn(x={"x2": x_train}, y=y_train, batch_size=128, num_epochs=None,
                                                 shuffle=True)
test_input_fn = estimator.inputs.numpy_input_fn(x={"x2": x_test}, y=y_test, num_epochs=1, shuffle=False)
feature_x2 = feature_column.numeric_column("x2", shape=(784,))
model = estimator.DNNClassifier(hidden_units=[512, 256, 128], feature_columns=[feature_x2], n_classes=10,
                                model_dir=tempfile.mkdtemp(prefix="dnn_"))
start = time.time()
model.train(input_fn=train_input_fn, steps=steps)
trained = time.time() - start
result = model.evaluate(input_fn=test_input_fn)
print(f"DNNClassifier: {steps} steps in {trained:.1f} s; test accuracy {result['accuracy']:.4f}, "
      f"loss {result['loss']:.4f}")


# ## The custom estimator
def model_fn(features, labels, mode, params):
    net = layers.Dense(512, activation="relu")(features["x2"])
    net = layers.Dropout(0.2)(net, training=mode == estimator.ModeKeys.TRAIN)
    net = layers.Dense(256, activation="relu")(net)
    logits = layers.Dense(10)(net)
    y_pred_cls = np.argmax(logits.numpy(), axis=1)
    if mode == estimator.ModeKeys.PREDICT:
        return estimator.EstimatorSpec(mode=mode, predictions=y_pred_cls)
    loss = v1.sparse_softmax_cross_entropy(labels=labels, logits=logits)
    optimizer = v1.AdamOptimizer(learning_rate=params["learning_rate"])
    train_op = optimizer.minimize(loss=loss, global_step=v1.get_global_step())
    metrics = {"accuracy": v1.accuracy(labels, y_pred_cls)}
    return estimator.EstimatorSpec(mode=mode, loss=loss, train_op=train_op, eval_metric_ops=metrics)


custom = estimator.Estimator(model_fn=model_fn, params={"learning_rate": 1e-3},
                             model_dir=tempfile.mkdtemp(prefix="custom_"))
start = time.time()
custom.train(input_fn=train_input_fn, steps=steps)
trained = time.time() - start
custom_result = custom.evaluate(input_fn=test_input_fn)
first = next(custom.predict(estimator.inputs.numpy_input_fn(x={"x2": x_test[:1]}, shuffle=False)))
print(f"custom Estimator: {steps} steps in {trained:.1f} s; first test digit predicted {first} (true {y_test[0]})")
print(f"custom Estimator test accuracy: {custom_result['accuracy']:.4f}")
print(f"Test accuracy: {result['accuracy']:.4f}")
