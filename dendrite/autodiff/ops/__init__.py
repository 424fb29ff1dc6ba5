"""Differentiable ops. Each family lives in its own module with forward and VJP side by side."""
from .elementwise import (add, subtract, multiply, divide, negative, power, exp, log, sqrt, square, abs, clip,
                          where, maximum, minimum, cast)
from .reduction import sum, mean, max, min, logsumexp
from .shape import (reshape, transpose, getitem, take, concatenate, pad, broadcast_to, expand_dims, squeeze, stack,
                    holds_tensor, pack, one_hot)
from .linalg import matmul, dense
from .activation import (relu, leaky_relu, sigmoid, tanh, softmax, log_softmax, elu, selu, softplus, softsign,
                         swish, gelu, hard_sigmoid, sparsemax)
from .loss import softmax_cross_entropy, sparse_softmax_cross_entropy, sigmoid_cross_entropy
from .random import dropout, gaussian_noise, gaussian_dropout
from .pooling import max_pool2d, avg_pool2d, max_pool1d, avg_pool1d
from .pooling3d import max_pool3d, avg_pool3d
from .normalization import batch_norm, batch_norm_inference, layer_norm, l2_normalize
from .conv import conv1d, conv1d_transpose, conv2d, conv2d_transpose, depthwise_conv1d, depthwise_conv2d
from .conv3d import conv3d, conv3d_transpose
from .recurrent import simple_rnn, lstm, gru

__all__ = [
    "add", "subtract", "multiply", "divide", "negative", "power", "exp", "log", "sqrt", "square", "abs", "clip",
    "where", "maximum", "minimum", "cast", "sum", "mean", "max", "min", "logsumexp", "reshape", "transpose",
    "getitem", "take", "concatenate", "pad", "broadcast_to", "expand_dims", "squeeze", "stack", "holds_tensor",
    "pack", "one_hot", "matmul", "dense",
    "relu", "leaky_relu", "sigmoid", "tanh", "softmax", "log_softmax", "elu", "selu", "softplus", "softsign",
    "swish", "gelu", "hard_sigmoid", "sparsemax", "softmax_cross_entropy", "sparse_softmax_cross_entropy",
    "sigmoid_cross_entropy", "dropout", "gaussian_noise", "gaussian_dropout", "max_pool2d", "avg_pool2d",
    "max_pool1d", "avg_pool1d", "batch_norm", "batch_norm_inference", "layer_norm", "l2_normalize", "conv1d",
    "conv2d", "conv2d_transpose", "depthwise_conv2d", "conv1d_transpose", "depthwise_conv1d", "simple_rnn", "lstm",
    "gru", "max_pool3d", "avg_pool3d", "conv3d", "conv3d_transpose",
]
