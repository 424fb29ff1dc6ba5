"""``keras.applications.resnet`` (and ``resnet50``): ResNet50 / 101 / 152 (He et al., 2015), with the stem,
bottleneck blocks and layer names Keras uses (``conv1_conv``, ``conv2_block1_0_conv``, ..., ``conv5_block3_out``,
``avg_pool``, ``predictions``); and the shared builder the pre-activation ResNet v2 models
(``resnet_v2.py``) use. ResNet v1 inputs are preprocessed in 'caffe' mode."""
from .. import layers
from . import _builder, imagenet_utils

_EPS = 1.001e-5


def _bn(name):
    return layers.BatchNormalization(axis=3, epsilon=_EPS, name=name)


def build_resnet(stack_fn, preact, use_bias, key, name, api, include_top, weights, input_tensor, input_shape,
                 pooling, classes, classifier_activation):
    """The ResNet skeleton: a 7x7 stride-2 stem, a 3x3 stride-2 max pooling, ``stack_fn``'s stages, then the
    head; ``preact`` (v2) moves the stem's normalization to the end (``post_bn``)."""
    _builder.check_weights(weights, include_top, classes, api)
    input_shape = imagenet_utils.obtain_input_shape(input_shape, default_size=224, min_size=32,
                                                    data_format="channels_last", require_flatten=include_top,
                                                    weights=weights)
    file = f"{key}_weights_tf_dim_ordering_tf_kernels{'' if include_top else '_notop'}.h5"
    path = _builder.weights_path(weights, file, "resnet")
    img_input = _builder.image_input(input_tensor, input_shape, api)
    x = layers.ZeroPadding2D(padding=((3, 3), (3, 3)), name="conv1_pad")(img_input)
    x = layers.Conv2D(64, 7, strides=2, use_bias=use_bias, name="conv1_conv")(x)
    if not preact:
        x = _bn("conv1_bn")(x)
        x = layers.Activation("relu", name="conv1_relu")(x)
    x = layers.ZeroPadding2D(padding=((1, 1), (1, 1)), name="pool1_pad")(x)
    x = layers.MaxPooling2D(3, strides=2, name="pool1_pool")(x)
    x = stack_fn(x)
    if preact:
        x = _bn("post_bn")(x)
        x = layers.Activation("relu", name="post_relu")(x)
    x = _builder.head(x, include_top, pooling, classes, classifier_activation, weights,
                      pool_names=("avg_pool", "max_pool"))
    return _builder.finish(_builder.source_inputs(input_tensor, img_input), x, name, path)


def block_v1(x, filters, kernel_size=3, stride=1, conv_shortcut=True, name=None):
    """The v1 bottleneck: 1x1 (stride) -> 3x3 -> 1x1 (4 * filters), each normalized, added to the shortcut."""
    if conv_shortcut:
        shortcut = layers.Conv2D(4 * filters, 1, strides=stride, name=f"{name}_0_conv")(x)
        shortcut = _bn(f"{name}_0_bn")(shortcut)
    else:
        shortcut = x
    x = layers.Conv2D(filters, 1, strides=stride, name=f"{name}_1_conv")(x)
    x = _bn(f"{name}_1_bn")(x)
    x = layers.Activation("relu", name=f"{name}_1_relu")(x)
    x = layers.Conv2D(filters, kernel_size, padding="same", name=f"{name}_2_conv")(x)
    x = _bn(f"{name}_2_bn")(x)
    x = layers.Activation("relu", name=f"{name}_2_relu")(x)
    x = layers.Conv2D(4 * filters, 1, name=f"{name}_3_conv")(x)
    x = _bn(f"{name}_3_bn")(x)
    x = layers.Add(name=f"{name}_add")([shortcut, x])
    return layers.Activation("relu", name=f"{name}_out")(x)


def stack_v1(x, filters, blocks, stride1=2, name=None):
    x = block_v1(x, filters, stride=stride1, name=f"{name}_block1")
    for i in range(2, blocks + 1):
        x = block_v1(x, filters, conv_shortcut=False, name=f"{name}_block{i}")
    return x


