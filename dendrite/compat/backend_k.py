"""``keras.backend`` (imported as ``K``): the session, layout and dtype settings, and the tensor functions
Keras 2 code calls through K, on dendrite tensors. ``K.set_value(model.optimizer.lr, 0.01)`` sets an
optimizer's learning rate; ``K.function`` runs a model built between the given symbolic tensors."""
import builtins

import numpy as np

from .. import backend as _backend
from ..autodiff import Tensor, Variable as _Variable, ops
from ..layers import base as _layer_base
from . import tensor_api as T
from ._notes import note, unsupported
from ._patches import LearningRate
from .tf_session import get_session, set_session  # noqa: F401 - K's: a Session kept for Keras 2's GPU set-up

epsilon = _backend.epsilon
floatx = _backend.floatx
set_floatx = _backend.set_floatx
image_data_format = _backend.image_data_format
set_image_data_format = _backend.set_image_data_format


def backend():
    """'tensorflow': programs ask to choose channel orders and code paths, and dendrite follows TensorFlow's."""
    return "tensorflow"


def set_epsilon(value):
    raise unsupported("keras.backend.set_epsilon", "dendrite's fuzz factor is fixed at 1e-7 (K.epsilon()).")


def clear_session(free_memory=True):
    """Forget layer-name counters (so names restart at dense, dense_1, ...), as Keras does."""
    _layer_base.reset_names()


def image_dim_ordering():
    return "tf" if image_data_format() == "channels_last" else "th"


def set_image_dim_ordering(ordering):
    if ordering not in ("tf", "th"):
        raise ValueError(f"set_image_dim_ordering: expected 'tf' or 'th'; received {ordering!r}.")
    note(("K", "dim_ordering"), "K.set_image_dim_ordering is Keras 1; dendrite reads 'tf' as channels_last and "
                                "'th' as channels_first.")
    set_image_data_format("channels_last" if ordering == "tf" else "channels_first")


def learning_phase():
    return 0


def set_learning_phase(value):
    note(("K", "learning_phase"), "K.set_learning_phase is ignored: layers read training= from fit/predict.")


def set_value(x, value):
    if isinstance(x, LearningRate):
        x.optimizer.learning_rate = float(np.asarray(value))
    elif isinstance(x, _Variable):
        x.assign(np.asarray(value, dtype=x.dtype))
    else:
        raise TypeError(f"K.set_value: expected a variable (or model.optimizer.lr); received {type(x).__name__}. "
                        "To change a learning rate, pass model.optimizer.lr.")


def get_value(x):
    if isinstance(x, float):
        return float(x)
    return np.asarray(x.value if isinstance(x, Tensor) else x)


def batch_get_value(xs):
    return [get_value(x) for x in xs]


def batch_set_value(pairs):
    for x, v in pairs:
        set_value(x, v)


eval = get_value  # noqa: A001 - Keras's name


def variable(value, dtype=None, name=None, constraint=None):
    return T.Variable(np.asarray(value, dtype=dtype or floatx()), name=name)


def constant(value, dtype=None, shape=None, name=None):
    return T.constant(value, dtype=dtype or floatx(), shape=shape)


def int_shape(x):
    shape = getattr(x, "shape", None)
    if shape is None:
        raise TypeError(f"K.int_shape: expected a tensor or an array; received {type(x).__name__}.")
    return tuple(None if s is None else int(s) for s in shape)


def shape(x):
    return T.shape(x)


def ndim(x):
    return len(int_shape(x))


def dtype(x):
    return np.dtype(x.dtype).name


def zeros(shape, dtype=None, name=None):
    return T.Variable(np.zeros(shape, dtype=dtype or floatx()), name=name)


def ones(shape, dtype=None, name=None):
    return T.Variable(np.ones(shape, dtype=dtype or floatx()), name=name)


def _red(fn):
    def f(x, axis=None, keepdims=False):
        return fn(x, axis=axis, keepdims=keepdims)
    f.__name__ = fn.__name__
    return f


