"""The ``tensorflow``-shaped namespace: tensor functions (tensor_api), dtypes, ``nn``, ``math``, ``linalg``,
``random``, ``config``, ``function``, ``device``, ``distribute``, ``saved_model``, ``compat.v1``, ``version``
and ``keras`` (keras_tree). ``data``, ``io``, ``image``, ``strings``, ``train`` and ``summary`` come from the
dendrite modules that provide them, imported when first used, with a clear error where this dendrite has
none."""
import time
from types import SimpleNamespace

import numpy as np

from ..autodiff import Tensor
from ..data.iterator import Optional as _Optional
from ..io import sparse as _sparse
from ..layers.symbolic_ops import symbolic_members
from . import dtypes, nn, tensor_api, tf_debugging, tf_files, tf_hooks, tf_indexing, tf_math, tf_random, tf_runtime
from . import tf_devices, tf_image, tf_ragged, tf_ragged_ops, tf_random_generator, tf_saved_model, tf_strings
from . import tf_nest, tf_numpy, tf_session, tf_sparse
from . import tf_autograph
from . import tensor_refs, tf_errors, tf_queue, tf_sets, tf_test
from .tf_tape import GradientTape
from .. import initializers as _initializers
from .tf_module import Module
from . import ctc_tf, tf_control, tf_image_extra, tf_linalg, tf_math_extra, tf_nn_3d, tf_nn_extra
from . import tf_arguments, tf_audio, tf_signal
from . import tf_lite_converter, tf_lite_interpreter
from . import tf_graph, tf_graph_defer, tf_graph_saver, tf_graph_train, tf_summary_v1, tf_v1_names
from ._namespace import Namespace, dendrite_module, names_from

TF_VERSION = "2.16.1"


class TensorShape(tuple):
    """``tf.TensorShape([n, 1])``: a tuple (so it equals ``tensor.shape``) with ``as_list`` and ``rank``."""

    _unknown = False  # TensorShape(None): the rank itself unknown (an empty tuple that says so)

    def __new__(cls, dims=()):
        if dims is None:
            shape = super().__new__(cls, ())
            shape._unknown = True
            return shape
        return super().__new__(cls, tuple(None if d is None else int(d) for d in dims))

    def as_list(self):
        if self._unknown:
            raise ValueError("as_list() is not defined on an unknown TensorShape.")
        return list(self)

    @property
    def rank(self):
        return None if self._unknown else len(self)

    def __str__(self):
        return "<unknown>" if self._unknown else tuple.__repr__(self)

    def __repr__(self):  # TF's: what a notebook shows for ``t.shape`` as a cell's last expression
        return "TensorShape(None)" if self._unknown else f"TensorShape({list(self)})"

    ndims = rank

    @property
    def dims(self):
        return list(self)

    def is_fully_defined(self):
        return not self._unknown and None not in self

    def num_elements(self):
        return None if self._unknown or None in self else int(__import__("math").prod(self))


_TF1 = ("dendrite runs TensorFlow 1's graphs (placeholders, Session.run, optimizers' minimize) but not this "
        "part of TensorFlow 1's graph machinery; write the code eagerly.")


_TF2_PLACEHOLDER = ("TensorFlow 2 has no tf.placeholder: use tf.compat.v1.placeholder after "
                    "tf.compat.v1.disable_eager_execution() (TensorFlow 1's graph mode, run by tf.compat.v1.Session), "
                    "or pass the arrays to the functions directly.")


_TF1_META = ("dendrite's graphs are Python objects, not GraphDef protocol buffers, so a meta graph cannot be "
             "exported on its own (Saver.save writes the variables' list as <prefix>.meta, which import_meta_graph "
             "reads): rebuild the graph in Python and restore the variables with tf.compat.v1.train.Saver.restore.")


