"""Keras 3's ``keras.utils.FeatureSpace``: one object that preprocesses and encodes a dict of tabular features.

Each feature gets a preprocessing layer (Normalization, Discretization, StringLookup, IntegerLookup, Hashing,
Rescaling, an identity, or the user's own), learned with ``adapt(dataset)``; named pairs of features are crossed
with HashedCrossing; categorical outputs are one-hot (multi-hot) encoded with CategoryEncoding; the results are
concatenated (``output_mode="concat"``: features in sorted name order, then the crosses in sorted name order, as
Keras) or returned as a dict. The same layers run eagerly on a dict of batched or single values
(``feature_space(x)``) and symbolically on ``get_inputs()`` (``get_encoded_features()``), so that a functional
model can be built on top, and one that includes the preprocessing for inference.

dendrite differs from Keras 3.15 in two places, both where Keras raises: a ``float_discretized`` feature given
``bin_boundaries`` is used as is (Keras tries to adapt it and fails), and a cross may name more than two features
(Keras's HashedCrossing takes two). Saving is in :mod:`.feature_space_saving`.
"""
import itertools

import numpy as np

from .. import layers
from ..autodiff.tensor import Tensor
from ..layers.base import Layer
from ..layers.hashed_crossing import HashedCrossing
from ..layers.node import KerasTensor
from ..saving.builtin_objects import register_builtins
from ..saving.serialization import deserialize_keras_object, serialize_keras_object

_SHORTCUTS = ("float", "float_rescaled", "float_normalized", "float_discretized", "integer_categorical",
              "string_categorical", "integer_hashed", "string_hashed")
_names = {}


def _auto_name(prefix):
    """'prefix', then 'prefix_1', 'prefix_2', ... (Keras's auto_name)."""
    count = _names.setdefault(prefix, itertools.count())
    n = next(count)
    return prefix if n == 0 else f"{prefix}_{n}"


def _array(x):
    """A value of the input dict as a NumPy array (tensors, lists, Python scalars)."""
    value = getattr(x, "value", x) if isinstance(x, Tensor) else x
    if hasattr(value, "numpy") and not isinstance(value, np.ndarray):
        value = value.numpy()
    return np.asarray(value)


class Cross:
    """A cross of features (by name) hashed into ``crossing_dim`` bins, one-hot encoded or left as ints."""

    def __init__(self, feature_names, crossing_dim, output_mode="one_hot"):
        if output_mode not in ("int", "one_hot"):
            raise ValueError("FeatureSpace.cross: `output_mode` must be 'int' or 'one_hot'; received "
                             f"output_mode={output_mode!r}.")
        self.feature_names = tuple(feature_names)
        self.crossing_dim = crossing_dim
        self.output_mode = output_mode

    @property
    def name(self):
        return "_X_".join(self.feature_names)

    def get_config(self):
        return {"feature_names": self.feature_names, "crossing_dim": self.crossing_dim,
                "output_mode": self.output_mode}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


class Feature:
    """One feature: the dtype of its input, the layer that preprocesses it, and how its output is encoded
    ('int': left as is, 'one_hot': multi-hot over the preprocessor's output space, 'float': left as is)."""

    def __init__(self, dtype, preprocessor, output_mode):
        if output_mode not in ("int", "one_hot", "float"):
            raise ValueError("FeatureSpace.feature: `output_mode` must be 'int', 'one_hot' or 'float'; received "
                             f"output_mode={output_mode!r}.")
        self.dtype = dtype
        if isinstance(preprocessor, dict):
            preprocessor = deserialize_keras_object(preprocessor, owner="FeatureSpace feature")
        self.preprocessor = preprocessor
        self.output_mode = output_mode

    def get_config(self):
        return {"dtype": self.dtype, "preprocessor": serialize_keras_object(self.preprocessor),
                "output_mode": self.output_mode}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


class TFDIdentity(Layer):
    """The preprocessor of a plain 'float' feature: the values as float32 (Keras's class name, for configs)."""

    def call(self, inputs):
        return Tensor(_array(inputs).astype(self.dtype if self.dtype.startswith("float") else "float32"))

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)


class TFDConcat(layers.Concatenate):
    """Concatenates the encoded features along ``axis`` (Keras's class name, for configs)."""


