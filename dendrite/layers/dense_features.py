"""``DenseFeatures``: a dict of raw features through dense feature columns into one (batch, width) tensor."""
from collections.abc import Mapping

import numpy as np

from ..autodiff import array_of, ops
from .base import Layer
from .node import is_symbolic


class DenseFeatures(Layer):
    """As tf.keras.layers.DenseFeatures: the columns' outputs concatenated, the columns sorted by name; output
    shape (batch, the sum of the columns' widths).

    Called on a dict key -> array: eagerly (in a subclassed model, a model_fn, or directly), on a dict of
    ``Input``s (a functional model), or as the first layer of a Sequential model, which is then built on the
    dict of its first batch. An embedding column's table is this layer's weight ``<column name>/embedding_weights``,
    made when the layer is built. The features reach it as given where a column reads the values themselves
    (text, ids: ``_feature_dtypes`` says 'raw' for them) and as numbers where they are only read as numbers.
    """

    _text_inputs = _raw_inputs = True

    def __init__(self, feature_columns, trainable=True, name=None, **kwargs):
        super().__init__(trainable=trainable, name=name, **kwargs)
        from ..estimator.feature_column import check_columns, feature_dtypes
        self._feature_columns = check_columns(self.who, feature_columns, dense_only=True)
        self._feature_dtypes = feature_dtypes(self._feature_columns)  # what the data step makes of each feature

    @property
    def feature_columns(self):
        return list(self._feature_columns)

    def _make_weight(self, name, shape, initializer, trainable):
        for w in self._weights:
            if w.name == name:
                return w
        return self.add_weight(name, shape, initializer, trainable=trainable and self.trainable)

    def build(self, input_shape=None):
        for column in self._feature_columns:
            column.make_weights(self._make_weight)

    def _maybe_build(self, shape):
        if not self.built:
            self._build_shape = dict(shape) if isinstance(shape, Mapping) else shape
            self.build(shape)

    def check_keys(self, keys):
        """Refuse features ``keys`` that lack one a column reads, naming the column and the keys given."""
        from ..estimator.categorical_column import missing_feature
        for column in self._feature_columns:
            for key, _ in column.feature_kinds():
                if key not in keys:
                    raise missing_feature(f"{self.who}: {column.who}", key, keys)

    def compute_output_shape(self, input_shape):
        if not isinstance(input_shape, Mapping):
            raise TypeError(f"{self.who}: expects a dict feature name -> array (or -> Input); received one "
                            f"tensor of shape {tuple(input_shape)}. Pass the features as a dict keyed by the "
                            "columns' keys.")
        self.check_keys(input_shape)
        batch = next((shape[0] for shape in input_shape.values() if len(shape)), None)
        return (batch, sum(column.width for column in self._feature_columns))

    def __call__(self, features, training=None, **kwargs):
        if not isinstance(features, Mapping):
            raise TypeError(f"{self.who}: expects a dict feature name -> array; received {type(features).__name__}.")
        if is_symbolic(features):
            return super().__call__(dict(features), training=training, **kwargs)
        features = dict(features)
        if not self.built:
            self._maybe_build({key: np.shape(array_of(value)) for key, value in features.items()})
        parts = [column.dense(features, self._make_weight) for column in self._feature_columns]
        out = parts[0] if len(parts) == 1 else ops.concatenate(parts, axis=-1)
        self._output_shape = (None,) + tuple(out.shape[1:])
        return out

    def get_config(self):
        raise NotImplementedError(f"{self.who}: feature columns are not serializable in dendrite; rebuild the "
                                  "layer from code.")
