"""The networks ``dendrite codelab`` trains, as the tutorials define them.

The codelab (seed 000, "TensorFlow, Keras and deep learning, without a PhD"): flattened 784-pixel inputs,
50,000 training and 10,000 validation digits, batch 128, 10 epochs (the notebooks' EPOCHS), softmax output
and categorical cross-entropy, in eight steps: one softmax layer with 'sgd'; two sigmoid layers (200, 60)
still with 'sgd'; relu with 'adam'; Adam(0.01) with the learning rate decayed as ``0.01 * 0.6**epoch``; a
deeper net (200, 100, 60) with Dropout(0.25); the CNN (3x3x12, 6x6x24 stride 2, 6x6x32 stride 2, 'same'
padding, Dense(200)); the CNN with Dropout(0.4); the CNN with batch normalization (no bias, then
BatchNormalization(scale=False, center=True), then relu, on every layer but the last; batch 64, decay
``0.01 * 0.666**epoch``, dropout 0.3). The figures it publishes are validation accuracies on the 10,000 MNIST
test digits.

The book (seed 002, Deep Learning with Keras, chapter 1): Keras 1's style, Dense then Activation, 20% of the
60,000 training digits held out for validation (48,000 / 12,000), batch 128, N_HIDDEN = 128: the simple
net (SGD, 200 epochs, 92.22%), two hidden relu layers (SGD, 20 epochs, 94.41%), with Dropout(0.3) (SGD, 250
epochs, 97.7%), then RMSprop (20 epochs, 97.84%) and Adam (20 epochs, 97.93%). Its figures are test
accuracies.
"""


class Experiment:
    """One row of the report: the network (``build(layers)`` -> list of layers after the Input), its
    training (optimizer factory, batch size, epochs, learning-rate schedule) and the published figure."""

    def __init__(self, key, title, source, build, optimizer, epochs, batch_size=128, schedule=None,
                 published=None, published_text="", note=""):
        self.key, self.title, self.source, self.build = key, title, source, build
        self.optimizer, self.epochs, self.batch_size, self.schedule = optimizer, epochs, batch_size, schedule
        self.published, self.published_text, self.note = published, published_text, note

    @property
    def optimizer_text(self):
        from dendrite import optimizers
        given = self.optimizer()
        opt = optimizers.get(given)
        name = f"'{given}'" if isinstance(given, str) else type(opt).__name__
        if self.schedule is not None:
            return f"{name}, lr {self.schedule.text}"
        return f"{name} (lr {float(opt.learning_rate):g})"


class Decay:
    """The codelab's exponential learning-rate decay ``start * rate**epoch`` (a LearningRateScheduler fn)."""

    def __init__(self, start, rate):
        self.start, self.rate = start, rate
        self.text = f"{start:g} * {rate:g}**epoch"

    def __call__(self, epoch):
        return self.start * self.rate ** epoch


# ------------------------------------------------------------------ the codelab
def _dense(layers, units, activation, dropout=None):
    out = []
    for u in units:
        out.append(layers.Dense(u, activation=activation))
        if dropout:
            out.append(layers.Dropout(dropout))
    return out + [layers.Dense(10, activation="softmax")]


def _cnn(layers, dropout=None):
    out = [layers.Reshape(target_shape=(28, 28, 1)),
           layers.Conv2D(kernel_size=3, filters=12, padding="same", activation="relu"),
           layers.Conv2D(kernel_size=6, filters=24, strides=2, padding="same", activation="relu"),
           layers.Conv2D(kernel_size=6, filters=32, strides=2, padding="same", activation="relu"),
           layers.Flatten(), layers.Dense(200, activation="relu")]
    return out + ([layers.Dropout(dropout)] if dropout else []) + [layers.Dense(10, activation="softmax")]


def _cnn_batchnorm(layers):
    def normalized(layer):
        return [layer, layers.BatchNormalization(scale=False, center=True), layers.Activation("relu")]
    return ([layers.Reshape(target_shape=(28, 28, 1))]
            + normalized(layers.Conv2D(kernel_size=3, filters=12, padding="same", use_bias=False))
            + normalized(layers.Conv2D(kernel_size=6, filters=24, strides=2, padding="same", use_bias=False))
            + normalized(layers.Conv2D(kernel_size=6, filters=32, strides=2, padding="same", use_bias=False))
            + [layers.Flatten()] + normalized(layers.Dense(200, use_bias=False))
            + [layers.Dropout(0.3), layers.Dense(10, activation="softmax")])


