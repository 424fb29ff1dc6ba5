"""dendrite: the Keras API and a TensorFlow-style autodiff core, on NumPy.

    import dendrite as keras
    model = keras.Sequential([keras.Input((784,)), keras.layers.Dense(10, activation="softmax")])
"""
__version__ = "0.1.0"

from . import backend
from .autodiff import GradientTape, Tensor, Variable, constant, ops
from . import activations, constraints, initializers, regularizers, losses, metrics, optimizers, callbacks, layers
from . import models, datasets, random, saving, utils, viz
from . import preprocessing, data
from .layers import Input
from .models import Model, Sequential
from .utils import set_random_seed
from . import estimator, feature_column
from . import io, train, image, strings, summary  # dendrite.io (tf.io's functions); stdlib io stays `import io` (absolute) inside dendrite

__all__ = [
    "__version__", "backend", "GradientTape", "Tensor", "Variable", "constant", "ops", "activations",
    "constraints", "initializers", "regularizers", "losses", "metrics", "optimizers", "callbacks", "layers", "models",
    "datasets", "random", "saving", "utils", "viz", "preprocessing", "Input", "Model", "Sequential",
    "set_random_seed", "io", "train", "image", "strings", "summary", "data",
    "estimator", "feature_column",
]
from . import wrappers  # scikit-learn estimators (KerasClassifier, KerasRegressor); they load scikit-learn on first use
__all__ += ["wrappers"]
from . import applications  # keras.applications' architectures (weights=None, or a local weights file)
__all__ += ["applications"]
