"""Keras 1 and Keras 2 spellings of the layers, as thin subclasses of dendrite's layers that read the old
argument names (``output_dim``, ``init``, ``W_regularizer``, ``border_mode``, ``subsample``, ``nb_filter``,
``nb_row``/``nb_col``, ``p``, ``sigma``, ...) as their Keras 3 meaning, with a one-time note on stderr. Each
keeps its Keras class name (``type(layer).__name__ == 'Dense'``) and saves as the Keras 3 layer it is.
``merge``/``Merge`` are Keras 1's merge function and layer over a list of tensors."""
from .. import layers as _layers
from ..saving import builtin_objects
from ._notes import note, translate, unsupported

_ORDERING = {"tf": "channels_last", "th": "channels_first", "default": None}


def _dim_ordering(value):
    if value not in _ORDERING:
        raise ValueError(f"dim_ordering: expected 'tf' or 'th'; received {value!r}.")
    return {"data_format": _ORDERING[value]}


def _keep_bias(value):
    return {"use_bias": bool(value)}


def _ignored(name):
    def drop(value):
        note(("ignored", name), f"`{name}={value!r}` has no meaning in Keras 3 and is ignored.")
        return {}
    return drop


_WEIGHTS = {"init": "kernel_initializer", "W_regularizer": "kernel_regularizer",
            "b_regularizer": "bias_regularizer", "W_constraint": "kernel_constraint",
            "b_constraint": "bias_constraint", "bias": _keep_bias}
_CONV = dict(_WEIGHTS, nb_filter="filters", border_mode="padding", subsample="strides",
             dim_ordering=_dim_ordering, atrous_rate="dilation_rate", filter_length="kernel_size",
             subsample_length="strides")
_RNN = dict(_WEIGHTS, output_dim="units", inner_init="recurrent_initializer",
            U_regularizer="recurrent_regularizer", dropout_W="dropout", dropout_U="recurrent_dropout",
            inner_activation="recurrent_activation", forget_bias_init=_ignored("forget_bias_init"),
            consume_less=_ignored("consume_less"))
_POOL = {"border_mode": "padding", "dim_ordering": _dim_ordering, "pool_length": "pool_size", "stride": "strides"}


def _conv_positional(name, args, kwargs, rank):
    """Keras 1's ``Convolution2D(nb_filter, nb_row, nb_col, ...)`` (and nb_row/nb_col given by keyword)."""
    if rank == 2:
        if "nb_row" in kwargs or "nb_col" in kwargs:
            if "nb_row" not in kwargs or "nb_col" not in kwargs:
                raise TypeError(f"{name}: pass both `nb_row` and `nb_col` (Keras 1's kernel height and width).")
            note((name, "nb_row"), f"{name}: `nb_row`/`nb_col` are the Keras 1 spelling of `kernel_size`.")
            kwargs["kernel_size"] = (kwargs.pop("nb_row"), kwargs.pop("nb_col"))
        if len(args) >= 3 and all(isinstance(a, int) for a in args[1:3]):
            note((name, "positional"), f"{name}(filters, nb_row, nb_col) is the Keras 1 spelling of "
                                       f"{name}(filters, kernel_size=(nb_row, nb_col)).")
            args = (args[0], (args[1], args[2])) + tuple(args[3:])
    return args, kwargs


def _same_class(meta):
    """A metaclass under which the legacy subclass and its base answer ``isinstance`` / ``issubclass`` alike
    (Keras has one class: a layer loaded from a file or deserialized is a ``keras.layers.Dense`` too)."""
    class SameClass(meta):
        def __instancecheck__(cls, obj):
            return isinstance(obj, cls.__mro__[1])

        def __subclasscheck__(cls, sub):
            return issubclass(sub, cls.__mro__[1])
    return SameClass


def _legacy(base, mapping, rank=0, extra=None):
    """A subclass of ``base`` with its name that translates ``mapping``'s legacy arguments."""
    name = base.__name__

    def __init__(self, *args, **kwargs):
        args, kwargs = _conv_positional(name, args, kwargs, rank)
        translate(name, kwargs, dict(mapping, **(extra or {})), era="Keras 1")
        base.__init__(self, *args, **kwargs)

    cls = _same_class(type(base))(name, (base,), {"__init__": __init__, "__module__": base.__module__,
                                                   "__qualname__": base.__qualname__, "__doc__": base.__doc__})
    public = builtin_objects.public_name(base)
    if public is not None:  # saved as the Keras 3 layer it is
        builtin_objects._PUBLIC[cls] = public
    return cls


Dense = _legacy(_layers.Dense, dict(_WEIGHTS, output_dim="units"))
Dropout = _legacy(_layers.Dropout, {"p": "rate"})
Embedding = _legacy(_layers.Embedding, {"init": "embeddings_initializer", "W_regularizer": "embeddings_regularizer",
                                        "W_constraint": "embeddings_constraint", "dropout": _ignored("dropout")})
