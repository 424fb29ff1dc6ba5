"""``keras.applications.vgg19``: VGG19, VGG16 with a fourth convolution in blocks 3, 4 and 5
(``block3_conv4``, ...). Inputs preprocessed in 'caffe' mode."""
from .vgg16 import build_vgg, decode_predictions, preprocess_input  # noqa: F401 (the module's API)


def VGG19(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None, classes=1000,
          classifier_activation="softmax", name="vgg19"):
    """VGG19 (16 convolutions, 3 dense layers); ``weights=None`` for random initialization."""
    return build_vgg((2, 2, 4, 4, 4), "vgg19", name if name else "vgg19", "VGG19", include_top, weights, input_tensor,
                     input_shape, pooling, classes, classifier_activation)
