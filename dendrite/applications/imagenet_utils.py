"""``keras.applications.imagenet_utils``: the input preprocessing of the ImageNet models (the 'caffe', 'tf' and
'torch' modes), the decoding of their 1000-way predictions, and the input-shape rules the model builders share.

The constants (the channel means, the standard deviations, the minimum sizes) are Keras's, so that a model fed
by ``preprocess_input`` here sees exactly the numbers it would under Keras."""
import json
import os
import warnings

import numpy as np

from ..datasets._fetch import search_places

CLASS_INDEX_FILE = "imagenet_class_index.json"
CLASS_INDEX_URL = "https://storage.googleapis.com/download.tensorflow.org/data/imagenet_class_index.json"
_CAFFE_MEAN_BGR = (103.939, 116.779, 123.68)
_TORCH_MEAN = (0.485, 0.456, 0.406)
_TORCH_STD = (0.229, 0.224, 0.225)
_MODES = ("caffe", "tf", "torch")
_class_index = None


def _check_mode(mode, data_format):
    if mode not in _MODES:
        raise ValueError(f"Expected mode to be one of `caffe`, `tf` or `torch`. Received: mode={mode}")
    if data_format is None:
        from .. import backend
        return backend.image_data_format()
    if data_format not in ("channels_first", "channels_last"):
        raise ValueError("Expected data_format to be one of `channels_first` or `channels_last`. "
                         f"Received: data_format={data_format}")
    return data_format


def _channel_shape(ndim, data_format):
    """The broadcast shape of a per-channel constant for an image (3-D) or a batch (4-D) array."""
    if data_format == "channels_last":
        return (1,) * (ndim - 1) + (3,)
    return (3, 1, 1) if ndim == 3 else (1, 3) + (1,) * (ndim - 2)


def _flip_channels(x, data_format):
    """RGB -> BGR along the channel axis."""
    if data_format == "channels_last":
        return x[..., ::-1]
    return x[::-1] if len(x.shape) == 3 else x[:, ::-1]


def _preprocess_numpy(x, data_format, mode):
    # Keras works in place on a floating array (its documented side effect) and converts others to float32
    if not np.issubdtype(x.dtype, np.floating):
        x = x.astype("float32")
    if mode == "tf":
        x /= 127.5
        x -= 1.0
        return x
    if mode == "torch":
        x /= 255.0
        x -= np.reshape(np.asarray(_TORCH_MEAN, x.dtype), _channel_shape(x.ndim, data_format))
        x /= np.reshape(np.asarray(_TORCH_STD, x.dtype), _channel_shape(x.ndim, data_format))
        return x
    x = _flip_channels(x, data_format)
    x -= np.reshape(np.asarray(_CAFFE_MEAN_BGR, x.dtype), _channel_shape(x.ndim, data_format))
    return x


def _preprocess_tensor(x, data_format, mode):
    """The same arithmetic on a dendrite Tensor (differentiable, a new tensor; nothing changed in place)."""
    if mode == "tf":
        return x / 127.5 - 1.0
    ndim = len(x.shape)
    dtype = getattr(x, "dtype", "float32")
    if mode == "torch":
        mean = np.reshape(np.asarray(_TORCH_MEAN), _channel_shape(ndim, data_format)).astype(dtype)
        std = np.reshape(np.asarray(_TORCH_STD), _channel_shape(ndim, data_format)).astype(dtype)
        return (x / 255.0 - mean) / std
    mean = np.reshape(np.asarray(_CAFFE_MEAN_BGR), _channel_shape(ndim, data_format)).astype(dtype)
    return _flip_channels(x, data_format) - mean


def preprocess_input(x, data_format=None, mode="caffe"):
    """Scale a batch of images (or one image) with values in [0, 255] as the ImageNet models expect.

    mode: 'caffe' (RGB -> BGR, then the ImageNet channel means subtracted; VGG, ResNet v1), 'tf' (to [-1, 1];
    MobileNet, ResNet v2, Inception, Xception) or 'torch' (to [0, 1], then normalized by the ImageNet channel
    means and standard deviations; DenseNet). A NumPy array of floats is changed in place, as under Keras; a
    tensor gives a new tensor; a symbolic tensor (``keras.Input``) a layer of the model."""
    data_format = _check_mode(mode, data_format)
    from ..autodiff import Tensor
    from ..layers.node import KerasTensor
    if isinstance(x, KerasTensor):
        from ..layers.symbolic_ops import symbolic_call
        return symbolic_call(_preprocess_tensor, (x, data_format, mode))
    if isinstance(x, Tensor):
        if not np.issubdtype(np.dtype(x.dtype), np.floating):
            x = Tensor(np.asarray(x.numpy(), "float32"))
        return _preprocess_tensor(x, data_format, mode)
    if not isinstance(x, np.ndarray):
        x = np.asarray(x)
    return _preprocess_numpy(x, data_format, mode)