BatchNormalization = _legacy(_layers.BatchNormalization, {
    "beta_init": "beta_initializer", "gamma_init": "gamma_initializer", "gamma_regularizer": "gamma_regularizer",
    "mode": lambda v: {} if v == 0 else (_ for _ in ()).throw(unsupported(f"BatchNormalization(mode={v})")),
})
GaussianNoise = _legacy(_layers.GaussianNoise, {"sigma": "stddev"})
GaussianDropout = _legacy(_layers.GaussianDropout, {"p": "rate"})
LeakyReLU = _legacy(_layers.LeakyReLU, {})
Conv1D = _legacy(_layers.Conv1D, _CONV, rank=1)
Conv2D = _legacy(_layers.Conv2D, _CONV, rank=2)
Conv2DTranspose = _legacy(_layers.Conv2DTranspose, _CONV, rank=2)
SeparableConv2D = _legacy(_layers.SeparableConv2D, _CONV, rank=2)
Convolution1D, Convolution2D = Conv1D, Conv2D
Deconvolution2D = Conv2DTranspose
SeparableConvolution2D = SeparableConv2D
MaxPooling1D = _legacy(_layers.MaxPooling1D, _POOL)
AveragePooling1D = _legacy(_layers.AveragePooling1D, _POOL)
MaxPooling2D = _legacy(_layers.MaxPooling2D, _POOL)
AveragePooling2D = _legacy(_layers.AveragePooling2D, _POOL)
MaxPool1D, AvgPool1D, MaxPool2D, AvgPool2D = MaxPooling1D, AveragePooling1D, MaxPooling2D, AveragePooling2D
ZeroPadding2D = _legacy(_layers.ZeroPadding2D, {"dim_ordering": _dim_ordering})
UpSampling2D = _legacy(_layers.UpSampling2D, {"dim_ordering": _dim_ordering})
Flatten = _legacy(_layers.Flatten, {"dim_ordering": _dim_ordering})
SimpleRNN = _legacy(_layers.SimpleRNN, _RNN)
LSTM = _legacy(_layers.LSTM, _RNN)
GRU = _legacy(_layers.GRU, _RNN)


def _cudnn(base):
    """Keras 2's CuDNNLSTM / CuDNNGRU (tf.compat.v1.keras.layers): the fused GPU kernels of the layer with
    CuDNN's fixed choices (tanh, sigmoid gates; a GRU resets after the matrix product), which the Keras 3 layer
    computes on the CPU; saved as that layer."""
    name = f"CuDNN{base.__name__}"

    def __init__(self, units, **kwargs):
        note(("layer", name), f"{name} is Keras 2's GPU-only layer; dendrite runs {base.__name__} with CuDNN's "
                              "settings (the same results, on the CPU).")
        fixed = dict(activation="tanh", recurrent_activation="sigmoid")
        if base is _layers.GRU:
            fixed["reset_after"] = True
        base.__init__(self, units, **fixed, **kwargs)

    cls = _same_class(type(base))(name, (base,), {"__init__": __init__, "__module__": base.__module__,
                                                   "__qualname__": name, "__doc__": _cudnn.__doc__})
    public = builtin_objects.public_name(base)
    if public is not None:
        builtin_objects._PUBLIC[cls] = public
    return cls


CuDNNLSTM = _cudnn(_layers.LSTM)
CuDNNGRU = _cudnn(_layers.GRU)

_MODES = {"sum": _layers.Add, "mul": _layers.Multiply, "ave": _layers.Average, "max": _layers.Maximum,
          "concat": _layers.Concatenate, "dot": _layers.Dot, "cos": _layers.Dot}


def _merge_layer(mode, concat_axis, dot_axes, name):
    if callable(mode) or mode not in _MODES:
        raise unsupported(f"merge(mode={mode!r})", "Supported modes: " + ", ".join(sorted(_MODES)) + ".")
    if mode == "concat":
        return _layers.Concatenate(axis=concat_axis, name=name)
    if mode in ("dot", "cos"):
        return _layers.Dot(axes=dot_axes, normalize=mode == "cos", name=name)
    return _MODES[mode](name=name)


def merge(inputs, mode="sum", concat_axis=-1, dot_axes=-1, output_shape=None, name=None, **kwargs):
    """Keras 1's functional ``merge([a, b], mode='concat')``: the Keras 3 merging layer applied to the list."""
    note(("merge", mode), f"merge(mode={mode!r}) is Keras 1; dendrite applies the matching merging layer "
                          "(Concatenate, Add, Multiply, Average, Maximum or Dot).")
    return _merge_layer(mode, concat_axis, dot_axes, name)(list(inputs))


def Merge(layers=None, mode="sum", concat_axis=-1, dot_axes=-1, output_shape=None, name=None, **kwargs):
    """Keras 1's ``Merge`` layer: called on a list of tensors it merges them as ``merge`` does. Merging whole
    Sequential models inside another Sequential is not supported (use the functional API)."""
    if layers is not None:
        raise unsupported("keras.layers.Merge([model_a, model_b], ...) (merging Sequential models)",
                          "Build the model with the functional API: keras.layers.concatenate([a.output, b.output]).")
    note(("Merge", mode), "Merge is Keras 1; dendrite uses the matching Keras 3 merging layer.")
    return _merge_layer(mode, concat_axis, dot_axes, name)


NAMES = ("Dense Dropout Embedding BatchNormalization GaussianNoise GaussianDropout LeakyReLU Conv1D Conv2D "
         "Conv2DTranspose SeparableConv2D Convolution1D Convolution2D Deconvolution2D SeparableConvolution2D "
         "MaxPooling1D AveragePooling1D MaxPooling2D AveragePooling2D MaxPool1D AvgPool1D MaxPool2D AvgPool2D "
         "ZeroPadding2D UpSampling2D Flatten SimpleRNN LSTM GRU merge Merge CuDNNLSTM CuDNNGRU")