mean, sum, max, min, prod = (_red(T.reduce_mean), _red(T.reduce_sum), _red(T.reduce_max),  # noqa: A001
                             _red(T.reduce_min), _red(T.reduce_prod))
std, var = _red(T.reduce_std), _red(T.reduce_variance)
square, sqrt, exp, log, abs, sigmoid, tanh = T.square, T.sqrt, T.exp, T.log, T.abs, T.sigmoid, T.tanh  # noqa: A001
maximum, minimum, pow, equal, cast = T.maximum, T.minimum, T.pow, T.equal, T.cast  # noqa: A001
reshape, transpose, stack, gather, expand_dims, squeeze = (T.reshape, T.transpose, T.stack, T.gather,
                                                           T.expand_dims, T.squeeze)
one_hot, tile = T.one_hot, T.tile


def clip(x, min_value, max_value):
    return T.clip_by_value(x, min_value, max_value)


def round(x):  # noqa: A001
    return Tensor(np.round(T._t(x).value))


def argmax(x, axis=-1):
    return T.argmax(x, axis=axis)


def argmin(x, axis=-1):
    return T.argmin(x, axis=axis)


def relu(x, alpha=0.0, max_value=None, threshold=0.0):
    out = ops.relu(T._t(x)) if alpha == 0 else ops.leaky_relu(T._t(x), alpha)
    return out if max_value is None else ops.clip(out, 0.0, max_value)


def softmax(x, axis=-1):
    return ops.softmax(T._t(x), axis=axis)


def dot(x, y):
    """Keras's dot: the last axis of ``x`` with the second-to-last of ``y`` (a matrix product for 2-D)."""
    x, y = T._t(x), T._t(y)
    if y.ndim <= 2:
        return ops.matmul(x, y)
    return T.tensordot(x, y, axes=[[x.ndim - 1], [y.ndim - 2]])


def batch_dot(x, y, axes=None):
    """Per-sample dot product of two batches along ``axes`` (default: last of x, second-to-last of y, or the
    last of both for 2-D inputs), keeping a trailing axis of 1 for 2-D inputs as Keras does."""
    x, y = T._t(x), T._t(y)
    if axes is None:
        axes = (x.ndim - 1, y.ndim - 1 if y.ndim == 2 else y.ndim - 2)
    if isinstance(axes, int):
        axes = (axes, axes)
    ax, ay = [a % t.ndim for a, t in zip(axes, (x, y))]
    if x.ndim == 2 and y.ndim == 2:
        return ops.sum(ops.multiply(x, y), axis=1, keepdims=True)
    xs = ops.transpose(x, tuple(i for i in range(x.ndim) if i != ax) + (ax,))
    yperm = (0, ay) + tuple(i for i in range(1, y.ndim) if i != ay)
    ys = ops.transpose(y, yperm)
    if ys.ndim > 2:
        ys_mat = ops.reshape(ys, (ys.shape[0], ys.shape[1], -1))
    else:
        ys_mat = ops.reshape(ys, ys.shape + (1,))
    xs_mat = ops.reshape(xs, (xs.shape[0], -1, xs.shape[-1]))
    out = ops.matmul(xs_mat, ys_mat)
    return ops.reshape(out, xs.shape[:-1] + ys.shape[2:])


def concatenate(tensors, axis=-1):
    return T.concat(tensors, axis=axis)


def flatten(x):
    return T.reshape(x, [-1])


def batch_flatten(x):
    x = T._t(x)
    return ops.reshape(x, (x.shape[0], -1))


def permute_dimensions(x, pattern):
    return T.transpose(x, pattern)


def l2_normalize(x, axis=None):
    """Keras 2's K.l2_normalize: tf.nn.l2_normalize (every axis when ``axis`` is None)."""
    from .nn import l2_normalize as tf_l2_normalize
    return tf_l2_normalize(x, axis=axis)


def random_normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    from . import tf_random
    return tf_random.normal(shape, mean, stddev, dtype or floatx(), seed)


def random_uniform(shape, minval=0.0, maxval=1.0, dtype=None, seed=None):
    from . import tf_random
    return tf_random.uniform(shape, minval, maxval, dtype or floatx(), seed)


