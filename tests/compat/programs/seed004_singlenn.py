# Seed 004's Fashion-MNIST class (course notes style): tf.python.keras imports, SGD(lr=), save_weights to a
# checkpoint name and to .h5, ModelCheckpoint('...{val_acc:.2f}.h5', period=1) and TensorBoard(histogram_freq=1).
import os
import sys
import tensorflow as tf
from tensorflow import keras
from tensorflow.python.keras.callbacks import ModelCheckpoint, TensorBoard

os.chdir(sys.argv[1])


class SingleNN(object):
    model = keras.Sequential([
        keras.layers.Flatten(input_shape=(28, 28)),
        keras.layers.Dense(128, activation=tf.nn.relu),
        keras.layers.Dense(10, activation=tf.nn.softmax),
    ])

    def __init__(self):
        (self.train, self.train_label), (self.test, self.test_label) = keras.datasets.fashion_mnist.load_data()
        self.train = self.train[:2000] / 255.0
        self.train_label = self.train_label[:2000]
        self.test = self.test[:500] / 255.0
        self.test_label = self.test_label[:500]

    def compile(self):
        SingleNN.model.compile(optimizer=keras.optimizers.SGD(lr=0.01),
                               loss=tf.keras.losses.sparse_categorical_crossentropy, metrics=['accuracy'])

    def fit(self):
        check = ModelCheckpoint('./ckpt/singlenn_{epoch:02d}-{val_acc:.2f}.h5', monitor='val_acc',
                                save_best_only=True, save_weights_only=True, mode='auto', period=1)
        board = TensorBoard(log_dir='./graph', histogram_freq=1, write_graph=True, write_images=True)
        return SingleNN.model.fit(self.train, self.train_label, epochs=5, batch_size=32,
                                  validation_data=(self.test, self.test_label), callbacks=[check, board])

    def evaluate(self):
        return SingleNN.model.evaluate(self.test, self.test_label)


if __name__ == '__main__':
    snn = SingleNN()
    snn.compile()
    history = snn.fit()
    test_loss, test_acc = snn.evaluate()
    print("test accuracy %.4f" % test_acc)
    os.makedirs("./ckpt", exist_ok=True)
    SingleNN.model.save_weights("./ckpt/SingleNN")
    SingleNN.model.save_weights("./ckpt/SingleNN.h5")
    SingleNN.model.load_weights("./ckpt/SingleNN")
    print("reloaded accuracy %.4f" % SingleNN.model.evaluate(snn.test, snn.test_label, verbose=0)[1])
    print("checkpoints", sorted(f for f in os.listdir("./ckpt") if f.startswith("singlenn_")))
    print("events", any(f.startswith("events") for _, _, fs in os.walk("./graph") for f in fs))