def _adam(lr=None):
    def make():
        from dendrite import optimizers
        return "adam" if lr is None else optimizers.Adam(learning_rate=lr)
    return make


def _named(name):
    return lambda: name


DECAY = Decay(0.01, 0.6)

CODELAB = [
    Experiment("softmax", "One softmax layer, SGD", "codelab", lambda L: [L.Dense(10, activation="softmax")],
               _named("sgd"), 10, published=90.0, published_text="about 90%"),
    Experiment("dense-sigmoid", "Dense 200-60 sigmoid, SGD", "codelab",
               lambda L: _dense(L, (200, 60), "sigmoid"), _named("sgd"), 10,
               published_text="no figure: 'ten times the parameters, but not better'"),
    Experiment("dense-relu-adam", "Dense 200-60 relu, Adam", "codelab", lambda L: _dense(L, (200, 60), "relu"),
               _adam(), 10, published=97.0, published_text="97%"),
    Experiment("lr-decay", "Dense 200-60 relu, Adam 0.01 with lr decay", "codelab",
               lambda L: _dense(L, (200, 60), "relu"), _adam(0.01), 10, schedule=DECAY, published=98.0,
               published_text="above 98%"),
    Experiment("dense-dropout", "Dense 200-100-60 relu, Dropout 0.25, lr decay", "codelab",
               lambda L: _dense(L, (200, 100, 60), "relu", dropout=0.25), _adam(0.01), 10, schedule=DECAY,
               published=98.0, published_text="about 98% (a little below lr decay: overfitting is not the problem)"),
    Experiment("cnn", "CNN 12-24-32, Dense 200, lr decay", "codelab", _cnn, _adam(0.01), 10, schedule=DECAY,
               published=98.9, published_text="close to 99% (about 110 of 10,000 wrong)"),
    Experiment("cnn-dropout", "CNN with Dropout 0.4", "codelab", lambda L: _cnn(L, dropout=0.4), _adam(0.01), 10,
               schedule=DECAY, published=99.0, published_text="above 99%"),
    Experiment("cnn-batchnorm", "CNN with batch normalization, Dropout 0.3", "codelab", _cnn_batchnorm,
               _adam(0.01), 10, batch_size=64, schedule=Decay(0.01, 0.666), published=99.5,
               published_text="99.5%"),
]


# ------------------------------------------------------------------ the book (Keras 1's style)
def _book(layers, hidden=0, dropout=None):
    out = []
    for _ in range(hidden):
        out += [layers.Dense(128), layers.Activation("relu")] + ([layers.Dropout(dropout)] if dropout else [])
    return out + [layers.Dense(10), layers.Activation("softmax")]


def _optimizer(name):
    def make():
        from dendrite import optimizers
        return getattr(optimizers, name)()
    return make


BOOK = [
    Experiment("book-simple", "Simple: Dense 10, SGD", "book", _book, _optimizer("SGD"), 200, published=92.22,
               published_text="92.22% (train 92.36%, validation 92.37%)"),
    Experiment("book-two-hidden", "Two hidden layers of 128, SGD", "book", lambda L: _book(L, 2),
               _optimizer("SGD"), 20, published=94.41, published_text="94.41% (train 94.50%, validation 94.63%)"),
    Experiment("book-dropout", "Two hidden, Dropout 0.3, SGD", "book", lambda L: _book(L, 2, 0.3),
               _optimizer("SGD"), 250, published=97.7, published_text="97.7% (train 98.10%, validation 97.73%)"),
    Experiment("book-rmsprop", "Two hidden, Dropout 0.3, RMSprop", "book", lambda L: _book(L, 2, 0.3),
               _optimizer("RMSprop"), 20, published=97.84, published_text="97.84% (train 97.97%, validation 97.59%)"),
    Experiment("book-adam", "Two hidden, Dropout 0.3, Adam", "book", lambda L: _book(L, 2, 0.3),
               _optimizer("Adam"), 20, published=97.93, published_text="97.93% (train 98.28%, validation 98.03%)"),
]

PROGRESSION = CODELAB + BOOK

# how each source splits MNIST: (training digits, validation digits taken after them from the training set)
SPLITS = {"codelab": (50000, 10000), "book": (48000, 12000)}


def select(keys=None):
    """The experiments to run: all, or those named in ``keys`` (in the progression's order)."""
    if not keys:
        return list(PROGRESSION)
    known = [e.key for e in PROGRESSION]
    unknown = [k for k in keys if k not in known]
    if unknown:
        raise ValueError(f"dendrite codelab: unknown model(s) {unknown}; choose among {known}.")
    return [e for e in PROGRESSION if e.key in keys]
