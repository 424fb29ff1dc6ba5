"""``keras.applications.inception_v3``: InceptionV3 (Szegedy et al., 2015) as Keras builds it: a stem of
convolutions (each a bias-free Conv2D, a BatchNormalization without scale and a ReLU, auto-named as in Keras),
then the inception modules ``mixed0`` .. ``mixed10`` (35x35, the 17x17 factorized-7x7 ones, the 8x8 ones
with split 1x3 / 3x1 branches ``mixed9_0``, ``mixed9_1``). Inputs at least 75x75, preprocessed in 'tf' mode."""
from .. import layers
from . import _builder, imagenet_utils


def conv2d_bn(x, filters, num_row, num_col, padding="same", strides=(1, 1), name=None):
    """Conv2D (no bias) -> BatchNormalization(scale=False) -> ReLU, named ``{name}_conv`` / ``{name}_bn`` /
    ``name`` when ``name`` is given."""
    x = layers.Conv2D(filters, (num_row, num_col), strides=strides, padding=padding, use_bias=False,
                      name=f"{name}_conv" if name else None)(x)
    x = layers.BatchNormalization(axis=3, scale=False, name=f"{name}_bn" if name else None)(x)
    return layers.Activation("relu", name=name)(x)


def _avg_branch(x, filters):
    return conv2d_bn(layers.AveragePooling2D((3, 3), strides=(1, 1), padding="same")(x), filters, 1, 1)


def _block35(x, pool_filters, name):
    b1 = conv2d_bn(x, 64, 1, 1)
    b5 = conv2d_bn(conv2d_bn(x, 48, 1, 1), 64, 5, 5)
    b3 = conv2d_bn(conv2d_bn(conv2d_bn(x, 64, 1, 1), 96, 3, 3), 96, 3, 3)
    bp = _avg_branch(x, pool_filters)
    return layers.Concatenate(axis=3, name=name)([b1, b5, b3, bp])


def _block17(x, width, name):
    b1 = conv2d_bn(x, 192, 1, 1)
    b7 = conv2d_bn(conv2d_bn(conv2d_bn(x, width, 1, 1), width, 1, 7), 192, 7, 1)
    bd = conv2d_bn(x, width, 1, 1)
    for filters, (r, c) in ((width, (7, 1)), (width, (1, 7)), (width, (7, 1)), (192, (1, 7))):
        bd = conv2d_bn(bd, filters, r, c)
    bp = _avg_branch(x, 192)
    return layers.Concatenate(axis=3, name=name)([b1, b7, bd, bp])


def _block8(x, i):
    b1 = conv2d_bn(x, 320, 1, 1)
    b3 = conv2d_bn(x, 384, 1, 1)
    b3 = layers.Concatenate(axis=3, name=f"mixed9_{i}")([conv2d_bn(b3, 384, 1, 3), conv2d_bn(b3, 384, 3, 1)])
    bd = conv2d_bn(conv2d_bn(x, 448, 1, 1), 384, 3, 3)
    bd = layers.Concatenate(axis=3)([conv2d_bn(bd, 384, 1, 3), conv2d_bn(bd, 384, 3, 1)])
    bp = _avg_branch(x, 192)
    return layers.Concatenate(axis=3, name=f"mixed{9 + i}")([b1, b3, bd, bp])


def InceptionV3(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None,
                classes=1000, classifier_activation="softmax", name="inception_v3"):
    """InceptionV3 (default input 299x299, at least 75x75); ``weights=None`` for random initialization."""
    _builder.check_weights(weights, include_top, classes, "InceptionV3")
    input_shape = imagenet_utils.obtain_input_shape(input_shape, default_size=299, min_size=75,
                                                    data_format="channels_last", require_flatten=include_top,
                                                    weights=weights)
    file = f"inception_v3_weights_tf_dim_ordering_tf_kernels{'' if include_top else '_notop'}.h5"
    path = _builder.weights_path(weights, file, "inception_v3")
    img_input = _builder.image_input(input_tensor, input_shape, "InceptionV3")
    x = conv2d_bn(img_input, 32, 3, 3, strides=(2, 2), padding="valid")
    x = conv2d_bn(x, 32, 3, 3, padding="valid")
    x = conv2d_bn(x, 64, 3, 3)
    x = layers.MaxPooling2D((3, 3), strides=(2, 2))(x)
    x = conv2d_bn(x, 80, 1, 1, padding="valid")
    x = conv2d_bn(x, 192, 3, 3, padding="valid")
    x = layers.MaxPooling2D((3, 3), strides=(2, 2))(x)
    for i, pool_filters in enumerate((32, 64, 64)):
        x = _block35(x, pool_filters, f"mixed{i}")
    # mixed3: the 35x35 -> 17x17 reduction
    b3 = conv2d_bn(x, 384, 3, 3, strides=(2, 2), padding="valid")
    bd = conv2d_bn(conv2d_bn(conv2d_bn(x, 64, 1, 1), 96, 3, 3), 96, 3, 3, strides=(2, 2), padding="valid")
    bp = layers.MaxPooling2D((3, 3), strides=(2, 2))(x)
    x = layers.Concatenate(axis=3, name="mixed3")([b3, bd, bp])
    for i, width in enumerate((128, 160, 160, 192)):
        x = _block17(x, width, f"mixed{4 + i}")
    # mixed8: the 17x17 -> 8x8 reduction
    b3 = conv2d_bn(conv2d_bn(x, 192, 1, 1), 320, 3, 3, strides=(2, 2), padding="valid")
    b7 = conv2d_bn(conv2d_bn(conv2d_bn(x, 192, 1, 1), 192, 1, 7), 192, 7, 1)
    b7 = conv2d_bn(b7, 192, 3, 3, strides=(2, 2), padding="valid")
    bp = layers.MaxPooling2D((3, 3), strides=(2, 2))(x)
    x = layers.Concatenate(axis=3, name="mixed8")([b3, b7, bp])
    for i in range(2):
        x = _block8(x, i)
    x = _builder.head(x, include_top, pooling, classes, classifier_activation, weights, top_pool_name="avg_pool")
    return _builder.finish(_builder.source_inputs(input_tensor, img_input), x, name, path)


def preprocess_input(x, data_format=None):
    """Images in [0, 255] scaled to [-1, 1] ('tf' mode)."""
    return imagenet_utils.preprocess_input(x, data_format=data_format, mode="tf")


def decode_predictions(preds, top=5):
    """The top ImageNet classes of each prediction (see imagenet_utils.decode_predictions)."""
    return imagenet_utils.decode_predictions(preds, top=top)
