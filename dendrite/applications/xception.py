"""``keras.applications.xception``: Xception (Chollet, 2016) as Keras builds it: the entry flow
(``block1_conv1``/``block1_conv2``, then blocks 2-4 of separable convolutions with a strided 1x1 residual
branch), the middle flow (blocks 5-12: three ReLU-SeparableConv-BN, added to the input) and the exit flow
(blocks 13-14). Inputs at least 71x71, preprocessed in 'tf' mode."""
from .. import layers
from . import _builder, imagenet_utils


def _sep(x, filters, name, act_first=True):
    """[ReLU ``{name}_act``] -> SeparableConv2D ``name`` -> BatchNormalization ``{name}_bn``."""
    if act_first:
        x = layers.Activation("relu", name=f"{name}_act")(x)
    x = layers.SeparableConv2D(filters, (3, 3), padding="same", use_bias=False, name=name)(x)
    return layers.BatchNormalization(axis=-1, name=f"{name}_bn")(x)


def _reduction_block(x, filters, block, first_act=True):
    """Two separable convolutions, a strided 3x3 max pooling, plus a strided 1x1 projection of the input."""
    residual = layers.Conv2D(filters[1], (1, 1), strides=(2, 2), padding="same", use_bias=False)(x)
    residual = layers.BatchNormalization(axis=-1)(residual)
    x = _sep(x, filters[0], f"block{block}_sepconv1", act_first=first_act)
    x = _sep(x, filters[1], f"block{block}_sepconv2")
    x = layers.MaxPooling2D((3, 3), strides=(2, 2), padding="same", name=f"block{block}_pool")(x)
    return layers.Add()([x, residual])


def Xception(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None,
             classes=1000, classifier_activation="softmax", name="xception"):
    """Xception (default input 299x299, at least 71x71); ``weights=None`` for random initialization."""
    _builder.check_weights(weights, include_top, classes, "Xception")
    input_shape = imagenet_utils.obtain_input_shape(input_shape, default_size=299, min_size=71,
                                                    data_format="channels_last", require_flatten=include_top,
                                                    weights=weights)
    file = f"xception_weights_tf_dim_ordering_tf_kernels{'' if include_top else '_notop'}.h5"
    path = _builder.weights_path(weights, file, "xception")
    img_input = _builder.image_input(input_tensor, input_shape, "Xception")
    x = layers.Conv2D(32, (3, 3), strides=(2, 2), use_bias=False, name="block1_conv1")(img_input)
    x = layers.BatchNormalization(axis=-1, name="block1_conv1_bn")(x)
    x = layers.Activation("relu", name="block1_conv1_act")(x)
    x = layers.Conv2D(64, (3, 3), use_bias=False, name="block1_conv2")(x)
    x = layers.BatchNormalization(axis=-1, name="block1_conv2_bn")(x)
    x = layers.Activation("relu", name="block1_conv2_act")(x)
    x = _reduction_block(x, (128, 128), 2, first_act=False)
    x = _reduction_block(x, (256, 256), 3)
    x = _reduction_block(x, (728, 728), 4)
    for i in range(8):
        residual = x
        for j in range(1, 4):
            x = _sep(x, 728, f"block{i + 5}_sepconv{j}")
        x = layers.Add()([x, residual])
    x = _reduction_block(x, (728, 1024), 13)
    x = _sep(x, 1536, "block14_sepconv1", act_first=False)
    x = layers.Activation("relu", name="block14_sepconv1_act")(x)
    x = _sep(x, 2048, "block14_sepconv2", act_first=False)
    x = layers.Activation("relu", name="block14_sepconv2_act")(x)
    x = _builder.head(x, include_top, pooling, classes, classifier_activation, weights, top_pool_name="avg_pool")
    return _builder.finish(_builder.source_inputs(input_tensor, img_input), x, name, path)


def preprocess_input(x, data_format=None):
    """Images in [0, 255] scaled to [-1, 1] ('tf' mode)."""
    return imagenet_utils.preprocess_input(x, data_format=data_format, mode="tf")


def decode_predictions(preds, top=5):
    """The top ImageNet classes of each prediction (see imagenet_utils.decode_predictions)."""
    return imagenet_utils.decode_predictions(preds, top=top)
