"""The premade estimators of tf.estimator, with TensorFlow's arguments, defaults, variable names and metrics."""
from .baseline import BaselineClassifier, BaselineRegressor
from .dnn import DNNClassifier, DNNRegressor
from .dnn_linear import DNNLinearCombinedClassifier, DNNLinearCombinedRegressor
from .linear import LinearClassifier, LinearRegressor

__all__ = ["DNNClassifier", "DNNRegressor", "LinearClassifier", "LinearRegressor", "DNNLinearCombinedClassifier",
           "DNNLinearCombinedRegressor", "BaselineClassifier", "BaselineRegressor"]
