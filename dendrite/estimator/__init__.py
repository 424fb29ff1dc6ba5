"""``dendrite.estimator``: tf.estimator on dendrite: ``Estimator`` with a ``model_fn``, ``EstimatorSpec``,
``ModeKeys``, ``RunConfig``, the premade estimators (``DNNClassifier``, ``LinearRegressor``, ...), the input
functions (``inputs.numpy_input_fn``, ``inputs.pandas_input_fn``), ``model_to_estimator``, the session hooks
(``SessionRunHook``, ``LoggingTensorHook``, ``StopAtStepHook``, ...) and ``experimental.stop_if_*_hook``.
Feature columns are in dendrite.feature_column; TensorFlow 1's model_fn pieces (global step,
``*Optimizer.minimize``, v1 losses and metrics) in dendrite.estimator.v1."""
from types import SimpleNamespace as _Namespace

from . import v1
from .canned import (BaselineClassifier, BaselineRegressor, DNNClassifier, DNNLinearCombinedClassifier,
                     DNNLinearCombinedRegressor, DNNRegressor, LinearClassifier, LinearRegressor)
from .early_stopping import (make_early_stopping_hook, stop_if_higher_hook, stop_if_lower_hook,
                             stop_if_no_decrease_hook, stop_if_no_increase_hook)
from .estimator import Estimator
from .hooks import (CheckpointSaverHook, CheckpointSaverListener, FeedFnHook, FinalOpsHook, LoggingTensorHook,
                    NanLossDuringTrainingError, NanTensorHook, SecondOrStepTimer, StepCounterHook, StopAtStepHook,
                    SummarySaverHook)
from .inputs import numpy_input_fn, pandas_input_fn
from .keras import model_to_estimator
from .run_config import RunConfig
from .session_run_hook import SessionRunArgs, SessionRunContext, SessionRunHook, SessionRunValues
from .spec import EstimatorSpec, ModeKeys
from .warm_start import WarmStartSettings

inputs = _Namespace(numpy_input_fn=numpy_input_fn, pandas_input_fn=pandas_input_fn)
experimental = _Namespace(make_early_stopping_hook=make_early_stopping_hook, stop_if_higher_hook=stop_if_higher_hook,
                          stop_if_lower_hook=stop_if_lower_hook, stop_if_no_decrease_hook=stop_if_no_decrease_hook,
                          stop_if_no_increase_hook=stop_if_no_increase_hook)

__all__ = ["Estimator", "EstimatorSpec", "ModeKeys", "RunConfig", "inputs", "numpy_input_fn", "pandas_input_fn",
           "DNNClassifier", "DNNRegressor", "LinearClassifier", "LinearRegressor", "DNNLinearCombinedClassifier",
           "DNNLinearCombinedRegressor", "BaselineClassifier", "BaselineRegressor", "model_to_estimator",
           "WarmStartSettings", "v1", "SessionRunHook", "SessionRunArgs", "SessionRunContext", "SessionRunValues",
           "LoggingTensorHook", "StopAtStepHook", "NanTensorHook", "NanLossDuringTrainingError", "StepCounterHook",
           "SummarySaverHook", "CheckpointSaverHook", "CheckpointSaverListener", "FinalOpsHook", "FeedFnHook",
           "SecondOrStepTimer", "experimental"]