def categorical_crossentropy(target, output, from_logits=False, axis=-1):
    from ..losses import categorical_crossentropy as cce
    return cce(target, output, from_logits=from_logits, axis=axis)


def binary_crossentropy(target, output, from_logits=False):
    from ..losses import binary_crossentropy as bce
    return bce(target, output, from_logits=from_logits)


def function(inputs, outputs, updates=None, name=None, **kwargs):
    """``K.function([model.input], [layer.output])``: a callable that runs the graph between the symbolic
    tensors on a list of arrays and returns the outputs as a list of arrays. Keras 2's
    ``K.function([model.input, K.learning_phase()], ...)`` (its FAQ's intermediate outputs) takes the phase's
    value with the arrays: 1 runs the layers in training mode (dropout on), 0 in inference mode."""
    from ..models import Model
    single = not isinstance(outputs, (list, tuple))
    ins = list(inputs) if isinstance(inputs, (list, tuple)) else [inputs]
    phase = [i for i, t in enumerate(ins) if isinstance(t, int)]  # K.learning_phase() (an int, as in Keras 2)
    tensors = [t for i, t in enumerate(ins) if i not in phase]
    model = Model(inputs=tensors if len(tensors) > 1 else tensors[0], outputs=outputs)

    def run(values):
        values = list(values) if isinstance(values, (list, tuple)) else [values]
        if len(values) != len(ins):
            raise ValueError(f"K.function: expected {len(ins)} input value(s), one per input it was built with "
                             f"(the learning phase included); received {len(values)}.")
        training = bool(phase) and builtins.max(int(np.asarray(values[i])) for i in phase) == 1  # (K.any is Keras's)
        arrays = [v for i, v in enumerate(values) if i not in phase]
        arrays = arrays if len(arrays) > 1 else arrays[0]
        if training:
            out = model(arrays, training=True)
            out = [np.asarray(o) for o in out] if isinstance(out, (list, tuple)) else np.asarray(out)
        else:
            out = model.predict(arrays, verbose=0)
        return out if single else (list(out) if isinstance(out, (list, tuple)) else [out])
    return run


def gradients(loss, variables):
    raise unsupported("keras.backend.gradients (graph-mode symbolic gradients)",
                      "Compute gradients eagerly with tf.GradientTape: with tf.GradientTape() as tape: ...; "
                      "tape.gradient(loss, variables).")


def placeholder(*args, **kwargs):
    raise unsupported("keras.backend.placeholder (TF1 graph mode)", "Use keras.Input(shape=...).")


# ---------------------------------------------------------------- the rest of Keras 2's backend functions
def _keras_ops():
    """Keras 3's keras.ops namespace (built once)."""
    global _OPS
    if _OPS is None:
        from . import keras_ops
        _OPS = keras_ops.build("keras")
    return _OPS


_OPS = None


def any(x, axis=None, keepdims=False):  # noqa: A001 - Keras's name
    return T.reduce_any(T.cast(x, "bool"), axis=axis, keepdims=keepdims)


def all(x, axis=None, keepdims=False):  # noqa: A001
    return T.reduce_all(T.cast(x, "bool"), axis=axis, keepdims=keepdims)


def cumsum(x, axis=0):
    from . import tf_math
    return tf_math.cumsum(x, axis=axis)


def cumprod(x, axis=0):
    return _keras_ops().cumprod(x, axis=axis)


def logsumexp(x, axis=None, keepdims=False):
    return T.reduce_logsumexp(x, axis=axis, keepdims=keepdims)


def sin(x):
    return _keras_ops().sin(x)


def cos(x):
    return _keras_ops().cos(x)


def sign(x):
    return _keras_ops().sign(x)


def softplus(x):
    return ops.softplus(T._t(x))


def softsign(x):
    return ops.softsign(T._t(x))


def elu(x, alpha=1.0):
    return ops.elu(T._t(x), alpha)


def hard_sigmoid(x):
    return ops.hard_sigmoid(T._t(x))


not_equal, greater, greater_equal = T.not_equal, T.greater, T.greater_equal
less, less_equal, is_tensor = T.less, T.less_equal, T.is_tensor


