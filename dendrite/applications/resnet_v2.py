"""``keras.applications.resnet_v2``: ResNet50V2 / 101V2 / 152V2 (He et al., 2016, pre-activation), built by
resnet.py's skeleton with the v2 blocks; inputs preprocessed in 'tf' mode (to [-1, 1])."""
from . import imagenet_utils
from .resnet import build_resnet, stack_v2, stages


def _resnet_v2(depths, key, api, name, include_top, weights, input_tensor, input_shape, pooling, classes,
               classifier_activation):
    return build_resnet(stages(stack_v2, depths, (2, 2, 2, 1)), True, True, key, name or key, api, include_top,
                        weights, input_tensor, input_shape, pooling, classes, classifier_activation)


def ResNet50V2(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None,
               classes=1000, classifier_activation="softmax", name="resnet50v2"):
    """ResNet50V2 (stages of 3, 4, 6, 3 pre-activation blocks); ``weights=None`` for random initialization."""
    return _resnet_v2((3, 4, 6, 3), "resnet50v2", "ResNet50V2", name, include_top, weights, input_tensor,
                      input_shape, pooling, classes, classifier_activation)


def ResNet101V2(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None,
                classes=1000, classifier_activation="softmax", name="resnet101v2"):
    """ResNet101V2 (stages of 3, 4, 23, 3 pre-activation blocks)."""
    return _resnet_v2((3, 4, 23, 3), "resnet101v2", "ResNet101V2", name, include_top, weights, input_tensor,
                      input_shape, pooling, classes, classifier_activation)


def ResNet152V2(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None,
                classes=1000, classifier_activation="softmax", name="resnet152v2"):
    """ResNet152V2 (stages of 3, 8, 36, 3 pre-activation blocks)."""
    return _resnet_v2((3, 8, 36, 3), "resnet152v2", "ResNet152V2", name, include_top, weights, input_tensor,
                      input_shape, pooling, classes, classifier_activation)


def preprocess_input(x, data_format=None):
    """Images in [0, 255] scaled to [-1, 1] ('tf' mode)."""
    return imagenet_utils.preprocess_input(x, data_format=data_format, mode="tf")


def decode_predictions(preds, top=5):
    """The top ImageNet classes of each prediction (see imagenet_utils.decode_predictions)."""
    return imagenet_utils.decode_predictions(preds, top=top)
