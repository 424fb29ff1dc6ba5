"""Keras layers."""
from .base import Layer, KerasTensor
from .input_spec import InputSpec
from .merging import (Add, Subtract, Multiply, Average, Maximum, Minimum, Concatenate, Dot, add, subtract, multiply,
                      average, maximum, minimum, concatenate, dot)
from .core import Input, InputLayer, Dense, Activation, Flatten, Reshape, Identity, Masking
from .embedding import Embedding
from .lambda_layer import Lambda
from .regularization import (Dropout, SpatialDropout1D, SpatialDropout2D, GaussianNoise, GaussianDropout,
                             ActivityRegularization)
from .activation import ReLU, LeakyReLU, ELU, Softmax
from .pooling import (MaxPooling2D, AveragePooling2D, MaxPooling1D, AveragePooling1D, GlobalAveragePooling2D,
                      GlobalMaxPooling2D, GlobalAveragePooling1D, GlobalMaxPooling1D, MaxPool2D, AvgPool2D,
                      MaxPool1D, AvgPool1D, GlobalAvgPool2D, GlobalMaxPool2D, GlobalAvgPool1D, GlobalMaxPool1D)
from .reshaping import (ZeroPadding2D, Cropping2D, UpSampling2D, ZeroPadding1D, Cropping1D, UpSampling1D, Permute,
                        RepeatVector)
from .normalization import BatchNormalization, LayerNormalization, UnitNormalization
from .preprocessing import Normalization, Rescaling, CategoryEncoding
from .image_preprocessing import Resizing, CenterCrop
from .image_augmentation import RandomFlip, RandomContrast, RandomBrightness, RandomCrop
from .image_augmentation_geometric import RandomRotation, RandomZoom, RandomTranslation
from .convolutional import (Conv1D, Conv2D, Conv2DTranspose, DepthwiseConv2D, SeparableConv2D, Conv1DTranspose,
                            DepthwiseConv1D, SeparableConv1D, Convolution1D, Convolution2D, Convolution2DTranspose,
                            SeparableConvolution2D, SeparableConvolution1D, Convolution1DTranspose)
from .rnn_cells import SimpleRNNCell, LSTMCell, GRUCell, StackedRNNCells
from .recurrent import RNN, SimpleRNN, LSTM, GRU
from .wrappers import Bidirectional, TimeDistributed
from .lookup import StringLookup, IntegerLookup
from .hashing import Hashing
from .text_vectorization import TextVectorization
from .dense_features import DenseFeatures

__all__ = ["Layer", "InputSpec", "KerasTensor", "Input", "InputLayer", "Dense", "Activation", "Flatten", "Reshape",
           "Dropout", "SpatialDropout1D", "SpatialDropout2D", "ReLU", "LeakyReLU", "ELU", "Softmax", "MaxPooling2D",
           "AveragePooling2D", "MaxPooling1D", "AveragePooling1D", "GlobalAveragePooling2D", "GlobalMaxPooling2D",
           "GlobalAveragePooling1D", "GlobalMaxPooling1D", "MaxPool2D", "AvgPool2D", "MaxPool1D", "AvgPool1D",
           "GlobalAvgPool2D", "GlobalMaxPool2D", "GlobalAvgPool1D", "GlobalMaxPool1D", "ZeroPadding2D",
           "Cropping2D", "UpSampling2D", "BatchNormalization", "LayerNormalization", "Normalization", "Conv1D",
           "Conv2D", "Conv2DTranspose", "DepthwiseConv2D", "SeparableConv2D", "Convolution1D", "Convolution2D",
           "Convolution2DTranspose", "SeparableConvolution2D", "Conv1DTranspose", "DepthwiseConv1D",
           "SeparableConv1D", "SeparableConvolution1D", "Convolution1DTranspose", "ZeroPadding1D", "Cropping1D",
           "UpSampling1D", "Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum", "Concatenate", "Dot",
           "add", "subtract", "multiply", "average", "maximum", "minimum", "concatenate", "dot", "SimpleRNNCell",
           "LSTMCell", "GRUCell", "StackedRNNCells", "RNN", "SimpleRNN", "LSTM", "GRU", "Bidirectional",
           "TimeDistributed", "Embedding", "Identity", "Lambda", "Masking", "Permute", "RepeatVector", "Rescaling",
           "CenterCrop", "Resizing", "CategoryEncoding", "GaussianNoise", "GaussianDropout", "ActivityRegularization",
           "UnitNormalization", "RandomFlip", "RandomContrast", "RandomBrightness", "RandomCrop", "RandomRotation",
           "RandomZoom", "RandomTranslation", "StringLookup", "IntegerLookup", "Hashing", "TextVectorization", "DenseFeatures"]
