"""``dendrite.estimator``: tf.estimator on dendrite: ``Estimator`` with a ``model_fn``, ``EstimatorSpec``,
``ModeKeys``, ``RunConfig``, the premade estimators (``DNNClassifier``, ``LinearRegressor``, ...), the input
functions (``inputs.numpy_input_fn``, ``inputs.pandas_input_fn``) and ``model_to_estimator``. Feature columns
are in dendrite.feature_column; TensorFlow 1's model_fn pieces (global step, ``*Optimizer.minimize``, v1
losses and metrics) in dendrite.estimator.v1."""
from types import SimpleNamespace as _Namespace

from . import v1
from .canned import (BaselineClassifier, BaselineRegressor, DNNClassifier, DNNLinearCombinedClassifier,
                     DNNLinearCombinedRegressor, DNNRegressor, LinearClassifier, LinearRegressor)
from .estimator import Estimator
from .inputs import numpy_input_fn, pandas_input_fn
from .keras import model_to_estimator
from .run_config import RunConfig
from .spec import EstimatorSpec, ModeKeys
from .warm_start import WarmStartSettings

inputs = _Namespace(numpy_input_fn=numpy_input_fn, pandas_input_fn=pandas_input_fn)

__all__ = ["Estimator", "EstimatorSpec", "ModeKeys", "RunConfig", "inputs", "numpy_input_fn", "pandas_input_fn",
           "DNNClassifier", "DNNRegressor", "LinearClassifier", "LinearRegressor", "DNNLinearCombinedClassifier",
           "DNNLinearCombinedRegressor", "BaselineClassifier", "BaselineRegressor", "model_to_estimator",
           "WarmStartSettings", "v1"]