def _v1_part(name):
    """A loader of ``tf.compat.v1.<name>`` (train, losses, metrics, layers): the TF 1 pieces an Estimator's
    model_fn uses (dendrite.estimator.v1), as a Namespace, so that TF 1's graph machinery (savers, meta
    graphs) is refused as every API outside the table is."""
    def load():
        part = dendrite_module("estimator.v1", f"tf.compat.v1.{name}", name)()
        members = vars(part)
        if name == "train":  # graph-mode training (tf_graph_train), the Saver, TensorFlow 1's train functions
            members = dict(tf_graph_train.graph_optimizers(members), Saver=tf_graph_saver.Saver,
                           import_meta_graph=tf_graph_saver.import_meta_graph, **tf_v1_names.train_members())
        if name == "metrics":  # (value, update_op) pairs on deferred tensors
            members = tf_graph_train.graph_metrics(members)
        space = Namespace(
            f"tensorflow.compat.v1.{name}", members=members,
            hints={"export_meta_graph": _TF1_META,
                   "MonitoredTrainingSession": _TF1})
        return space if name == "metrics" else tf_graph_defer.defer_namespace(space)
    return load


_NOT_SYMBOLIC = {"is_tensor", "executing_eagerly", "print", "Variable", "function"}


def _symbolic(members):
    """``members`` whose functions build a Lambda layer when given a KerasTensor (layers/symbolic_ops), so
    ``tf.concat([a, b], 1)`` or ``tf.nn.relu(x)`` work inside a functional model as in tf.keras."""
    return symbolic_members(members, _NOT_SYMBOLIC)


def tf_lite_namespace(name):
    """``tf.lite``: the converter and interpreter of dendrite's own model container (not TFLite's format)."""
    c = tf_lite_converter
    return Namespace(name, c.__doc__, members=dict(
        TFLiteConverter=c.TFLiteConverter, Interpreter=tf_lite_interpreter.Interpreter, Optimize=c.Optimize,
        OpsSet=c.OpsSet, TargetSpec=c.TargetSpec, RepresentativeDataset=c.RepresentativeDataset),
        hints={"experimental": "tf.lite.experimental (the analyzer, delegates, authoring) needs TensorFlow Lite."})


def _timestamp(name=None):
    """``tf.timestamp()``: seconds since the epoch, a float64 scalar Tensor."""
    return Tensor(np.asarray(time.time(), dtype=np.float64))


def _as_string(input, *args, **kwargs):  # noqa: A002 - TensorFlow's name
    return tf_strings.namespace().as_string(input, *args, **kwargs)


def _tensor_util():
    try:
        from tensorboard.util import tensor_util
    except ImportError:
        raise NotImplementedError("tf.make_tensor_proto / tf.make_ndarray use TensorBoard's TensorProto: install "
                                  "the tensorboard package (pip install tensorboard), or see docs/compat.md.") from None
    return tensor_util


def _make_tensor_proto(values, dtype=None, shape=None, verify_shape=False, allow_broadcast=False):
    """``tf.make_tensor_proto``: a TensorProto of ``values`` (TensorBoard's own message and converter, as
    TensorBoard's plugins, the hparams API among them, expect)."""
    values = getattr(values, "value", values)
    dtype = None if dtype is None else np.dtype(getattr(dtype, "as_numpy_dtype", dtype))
    if allow_broadcast and shape is not None:  # a scalar or length-1 vector filling ``shape``
        values = np.broadcast_to(np.asarray(values, dtype), tuple(shape))
    return _tensor_util().make_tensor_proto(values, dtype=dtype, shape=shape, verify_shape=verify_shape)


def _summary_proto(name):
    """A loader of ``tf.compat.v1.Summary`` / ``SummaryMetadata``: TensorBoard's messages (what its plugins,
    the hparams API among them, build and hand to write_raw_pb)."""
    def load():
        _tensor_util()  # the same extra, refused with the same message when missing
        from tensorboard.compat.proto import summary_pb2
        return getattr(summary_pb2, name)
    return load


def _make_ndarray(tensor):
    """``tf.make_ndarray``: the NumPy array a TensorProto holds."""
    return _tensor_util().make_ndarray(tensor)


