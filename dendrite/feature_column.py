"""``dendrite.feature_column`` (tf.feature_column): the feature columns of dendrite.estimator.feature_column."""
from .estimator.feature_column import (bucketized_column, categorical_column_with_hash_bucket,
                                       categorical_column_with_identity, categorical_column_with_vocabulary_file,
                                       categorical_column_with_vocabulary_list, crossed_column, embedding_column,
                                       indicator_column, numeric_column)

__all__ = ["numeric_column", "bucketized_column", "categorical_column_with_vocabulary_list",
           "categorical_column_with_vocabulary_file", "categorical_column_with_identity",
           "categorical_column_with_hash_bucket", "crossed_column", "indicator_column", "embedding_column"]