def block_v2(x, filters, kernel_size=3, stride=1, conv_shortcut=False, name=None):
    """The v2 (pre-activation) bottleneck: normalization and ReLU first, the stride on the 3x3 convolution."""
    preact = _bn(f"{name}_preact_bn")(x)
    preact = layers.Activation("relu", name=f"{name}_preact_relu")(preact)
    if conv_shortcut:
        shortcut = layers.Conv2D(4 * filters, 1, strides=stride, name=f"{name}_0_conv")(preact)
    else:
        shortcut = layers.MaxPooling2D(1, strides=stride)(x) if stride > 1 else x
    x = layers.Conv2D(filters, 1, strides=1, use_bias=False, name=f"{name}_1_conv")(preact)
    x = _bn(f"{name}_1_bn")(x)
    x = layers.Activation("relu", name=f"{name}_1_relu")(x)
    x = layers.ZeroPadding2D(padding=((1, 1), (1, 1)), name=f"{name}_2_pad")(x)
    x = layers.Conv2D(filters, kernel_size, strides=stride, use_bias=False, name=f"{name}_2_conv")(x)
    x = _bn(f"{name}_2_bn")(x)
    x = layers.Activation("relu", name=f"{name}_2_relu")(x)
    x = layers.Conv2D(4 * filters, 1, name=f"{name}_3_conv")(x)
    return layers.Add(name=f"{name}_out")([shortcut, x])


def stack_v2(x, filters, blocks, stride1=2, name=None):
    x = block_v2(x, filters, conv_shortcut=True, name=f"{name}_block1")
    for i in range(2, blocks):
        x = block_v2(x, filters, name=f"{name}_block{i}")
    return block_v2(x, filters, stride=stride1, name=f"{name}_block{blocks}")


def stages(stack, depths, strides):
    """The four stages conv2..conv5 (64, 128, 256, 512 filters) of ``depths`` blocks, each stage's last
    stride from ``strides`` (v1 downsamples entering conv3..conv5, v2 leaving conv2..conv4)."""
    def stack_fn(x):
        for i, (filters, depth, stride) in enumerate(zip((64, 128, 256, 512), depths, strides)):
            x = stack(x, filters, depth, stride1=stride, name=f"conv{i + 2}")
        return x
    return stack_fn


def _resnet_v1(depths, key, api, name, include_top, weights, input_tensor, input_shape, pooling, classes,
               classifier_activation):
    return build_resnet(stages(stack_v1, depths, (1, 2, 2, 2)), False, True, key, name or key, api, include_top,
                        weights, input_tensor, input_shape, pooling, classes, classifier_activation)


def ResNet50(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None,
             classes=1000, classifier_activation="softmax", name="resnet50"):
    """ResNet50 (stages of 3, 4, 6, 3 bottleneck blocks); ``weights=None`` for random initialization."""
    return _resnet_v1((3, 4, 6, 3), "resnet50", "ResNet50", name, include_top, weights, input_tensor,
                      input_shape, pooling, classes, classifier_activation)


def ResNet101(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None,
              classes=1000, classifier_activation="softmax", name="resnet101"):
    """ResNet101 (stages of 3, 4, 23, 3 bottleneck blocks)."""
    return _resnet_v1((3, 4, 23, 3), "resnet101", "ResNet101", name, include_top, weights, input_tensor,
                      input_shape, pooling, classes, classifier_activation)


def ResNet152(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None,
              classes=1000, classifier_activation="softmax", name="resnet152"):
    """ResNet152 (stages of 3, 8, 36, 3 bottleneck blocks)."""
    return _resnet_v1((3, 8, 36, 3), "resnet152", "ResNet152", name, include_top, weights, input_tensor,
                      input_shape, pooling, classes, classifier_activation)


def preprocess_input(x, data_format=None):
    """Images in [0, 255], RGB -> BGR with the ImageNet means subtracted ('caffe' mode)."""
    return imagenet_utils.preprocess_input(x, data_format=data_format, mode="caffe")


def decode_predictions(preds, top=5):
    """The top ImageNet classes of each prediction (see imagenet_utils.decode_predictions)."""
    return imagenet_utils.decode_predictions(preds, top=top)
