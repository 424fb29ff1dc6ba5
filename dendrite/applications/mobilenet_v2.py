"""``keras.applications.mobilenet_v2``: MobileNetV2 (Sandler et al., 2018) as Keras builds it: ``Conv1``, 17
inverted-residual blocks (``expanded_conv_*`` then ``block_{1..16}_*``: 1x1 expansion, 3x3 depthwise, 1x1
linear projection, added to the input where the shapes allow), ``Conv_1`` (1280 channels) and ``out_relu``;
widths scaled by ``alpha`` and rounded to multiples of 8. Inputs preprocessed in 'tf' mode (to [-1, 1])."""
import warnings

from .. import layers
from . import _builder, imagenet_utils

# (filters, stride, expansion) of blocks 0..16
_BLOCKS = ((16, 1, 1), (24, 2, 6), (24, 1, 6), (32, 2, 6), (32, 1, 6), (32, 1, 6), (64, 2, 6), (64, 1, 6),
           (64, 1, 6), (64, 1, 6), (96, 1, 6), (96, 1, 6), (96, 1, 6), (160, 2, 6), (160, 1, 6), (160, 1, 6),
           (320, 1, 6))
_SIZES = (96, 128, 160, 192, 224)


def _make_divisible(v, divisor, min_value=None):
    """``v`` rounded to the nearest multiple of ``divisor`` (at least ``min_value``), never more than 10% down."""
    min_value = divisor if min_value is None else min_value
    new_v = max(min_value, int(v + divisor / 2) // divisor * divisor)
    return new_v + divisor if new_v < 0.9 * v else new_v


def _bn(name):
    return layers.BatchNormalization(axis=-1, epsilon=1e-3, momentum=0.999, name=name)


def _inverted_res_block(inputs, expansion, stride, alpha, filters, block_id):
    in_channels = inputs.shape[-1]
    pointwise_filters = _make_divisible(int(filters * alpha), 8)
    x = inputs
    prefix = f"block_{block_id}_"
    if block_id:
        x = layers.Conv2D(expansion * in_channels, kernel_size=1, padding="same", use_bias=False, activation=None,
                          name=f"{prefix}expand")(x)
        x = _bn(f"{prefix}expand_BN")(x)
        x = layers.ReLU(6.0, name=f"{prefix}expand_relu")(x)
    else:
        prefix = "expanded_conv_"
    if stride == 2:
        x = layers.ZeroPadding2D(padding=imagenet_utils.correct_pad(x, 3), name=f"{prefix}pad")(x)
    x = layers.DepthwiseConv2D(kernel_size=3, strides=stride, activation=None, use_bias=False,
                               padding="same" if stride == 1 else "valid", name=f"{prefix}depthwise")(x)
    x = _bn(f"{prefix}depthwise_BN")(x)
    x = layers.ReLU(6.0, name=f"{prefix}depthwise_relu")(x)
    x = layers.Conv2D(pointwise_filters, kernel_size=1, padding="same", use_bias=False, activation=None,
                      name=f"{prefix}project")(x)
    x = _bn(f"{prefix}project_BN")(x)
    if in_channels == pointwise_filters and stride == 1:
        return layers.Add(name=f"{prefix}add")([inputs, x])
    return x


def _default_size(input_shape, input_tensor):
    shape = input_shape
    if shape is None and input_tensor is not None and hasattr(input_tensor, "shape"):
        shape = tuple(input_tensor.shape)[1:]
    if shape is None or len(shape) < 2:
        return 224
    rows, cols = shape[0], shape[1]
    return rows if rows == cols and rows in _SIZES else 224


def MobileNetV2(input_shape=None, alpha=1.0, include_top=True, weights="imagenet", input_tensor=None,
                pooling=None, classes=1000, classifier_activation="softmax", name=None):
    """MobileNetV2; ``alpha`` scales every layer's width. ``weights=None`` for random initialization."""
    _builder.check_weights(weights, include_top, classes, "MobileNetV2")
    if input_shape is not None and input_tensor is not None and hasattr(input_tensor, "shape"):
        if tuple(input_tensor.shape)[2] != input_shape[1]:
            raise ValueError("input_tensor.shape[2] must equal input_shape[1]; Received "
                             f"`input_tensor.shape={input_tensor.shape}`, `input_shape={input_shape}`")
    input_shape = imagenet_utils.obtain_input_shape(input_shape,
                                                    default_size=_default_size(input_shape, input_tensor),
                                                    min_size=32, data_format="channels_last",
                                                    require_flatten=include_top, weights=weights)
    rows, cols = input_shape[0], input_shape[1]
    if weights == "imagenet":
        if alpha not in (0.35, 0.50, 0.75, 1.0, 1.3, 1.4):
            raise ValueError("If imagenet weights are being loaded, alpha must be one of `0.35`, `0.50`, `0.75`, "
                             f"`1.0`, `1.3` or `1.4` only; Received `alpha={alpha}`")
        if rows != cols or rows not in _SIZES:
            rows = 224
            warnings.warn("`input_shape` is undefined or non-square, or `rows` is not in [96, 128, 160, 192, "
                          "224]. Weights for input shape (224, 224) will be loaded as the default.", stacklevel=2)
    file = (f"mobilenet_v2_weights_tf_dim_ordering_tf_kernels_{float(alpha)}_{rows}"
            f"{'' if include_top else '_no_top'}.h5")
    path = _builder.weights_path(weights, file, "mobilenet_v2")
    img_input = _builder.image_input(input_tensor, input_shape, "MobileNetV2")
    x = layers.Conv2D(_make_divisible(32 * alpha, 8), kernel_size=3, strides=(2, 2), padding="same",
                      use_bias=False, name="Conv1")(img_input)
    x = _bn("bn_Conv1")(x)
    x = layers.ReLU(6.0, name="Conv1_relu")(x)
    for block_id, (filters, stride, expansion) in enumerate(_BLOCKS):
        x = _inverted_res_block(x, filters=filters, alpha=alpha, stride=stride, expansion=expansion,
                                block_id=block_id)
    last_filters = _make_divisible(1280 * alpha, 8) if alpha > 1.0 else 1280
    x = layers.Conv2D(last_filters, kernel_size=1, use_bias=False, name="Conv_1")(x)
    x = _bn("Conv_1_bn")(x)
    x = layers.ReLU(6.0, name="out_relu")(x)
    x = _builder.head(x, include_top, pooling, classes, classifier_activation, weights)
    if name is None:
        name = f"mobilenetv2_{alpha:0.2f}_{rows}"
    return _builder.finish(_builder.source_inputs(input_tensor, img_input), x, name, path)


def preprocess_input(x, data_format=None):
    """Images in [0, 255] scaled to [-1, 1] ('tf' mode)."""
    return imagenet_utils.preprocess_input(x, data_format=data_format, mode="tf")


def decode_predictions(preds, top=5):
    """The top ImageNet classes of each prediction (see imagenet_utils.decode_predictions)."""
    return imagenet_utils.decode_predictions(preds, top=top)