from .activation import PReLU  # noqa: E402
from .regularization import AlphaDropout  # noqa: E402

__all__ += ["PReLU", "AlphaDropout"]
from .convolutional3d import Conv3D, Conv3DTranspose, Convolution3D, Convolution3DTranspose  # noqa: E402
from .pooling3d import (MaxPooling3D, AveragePooling3D, GlobalMaxPooling3D, GlobalAveragePooling3D,  # noqa: E402
                        MaxPool3D, AvgPool3D, GlobalMaxPool3D, GlobalAvgPool3D)
from .reshaping3d import ZeroPadding3D, Cropping3D, UpSampling3D  # noqa: E402
from .group_normalization import GroupNormalization  # noqa: E402
from .discretization import Discretization  # noqa: E402
from .spectral_normalization import SpectralNormalization  # noqa: E402

__all__ += ["Conv3D", "Conv3DTranspose", "Convolution3D", "Convolution3DTranspose", "MaxPooling3D", "AveragePooling3D",
            "GlobalMaxPooling3D", "GlobalAveragePooling3D", "MaxPool3D", "AvgPool3D", "GlobalMaxPool3D",
            "GlobalAvgPool3D", "ZeroPadding3D", "Cropping3D", "UpSampling3D", "GroupNormalization", "Discretization",
            "SpectralNormalization"]

from .einsum_dense import EinsumDense  # noqa: E402
from .attention import MultiHeadAttention, Attention, AdditiveAttention  # noqa: E402

__all__ += ["EinsumDense", "MultiHeadAttention", "Attention", "AdditiveAttention"]

from .rms_normalization import RMSNormalization  # noqa: E402
from .regularization import SpatialDropout3D  # noqa: E402

__all__ += ["RMSNormalization", "SpatialDropout3D"]

from .conv_lstm import ConvLSTM1D, ConvLSTM2D, ConvLSTM3D  # noqa: E402

__all__ += ["ConvLSTM1D", "ConvLSTM2D", "ConvLSTM3D"]
from .adaptive_pooling import (AdaptiveAveragePooling1D, AdaptiveAveragePooling2D,  # noqa: E402
                               AdaptiveAveragePooling3D, AdaptiveMaxPooling1D, AdaptiveMaxPooling2D,
                               AdaptiveMaxPooling3D)

__all__ += ["AdaptiveAveragePooling1D", "AdaptiveAveragePooling2D", "AdaptiveAveragePooling3D",
            "AdaptiveMaxPooling1D", "AdaptiveMaxPooling2D", "AdaptiveMaxPooling3D"]
from .activation import ThresholdedReLU  # noqa: E402
from .wrappers import Wrapper  # noqa: E402
from .embedding import ReversibleEmbedding  # noqa: E402

__all__ += ["ThresholdedReLU", "Wrapper", "ReversibleEmbedding"]
from .hashed_crossing import HashedCrossing  # noqa: E402

__all__ += ["HashedCrossing"]
from .image_random_size import RandomHeight, RandomWidth  # noqa: E402

__all__ += ["RandomHeight", "RandomWidth"]
from .spectrogram import STFTSpectrogram, MelSpectrogram  # noqa: E402

__all__ += ["STFTSpectrogram", "MelSpectrogram"]
from .image_augmentation_geometric import RandomShear  # noqa: E402
from .image_color import (RandomGrayscale, RandomColorDegeneration, RandomHue, RandomSaturation,  # noqa: E402
                          RandomColorJitter)
from .image_tone import (Solarization, RandomInvert, RandomPosterization, AutoContrast, Equalization,  # noqa: E402
                         ContrastLimitedAdaptiveHistogramEqualization)
from .image_filters import RandomGaussianBlur, RandomSharpness  # noqa: E402
from .image_mixing import MixUp, CutMix, RandomErasing  # noqa: E402
from .image_pipeline import Pipeline, RandAugment, AugMix  # noqa: E402
from .image_warp import RandomPerspective, RandomElasticTransform  # noqa: E402

__all__ += ["RandomShear", "RandomGrayscale", "RandomColorDegeneration", "RandomHue", "RandomSaturation",
            "RandomColorJitter", "Solarization", "RandomInvert", "RandomPosterization", "AutoContrast", "Equalization",
            "RandomGaussianBlur", "RandomSharpness", "MixUp", "CutMix", "RandomErasing", "Pipeline", "RandAugment",
            "RandomPerspective", "RandomElasticTransform", "AugMix", "ContrastLimitedAdaptiveHistogramEqualization"]