def _load_class_index():
    global _class_index
    if _class_index is None:
        places = search_places(CLASS_INDEX_FILE, cache_subdir="models")
        found = [path for _, path in places if path and os.path.isfile(path)]
        if not found:
            looked = ", ".join(path for _, path in places if path)
            raise FileNotFoundError(
                f"decode_predictions needs the ImageNet class index {CLASS_INDEX_FILE} (from {CLASS_INDEX_URL}); "
                f"dendrite runs offline and found no copy (looked in: {looked}). Download the file once and put "
                f"it in ~/.keras/models/ (or in $DENDRITE_DATA/models/).")
        with open(found[0], encoding="utf-8") as f:
            _class_index = json.load(f)
    return _class_index


def decode_predictions(preds, top=5):
    """``[[(class_name, class_description, score), ...], ...]``: the ``top`` classes of each row of a
    ``(samples, 1000)`` batch of ImageNet predictions, best first."""
    preds = np.asarray(preds.numpy() if hasattr(preds, "numpy") else preds)
    if preds.ndim != 2 or preds.shape[1] != 1000:
        raise ValueError("`decode_predictions` expects a batch of predictions (i.e. a 2D array of shape "
                         f"(samples, 1000)). Received array with shape: {preds.shape}")
    index = _load_class_index()
    results = []
    for row in preds:
        best = row.argsort()[-top:][::-1]
        result = [tuple(index[str(i)]) + (row[i],) for i in best]
        result.sort(key=lambda item: item[2], reverse=True)
        results.append(result)
    return results


def obtain_input_shape(input_shape, default_size, min_size, data_format, require_flatten, weights=None):
    """The model's input shape: ``input_shape`` checked (three entries, at least ``min_size`` square, 3
    channels for ImageNet weights; exactly the default with ImageNet weights and the classifier on top), or the
    default: ``(default_size, default_size, 3)`` with the classifier, ``(None, None, 3)`` without."""
    channels_first = data_format == "channels_first"
    if weights != "imagenet" and input_shape and len(input_shape) == 3:
        channels = input_shape[0] if channels_first else input_shape[-1]
        if channels not in {1, 3}:
            warnings.warn("This model usually expects 1 or 3 input channels. However, it was passed an "
                          f"input_shape with {channels} input channels.", stacklevel=3)
        default_shape = ((channels, default_size, default_size) if channels_first
                         else (default_size, default_size, channels))
    else:
        default_shape = (3, default_size, default_size) if channels_first else (default_size, default_size, 3)
    if weights == "imagenet" and require_flatten:
        if input_shape is not None and tuple(input_shape) != default_shape:
            raise ValueError("When setting `include_top=True` and loading `imagenet` weights, `input_shape` "
                             f"should be {default_shape}.  Received: input_shape={input_shape}")
        return default_shape
    if input_shape:
        input_shape = tuple(input_shape)
        if len(input_shape) != 3:
            raise ValueError("`input_shape` must be a tuple of three integers.")
        channels = input_shape[0] if channels_first else input_shape[-1]
        if channels != 3 and weights == "imagenet":
            raise ValueError(f"The input must have 3 channels; Received `input_shape={input_shape}`")
        rows, cols = input_shape[1:] if channels_first else input_shape[:2]
        if (rows is not None and rows < min_size) or (cols is not None and cols < min_size):
            raise ValueError(f"Input size must be at least {min_size}x{min_size}; Received: "
                             f"input_shape={input_shape}")
    elif require_flatten:
        input_shape = default_shape
    else:
        input_shape = (3, None, None) if channels_first else (None, None, 3)
    if require_flatten and None in input_shape:
        raise ValueError("If `include_top` is True, you should specify a static `input_shape`. "
                         f"Received: input_shape={input_shape}")
    return input_shape


def correct_pad(inputs, kernel_size):
    """The ZeroPadding2D padding before a stride-2 'valid' convolution that matches TensorFlow's 'same'."""
    rows, cols = inputs.shape[1:3]
    if isinstance(kernel_size, int):
        kernel_size = (kernel_size, kernel_size)
    adjust = (1, 1) if rows is None else (1 - rows % 2, 1 - cols % 2)
    half = (kernel_size[0] // 2, kernel_size[1] // 2)
    return ((half[0] - adjust[0], half[0]), (half[1] - adjust[1], half[1]))


def validate_activation(classifier_activation, weights):
    """Pretrained weights allow only a softmax (or no) activation on the classifier."""
    if weights is None:
        return
    if classifier_activation not in (None, "softmax", "linear"):
        from .. import activations
        fn = classifier_activation if callable(classifier_activation) else None
        if fn is None or fn not in (getattr(activations, "softmax", None), getattr(activations, "linear", None)):
            raise ValueError("Only `None` and `softmax` activations are allowed for the `classifier_activation` "
                             "argument when using pretrained weights, with `include_top=True`; Received: "
                             f"classifier_activation={classifier_activation}")
