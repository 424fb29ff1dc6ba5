"""The ``keras``-shaped namespace, served under ``keras``, ``tensorflow.keras``, ``tensorflow.python.keras``
and ``tf_keras``: dendrite's Keras API with every module path of the three eras (``keras.layers.core``,
``keras.utils.np_utils``, ``keras.optimizers.legacy``, ``keras.backend``, ...) and the legacy spellings of
legacy_layers / legacy_callbacks. ``build()`` makes one tree; the import hook serves its nodes."""
import dendrite
from .. import layers as _layers, optimizers as _optimizers, utils as _utils
from . import (backend_k, backend_k_extra, ctc_tf, keras3_api, keras3_tree, keras_ops, keras_utils_extra,
               legacy_callbacks, legacy_layers, mixed_precision, tf_control, tf_runtime, tf_sparse)
from ..layers.node import KerasTensor
from ..layers.symbolic_ops import symbolic_members
from ._namespace import Namespace, dendrite_module, names_from

KERAS_VERSION = "3.3.3"
_LAYER_MODULES = ("core convolutional pooling recurrent normalization embeddings merge advanced_activations "
                  "wrappers noise local convolutional_recurrent preprocessing experimental "
                  # the packages of tf.keras 2.9+ / Keras 2.9-2.15 (keras.layers.rnn.lstm, keras.layers.reshaping...)
                  "merging regularization reshaping activation attention rnn locally_connected").split()
_GONE = {
    "Highway": "Highway was removed in Keras 2.", "MaxoutDense": "MaxoutDense was removed in Keras 2.",
}


class _MergeModule(Namespace):
    """``keras.layers.merge``: Keras 2's module of merging layers, and called, Keras 1's ``merge`` function."""

    def __call__(self, *args, **kwargs):
        return legacy_layers.merge(*args, **kwargs)


def _layers_ns(root):
    members = names_from(legacy_layers, legacy_layers.NAMES)
    members["Layer"] = _layers.Layer
    members["Input"] = tf_sparse.keras_input  # sparse=True / ragged=True refused clearly
    members.update(keras_utils_extra.LAYERS)  # keras.layers.serialize / deserialize
    sub = {m: (lambda m=m: Namespace(f"{root}.layers.{m}", members=members, sources=(_layers,), hints=_GONE,
                                     lazy={"preprocessing": sub["preprocessing"]} if m == "experimental" else None,
                                     module_files=True))
           for m in _LAYER_MODULES}  # (keras.layers.experimental.preprocessing: TF 2.3-2.5's preprocessing layers)
    members["merge"] = _MergeModule(f"{root}.layers.merge", members=members, sources=(_layers,), hints=_GONE)
    return Namespace(f"{root}.layers", "Keras layers, with the Keras 1 and 2 argument names.", members=members,
                     sources=(_layers,), lazy=sub, hints=_GONE)


# Keras 1 and 2 (up to 2.3) also named each optimizer class in lower case: keras.optimizers.rmsprop(lr=...)
_LOWER_CASE = {"sgd": "SGD", "rmsprop": "RMSprop", "adagrad": "Adagrad", "adadelta": "Adadelta", "adam": "Adam",
               "adamax": "Adamax", "nadam": "Nadam"}


def _optimizers_ns(root):
    aliases = {alias: getattr(_optimizers, cls) for alias, cls in _LOWER_CASE.items()}

    def legacy():
        return Namespace(f"{root}.optimizers.legacy", "Keras 2's optimizers (lr=, decay=).", members=aliases,
                         sources=(_optimizers,))
    return Namespace(f"{root}.optimizers", "Optimizers; lr= and decay= read as Keras 2 did.", members=aliases,
                     sources=(_optimizers,), lazy={"legacy": legacy,
                                                   "schedules": lambda: _optimizers.schedules},
                     module_files=True)  # keras.optimizers.adam, optimizer_v2.adam, experimental (tf.keras 2.9+)


def _callbacks_ns(root):
    members = names_from(legacy_callbacks, legacy_callbacks.NAMES)
    return Namespace(f"{root}.callbacks", "Callbacks; monitor='val_acc' and {val_acc} templates accepted.",
                     members=members, sources=(dendrite.callbacks,), lazy={"TensorBoard": legacy_callbacks.tensorboard},
                     module_files=True)  # Keras 2.3's keras.callbacks.callbacks


