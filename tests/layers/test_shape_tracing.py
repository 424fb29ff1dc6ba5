"""A user's layer with a call but no compute_output_shape: its symbolic output shape comes from running the call
(dendrite/layers/shape_tracing.py), as Keras 3 traces it; its sublayers are built by then."""
import numpy as np

import dendrite
from dendrite import layers, ops


class PooledProjection(layers.Layer):
    """Embeds tokens, projects them and averages over the steps: (batch, steps) -> (batch, units)."""

    def __init__(self, vocab, units, **kwargs):
        super().__init__(**kwargs)
        self.embed = layers.Embedding(vocab, 8)
        self.project = layers.Dense(units)

    def call(self, tokens):
        return ops.mean(self.project(self.embed(tokens)), axis=1)


class PairSplit(layers.Layer):
    """Two outputs of different widths."""

    def call(self, x):
        return [x[:, :2], ops.concatenate([x, x], axis=-1)]


class NeedsPositiveData(layers.Layer):
    def call(self, x):
        if float(ops.min(x)) <= 0:
            raise ValueError("needs positive data")
        return x


def test_the_output_shape_comes_from_the_call_and_sublayers_are_built():
    inputs = dendrite.Input(shape=(None,), dtype="int32")  # a free sequence length stays unknown
    pooled = PooledProjection(50, 6)
    features = pooled(inputs)
    assert features.shape == (None, 6)
    assert pooled.count_params() == 50 * 8 + 8 * 6 + 6  # built by the traced call, before any data
    model = dendrite.Model(inputs, layers.Dense(3, activation="softmax")(features))
    lines = []
    model.summary(print_fn=lines.append)
    assert any("(None, 6)" in line and "pooled_projection" in line for line in "\n".join(lines).splitlines())
    assert pooled.output_shape == (None, 6)
    rng = np.random.default_rng(0)
    x = rng.integers(1, 50, size=(64, 7))
    y = (x[:, 0] > 25).astype("int64")
    model.compile("adam", "sparse_categorical_crossentropy")
    history = model.fit(x, y, epochs=3, batch_size=16, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]


def test_several_outputs_and_a_call_that_cannot_run_on_zeros():
    inputs = dendrite.Input(shape=(5,))
    first, second = PairSplit()(inputs)
    assert (first.shape, second.shape) == ((None, 2), (None, 10))
    assert NeedsPositiveData()(inputs).shape == (None, 5)  # the base rule: the input's shape


def test_dendrite_layers_keep_their_own_rule():
    inputs = dendrite.Input(shape=(4,))
    assert layers.Dropout(0.5)(inputs).shape == (None, 4)
    assert layers.Dense(3)(inputs).shape == (None, 3)
