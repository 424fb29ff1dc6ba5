"""A text classifier trained from a folder of .txt files, as Keras's text-classification tutorial does it:
the example first writes a folder of generated posts (one sub-folder per topic), then reads it with
utils.text_dataset_from_directory (a training and a validation subset from one call), adapts a
TextVectorization layer to the training texts only, maps the batches to word indices and trains
Embedding -> GlobalAveragePooling1D -> Dense.

The posts are sentences of everyday filler words with a few words of their topic (space, cooking or
football) mixed in, and now and then a word of another topic, so the topic is learnable from the words but not
from any single one.

    python examples/text_folder_classifier.py            # 3,000 posts, 10 epochs
    python examples/text_folder_classifier.py --quick    # 600 posts, 10 epochs (a smoke run)

(From a source checkout without `pip install .`: `PYTHONPATH=. python examples/text_folder_classifier.py`.)
"""
import argparse
import os

import numpy as np

import dendrite as keras
from dendrite import data, layers

parser = argparse.ArgumentParser(description="Embedding + pooling on a folder of text files it writes first.")
parser.add_argument("--quick", action="store_true", help="600 posts, 10 epochs (a smoke run)")
parser.add_argument("--posts", type=int, default=3000, help="how many text files to write")
parser.add_argument("--epochs", type=int, default=10)
parser.add_argument("--data-dir", default="topic-posts", help="where the text folder is written and read")
args = parser.parse_args()
if args.quick:
    args.posts, args.epochs = 600, 10
keras.utils.set_random_seed(0)
MAX_TOKENS, SEQUENCE_LENGTH = 1000, 40

TOPICS = {
    "cooking": "oven recipe flour garlic simmer sauce bake onion butter pan".split(),
    "football": "goal striker referee match penalty league keeper pitch tackle coach".split(),
    "space": "rocket orbit planet telescope astronaut moon launch galaxy comet satellite".split(),
}
FILLER = ("the a it was and then we saw some really quite today yesterday this that my our very just "
          "about after before with without again still").split()


def write_text_folder(folder, count, rng):
    """``count`` posts as <folder>/<topic>/<n>.txt, the topics in turn (skipped when the folder is there)."""
    if os.path.isdir(folder) and sorted(os.listdir(folder)) == sorted(TOPICS):
        return
    names = sorted(TOPICS)
    for name in names:
        os.makedirs(os.path.join(folder, name), exist_ok=True)
    for n in range(count):
        topic = names[n % len(names)]
        words = list(rng.choice(FILLER, rng.integers(12, 30)))
        for _ in range(rng.integers(2, 5)):  # the topic's own words
            words.insert(rng.integers(0, len(words) + 1), rng.choice(TOPICS[topic]))
        if rng.random() < 0.5:  # a stray word of another topic
            other = names[(names.index(topic) + rng.integers(1, len(names))) % len(names)]
            words.insert(rng.integers(0, len(words) + 1), rng.choice(TOPICS[other]))
        text = " ".join(words).capitalize() + "."
        with open(os.path.join(folder, topic, f"{n:05d}.txt"), "w") as f:
            f.write(text)


write_text_folder(args.data_dir, args.posts, np.random.default_rng(0))
train, valid = keras.utils.text_dataset_from_directory(
    args.data_dir, validation_split=0.2, subset="both", seed=42, batch_size=32)
class_names = train.class_names
print("class names:", class_names)

vectorize = layers.TextVectorization(max_tokens=MAX_TOKENS, output_mode="int",
                                     output_sequence_length=SEQUENCE_LENGTH)
vectorize.adapt(train.map(lambda x, y: x))  # the vocabulary of the training texts only
print("vocabulary size:", len(vectorize.get_vocabulary()), "first words:", vectorize.get_vocabulary()[:6])


def to_indices(text, label):
    return vectorize(text), label


train = train.map(to_indices).cache().prefetch(data.AUTOTUNE)
valid = valid.map(to_indices).cache().prefetch(data.AUTOTUNE)

model = keras.Sequential([
    keras.Input((SEQUENCE_LENGTH,), dtype="int64"),
    layers.Embedding(MAX_TOKENS, 16),
    layers.GlobalAveragePooling1D(),
    layers.Dense(16, activation="relu"),
    layers.Dense(len(class_names), activation="softmax"),
])
model.compile(optimizer=keras.optimizers.Adam(0.01), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
model.summary()
model.fit(train, validation_data=valid, epochs=args.epochs, verbose=2)
loss, accuracy = model.evaluate(valid, verbose=0)  # the held-out 20% serves as the test set
print(f"Test accuracy: {accuracy:.4f}")