def _utils_ns(root):
    np_utils = Namespace(f"{root}.utils.np_utils", "Keras 2's np_utils.", sources=(_utils.np_utils,))
    members = dict(keras_utils_extra.UTILS, np_utils=np_utils)  # Keras 3's registration, Progbar, ... (breadth)
    members.update({name: keras3_api.CONFIG[name] for name in (  # Keras 3 serves these in keras.utils too
        "enable_interactive_logging", "disable_interactive_logging", "is_interactive_logging_enabled")})
    members.update(print_summary=_print_summary, count_params=_count_params)  # Keras 2's (keras.utils.layer_utils)
    return Namespace(f"{root}.utils", "Utilities.", members=members, sources=(_utils,),
                     lazy={"data_utils": lambda: Namespace(f"{root}.utils.data_utils", sources=(_utils,)),
                           "vis_utils": lambda: Namespace(f"{root}.utils.vis_utils", sources=(_utils,))},
                     module_files=True)  # generic_utils, layer_utils, io_utils, ...: keras.utils's names


def _print_summary(model, line_length=None, positions=None, print_fn=None):
    """Keras 2's ``keras.utils.print_summary(model)``: ``model.summary()``."""
    return model.summary(line_length=line_length, positions=positions, print_fn=print_fn)


def _count_params(weights):
    """Keras 2's ``layer_utils.count_params(weights)``: the number of values in the weights."""
    return sum(backend_k.count_params(w) for w in weights)


_K_NOT_SYMBOLIC = set("epsilon floatx set_floatx image_data_format set_image_data_format backend set_epsilon "
                      "clear_session image_dim_ordering set_image_dim_ordering learning_phase set_learning_phase "
                      "set_value get_value batch_get_value batch_set_value eval variable constant int_shape ndim "
                      "dtype function gradients placeholder".split()) | set(
    "is_keras_tensor is_tensor count_params get_uid reset_uids manual_variable_initialization get_session set_session "
    "name_scope update update_add update_sub moving_average_update random_uniform_variable random_normal_variable".split())


def _backend_ns(root):
    # the tensor functions, given a KerasTensor, become Lambda layers of the model as tf.keras 2 made them
    functions = dict(names_from(backend_k, backend_k.NAMES), **names_from(backend_k_extra, backend_k_extra.NAMES),
                     **names_from(ctc_tf, ctc_tf.K_NAMES))
    members = symbolic_members(functions, skip=_K_NOT_SYMBOLIC | {"rnn", "is_sparse", "in_top_k", "to_dense"})
    members.update({k: v for k, v in keras_utils_extra.BACKEND.items() if k not in members})
    return Namespace(f"{root}.backend", backend_k.__doc__, members=dict(members, Variable=keras3_api.KerasVariable),
                     module_files=True)  # Keras 2's keras.backend.tensorflow_backend


def _preprocessing_ns(root):
    from . import preprocessing
    from . import image_iterators
    from ..preprocessing import affine, skipgrams, timeseries
    image = Namespace(f"{root}.preprocessing.image", "Image loading and augmentation.",
                      members=dict(names_from(preprocessing, preprocessing.IMAGE_NAMES),
                                   Iterator=image_iterators.Iterator,
                                   **names_from(affine, affine.NAMES)))
    sequence = Namespace(f"{root}.preprocessing.sequence", "Sequence padding, time-series windows, skip-grams.",
                         members=dict(names_from(preprocessing, preprocessing.SEQUENCE_NAMES),
                                      TimeseriesGenerator=timeseries.TimeseriesGenerator,
                                      skipgrams=skipgrams.skipgrams, make_sampling_table=skipgrams.make_sampling_table))
    text = Namespace(f"{root}.preprocessing.text", "Keras 2's text preprocessing (Tokenizer).",
                     sources=(dendrite.preprocessing.text,))
    return Namespace(f"{root}.preprocessing", "Keras 2's preprocessing modules.",
                     members={"image": image, "sequence": sequence, "text": text}, sources=(_utils,))


_APP_MODULES = ("vgg16 vgg19 resnet resnet50 resnet_v2 mobilenet mobilenet_v2 densenet inception_v3 xception "
                "efficientnet imagenet_utils").split()
_APP_REFUSED = ("InceptionResNetV2 NASNetMobile NASNetLarge MobileNetV3Small MobileNetV3Large ConvNeXtTiny "
                "ConvNeXtSmall ConvNeXtBase ConvNeXtLarge ConvNeXtXLarge EfficientNetV2B0 EfficientNetV2B1 "
                "EfficientNetV2B2 EfficientNetV2B3 EfficientNetV2S EfficientNetV2M EfficientNetV2L "
                "inception_resnet_v2 nasnet mobilenet_v3 convnext efficientnet_v2").split()


