"""``keras.applications.efficientnet``: EfficientNetB0 .. B7 (Tan & Le, 2019) as Keras builds them. The
model normalizes its own input (a Rescaling by 1/255 and a Normalization, plus, with ImageNet weights, a
Rescaling by 1/sqrt(std)), so ``preprocess_input`` passes images through unchanged: feed values in [0, 255].
Then ``stem_conv``, the MBConv blocks ``block{stage}{a,b,..}_*`` (expansion, depthwise convolution,
squeeze-and-excitation, projection, and a dropped-path residual), ``top_conv``; widths and depths scaled per
variant."""
import copy
import math

from .. import initializers, layers
from . import _builder, imagenet_utils

# kernel, repeats, filters in, filters out, expansion, strides (id_skip and se_ratio 0.25 throughout)
_STAGES = ((3, 1, 32, 16, 1, 1), (3, 2, 16, 24, 6, 2), (5, 2, 24, 40, 6, 2), (3, 3, 40, 80, 6, 2),
           (5, 3, 80, 112, 6, 1), (5, 4, 112, 192, 6, 2), (3, 1, 192, 320, 6, 1))
DEFAULT_BLOCKS_ARGS = [dict(kernel_size=k, repeats=r, filters_in=i, filters_out=o, expand_ratio=e, id_skip=True,
                            strides=s, se_ratio=0.25) for k, r, i, o, e, s in _STAGES]
_IMAGENET_STDDEV_RGB = (0.229, 0.224, 0.225)
# variant: (width coefficient, depth coefficient, default size, dropout)
_VARIANTS = {"b0": (1.0, 1.0, 224, 0.2), "b1": (1.0, 1.1, 240, 0.2), "b2": (1.1, 1.2, 260, 0.3),
             "b3": (1.2, 1.4, 300, 0.3), "b4": (1.4, 1.8, 380, 0.4), "b5": (1.6, 2.2, 456, 0.4),
             "b6": (1.8, 2.6, 528, 0.5), "b7": (2.0, 3.1, 600, 0.5)}
WEIGHTS_URL = "https://storage.googleapis.com/keras-applications/"


def _conv_init():
    return initializers.VarianceScaling(scale=2.0, mode="fan_out", distribution="truncated_normal")


def _dense_init():
    return initializers.VarianceScaling(scale=1.0 / 3.0, mode="fan_out", distribution="uniform")


def block(inputs, activation="swish", drop_rate=0.0, name="", filters_in=32, filters_out=16, kernel_size=3,
          strides=1, expand_ratio=1, se_ratio=0.0, id_skip=True):
    """One MBConv block (inverted residual with squeeze-and-excitation)."""
    filters = filters_in * expand_ratio
    x = inputs
    if expand_ratio != 1:
        x = layers.Conv2D(filters, 1, padding="same", use_bias=False, kernel_initializer=_conv_init(),
                          name=f"{name}expand_conv")(x)
        x = layers.BatchNormalization(axis=3, name=f"{name}expand_bn")(x)
        x = layers.Activation(activation, name=f"{name}expand_activation")(x)
    padding = "same"
    if strides == 2:
        x = layers.ZeroPadding2D(padding=imagenet_utils.correct_pad(x, kernel_size), name=f"{name}dwconv_pad")(x)
        padding = "valid"
    x = layers.DepthwiseConv2D(kernel_size, strides=strides, padding=padding, use_bias=False,
                               depthwise_initializer=_conv_init(), name=f"{name}dwconv")(x)
    x = layers.BatchNormalization(axis=3, name=f"{name}bn")(x)
    x = layers.Activation(activation, name=f"{name}activation")(x)
    if 0 < se_ratio <= 1:
        se = layers.GlobalAveragePooling2D(name=f"{name}se_squeeze")(x)
        se = layers.Reshape((1, 1, filters), name=f"{name}se_reshape")(se)
        se = layers.Conv2D(max(1, int(filters_in * se_ratio)), 1, padding="same", activation=activation,
                           kernel_initializer=_conv_init(), name=f"{name}se_reduce")(se)
        se = layers.Conv2D(filters, 1, padding="same", activation="sigmoid", kernel_initializer=_conv_init(),
                           name=f"{name}se_expand")(se)
        x = layers.Multiply(name=f"{name}se_excite")([x, se])
    x = layers.Conv2D(filters_out, 1, padding="same", use_bias=False, kernel_initializer=_conv_init(),
                      name=f"{name}project_conv")(x)
    x = layers.BatchNormalization(axis=3, name=f"{name}project_bn")(x)
    if id_skip and strides == 1 and filters_in == filters_out:
        if drop_rate > 0:
            x = layers.Dropout(drop_rate, noise_shape=(None, 1, 1, 1), name=f"{name}drop")(x)
        x = layers.Add(name=f"{name}add")([x, inputs])
    return x


