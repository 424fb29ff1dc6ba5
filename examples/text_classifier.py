"""A small text classifier: word indices -> Embedding -> Bidirectional(LSTM) -> a sigmoid unit.

The "reviews" are generated here, so the example needs no download: sentences of everyday words with a few
words of praise (label 1) or of complaint (label 0) mixed in, sometimes negated ("not great" in a bad review,
"not boring" in a good one), which a bag of words cannot read but a recurrent layer can. Each review becomes
a list of word indices (1 and up; 0 is kept for padding) padded with zeros to one length; the Embedding
layer's mask_zero=True tells the layers after it that the zeros are padding, not words.

    python examples/text_classifier.py            # the full run: 10,000 reviews, 5 epochs
    python examples/text_classifier.py --quick    # a few-second smoke run on a slice

(From a source checkout without `pip install .`: `PYTHONPATH=. python examples/text_classifier.py`.)
"""
import argparse

import numpy as np

import dendrite as keras
from dendrite import layers

parser = argparse.ArgumentParser(description="Embedding + Bidirectional(LSTM) on generated reviews.")
parser.add_argument("--quick", action="store_true", help="train 5 epochs on 3,000 reviews (a smoke run)")
parser.add_argument("--epochs", type=int, default=5)
args = parser.parse_args()
keras.utils.set_random_seed(1)
rng = np.random.default_rng(0)

# ## Generate the reviews
GOOD = "great excellent wonderful superb delightful brilliant enjoyable moving charming funny".split()
BAD = "boring awful terrible dull tedious clumsy weak predictable silly forgettable".split()
PLAIN = ("the a this film movie plot story actors acting music ending scenes script director cast was were is "
         "and but with very quite really it i we thought found").split()
MAX_LEN = 24  # words per review after padding (the longest generated review has 23)


def review(label):
    """One review (a list of words) with sentiment ``label`` (1 good, 0 bad)."""
    own, other = (GOOD, BAD) if label else (BAD, GOOD)
    words = list(rng.choice(PLAIN, size=rng.integers(5, 20)))
    kind = rng.random()
    if kind < 0.6:  # one or two words of the review's own side
        for _ in range(rng.integers(1, 3)):
            words.insert(rng.integers(0, len(words) + 1), rng.choice(own))
    if kind > 0.4:  # a negated word of the other side, which agrees with the label
        at = rng.integers(0, len(words) + 1)
        words[at:at] = ["not", rng.choice(other)]
    return words


def make_reviews(n):
    labels = rng.integers(0, 2, size=n)
    return [review(y) for y in labels], labels


# ## Turn words into padded integer sequences
# Index 0 is the padding value, so the words are numbered from 1. Sequences shorter than MAX_LEN get zeros
# in front ("pre" padding, keras.utils.pad_sequences' default), so the last word is always the last step.
vocabulary = sorted(set(GOOD + BAD + PLAIN + ["not"]))
word_index = {word: k + 1 for k, word in enumerate(vocabulary)}


def vectorize(reviews):
    out = np.zeros((len(reviews), MAX_LEN), dtype="int32")
    for row, words in enumerate(reviews):
        ids = [word_index[w] for w in words]
        out[row, MAX_LEN - len(ids):] = ids
    return out


n_train, n_test, epochs = (3000, 500, 5) if args.quick else (10000, 2000, args.epochs)
train_text, y_train = make_reviews(n_train)
test_text, y_test = make_reviews(n_test)
x_train, x_test = vectorize(train_text), vectorize(test_text)
print("a review:", " ".join(train_text[0]), "-> label", y_train[0])
print("as indices:", x_train[0])

# ## Build the model
# Embedding: each word index becomes a learned vector of 16 numbers; input_dim is the number of indices
# (the vocabulary plus the padding index 0). Bidirectional runs one LSTM forwards and a copy backwards over
# the words and concatenates their last outputs (2 x 16 numbers).
model = keras.Sequential([
    keras.Input(shape=(MAX_LEN,), dtype="int32"),
    layers.Embedding(input_dim=len(vocabulary) + 1, output_dim=16, mask_zero=True),
    layers.Bidirectional(layers.LSTM(16)),
    layers.Dense(1, activation="sigmoid"),
])
model.summary()

# ## Train
model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
model.fit(x_train, y_train, batch_size=32, epochs=epochs, validation_split=0.1, verbose=2)

# ## Use it on new sentences
samples = [["the", "acting", "was", "superb"], ["a", "dull", "and", "predictable", "plot"],
           ["the", "story", "was", "not", "boring"], ["not", "funny", "and", "not", "charming"]]
for words, p in zip(samples, model.predict(vectorize(samples), verbose=0)[:, 0]):
    print(f"{' '.join(words)!r}: {p:.2f} ({'good' if p > 0.5 else 'bad'})")
loss, accuracy = model.evaluate(x_test, y_test, verbose=0)
print(f"Test accuracy: {accuracy:.4f}")