def _applications(root):
    """keras.applications: dendrite.applications' builders, and each family's module (keras.applications.resnet50
    .preprocess_input, ...); the families dendrite does not build are refused by name."""
    from .. import applications
    sub = {m: (lambda m=m: Namespace(f"{root}.applications.{m}", sources=(getattr(applications, m),)))
           for m in _APP_MODULES if hasattr(applications, m)}
    hint = "dendrite builds VGG, ResNet (v1, v2), MobileNet (v1, v2), DenseNet, InceptionV3, Xception and " \
           "EfficientNet; build this network with keras.layers instead."
    return Namespace(f"{root}.applications", applications.__doc__, sources=(applications,), lazy=sub,
                     hints={n: hint for n in _APP_REFUSED})


def clone_model(model, input_tensors=None, clone_function=None, **kwargs):
    """``keras.models.clone_model``: a new model of the same architecture (Sequential or functional) with
    freshly initialized weights, built from the model's config as Keras does."""
    if input_tensors is not None or clone_function is not None:
        raise NotImplementedError("keras.models.clone_model: `input_tensors` and `clone_function` are not supported "
                                  "by dendrite's compatibility mode; clone the model as it is, then change it. See "
                                  "docs/compat.md.")
    if not isinstance(model, (dendrite.Sequential, dendrite.models.Functional)):
        raise ValueError(f"keras.models.clone_model: expected a Sequential or functional Model; received a "
                         f"{type(model).__name__}, a subclassed model, whose layers are built by its own code. "
                         "Make a new instance of the class instead.")
    return type(model).from_config(model.get_config())


_METRIC_FUNCTIONS = ("accuracy binary_accuracy categorical_accuracy sparse_categorical_accuracy "
                     "top_k_categorical_accuracy sparse_top_k_categorical_accuracy binary_crossentropy "
                     "categorical_crossentropy sparse_categorical_crossentropy categorical_hinge hinge squared_hinge "
                     "cosine_similarity kl_divergence kld KLD kullback_leibler_divergence log_cosh logcosh poisson "
                     "mean_absolute_error mae MAE mean_absolute_percentage_error mape MAPE mean_squared_error mse MSE "
                     "mean_squared_logarithmic_error msle MSLE").split()


def _legacy_constraints():
    """Keras 2's lower-case constraint names (``from keras.constraints import maxnorm``), each the class it
    was an alias of, with the one-time note for a renamed spelling."""
    from ._notes import renamed

    def alias(old, cls):
        def make(*args, **kwargs):
            renamed("keras.constraints", old, cls.__name__)
            return cls(*args, **kwargs)
        make.__name__ = make.__qualname__ = old
        return make
    c = dendrite.constraints
    return {"maxnorm": alias("maxnorm", c.MaxNorm), "nonneg": alias("nonneg", c.NonNeg),
            "unitnorm": alias("unitnorm", c.UnitNorm)}


def _legacy_regularizers():
    """``keras.regularizers.l1(l=...)`` / ``l2(l=...)``: Keras 2's argument name for the factor."""
    from ._notes import translate
    r = dendrite.regularizers

    def factor(fn, name):
        def make(*args, **kwargs):
            return fn(*args, **translate(f"keras.regularizers.{name}", kwargs, {"l": name}))
        make.__name__ = make.__qualname__ = name
        return make
    return {"l1": factor(r.l1, "l1"), "l2": factor(r.l2, "l2")}


def _metric_functions():
    """keras.metrics' functions giving Tensors, as TensorFlow's do (``tf.keras.metrics.mse(a, b).numpy()``);
    dendrite's accuracy functions give NumPy arrays (its loss-formula ones give Tensors already, and symbolic
    tensors given KerasTensors: tf.keras 2's VAE adds ``metrics.binary_crossentropy(x, x_hat)`` with add_loss).
    Each keeps the name (and attributes) compile and saving read."""
    import functools

    import numpy as np

    from ..autodiff import Tensor
    from ..layers.node import KerasTensor

    def as_tensor(fn):
        @functools.wraps(fn)
        def metric(*args, **kwargs):
            out = fn(*args, **kwargs)
            return out if isinstance(out, (Tensor, KerasTensor)) else Tensor(np.asarray(out))
        return metric
    return {name: as_tensor(getattr(dendrite.metrics, name)) for name in _METRIC_FUNCTIONS
            if callable(getattr(dendrite.metrics, name, None))}