def zeros_like(x, dtype=None, name=None):
    return T.zeros_like(x, dtype=dtype)


def ones_like(x, dtype=None, name=None):
    return T.ones_like(x, dtype=dtype)


def eye(size, dtype=None, name=None):
    return Tensor(np.eye(*((size,) if np.ndim(size) == 0 else tuple(size)), dtype=dtype or floatx()))


def arange(start, stop=None, step=1, dtype="int32"):
    return Tensor((np.arange(start) if stop is None else np.arange(start, stop, step)).astype(dtype))


def stop_gradient(variables):
    if isinstance(variables, (list, tuple)):
        return [T.stop_gradient(v) for v in variables]
    return T.stop_gradient(variables)


def _value_of(x):
    return x() if callable(x) else x


def switch(condition, then_expression, else_expression):
    """``then`` where ``condition`` holds, else ``else`` (a scalar condition picks a whole branch; the branches
    may be callables, as in Keras 2)."""
    cond = T._t(condition)
    if cond.ndim == 0:
        return _value_of(then_expression) if bool(cond.value) else _value_of(else_expression)
    a, b = T._t(_value_of(then_expression)), T._t(_value_of(else_expression))
    mask = cond.value.astype(bool)
    while mask.ndim < a.ndim:
        mask = mask[..., None]
    return ops.where(Tensor(np.broadcast_to(mask, np.broadcast_shapes(mask.shape, a.shape, b.shape))), a, b)


def in_train_phase(x, alt, training=None):
    """``x`` when training, else ``alt``; ``training=None`` reads ``learning_phase()`` (0: inference)."""
    training = learning_phase() if training is None else training
    return _value_of(x) if bool(training) else _value_of(alt)


def in_test_phase(x, alt, training=None):
    return in_train_phase(alt, x, training)


def dropout(x, level, noise_shape=None, seed=None):
    return ops.dropout(T._t(x), level, noise_shape, seed)


def bias_add(x, bias, data_format=None):
    from . import nn
    return nn.bias_add(x, bias, "NCHW" if data_format == "channels_first" else None)


def _layout(data_format, who):
    if (data_format or image_data_format()) == "channels_first":
        raise unsupported(f"keras.backend.{who} with data_format='channels_first'", "dendrite computes channels_last.")


