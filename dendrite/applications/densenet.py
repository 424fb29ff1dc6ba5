"""``keras.applications.densenet``: DenseNet121 / 169 / 201 (Huang et al., 2016) as Keras builds them: a 7x7
stride-2 stem, four dense blocks of conv blocks (``conv{s}_block{i}_*``: BN-ReLU-1x1 (128) - BN-ReLU-3x3 (32),
concatenated to the input) joined by transitions (``pool{s}_*``: BN-ReLU-1x1 halving the channels, 2x2 average
pooling), then ``bn`` and ``relu``. Inputs preprocessed in 'torch' mode."""
from .. import layers
from . import _builder, imagenet_utils

_EPS = 1.001e-5


def _bn(name):
    return layers.BatchNormalization(axis=3, epsilon=_EPS, name=name)


def conv_block(x, growth_rate, name):
    y = _bn(f"{name}_0_bn")(x)
    y = layers.Activation("relu", name=f"{name}_0_relu")(y)
    y = layers.Conv2D(4 * growth_rate, 1, use_bias=False, name=f"{name}_1_conv")(y)
    y = _bn(f"{name}_1_bn")(y)
    y = layers.Activation("relu", name=f"{name}_1_relu")(y)
    y = layers.Conv2D(growth_rate, 3, padding="same", use_bias=False, name=f"{name}_2_conv")(y)
    return layers.Concatenate(axis=3, name=f"{name}_concat")([x, y])


def dense_block(x, blocks, name):
    for i in range(blocks):
        x = conv_block(x, 32, name=f"{name}_block{i + 1}")
    return x


def transition_block(x, reduction, name):
    x = _bn(f"{name}_bn")(x)
    x = layers.Activation("relu", name=f"{name}_relu")(x)
    x = layers.Conv2D(int(x.shape[3] * reduction), 1, use_bias=False, name=f"{name}_conv")(x)
    return layers.AveragePooling2D(2, strides=2, name=f"{name}_pool")(x)


def DenseNet(blocks, include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None,
             classes=1000, classifier_activation="softmax", name="densenet"):
    """A DenseNet with ``blocks`` conv blocks in its four dense blocks (DenseNet121: [6, 12, 24, 16])."""
    blocks = list(blocks)
    _builder.check_weights(weights, include_top, classes, "DenseNet")
    input_shape = imagenet_utils.obtain_input_shape(input_shape, default_size=224, min_size=32,
                                                    data_format="channels_last", require_flatten=include_top,
                                                    weights=weights)
    known = {(6, 12, 24, 16): "densenet121", (6, 12, 32, 32): "densenet169", (6, 12, 48, 32): "densenet201"}
    key = known.get(tuple(blocks))
    if weights == "imagenet" and key is None:
        raise ValueError("weights_path undefined")
    file = f"{key}_weights_tf_dim_ordering_tf_kernels{'' if include_top else '_notop'}.h5"
    path = _builder.weights_path(weights, file, "densenet")
    img_input = _builder.image_input(input_tensor, input_shape, "DenseNet")
    x = layers.ZeroPadding2D(padding=((3, 3), (3, 3)))(img_input)
    x = layers.Conv2D(64, 7, strides=2, use_bias=False, name="conv1_conv")(x)
    x = _bn("conv1_bn")(x)
    x = layers.Activation("relu", name="conv1_relu")(x)
    x = layers.ZeroPadding2D(padding=((1, 1), (1, 1)))(x)
    x = layers.MaxPooling2D(3, strides=2, name="pool1")(x)
    for stage, count in enumerate(blocks, start=2):
        x = dense_block(x, count, name=f"conv{stage}")
        if stage < 5:
            x = transition_block(x, 0.5, name=f"pool{stage}")
    x = _bn("bn")(x)
    x = layers.Activation("relu", name="relu")(x)
    x = _builder.head(x, include_top, pooling, classes, classifier_activation, weights,
                      pool_names=("avg_pool", "max_pool"))
    return _builder.finish(_builder.source_inputs(input_tensor, img_input), x, name, path)


def DenseNet121(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None,
                classes=1000, classifier_activation="softmax", name="densenet121"):
    """DenseNet121 (dense blocks of 6, 12, 24, 16); ``weights=None`` for random initialization."""
    return DenseNet([6, 12, 24, 16], include_top, weights, input_tensor, input_shape, pooling, classes,
                    classifier_activation, name=name)


def DenseNet169(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None,
                classes=1000, classifier_activation="softmax", name="densenet169"):
    """DenseNet169 (dense blocks of 6, 12, 32, 32)."""
    return DenseNet([6, 12, 32, 32], include_top, weights, input_tensor, input_shape, pooling, classes,
                    classifier_activation, name=name)


def DenseNet201(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None,
                classes=1000, classifier_activation="softmax", name="densenet201"):
    """DenseNet201 (dense blocks of 6, 12, 48, 32)."""
    return DenseNet([6, 12, 48, 32], include_top, weights, input_tensor, input_shape, pooling, classes,
                    classifier_activation, name=name)


def preprocess_input(x, data_format=None):
    """Images in [0, 255] scaled to [0, 1], then normalized by the ImageNet channel means and deviations
    ('torch' mode)."""
    return imagenet_utils.preprocess_input(x, data_format=data_format, mode="torch")


def decode_predictions(preds, top=5):
    """The top ImageNet classes of each prediction (see imagenet_utils.decode_predictions)."""
    return imagenet_utils.decode_predictions(preds, top=top)
