"""Keras callbacks: hooks into fit, evaluate and predict."""

from dendrite.callbacks.backup_and_restore import BackupAndRestore
from dendrite.callbacks.base import Callback
from dendrite.callbacks.callback_list import CallbackList
from dendrite.callbacks.csv_logger import CSVLogger
from dendrite.callbacks.early_stopping import EarlyStopping
from dendrite.callbacks.history import History
from dendrite.callbacks.lr import LearningRateScheduler, ReduceLROnPlateau
from dendrite.callbacks.misc import LambdaCallback, TerminateOnNaN
from dendrite.callbacks.model_checkpoint import ModelCheckpoint
from dendrite.callbacks.progbar import Progbar, ProgbarLogger
from dendrite.callbacks.remote_monitor import RemoteMonitor
from dendrite.callbacks.swap_ema_weights import SwapEMAWeights
from dendrite.callbacks.tensorboard import TensorBoard

__all__ = [
    "BackupAndRestore",
    "Callback",
    "CallbackList",
    "CSVLogger",
    "EarlyStopping",
    "History",
    "LambdaCallback",
    "LearningRateScheduler",
    "ModelCheckpoint",
    "Progbar",
    "ProgbarLogger",
    "ReduceLROnPlateau",
    "RemoteMonitor",
    "SwapEMAWeights",
    "TensorBoard",
    "TerminateOnNaN",
]
