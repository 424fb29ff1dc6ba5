"""``dendrite.applications`` (``keras.applications``): the Keras image-classification architectures, built
with ``weights=None`` (random initialization), from a local weights file (``weights='path.h5'``), or with
Keras's ImageNet weights when their file is in a local cache (``~/.keras/models``; dendrite never downloads).
One module per family, as Keras names them: vgg16, vgg19, resnet (resnet50), resnet_v2, mobilenet,
mobilenet_v2, densenet, inception_v3, xception, efficientnet; plus imagenet_utils."""
from . import (densenet, efficientnet, imagenet_utils, inception_v3, mobilenet, mobilenet_v2, resnet, resnet_v2,
               vgg16, vgg19, xception)
from .densenet import DenseNet121, DenseNet169, DenseNet201
from .efficientnet import (EfficientNetB0, EfficientNetB1, EfficientNetB2, EfficientNetB3, EfficientNetB4,
                           EfficientNetB5, EfficientNetB6, EfficientNetB7)
from .inception_v3 import InceptionV3
from .mobilenet import MobileNet
from .mobilenet_v2 import MobileNetV2
from .resnet import ResNet50, ResNet101, ResNet152
from .resnet_v2 import ResNet50V2, ResNet101V2, ResNet152V2
from .vgg16 import VGG16
from .vgg19 import VGG19
from .xception import Xception

resnet50 = resnet  # keras.applications.resnet50: the same functions

__all__ = ["DenseNet121", "DenseNet169", "DenseNet201", "EfficientNetB0", "EfficientNetB1", "EfficientNetB2",
           "EfficientNetB3", "EfficientNetB4", "EfficientNetB5", "EfficientNetB6", "EfficientNetB7", "InceptionV3",
           "MobileNet", "MobileNetV2", "ResNet50", "ResNet101", "ResNet152", "ResNet50V2", "ResNet101V2",
           "ResNet152V2", "VGG16", "VGG19", "Xception", "densenet", "efficientnet", "imagenet_utils", "inception_v3",
           "mobilenet", "mobilenet_v2", "resnet", "resnet50", "resnet_v2", "vgg16", "vgg19", "xception"]