def _engine_ns(root):
    """``keras.engine``: where Keras 2 kept Layer, InputSpec, Input, Model and Sequential (``keras.engine.topology``,
    ``base_layer``, ``training``, ``sequential``, ``input_layer``, ``network``, ...: one module here)."""
    return Namespace(f"{root}.engine", _engine_ns.__doc__, members={
        "Layer": _layers.Layer, "InputSpec": _layers.InputSpec, "Input": tf_sparse.keras_input,
        "InputLayer": _layers.InputLayer, "Model": dendrite.Model, "Sequential": dendrite.Sequential,
        "Network": dendrite.Model, "Functional": dendrite.Model, "KerasTensor": KerasTensor},
        module_files=True)


def build(root="keras"):
    """The keras namespace tree, rooted at the module name ``root``."""
    models = Namespace(f"{root}.models", "Models.", members={"Sequential": dendrite.Sequential,
                                                             "Model": dendrite.Model,
                                                             "clone_model": clone_model,
                                                             "Input": tf_sparse.keras_input},  # (Keras 2 had it)
                       sources=(dendrite.models,))
    simple = {name: Namespace(f"{root}.{name}", getattr(dendrite, name).__doc__, sources=(getattr(dendrite, name),),
                              members=_metric_functions() if name == "metrics" else
                              _legacy_constraints() if name == "constraints" else
                              _legacy_regularizers() if name == "regularizers" else None)
              for name in ("losses", "metrics", "regularizers", "initializers", "constraints", "activations")}
    lazy = {
        "layers": lambda: _layers_ns(root), "optimizers": lambda: _optimizers_ns(root),
        "callbacks": lambda: _callbacks_ns(root), "utils": lambda: _utils_ns(root),
        "backend": lambda: _backend_ns(root), "preprocessing": lambda: _preprocessing_ns(root),
        "applications": lambda: _applications(root),
        "datasets": lambda: Namespace(f"{root}.datasets", sources=(dendrite.datasets,)),
        "saving": lambda: Namespace(f"{root}.saving", sources=(dendrite.saving,), module_files=True),
        "engine": lambda: _engine_ns(root),
        "random": lambda: Namespace(f"{root}.random", sources=(dendrite.random,)),
        "wrappers": lambda: Namespace(f"{root}.wrappers", lazy={"scikit_learn": dendrite_module("wrappers.keras2", "keras.wrappers.scikit_learn")}),
        "ops": lambda: keras_ops.build(root),  # Keras 3's public keras.ops (dendrite/compat/keras_ops)
        "config": lambda: Namespace(f"{root}.config", "Keras 3's settings.", members=dict(keras3_api.CONFIG)),
        "Variable": lambda: keras3_api.KerasVariable,
        "mixed_precision": lambda: Namespace(
            f"{root}.mixed_precision", mixed_precision.__doc__, members=dict(mixed_precision.NAMES),
            lazy={"experimental": lambda: Namespace(f"{root}.mixed_precision.experimental",
                                                    members=dict(mixed_precision.EXPERIMENTAL))}),
        "dtype_policies": lambda: Namespace(f"{root}.dtype_policies", members={"DTypePolicy": mixed_precision.Policy,
                                                                                 "FloatDTypePolicy": mixed_precision.Policy}),
        "tree": lambda: Namespace(f"{root}.tree", keras3_tree.__doc__, members=dict(keras3_tree.NAMES)),
    }
    members = dict(simple, models=models, Sequential=dendrite.Sequential, Model=dendrite.Model,
                   Input=tf_sparse.keras_input, __version__=KERAS_VERSION, version=lambda: KERAS_VERSION,
                   # Keras 3's top-level names for the base classes and scopes
                   Loss=dendrite.losses.Loss, Metric=dendrite.metrics.Metric, Optimizer=dendrite.optimizers.Optimizer,
                   Initializer=dendrite.initializers.Initializer, Regularizer=dendrite.regularizers.Regularizer,
                   InputSpec=_layers.InputSpec, KerasTensor=KerasTensor, device=tf_runtime.device,
                   name_scope=tf_control.name_scope, DTypePolicy=mixed_precision.Policy,
                   FloatDTypePolicy=mixed_precision.Policy)
    ns = Namespace(root, "dendrite's Keras API in the shape of `keras` (compatibility mode).", members=members,
                   lazy=dict(lazy, **{"Layer": lambda: _layers.Layer}),
                   hints={"experimental": "keras.experimental (LinearModel, WideDeepModel) was removed in Keras 3."})
    ns.utils  # noqa: B018 - keras.utils is used by almost every program; build it now
    return ns
