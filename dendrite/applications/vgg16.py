"""``keras.applications.vgg16``: VGG16 (Simonyan & Zisserman, 2014), as Keras builds it: five blocks of 3x3
ReLU convolutions (``block{b}_conv{i}``) each ending in a 2x2 max pooling (``block{b}_pool``), then
``flatten``, ``fc1``, ``fc2`` and ``predictions``. Inputs preprocessed in 'caffe' mode."""
from .. import layers
from . import _builder, imagenet_utils

_WIDTHS = (64, 128, 256, 512, 512)


def build_vgg(convs_per_block, key, name, api, include_top, weights, input_tensor, input_shape, pooling, classes,
              classifier_activation):
    """A VGG network with ``convs_per_block[b]`` convolutions in block b+1 (VGG16: 2, 2, 3, 3, 3)."""
    _builder.check_weights(weights, include_top, classes, api)
    input_shape = imagenet_utils.obtain_input_shape(input_shape, default_size=224, min_size=32,
                                                    data_format="channels_last", require_flatten=include_top,
                                                    weights=weights)
    file = f"{key}_weights_tf_dim_ordering_tf_kernels{'' if include_top else '_notop'}.h5"
    path = _builder.weights_path(weights, file, key)
    img_input = _builder.image_input(input_tensor, input_shape, api)
    x = img_input
    for block, (width, convs) in enumerate(zip(_WIDTHS, convs_per_block), start=1):
        for i in range(1, convs + 1):
            x = layers.Conv2D(width, (3, 3), activation="relu", padding="same", name=f"block{block}_conv{i}")(x)
        x = layers.MaxPooling2D((2, 2), strides=(2, 2), name=f"block{block}_pool")(x)
    if include_top:
        x = layers.Flatten(name="flatten")(x)
        x = layers.Dense(4096, activation="relu", name="fc1")(x)
        x = layers.Dense(4096, activation="relu", name="fc2")(x)
        imagenet_utils.validate_activation(classifier_activation, weights)
        x = layers.Dense(classes, activation=classifier_activation, name="predictions")(x)
    elif pooling == "avg":
        x = layers.GlobalAveragePooling2D()(x)
    elif pooling == "max":
        x = layers.GlobalMaxPooling2D()(x)
    return _builder.finish(_builder.source_inputs(input_tensor, img_input), x, name, path)


def VGG16(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None, classes=1000,
          classifier_activation="softmax", name="vgg16"):
    """VGG16 (13 convolutions, 3 dense layers); ``weights=None`` for random initialization."""
    return build_vgg((2, 2, 3, 3, 3), "vgg16", name if name else "vgg16", "VGG16", include_top, weights, input_tensor,
                     input_shape, pooling, classes, classifier_activation)


def preprocess_input(x, data_format=None):
    """Images in [0, 255], RGB -> BGR with the ImageNet means subtracted ('caffe' mode)."""
    return imagenet_utils.preprocess_input(x, data_format=data_format, mode="caffe")


def decode_predictions(preds, top=5):
    """The top ImageNet classes of each prediction (see imagenet_utils.decode_predictions)."""
    return imagenet_utils.decode_predictions(preds, top=top)
