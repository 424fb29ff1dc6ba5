"""The ``tensorflow``-shaped namespace: tensor functions (tensor_api), dtypes, ``nn``, ``math``, ``linalg``,
``random``, ``config``, ``function``, ``device``, ``distribute``, ``saved_model``, ``compat.v1``, ``version``
and ``keras`` (keras_tree). ``data``, ``io``, ``image``, ``strings``, ``train`` and ``summary`` come from the
dendrite modules that provide them, imported when first used, with a clear error where this dendrite has
none."""
from types import SimpleNamespace

from ..autodiff import Tensor
from ..io import sparse as _sparse
from ..layers.symbolic_ops import symbolic_members
from . import dtypes, nn, tensor_api, tf_debugging, tf_files, tf_hooks, tf_indexing, tf_math, tf_random, tf_runtime
from . import tf_control, tf_nest, tf_numpy
from .tf_tape import GradientTape
from .. import initializers as _initializers
from .tf_module import Module
from ._namespace import Namespace, dendrite_module, names_from

TF_VERSION = "2.16.1"


class TensorShape(tuple):
    """``tf.TensorShape([n, 1])``: a tuple (so it equals ``tensor.shape``) with ``as_list`` and ``rank``."""

    def __new__(cls, dims=()):
        return super().__new__(cls, () if dims is None else tuple(None if d is None else int(d) for d in dims))

    def as_list(self):
        return list(self)

    @property
    def rank(self):
        return len(self)

    ndims = rank

    @property
    def dims(self):
        return list(self)

    def is_fully_defined(self):
        return None not in self

    def num_elements(self):
        return None if None in self else int(__import__("math").prod(self))


_TF1 = "TensorFlow 1's graph mode (sessions, placeholders) is not part of dendrite; write the code eagerly."


_NOT_SYMBOLIC = {"is_tensor", "executing_eagerly", "print", "Variable", "function"}


def _symbolic(members):
    """``members`` whose functions build a Lambda layer when given a KerasTensor (layers/symbolic_ops), so
    ``tf.concat([a, b], 1)`` or ``tf.nn.relu(x)`` work inside a functional model as in tf.keras."""
    return symbolic_members(members, _NOT_SYMBOLIC)


