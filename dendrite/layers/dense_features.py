"""``DenseFeatures``: a dict of raw features through dense feature columns into one (batch, width) tensor."""
from ..autodiff import ops
from .base import Layer


class DenseFeatures(Layer):
    """As tf.keras.layers.DenseFeatures: the columns' outputs concatenated, the columns sorted by name.

    Called on a dict key -> array (eagerly: in a subclassed model, a model_fn, or directly). An
    embedding column's table is this layer's weight ``<column name>/embedding_weights``.
    """

    def __init__(self, feature_columns, trainable=True, name=None, **kwargs):
        super().__init__(trainable=trainable, name=name, **kwargs)
        from ..estimator.feature_column import check_columns
        self._feature_columns = check_columns(self.who, feature_columns, dense_only=True)

    @property
    def feature_columns(self):
        return list(self._feature_columns)

    def _make_weight(self, name, shape, initializer, trainable):
        for w in self._weights:
            if w.name == name:
                return w
        return self.add_weight(name, shape, initializer, trainable=trainable and self.trainable)

    def __call__(self, features, training=None, **kwargs):
        if not isinstance(features, dict):
            raise TypeError(f"{self.who}: expects a dict feature name -> array; received {type(features).__name__}.")
        parts = [column.dense(features, self._make_weight) for column in self._feature_columns]
        self.built = True
        return parts[0] if len(parts) == 1 else ops.concatenate(parts, axis=-1)

    def get_config(self):
        raise NotImplementedError(f"{self.who}: feature columns are not serializable in dendrite; rebuild the "
                                  "layer from code.")
