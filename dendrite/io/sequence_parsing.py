"""Parsing ``tf.train.SequenceExample`` records: ``parse_single_sequence_example`` and ``parse_sequence_example``,
with ``FixedLenSequenceFeature`` for feature lists, as tf.io has them.

A SequenceExample has ``context`` (a Features map, parsed as an Example's by ``context_features``:
FixedLenFeature / VarLenFeature) and ``feature_lists`` (a FeatureList of Features per name, one per time
step), parsed by ``sequence_features``:
- ``FixedLenSequenceFeature(shape, dtype)``: every step holds ``prod(shape)`` values; an array
  ``(steps, *shape)`` (``(batch, longest, *shape)`` zero-padded from parse_sequence_example, with the
  steps of each record in its ``lengths``). A missing list is an error unless ``allow_missing=True``
  (then zero steps).
- ``VarLenFeature(dtype)``: any number of values per step; a SparseTensor of indices ``[step, position]`` and
  dense_shape ``[steps, longest step]`` (``[batch, most steps, longest step]`` for a batch).
"""
import numpy as np

from .parsing import (FixedLenFeature, VarLenFeature, _dtype_name, _values_array, batch_outputs, check_batch,
                      decode, feature_values, features_values, fixed_shape, single_outputs, spec_shape,
                      var_len)
from .sparse import stack


class FixedLenSequenceFeature:
    """A feature list whose every step holds ``prod(shape)`` values of ``dtype``; ``allow_missing=True``
    reads a missing list as zero steps. ``default_value`` must stay None (TensorFlow pads with zeros)."""

    def __init__(self, shape, dtype, allow_missing=False, default_value=None):
        self.dtype = _dtype_name(dtype, "FixedLenSequenceFeature")
        self.shape = spec_shape(shape, "FixedLenSequenceFeature")
        self.allow_missing = bool(allow_missing)
        self.default_value = default_value

    def __repr__(self):
        return (f"FixedLenSequenceFeature(shape={list(self.shape)}, dtype={self.dtype!r}, "
                f"allow_missing={self.allow_missing}, default_value={self.default_value!r})")


def _check_specs(context_features, sequence_features, who):
    if context_features is None and sequence_features is None:
        raise ValueError(f"{who}: both context_features and sequence_features are None; give at least one "
                         f"(a dict of feature names to feature specs).")
    for argument, specs, allowed in (("context_features", context_features, (FixedLenFeature, VarLenFeature)),
                                     ("sequence_features", sequence_features,
                                      (FixedLenSequenceFeature, VarLenFeature))):
        if specs is None:
            continue
        if not isinstance(specs, dict):
            raise TypeError(f"{who}: {argument} must be a dict mapping feature names to feature specs; received "
                            f"{type(specs).__name__}.")
        names = " or ".join(a.__name__ for a in allowed)
        for key, spec in specs.items():
            if not isinstance(spec, allowed):
                hint = (" Use FixedLenSequenceFeature for a feature list of fixed-size steps." if isinstance(
                    spec, FixedLenFeature) else " Use FixedLenFeature for a context feature." if isinstance(
                    spec, FixedLenSequenceFeature) else "")
                raise ValueError(f"{who}: {argument}[{key!r}] must be a {names}; received {spec!r}.{hint}")
            if isinstance(spec, FixedLenSequenceFeature) and spec.default_value is not None:
                raise ValueError(f"{who}: {argument}[{key!r}] has default_value={spec.default_value!r}; a "
                                 f"FixedLenSequenceFeature's default_value must be None (as in TensorFlow).")
    return context_features or {}, sequence_features or {}


def _feature_lists(present, sequence_features, who, where):
    """{name: values} of one record's feature lists: (steps, *shape) arrays for FixedLenSequenceFeatures,
    rank-2 SparseTensors for VarLenFeatures."""
    out = {}
    for key, spec in sequence_features.items():
        if key in present:
            steps = [feature_values(f, spec.dtype, who, f"feature list {key!r}, step {t}, in {where}")
                     for t, f in enumerate(present[key].feature)]
        elif isinstance(spec, FixedLenSequenceFeature) and not spec.allow_missing:
            raise ValueError(f"{who}: {where} has no feature list {key!r}, which its FixedLenSequenceFeature "
                             f"requires. Pass allow_missing=True to read a missing list as zero steps.")
        else:
            steps = []
        if isinstance(spec, FixedLenSequenceFeature):
            shaped = [fixed_shape(v, spec, who, f"feature list {key!r}, step {t}, in {where}")
                      for t, v in enumerate(steps)]
            out[key] = np.stack(shaped) if shaped else _values_array([], spec.dtype).reshape(0, *spec.shape)
        else:
            out[key] = stack([var_len(v) for v in steps], 1, object if spec.dtype == "string" else spec.dtype)
    return out


def _parse(record, context_features, sequence_features, who, where):
    example = decode(record, "SequenceExample", who, where)
    context = features_values(example.context.feature, context_features, who, where)
    return context, _feature_lists(example.feature_lists.feature_list, sequence_features, who, where)


def parse_single_sequence_example(serialized, context_features=None, sequence_features=None, example_name=None):
    """Parse one serialized tf.train.SequenceExample into ``(context, feature_lists)`` dicts (see the module)."""
    who = "parse_single_sequence_example"
    context_features, sequence_features = _check_specs(context_features, sequence_features, who)
    context, lists = _parse(serialized, context_features, sequence_features, who,
                            f"record {example_name!r}" if example_name else "the record")
    return single_outputs(context, context_features), lists


def parse_sequence_example(serialized, context_features=None, sequence_features=None, example_names=None):
    """Parse a batch of serialized SequenceExamples into ``(context, feature_lists, lengths)``: context as
    parse_example gives it, feature lists padded to the longest record, and for each FixedLenSequenceFeature
    the number of steps of every record (int64)."""
    who = "parse_sequence_example"
    context_features, sequence_features = _check_specs(context_features, sequence_features, who)
    records = check_batch(serialized, who, "parse_single_sequence_example")
    names = list(example_names) if example_names is not None else [None] * len(records)
    parsed = [_parse(r, context_features, sequence_features, who,
                     f"record {names[i]!r}" if names[i] else f"record {i} of the batch") for i, r in enumerate(records)]
    context = batch_outputs([c for c, _ in parsed], context_features)
    lists, lengths = {}, {}
    for key, spec in sequence_features.items():
        per_record = [f[key] for _, f in parsed]
        if isinstance(spec, VarLenFeature):
            lists[key] = stack(per_record, 2, object if spec.dtype == "string" else spec.dtype)
            continue
        lengths[key] = np.array([len(v) for v in per_record], dtype=np.int64)
        padded = np.zeros((len(records), max(lengths[key], default=0), *spec.shape),
                          dtype=object if spec.dtype == "string" else spec.dtype)
        if spec.dtype == "string":
            padded[...] = b""
        for i, v in enumerate(per_record):
            padded[i, :len(v)] = v
        lists[key] = padded
    return context, lists, lengths
