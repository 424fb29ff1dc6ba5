"""Seeing what the network does (matplotlib, the ``plots`` extra): training curves, the learning-rate schedule,
a grid of predictions with the mistakes in red, the confusion matrix, a layer's weights, and the codelab's live
``PlotTraining`` callback. Each plotting function returns its matplotlib Figure, written to ``to_file`` when
given. ``dendrite.utils.plot_model`` draws a model's layer graph."""
from .history import plot_history, plot_learning_rate
from .live import PlotTraining
from .predictions import confusion_matrix, plot_confusion_matrix, plot_predictions, plot_weights

__all__ = ["plot_history", "plot_learning_rate", "PlotTraining", "plot_predictions", "confusion_matrix",
           "plot_confusion_matrix", "plot_weights"]