def build(keras):
    tf_devices.reset()  # one CPU device again in a fresh install
    top = names_from(tensor_api, tensor_api.NAMES)
    top.update(names_from(tf_indexing, tf_indexing.NAMES))
    top.update(_symbolic(names_from(tf_math_extra, tf_math_extra.TOP_NAMES)))  # tf.sin, tf.cumsum, ... (breadth)
    top = tf_hooks.named(_symbolic(top))  # KerasTensors make Lambda layers; name= records for the session hooks
    top = tf_ragged_ops.dispatch(top)  # RaggedTensor arguments of the reductions, concat and elementwise functions
    top.update(names_from(tf_control, tf_control.NAMES))  # tf.cond, tf.while_loop, tf.TensorArray, ... (breadth)
    top.update({n: getattr(tf_debugging, n) for n in "assert_equal assert_less assert_greater assert_rank "
                "assert_rank_at_least assert_rank_in assert_scalar assert_integer Assert".split()})
    top.update(names_from(dtypes, dtypes.NAMES))
    math_members = dict(top, **tf_hooks.named(_symbolic(names_from(tf_math, tf_math.MATH_NAMES))))
    math_members.update(_symbolic(dict(softmax=nn.softmax, log_softmax=nn.log_softmax, l2_normalize=nn.l2_normalize)))
    math_members.update(_symbolic(names_from(tf_math_extra, tf_math_extra.MATH_NAMES)))  # (breadth)
    math_members.update(_symbolic(names_from(tf_signal, tf_signal.MATH_NAMES)))  # complex parts, differentiable
    math_members = tf_ragged_ops.dispatch(math_members)
    tf_graph.set_enabled(False)  # eager again in a fresh install, with an empty default graph
    tf_graph.reset_default_graph()
    v1 = Namespace("tensorflow.compat.v1", "TensorFlow 1 pieces beginner code touches.",
                   members=dict(top, **{k: v for k, v in tf_runtime.V1.items() if v is not None},
                                set_random_seed=tf_random.set_seed, **tf_session.V1,
                                **tf_graph_train.v1_members(), Graph=tf_graph.Graph,
                                get_default_graph=tf_graph.get_default_graph),
                   lazy=dict({n: _v1_part(n) for n in ("train", "losses", "metrics", "layers")},
                             estimator=dendrite_module("estimator", "tf.compat.v1.estimator"),
                             feature_column=dendrite_module("feature_column", "tf.compat.v1.feature_column"),
                             Summary=_summary_proto("Summary"),
                             SummaryMetadata=_summary_proto("SummaryMetadata")))
    v1.keras = keras  # tf.compat.v1.keras.backend.set_session(...)
    v1.lite = tf_lite_namespace("tensorflow.compat.v1.lite")  # (TFLiteConverter.from_keras_model_file)
    compat = Namespace("tensorflow.compat", members={"v1": v1})
    lazy = {name: dendrite_module(name, f"tf.{name}") for name in ("data", "io", "image", "strings", "train")}
    lazy["train"] = tf_hooks.train_namespace  # dendrite.train's messages with the session hooks
    lazy["summary"] = dendrite_module("summary", "tf.summary")
    lazy["strings"] = tf_strings.namespace  # Tensors in and out, RaggedTensors for ragged results
    # Tensors in and out; on a GradientTape, ops without a gradient; the breadth functions carry theirs
    lazy["image"] = lambda: tf_image.namespace(names_from(tf_image_extra, tf_image_extra.NAMES))
    lazy.update(estimator=dendrite_module("estimator", "tf.estimator"),
                feature_column=dendrite_module("feature_column", "tf.feature_column"))
    lazy["distribute"] = dendrite_module("distribute", "tf.distribute")  # MPI data parallelism (dendrite.distribute)
    lazy["decode_raw"] = lambda: tf_strings.tensors_in_out(dendrite_module("io", "tf.decode_raw", "decode_raw")())
    nn_members = tf_hooks.named(_symbolic(dict(
        names_from(nn, nn.NAMES), **names_from(tf_nn_extra, tf_nn_extra.NAMES),
        **names_from(tf_nn_3d, tf_nn_3d.NAMES), **names_from(ctc_tf, ctc_tf.TF_NAMES))))
    v1.nn = Namespace("tensorflow.compat.v1.nn", nn.__doc__,  # tf.nn with TF 1's CTC (SparseTensor labels)
                      members=dict(nn_members, **tf_hooks.named(_symbolic(ctc_tf.V1_NN))))
    members = dict(
        top, nn=Namespace("tensorflow.nn", nn.__doc__, members=nn_members),
        math=Namespace("tensorflow.math", tf_math.__doc__, members=math_members),
        experimental=Namespace("tensorflow.experimental", members={"Optional": _Optional},
                               lazy={"numpy": tf_numpy.build}),
        linalg=Namespace("tensorflow.linalg", members=_symbolic(dict(tf_math.LINALG, l2_normalize=nn.l2_normalize,
                                                                     **tf_linalg.LINALG))),
        random=Namespace("tensorflow.random", tf_random.__doc__, members=dict(
            names_from(tf_random, tf_random.NAMES), **tf_random_generator.MEMBERS, experimental=Namespace(
                "tensorflow.random.experimental", members=tf_random_generator.EXPERIMENTAL))),
        config=Namespace("tensorflow.config", members=dict(
            tf_runtime.CONFIG, **tf_devices.CONFIG, experimental=tf_devices.experimental(tf_runtime.experimental))),
        saved_model=Namespace("tensorflow.saved_model", tf_saved_model.__doc__, members=tf_saved_model.SAVED_MODEL),
        lite=tf_lite_namespace("tensorflow.lite"),
        compat=compat, keras=keras, dtypes=Namespace("tensorflow.dtypes", members=dict(
            names_from(dtypes, dtypes.NAMES), as_dtype=dtypes.as_dtype, DType=dtypes.DType, cast=tensor_api.cast)),
        autograph=tf_autograph.namespace(), version=SimpleNamespace(VERSION=TF_VERSION, VERSION_INFO=TF_VERSION),
        function=tf_runtime.function, device=tf_runtime.device, get_logger=tf_runtime.get_logger,
        debugging=Namespace("tensorflow.debugging", tf_debugging.__doc__,
                            members=names_from(tf_debugging, tf_debugging.NAMES)),
        errors=Namespace("tensorflow.errors", "TensorFlow's error classes, as the Python errors dendrite raises.",
                         members=tf_errors.ERRORS),
        SparseTensor=tf_sparse.SparseTensor, sparse=tf_sparse.namespace(), IndexedSlices=tf_sparse.IndexedSlices,
        RaggedTensor=tf_ragged.RaggedTensor, ragged=Namespace("tensorflow.ragged", tf_ragged.__doc__,
                                                             members=tf_ragged_ops.RAGGED),
        TensorSpec=tf_runtime.TensorSpec, UnconnectedGradients=tf_runtime.UnconnectedGradients, Module=Module,
        **tensor_refs.NAMES, test=Namespace("tensorflow.test", tf_test.__doc__, members=tf_test.members()),
        GradientTape=GradientTape, Tensor=Tensor, TensorShape=TensorShape, DType=dtypes.DType,
        as_dtype=dtypes.as_dtype, eye=tf_math.eye, norm=tf_math.norm, sign=tf_math.sign, round=tf_math.round,
        __version__=TF_VERSION, truncated_normal=tf_random.truncated_normal, random_normal=tf_random.normal,
        random_uniform=tf_random.uniform, set_random_seed=tf_random.set_seed,
        python=Namespace("tensorflow.python", members={"keras": keras, "ops": Namespace(
            "tensorflow.python.ops", members={"control_flow_util": tf_autograph.control_flow_util()}),
            "client": Namespace("tensorflow.python.client", members={"device_lib": Namespace(
                "tensorflow.python.client.device_lib",
                members={"list_local_devices": tf_session.list_local_devices})}),
            "platform": Namespace("tensorflow.python.platform", members={"tf_logging": Namespace(  # tf.compat.v1.logging
                "tensorflow.python.platform.tf_logging",
                members=dict(vars(tf_runtime.V1["logging"]), get_logger=tf_runtime.get_logger))})}),
        sysconfig=Namespace("tensorflow.sysconfig", members={"get_build_info": tf_session.get_build_info}),
        losses=keras.losses, metrics=keras.metrics, optimizers=keras.optimizers, initializers=keras.initializers,
    )
    # what the functions above do not already give
    members.update({k: v for k, v in tf_hooks.named(_symbolic(names_from(tf_math, tf_math.TOP_NAMES))).items()
                    if k not in members})
    members["math"].mod = members["math"].floormod = tf_math.floormod  # (differentiable in x)
    members["types"] = tf_runtime.TYPES
    members.update(timestamp=_timestamp, as_string=_as_string, make_tensor_proto=_make_tensor_proto,
                   make_ndarray=_make_ndarray)
    members["signal"] = Namespace("tensorflow.signal", tf_signal.__doc__,
                                  members=tf_hooks.named(_symbolic(names_from(tf_signal, tf_signal.NAMES))))
    members.update(tf_hooks.named(_symbolic(dict(complex=tf_signal.complex))))
    members["nest"] = Namespace("tensorflow.nest", tf_nest.__doc__, members=names_from(tf_nest, tf_nest.NAMES))
    for key, value in tf_math.LINALG_MORE.items():  # band_part, the factorisations, lstsq, ...
        if key not in members["linalg"].__all__:
            setattr(members["linalg"], key, value)
    for key in ("depth_to_space", "space_to_depth"):  # (these check the block size)
        setattr(members["nn"], key, getattr(tf_indexing, key))
    members.update({k: v for k, v in dict(  # TF 2's names
        zeros_initializer=_initializers.Zeros, ones_initializer=_initializers.Ones,
        constant_initializer=_initializers.Constant, random_normal_initializer=_initializers.RandomNormal,
        random_uniform_initializer=_initializers.RandomUniform).items() if k not in members})
    members.update(tf_hooks.named(_symbolic(dict(  # an IndexedSlices densely, a SparseTensor refused
        convert_to_tensor=tf_sparse.convert_to_tensor))))
    members["compat"].v2 = None  # filled below: tf.compat.v2 is tf itself
    members.update(tf_session.V1)  # TF 1's names, which Keras 2 scripts use to configure the GPU (tf.ConfigProto)
    tf = Namespace("tensorflow", "dendrite in the shape of TensorFlow 2 (compatibility mode).", members=members,
                   lazy=lazy, hints={"placeholder": _TF2_PLACEHOLDER, "layers": "tf.layers is TensorFlow 1; "
                                     "use tf.keras.layers.",
                                     "contrib": "tf.contrib was removed in TensorFlow 2."})
    compat.v2 = tf
    tf._lazy.update(sets=tf_sets.namespace, queue=tf_queue.namespace)  # (tf.sets, tf.queue)
    tf._lazy.update(audio=tf_audio.namespace)
    v1._lazy.update(sets=tf_sets.namespace_v1, queue=tf_queue.namespace)
    tf._lazy.update(tf_files.LAZY)  # tf.data and tf.io reading URLs from --data-dir, tf.io.gfile
    tf = tf_arguments.adapt_tree(tf)  # TensorFlow's parameters where dendrite's functions differ
    tf.Graph, tf.gradients = tf_graph.Graph, tf_graph_train.gradients
    for space in (tf, tf.math, tf.nn, tf.linalg, tf.random, tf.signal, tf.dtypes, v1, v1.nn):
        tf_graph_defer.defer_namespace(space)  # TensorFlow 1's graph mode: functions of deferred tensors defer
    tf_v1_names.attach(tf, v1)  # TensorFlow 1's spellings (tf.random_normal, tf.to_float, ...)
    v1._lazy["summary"] = tf_summary_v1.namespace  # TensorFlow 1's summaries and FileWriter
    v1._lazy["data"] = lambda: Namespace("tensorflow.compat.v1.data", members=tf_v1_names.data_members(),
                                         sources=(tf.data,))
    return tf