def _cardinality(name, preprocessor):
    """How many values a one-hot encoded feature's preprocessor can give, as Keras reads it."""
    if isinstance(preprocessor, (layers.IntegerLookup, layers.StringLookup)):
        return preprocessor.vocabulary_size()
    if isinstance(preprocessor, layers.CategoryEncoding):
        return preprocessor.num_tokens
    if isinstance(preprocessor, layers.Discretization):
        return preprocessor.num_bins if preprocessor.num_bins is not None else preprocessor._depth()
    if isinstance(preprocessor, (HashedCrossing, layers.Hashing)):
        return preprocessor.num_bins
    raise ValueError(f"FeatureSpace: feature '{name}' has output_mode='one_hot', but its preprocessor "
                     f"{type(preprocessor).__name__} is not one whose number of output values is known (a lookup, "
                     "Discretization, Hashing, HashedCrossing or CategoryEncoding), so it cannot be one-hot "
                     "encoded. Use output_mode='int' (or 'float') for this feature.")


class FeatureSpace(Layer):
    """Preprocess and encode a dict of structured features (see the module's docstring).

    ``features``: {name: a type name such as "float_normalized" or a ``FeatureSpace.<type>(...)`` feature};
    ``output_mode``: "concat" or "dict"; ``crosses``: tuples of feature names or ``FeatureSpace.cross(...)``;
    ``crossing_dim`` / ``hashing_dim`` / ``num_discretization_bins``: what the string shortcuts use (32 each).
    """

    @classmethod
    def cross(cls, feature_names, crossing_dim, output_mode="one_hot"):
        return Cross(feature_names, crossing_dim, output_mode=output_mode)

    @classmethod
    def feature(cls, dtype, preprocessor, output_mode):
        return Feature(dtype, preprocessor, output_mode)

    @classmethod
    def float(cls, name=None):
        name = name or _auto_name("float")
        return Feature("float32", TFDIdentity(dtype="float32", name=f"{name}_preprocessor"), "float")

    @classmethod
    def float_rescaled(cls, scale=1.0, offset=0.0, name=None):
        name = name or _auto_name("float_rescaled")
        return Feature("float32", layers.Rescaling(scale=scale, offset=offset, name=f"{name}_preprocessor"), "float")

    @classmethod
    def float_normalized(cls, name=None):
        name = name or _auto_name("float_normalized")
        return Feature("float32", layers.Normalization(axis=-1, name=f"{name}_preprocessor"), "float")

    @classmethod
    def float_discretized(cls, num_bins, bin_boundaries=None, output_mode="one_hot", name=None):
        name = name or _auto_name("float_discretized")
        return Feature("float32", layers.Discretization(num_bins=num_bins, bin_boundaries=bin_boundaries,
                                                        name=f"{name}_preprocessor"), output_mode)

    @classmethod
    def integer_categorical(cls, max_tokens=None, num_oov_indices=1, output_mode="one_hot", name=None):
        name = name or _auto_name("integer_categorical")
        return Feature("int32", layers.IntegerLookup(name=f"{name}_preprocessor", max_tokens=max_tokens,
                                                     num_oov_indices=num_oov_indices), output_mode)

    @classmethod
    def string_categorical(cls, max_tokens=None, num_oov_indices=1, output_mode="one_hot", name=None):
        name = name or _auto_name("string_categorical")
        return Feature("string", layers.StringLookup(name=f"{name}_preprocessor", max_tokens=max_tokens,
                                                     num_oov_indices=num_oov_indices), output_mode)

    @classmethod
    def string_hashed(cls, num_bins, output_mode="one_hot", name=None):
        name = name or _auto_name("string_hashed")
        return Feature("string", layers.Hashing(name=f"{name}_preprocessor", num_bins=num_bins), output_mode)

    @classmethod
    def integer_hashed(cls, num_bins, output_mode="one_hot", name=None):
        name = name or _auto_name("integer_hashed")
        return Feature("int32", layers.Hashing(name=f"{name}_preprocessor", num_bins=num_bins), output_mode)

    def __init__(self, features, output_mode="concat", crosses=None, crossing_dim=32, hashing_dim=32,
                 num_discretization_bins=32, name=None):
        super().__init__(name=name)
        if not features or not isinstance(features, dict):
            raise ValueError("FeatureSpace: `features` must be a non-empty dict {feature name: type}, e.g. "
                             "{'age': 'float_normalized', 'city': 'string_categorical'}; received "
                             f"features={features!r}.")
        if output_mode not in ("concat", "dict"):
            raise ValueError("FeatureSpace: `output_mode` must be 'concat' or 'dict'; received "
                             f"output_mode={output_mode!r}.")
        self.crossing_dim, self.hashing_dim = crossing_dim, hashing_dim
        self.num_discretization_bins = num_discretization_bins
        self.features = {key: self._standardize_feature(key, value) for key, value in features.items()}
        self.crosses = [self._standardize_cross(cross) for cross in (crosses or [])]
        self.crosses_by_name = {cross.name: cross for cross in self.crosses}
        self.output_mode = output_mode
        self.inputs = {key: layers.Input(shape=(1,), dtype=feature.dtype, name=key)
                       for key, feature in self.features.items()}
        self.preprocessors = {key: feature.preprocessor for key, feature in self.features.items()}
        self.crossers = {cross.name: HashedCrossing(cross.crossing_dim, name=cross.name) for cross in self.crosses}
        self.one_hot_encoders = {}
        self.encoded_features = None
        self.concat = None
        self._is_adapted = False
        self._sublayers_built = False

    # ------------------------------------------------------------- construction
    def _standardize_feature(self, key, feature):
        if isinstance(feature, Feature):
            return feature
        if isinstance(feature, dict):
            found = deserialize_keras_object(feature, owner=f"FeatureSpace feature '{key}'")
            if isinstance(found, Feature):
                return found
        if isinstance(feature, str) and feature in _SHORTCUTS:
            if feature == "float_discretized":
                return self.float_discretized(num_bins=self.num_discretization_bins, name=key)
            if feature in ("integer_hashed", "string_hashed"):
                return getattr(self, feature)(self.hashing_dim, name=key)
            return getattr(self, feature)(name=key)
        raise ValueError(f"FeatureSpace: invalid feature type {feature!r} for feature '{key}'. Expected one of "
                         f"{', '.join(repr(s) for s in _SHORTCUTS)}, or a feature made by FeatureSpace.<type>(...) / "
                         "FeatureSpace.feature(dtype, preprocessor, output_mode).")

    def _standardize_cross(self, cross):
        if isinstance(cross, dict):
            cross = deserialize_keras_object(cross, owner="FeatureSpace cross")
        if not isinstance(cross, Cross):
            if not self.crossing_dim:
                raise ValueError("FeatureSpace: `crosses` given as names need `crossing_dim` (the number of hash "
                                 f"bins of each cross); received crossing_dim={self.crossing_dim!r}.")
            if isinstance(cross, str) or not hasattr(cross, "__iter__"):
                raise ValueError("FeatureSpace: each cross must be a tuple of feature names, e.g. ('sex', 'age'), "
                                 f"or FeatureSpace.cross(...); received {cross!r}.")
            cross = Cross(cross, crossing_dim=self.crossing_dim)
        unknown = [key for key in cross.feature_names if key not in self.features]
        if unknown:
            raise ValueError(f"FeatureSpace: the cross {cross.feature_names} names {unknown}, which are not in "
                             f"`features` ({sorted(self.features)}). Cross only features that are declared.")
        return cross

    # ------------------------------------------------------------- adapt
    def _list_adaptable_preprocessors(self):
        names = []
        for key in self.features:
            layer = self.preprocessors[key]
            if isinstance(layer, layers.Normalization) and getattr(layer, "input_mean", None) is not None:
                continue  # mean and variance given
            if isinstance(layer, layers.TextVectorization) and getattr(layer, "_has_input_vocabulary", False):
                continue
            if isinstance(layer, layers.Discretization) and layer.num_bins is None:
                continue  # bin_boundaries given (dendrite; Keras fails trying to adapt it)
            if hasattr(layer, "adapt"):
                names.append(key)
        return names

    def adapt(self, dataset):
        """Learn every adaptable preprocessor's state from ``dataset``: a Dataset of feature dicts (batched or
        not), or a dict of arrays / lists. The dataset is read once."""
        from ..data import Dataset
        if isinstance(dataset, dict):
            dataset = Dataset.from_tensor_slices(dataset)
        elif not isinstance(dataset, Dataset):
            raise ValueError("FeatureSpace.adapt: expected a tf.data.Dataset of feature dicts, or a dict of arrays "
                             f"or lists; received {type(dataset).__name__}. For a labelled dataset of (x, y) pairs "
                             "pass dataset.map(lambda x, y: x).")
        names = self._list_adaptable_preprocessors()
        if names:
            batches = {key: [] for key in names}
            pending, unbatched = {key: [] for key in names}, None
            for element in dataset:
                if not isinstance(element, dict):
                    raise ValueError("FeatureSpace.adapt: expected a dataset whose elements are dicts of features; "
                                     f"received elements of type {type(element).__name__}. For a labelled dataset of "
                                     "(x, y) pairs pass dataset.map(lambda x, y: x).")
                missing = [key for key in names if key not in element]
                if missing:
                    raise ValueError(f"FeatureSpace.adapt: the dataset's elements have no {missing} (they hold "
                                     f"{sorted(element)}); every feature in `features` needs a value.")
                for key in names:
                    x = _array(element[key])
                    if unbatched is None:
                        unbatched = x.ndim == 0  # as Keras: scalars are grouped into batches of 32
                    if unbatched:
                        pending[key].append(x)
                        if len(pending[key]) == 32:
                            batches[key].append(np.stack(pending[key])[:, None])
                            pending[key] = []
                    else:
                        batches[key].append(x[:, None] if x.ndim == 1 else x)
            for key in names:
                if pending[key]:
                    batches[key].append(np.stack(pending[key])[:, None])
                if not batches[key]:
                    raise ValueError("FeatureSpace.adapt: the dataset is empty; adapt needs data to learn from.")
                self.preprocessors[key].adapt(iter(batches[key]))
        self._is_adapted = True
        self.get_encoded_features()
        self.built = True
        self._sublayers_built = True

    def _check_if_adapted(self):
        if not self._is_adapted:
            if self._list_adaptable_preprocessors():
                raise ValueError("FeatureSpace: call `feature_space.adapt(dataset)` (a Dataset of feature dicts) "
                                 "before using it; the preprocessors of "
                                 f"{self._list_adaptable_preprocessors()} learn their state there.")
            self._is_adapted = True

    def _check_if_built(self):
        if not self._sublayers_built:
            self._check_if_adapted()
            self.get_encoded_features()
            self._sublayers_built = True

    # ------------------------------------------------------------- encode
    def get_inputs(self):
        """{feature name: keras.Input of shape (1,) and the feature's dtype}."""
        self._check_if_built()
        return self.inputs

    def get_encoded_features(self):
        """The encoded features as KerasTensors computed from ``get_inputs()``: one tensor (concat) or a dict."""
        self._check_if_adapted()
        if self.encoded_features is None:
            preprocessed = self._preprocess(self.inputs)
            self.encoded_features = self._merge(preprocessed, self._cross(preprocessed))
        return self.encoded_features

    def _preprocess(self, data):
        return {key: self.preprocessors[key](data[key]) for key in self.features}

    def _cross(self, preprocessed):
        return {cross.name: self.crossers[cross.name]([preprocessed[key] for key in cross.feature_names])
                for cross in self.crosses}

    def _order(self):
        return sorted(self.features) + sorted(self.crosses_by_name)

    def _make_encoders(self, encoded):
        """The one-hot encoders and the concat layer, made on the first (symbolic) pass."""
        for key in self._order():
            spec = self.features.get(key) or self.crosses_by_name[key]
            if spec.output_mode != "one_hot":
                continue
            dtype = str(encoded[key].dtype)
            if not dtype.startswith("int"):
                raise ValueError(f"FeatureSpace: feature '{key}' has output_mode='one_hot', so its preprocessor must "
                                 f"give integers; it gives {dtype}. Use output_mode='float' for it.")
            layer = self.preprocessors.get(key) or self.crossers.get(key)
            self.one_hot_encoders[key] = layers.CategoryEncoding(num_tokens=_cardinality(key, layer),
                                                                 output_mode="multi_hot")
        if self.output_mode == "concat":
            self.concat = TFDConcat(axis=-1)

    def _merge(self, preprocessed, crossed):
        encoded = {**preprocessed, **crossed}
        if not self._sublayers_built and not self.one_hot_encoders and self.concat is None:
            self._make_encoders(encoded)
        out = {}
        for key in self._order():
            feature = encoded[key]
            encoder = self.one_hot_encoders.get(key)
            out[key] = encoder(feature) if encoder is not None else feature
        if self.output_mode == "dict":
            return out
        for key, feature in out.items():
            dtype = str(feature.dtype)
            if dtype.startswith(("int", "uint")) or dtype in ("string", "object") or dtype.startswith(("<U", "|S")):
                raise ValueError(f"FeatureSpace: cannot concatenate feature '{key}': it is not encoded (dtype "
                                 f"{dtype}). Give it output_mode='one_hot', or use output_mode='dict'.")
        return self.concat(list(out.values()))

    def __call__(self, data):
        """Encode ``data``, a dict {feature name: values}: a batch (arrays, lists, tensors of shape (n,) or
        (n, 1)) gives (n, width) (concat) or a dict of (n, k); single values give (width,) / (k,)."""
        self._check_if_built()
        if not isinstance(data, dict):
            raise ValueError("FeatureSpace: call it on a dict {feature name: values}; received "
                             f"{type(data).__name__}. Expected the keys {sorted(self.features)}.")
        if any(isinstance(v, KerasTensor) for v in data.values()):
            raise ValueError("FeatureSpace: to build a model, use feature_space.get_inputs() and "
                             "feature_space.get_encoded_features() instead of calling it on keras.Input tensors.")
        missing = [key for key in self.features if key not in data]
        extra = [key for key in data if key not in self.features]
        if missing or extra:
            raise ValueError(f"FeatureSpace: the input dict's keys do not match the features. Missing: {missing}; "
                             f"not declared: {extra}. Expected exactly {sorted(self.features)}; received "
                             f"{sorted(data)}. Pass one value (or batch) per declared feature.")
        arrays, rebatched = {}, False
        for key in self.features:
            x = _array(data[key])
            if x.ndim == 0:
                x, rebatched = x.reshape(1, 1), True
            elif x.ndim == 1:
                x = x[:, None]
            arrays[key] = x
        preprocessed = {key: Tensor(_array(v)) for key, v in self._preprocess(arrays).items()}
        crossed = {key: Tensor(_array(v)) for key, v in self._cross(preprocessed).items()}
        merged = self._merge(preprocessed, crossed)
        if rebatched:
            if self.output_mode == "concat":
                return Tensor(_array(merged)[0])
            return {key: Tensor(_array(x)[0]) if _array(x).ndim == 2 and _array(x).shape[0] == 1 else x
                    for key, x in merged.items()}
        return merged

    # ------------------------------------------------------------- config and saving
    def get_config(self):
        return {"features": serialize_keras_object(self.features), "output_mode": self.output_mode,
                "crosses": serialize_keras_object(self.crosses), "crossing_dim": self.crossing_dim,
                "hashing_dim": self.hashing_dim, "num_discretization_bins": self.num_discretization_bins}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def get_build_config(self):
        return {key: ({"input_shape": [None, 1]} if getattr(f.preprocessor, "built", False) else None)
                for key, f in self.features.items()}

    def build_from_config(self, config):
        self._is_adapted = True

    def save(self, filepath):
        """Write a ``.keras`` archive in Keras 3's layout; ``keras.models.load_model`` reads it back."""
        from .feature_space_saving import save_feature_space
        save_feature_space(self, filepath)

    def __repr__(self):
        return f"<FeatureSpace features={list(self.features)} crosses={list(self.crosses_by_name)} " \
               f"output_mode={self.output_mode!r}>"


_MODULE = "keras.src.layers.preprocessing.feature_space"
register_builtins(_MODULE, "FeatureSpace part", classes=[Feature, Cross, TFDIdentity, TFDConcat],
                  registered_names={Feature: "Feature", Cross: "Cross", TFDIdentity: "TFDIdentity",
                                    TFDConcat: "TFDConcat"})
register_builtins("keras.utils", "utility", classes=[FeatureSpace])

__all__ = ["FeatureSpace", "Feature", "Cross"]