def EfficientNet(width_coefficient, depth_coefficient, default_size, dropout_rate=0.2, drop_connect_rate=0.2,
                 depth_divisor=8, activation="swish", blocks_args="default", name="efficientnet",
                 include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None,
                 classes=1000, classifier_activation="softmax", weights_name=None):
    """The EfficientNet family's builder (the B0..B7 functions fix its coefficients)."""
    blocks_args = copy.deepcopy(DEFAULT_BLOCKS_ARGS if blocks_args == "default" else blocks_args)
    _builder.check_weights(weights, include_top, classes, "EfficientNet")
    input_shape = imagenet_utils.obtain_input_shape(input_shape, default_size=default_size, min_size=32,
                                                    data_format="channels_last", require_flatten=include_top,
                                                    weights=weights)
    # (Keras's EfficientNet files live at keras-applications/<file>, no subfolder)
    file = f"efficientnet{weights_name}{'' if include_top else '_notop'}.h5"
    path = _builder.weights_path(weights, file, None, base=WEIGHTS_URL)
    img_input = _builder.image_input(input_tensor, input_shape, "EfficientNet")

    def round_filters(filters):
        filters *= width_coefficient
        new = max(depth_divisor, int(filters + depth_divisor / 2) // depth_divisor * depth_divisor)
        return int(new + depth_divisor if new < 0.9 * filters else new)

    def round_repeats(repeats):
        return int(math.ceil(depth_coefficient * repeats))

    x = layers.Rescaling(1.0 / 255.0)(img_input)
    x = layers.Normalization(axis=3)(x)
    if weights == "imagenet":
        x = layers.Rescaling([1.0 / math.sqrt(s) for s in _IMAGENET_STDDEV_RGB])(x)
    x = layers.ZeroPadding2D(padding=imagenet_utils.correct_pad(x, 3), name="stem_conv_pad")(x)
    x = layers.Conv2D(round_filters(32), 3, strides=2, padding="valid", use_bias=False,
                      kernel_initializer=_conv_init(), name="stem_conv")(x)
    x = layers.BatchNormalization(axis=3, name="stem_bn")(x)
    x = layers.Activation(activation, name="stem_activation")(x)
    done, total = 0, float(sum(round_repeats(args["repeats"]) for args in blocks_args))
    for i, args in enumerate(blocks_args):
        if args["repeats"] <= 0:
            raise ValueError("The number of repeats in `EfficientNet` must be > 0. "
                             f"Received: repeats={args['repeats']}")
        args["filters_in"] = round_filters(args["filters_in"])
        args["filters_out"] = round_filters(args["filters_out"])
        for j in range(round_repeats(args.pop("repeats"))):
            if j > 0:
                args["strides"], args["filters_in"] = 1, args["filters_out"]
            x = block(x, activation, drop_connect_rate * done / total, name=f"block{i + 1}{chr(j + 97)}_", **args)
            done += 1
    x = layers.Conv2D(round_filters(1280), 1, padding="same", use_bias=False, kernel_initializer=_conv_init(),
                      name="top_conv")(x)
    x = layers.BatchNormalization(axis=3, name="top_bn")(x)
    x = layers.Activation(activation, name="top_activation")(x)
    if include_top:
        x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
        if dropout_rate > 0:
            x = layers.Dropout(dropout_rate, name="top_dropout")(x)
        imagenet_utils.validate_activation(classifier_activation, weights)
        x = layers.Dense(classes, activation=classifier_activation, kernel_initializer=_dense_init(),
                         name="predictions")(x)
    else:
        x = _builder.head(x, False, pooling, classes, classifier_activation, weights,
                          pool_names=("avg_pool", "max_pool"))
    return _builder.finish(_builder.source_inputs(input_tensor, img_input), x, name, path)


def _variant(key):
    width, depth, size, dropout = _VARIANTS[key]

    def build(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None,
              classes=1000, classifier_activation="softmax", name=f"efficientnet{key}"):
        return EfficientNet(width, depth, size, dropout, name=name, include_top=include_top, weights=weights,
                            input_tensor=input_tensor, input_shape=input_shape, pooling=pooling, classes=classes,
                            classifier_activation=classifier_activation, weights_name=key)
    build.__name__ = build.__qualname__ = f"EfficientNet{key.upper()}"
    build.__doc__ = (f"EfficientNet{key.upper()} (width x{width}, depth x{depth}, default input {size}x{size}); "
                     "feed images in [0, 255], the model normalizes them itself.")
    return build


EfficientNetB0, EfficientNetB1, EfficientNetB2, EfficientNetB3 = (_variant(k) for k in ("b0", "b1", "b2", "b3"))
EfficientNetB4, EfficientNetB5, EfficientNetB6, EfficientNetB7 = (_variant(k) for k in ("b4", "b5", "b6", "b7"))


def preprocess_input(x, data_format=None):
    """Returns ``x`` unchanged: EfficientNet models rescale and normalize their input themselves."""
    return x


def decode_predictions(preds, top=5):
    """The top ImageNet classes of each prediction (see imagenet_utils.decode_predictions)."""
    return imagenet_utils.decode_predictions(preds, top=top)