def conv1d(x, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    _layout(data_format, "conv1d")
    return ops.conv1d(T._t(x), T._t(kernel), None, strides, padding, dilation_rate)


def conv2d(x, kernel, strides=(1, 1), padding="valid", data_format=None, dilation_rate=(1, 1)):
    _layout(data_format, "conv2d")
    return ops.conv2d(T._t(x), T._t(kernel), None, strides, padding, dilation_rate)


def pool2d(x, pool_size, strides=(1, 1), padding="valid", data_format=None, pool_mode="max"):
    _layout(data_format, "pool2d")
    fn = ops.max_pool2d if pool_mode == "max" else ops.avg_pool2d
    return fn(T._t(x), pool_size, strides, padding)


def repeat_elements(x, rep, axis):
    return _keras_ops().repeat(x, rep, axis=axis)


def repeat(x, n):
    """(batch, dim) -> (batch, n, dim)."""
    return T.tile(T.expand_dims(x, 1), [1, n, 1])


def resize_images(x, height_factor, width_factor, data_format, interpolation="nearest"):
    _layout(data_format, "resize_images")
    if interpolation != "nearest":
        raise unsupported(f"keras.backend.resize_images(interpolation={interpolation!r})",
                          "Use keras.layers.UpSampling2D(interpolation='bilinear').")
    return repeat_elements(repeat_elements(x, height_factor, 1), width_factor, 2)


def reverse(x, axes):
    return _keras_ops().flip(x, axis=axes)


def temporal_padding(x, padding=(1, 1)):
    return T.pad(x, [[0, 0], list(padding), [0, 0]])


def spatial_2d_padding(x, padding=((1, 1), (1, 1)), data_format=None):
    _layout(data_format, "spatial_2d_padding")
    return T.pad(x, [[0, 0], list(padding[0]), list(padding[1]), [0, 0]])


def sparse_categorical_crossentropy(target, output, from_logits=False, axis=-1):
    from ..losses import sparse_categorical_crossentropy as scce
    return scce(target, output, from_logits=from_logits, axis=axis)


def batch_normalization(x, mean, var, beta, gamma, axis=-1, epsilon=1e-3):
    return _keras_ops().batch_normalization(x, mean, var, axis, beta, gamma, epsilon)


def map_fn(fn, elems, name=None, dtype=None):
    from . import tf_control
    return tf_control.map_fn(fn, elems)


def foldl(fn, elems, initializer=None, name=None):
    from . import tf_control
    return tf_control.foldl(fn, elems, initializer)


def foldr(fn, elems, initializer=None, name=None):
    from . import tf_control
    return tf_control.foldr(fn, elems, initializer)


def count_params(x):
    return int(np.prod(T._t(x).shape))


def is_keras_tensor(x):
    from ..layers.node import KerasTensor
    return isinstance(x, KerasTensor)


def print_tensor(x, message="", summarize=3):
    print(message, T._t(x).value)
    return x


def truncated_normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    from . import tf_random
    return tf_random.truncated_normal(shape, mean, stddev, dtype or floatx(), seed)


def random_uniform_variable(shape, low, high, dtype=None, name=None, seed=None):
    return variable(random_uniform(shape, low, high, dtype, seed), dtype=dtype, name=name)


def random_normal_variable(shape, mean, scale, dtype=None, name=None, seed=None):
    return variable(random_normal(shape, mean, scale, dtype, seed), dtype=dtype, name=name)


def random_bernoulli(shape, p=0.0, dtype=None, seed=None):
    draws = random_uniform(shape, 0.0, 1.0, "float32", seed)
    return Tensor((draws.value < p).astype(dtype or floatx()))


def update(x, new_x):
    return x.assign(T._t(new_x).value)


def update_add(x, increment):
    return x.assign_add(T._t(increment).value)


def update_sub(x, decrement):
    return x.assign_sub(T._t(decrement).value)


def moving_average_update(x, value, momentum):
    return x.assign(x.value * momentum + T._t(value).value * (1 - momentum))


def name_scope(name):
    from . import tf_control
    return tf_control.name_scope(name)


_UIDS = {}


def get_uid(prefix=""):
    _UIDS[prefix] = _UIDS.get(prefix, 0) + 1
    return _UIDS[prefix]


def reset_uids():
    _UIDS.clear()


def manual_variable_initialization(value):
    """Variables are initialized when made, in eager code; nothing to switch."""




NAMES = ("epsilon floatx set_floatx image_data_format set_image_data_format backend set_epsilon clear_session "
         "image_dim_ordering set_image_dim_ordering learning_phase set_learning_phase set_value get_value "
         "batch_get_value batch_set_value eval variable constant int_shape shape ndim dtype zeros ones mean sum max "
         "min prod std var square sqrt exp log abs sigmoid tanh maximum minimum pow equal cast reshape transpose "
         "stack gather expand_dims squeeze one_hot tile clip round argmax argmin relu softmax dot batch_dot "
         "concatenate flatten batch_flatten permute_dimensions l2_normalize random_normal random_uniform "
         "categorical_crossentropy binary_crossentropy function gradients placeholder "
         "any all cumsum cumprod logsumexp sin cos sign softplus softsign elu hard_sigmoid not_equal greater "
         "greater_equal less less_equal is_tensor zeros_like ones_like eye arange stop_gradient switch in_train_phase "
         "in_test_phase dropout bias_add conv1d conv2d pool2d repeat_elements repeat resize_images reverse "
         "temporal_padding spatial_2d_padding sparse_categorical_crossentropy batch_normalization map_fn foldl foldr "
         "count_params is_keras_tensor print_tensor truncated_normal random_uniform_variable random_normal_variable "
         "random_bernoulli update update_add update_sub moving_average_update name_scope get_uid reset_uids "
         "manual_variable_initialization get_session set_session")
