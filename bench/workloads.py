"""The benchmark workloads, built in dendrite, TensorFlow-Keras and PyTorch, and the timing method shared
by all three: A-D as ../shared/docs/peers.md describes them, and E, the keras.io MNIST convnet (Conv2D 32 k3
relu, MaxPooling2D 2, Conv2D 64 k3 relu, MaxPooling2D 2, Flatten, Dropout 0.5, Dense 10 softmax; batch
128), the CNN most Keras tutorials start from, and F, the classic recurrent exercise: an LSTM(128) reading each
image's 28 rows as 28 timesteps of 28 pixels, Dense 10 softmax, batch 128 (PyTorch: nn.LSTM(28, 128,
batch_first=True) and a Linear layer on its last output). E and F have no peers.md baseline: run.py times the
peers itself."""
import os

import numpy as np

BATCH = {"A": 128, "B": 128, "C": 128, "D": 64, "E": 128, "F": 128}
DENSE = {"A", "B"}
SEQUENCE = {"F"}                    # (samples, 28 timesteps, 28 features)
WARM_STEPS, TIMED_STEPS = 20, 150   # CNN and LSTM workloads
WARM_EPOCHS, TIMED_EPOCHS = 1, 2    # dense workloads


def load(name):
    """MNIST scaled to [0, 1] with one-hot labels; flat for the dense workloads, rows as timesteps for the
    LSTM, NHWC for the CNNs."""
    from dendrite.datasets import mnist
    (xtr, ytr), (xte, yte) = mnist.load_data()
    xtr = xtr.astype(np.float32) / 255.0
    xte = xte.astype(np.float32) / 255.0
    ytr, yte = np.eye(10, dtype=np.float32)[ytr], np.eye(10, dtype=np.float32)[yte]
    if name in DENSE:
        return xtr.reshape(-1, 784), ytr, xte.reshape(-1, 784), yte
    if name in SEQUENCE:
        return xtr, ytr, xte, yte
    return xtr[..., None], ytr, xte[..., None], yte


def keras_layers(name, L, Input):
    """The layer list of a workload, for any module with Keras's layer names (dendrite or keras)."""
    if name == "A":
        return [Input((784,)), L.Dense(200, activation="relu"), L.Dense(60, activation="relu"),
                L.Dense(10, activation="softmax")]
    if name == "B":
        return [Input((784,)), L.Dense(128, activation="relu"), L.Dropout(0.3), L.Dense(128, activation="relu"),
                L.Dropout(0.3), L.Dense(10, activation="softmax")]
    if name == "F":
        return [Input((28, 28)), L.LSTM(128), L.Dense(10, activation="softmax")]
    if name == "E":
        return [Input((28, 28, 1)), L.Conv2D(32, kernel_size=(3, 3), activation="relu"),
                L.MaxPooling2D(pool_size=(2, 2)), L.Conv2D(64, kernel_size=(3, 3), activation="relu"),
                L.MaxPooling2D(pool_size=(2, 2)), L.Flatten(), L.Dropout(0.5), L.Dense(10, activation="softmax")]
    if name == "C":
        return [Input((28, 28, 1)), L.Conv2D(12, 3, padding="same", activation="relu"),
                L.Conv2D(24, 6, strides=2, padding="same", activation="relu"),
                L.Conv2D(32, 6, strides=2, padding="same", activation="relu"),
                L.Flatten(), L.Dense(200, activation="relu"), L.Dropout(0.4), L.Dense(10, activation="softmax")]

    def cbr(filters, kernel, strides):
        return [L.Conv2D(filters, kernel, strides=strides, padding="same", use_bias=False),
                L.BatchNormalization(scale=False, center=True), L.Activation("relu")]
    return ([Input((28, 28, 1))] + cbr(24, 6, 1) + cbr(48, 5, 2) + cbr(64, 4, 2)
            + [L.Flatten(), L.Dense(200, use_bias=False), L.BatchNormalization(scale=False, center=True),
               L.Activation("relu"), L.Dropout(0.3), L.Dense(10, activation="softmax")])


def torch_model(name):
    import torch.nn as nn
    if name == "F":
        class LastStepLSTM(nn.Module):
            """nn.LSTM over the rows, then a Linear layer on the output of the last timestep."""

            def __init__(self):
                super().__init__()
                self.lstm, self.head = nn.LSTM(28, 128, batch_first=True), nn.Linear(128, 10)

            def forward(self, x):
                return self.head(self.lstm(x)[0][:, -1])
        return LastStepLSTM()
    if name == "A":
        return nn.Sequential(nn.Flatten(), nn.Linear(784, 200), nn.ReLU(), nn.Linear(200, 60), nn.ReLU(),
                             nn.Linear(60, 10))
    if name == "B":
        return nn.Sequential(nn.Flatten(), nn.Linear(784, 128), nn.ReLU(), nn.Dropout(0.3), nn.Linear(128, 128),
                             nn.ReLU(), nn.Dropout(0.3), nn.Linear(128, 10))
    if name == "E":
        return nn.Sequential(nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(32, 64, 3), nn.ReLU(),
                             nn.MaxPool2d(2), nn.Flatten(), nn.Dropout(0.5), nn.Linear(5 * 5 * 64, 10))
    if name == "C":
        # padding 'same' for stride 2, kernel 6 on even sizes: TF pads 2 before and 2 after
        return nn.Sequential(nn.Conv2d(1, 12, 3, padding=1), nn.ReLU(),
                             nn.ZeroPad2d((2, 2, 2, 2)), nn.Conv2d(12, 24, 6, stride=2), nn.ReLU(),
                             nn.ZeroPad2d((2, 2, 2, 2)), nn.Conv2d(24, 32, 6, stride=2), nn.ReLU(),
                             nn.Flatten(), nn.Linear(7 * 7 * 32, 200), nn.ReLU(), nn.Dropout(0.4),
                             nn.Linear(200, 10))

    def cbr(cin, cout, k, s, pad):
        return [nn.ZeroPad2d(pad), nn.Conv2d(cin, cout, k, stride=s, bias=False),
                nn.BatchNorm2d(cout, affine=True), nn.ReLU()]
    return nn.Sequential(*cbr(1, 24, 6, 1, (2, 3, 2, 3)), *cbr(24, 48, 5, 2, (1, 2, 1, 2)),
                         *cbr(48, 64, 4, 2, (1, 1, 1, 1)), nn.Flatten(), nn.Linear(7 * 7 * 64, 200, bias=False),
                         nn.BatchNorm1d(200), nn.ReLU(), nn.Dropout(0.3), nn.Linear(200, 10))


def peak_rss_mb():
    import resource
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def threads():
    return os.cpu_count()
