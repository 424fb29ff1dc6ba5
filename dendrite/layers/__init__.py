"""Keras layers."""
from .base import Layer, InputSpec, KerasTensor
from .core import Input, InputLayer, Dense, Activation, Flatten, Reshape
from .regularization import Dropout, SpatialDropout1D, SpatialDropout2D
from .activation import ReLU, LeakyReLU, ELU, Softmax

__all__ = ["Layer", "InputSpec", "KerasTensor", "Input", "InputLayer", "Dense", "Activation", "Flatten", "Reshape",
           "Dropout", "SpatialDropout1D", "SpatialDropout2D", "ReLU", "LeakyReLU", "ELU", "Softmax"]