def build(keras):
    top = names_from(tensor_api, tensor_api.NAMES)
    top.update(names_from(tf_indexing, tf_indexing.NAMES))
    top = tf_hooks.named(_symbolic(top))  # KerasTensors make Lambda layers; name= records for the session hooks
    top.update(names_from(dtypes, dtypes.NAMES))
    math_members = dict(top, **tf_hooks.named(_symbolic(names_from(tf_math, tf_math.MATH_NAMES))))
    math_members.update(_symbolic(dict(softmax=nn.softmax, log_softmax=nn.log_softmax, l2_normalize=nn.l2_normalize)))
    v1 = Namespace("tensorflow.compat.v1", "TensorFlow 1 pieces beginner code touches.",
                   members=dict(top, **{k: v for k, v in tf_runtime.V1.items() if v is not None},
                                set_random_seed=tf_random.set_seed),
                   hints={"Session": _TF1, "placeholder": _TF1, "global_variables_initializer": _TF1},
                   lazy=dict({n: dendrite_module("estimator.v1", f"tf.compat.v1.{n}", n)
                              for n in ("train", "losses", "metrics", "layers")},
                             estimator=dendrite_module("estimator", "tf.compat.v1.estimator"),
                             feature_column=dendrite_module("feature_column", "tf.compat.v1.feature_column")))
    compat = Namespace("tensorflow.compat", members={"v1": v1})
    lazy = {name: dendrite_module(name, f"tf.{name}") for name in ("data", "io", "image", "strings", "train")}
    lazy["train"] = tf_hooks.train_namespace  # dendrite.train's messages with the session hooks
    lazy["summary"] = dendrite_module("summary", "tf.summary")
    lazy.update(estimator=dendrite_module("estimator", "tf.estimator"),
                feature_column=dendrite_module("feature_column", "tf.feature_column"))
    lazy["distribute"] = dendrite_module("distribute", "tf.distribute")  # MPI data parallelism (dendrite.distribute)
    lazy["decode_raw"] = dendrite_module("io", "tf.decode_raw", "decode_raw")
    members = dict(
        top, nn=Namespace("tensorflow.nn", nn.__doc__, members=tf_hooks.named(_symbolic(names_from(nn, nn.NAMES)))),
        math=Namespace("tensorflow.math", tf_math.__doc__, members=math_members),
        linalg=Namespace("tensorflow.linalg", members=_symbolic(dict(tf_math.LINALG, l2_normalize=nn.l2_normalize))),
        random=Namespace("tensorflow.random", tf_random.__doc__, members=names_from(tf_random, tf_random.NAMES)),
        config=Namespace("tensorflow.config", members=tf_runtime.CONFIG),
        saved_model=Namespace("tensorflow.saved_model", members=tf_runtime.SAVED_MODEL),
        compat=compat, keras=keras, dtypes=Namespace("tensorflow.dtypes", members=dict(
            names_from(dtypes, dtypes.NAMES), as_dtype=dtypes.as_dtype, DType=dtypes.DType, cast=tensor_api.cast)),
        autograph=tf_runtime.AUTOGRAPH, version=SimpleNamespace(VERSION=TF_VERSION, VERSION_INFO=TF_VERSION),
        function=tf_runtime.function, device=tf_runtime.device, get_logger=tf_runtime.get_logger,
        debugging=Namespace("tensorflow.debugging", tf_debugging.__doc__,
                            members=names_from(tf_debugging, tf_debugging.NAMES)),
        errors=Namespace("tensorflow.errors", "TensorFlow's error classes, as the Python errors dendrite raises.",
                         members=dict(InvalidArgumentError=ValueError, OutOfRangeError=StopIteration,
                                      NotFoundError=FileNotFoundError, UnimplementedError=NotImplementedError,
                                      ResourceExhaustedError=MemoryError, OpError=Exception)),
        SparseTensor=_sparse.SparseTensor,
        sparse=Namespace("tensorflow.sparse", "SparseTensor and its dense conversions (dendrite.io.sparse).",
                         members=dict(SparseTensor=_sparse.SparseTensor, from_dense=_sparse.from_dense,
                                      to_dense=lambda sp_input, default_value=None, validate_indices=True, name=None:
                                      Tensor(_sparse.to_dense(sp_input, default_value)))),
        TensorSpec=tf_runtime.TensorSpec, UnconnectedGradients=tf_runtime.UnconnectedGradients, Module=Module,
        GradientTape=GradientTape, Tensor=Tensor, TensorShape=TensorShape, DType=dtypes.DType,
        as_dtype=dtypes.as_dtype, eye=tf_math.eye, norm=tf_math.norm, sign=tf_math.sign, round=tf_math.round,
        __version__=TF_VERSION, truncated_normal=tf_random.truncated_normal, random_normal=tf_random.normal,
        random_uniform=tf_random.uniform, set_random_seed=tf_random.set_seed,
        python=Namespace("tensorflow.python", members={"keras": keras}),
        losses=keras.losses, metrics=keras.metrics, optimizers=keras.optimizers, initializers=keras.initializers,
    )
    members.update(names_from(tf_control, tf_control.NAMES))  # control flow, custom_gradient, TensorArray, clipping
    members.update(tf_hooks.named(_symbolic(names_from(tf_math, tf_math.TOP_NAMES))))
    members["math"].mod = tf_math.floormod
    members["types"] = tf_runtime.TYPES
    members["experimental"] = Namespace("tensorflow.experimental", lazy={"numpy": tf_numpy.build})
    members["nest"] = Namespace("tensorflow.nest", tf_nest.__doc__, members=names_from(tf_nest, tf_nest.NAMES))
    members["linalg"].global_norm = tf_control.global_norm
    for key, value in tf_math.LINALG_MORE.items():  # band_part, the factorisations, lstsq, ...
        setattr(members["linalg"], key, value)
    members["nn"].depth_to_space, members["nn"].space_to_depth = tf_indexing.depth_to_space, tf_indexing.space_to_depth
    members.update(zeros_initializer=_initializers.Zeros, ones_initializer=_initializers.Ones,  # TF 2's names
                   constant_initializer=_initializers.Constant, random_normal_initializer=_initializers.RandomNormal,
                   random_uniform_initializer=_initializers.RandomUniform)
    members["compat"].v2 = None  # filled below: tf.compat.v2 is tf itself
    tf = Namespace("tensorflow", "dendrite in the shape of TensorFlow 2 (compatibility mode).", members=members,
                   lazy=lazy, hints={"Session": _TF1, "placeholder": _TF1, "layers": "tf.layers is TensorFlow 1; "
                                     "use tf.keras.layers.",
                                     "contrib": "tf.contrib was removed in TensorFlow 2."})
    compat.v2 = tf
    tf._lazy.update(tf_files.LAZY)  # tf.data and tf.io reading URLs from --data-dir, tf.io.gfile
    return tf
