"""Datasets made from values: from_tensors, range, from_generator, and those that join datasets (zip,
concatenate, sample_from_datasets)."""
import numpy as np

from . import cardinality as counts
from . import structure
from .arrays import ArraySource
from .dataset import Dataset
from .structure import TensorSpec
from ..utils.validation import is_int


class Tensors(Dataset):
    def __init__(self, tensors):
        self._element = structure.output_element(structure.to_element(tensors))

    def _iterate(self):
        yield self._element

    def _cardinality(self):
        return 1


class _RangeColumn:
    """The values of a Python range as a read-only array column, computed on indexing."""

    def __init__(self, r, dtype):
        self._r, self.dtype = r, np.dtype(dtype)
        self.shape = (len(r),)
        self.ndim = 1

    def __len__(self):
        return len(self._r)

    def __getitem__(self, idx):
        if isinstance(idx, (int, np.integer)):
            return self.dtype.type(self._r[idx])
        return (self._r.start + np.asarray(idx, dtype=np.int64) * self._r.step).astype(self.dtype)


class Range(ArraySource):
    """Dataset.range: an index plan over a virtual column, so shuffle and batch over it are vectorised."""

    def __init__(self, args, output_type=np.int64):
        if not 1 <= len(args) <= 3 or not all(is_int(a) for a in args):
            raise ValueError(f"Dataset.range: expected 1 to 3 integers (stop | start, stop[, step]) as Python's "
                             f"range takes. Received: {args!r}.")
        if len(args) == 3 and args[2] == 0:
            raise ValueError("Dataset.range: `step` must not be 0. Received: step=0.")
        column = _RangeColumn(range(*[int(a) for a in args]), structure.as_dtype(output_type))
        self._leaves, self._template, self._source, self._n = [column], None, self, len(column)


def _as_signature_structure(value, template):
    """A yielded list accepted where the signature has a tuple (as tf.data's from_generator does)."""
    if isinstance(template, tuple) and isinstance(value, list):
        value = tuple(value)
    if isinstance(template, tuple) and isinstance(value, tuple) and len(value) == len(template):
        return tuple(_as_signature_structure(v, t) for v, t in zip(value, template))
    if isinstance(template, dict) and isinstance(value, dict):
        return {k: _as_signature_structure(value[k], template[k]) if k in template else value[k] for k in value}
    return value


class Generator(Dataset):
    def __init__(self, generator, output_types=None, output_shapes=None, args=None, output_signature=None):
        if not callable(generator):
            raise TypeError(f"Dataset.from_generator: `generator` must be a callable that returns an iterator "
                            f"(e.g. a generator function, not a generator object). Received: {generator!r}. "
                            "Pass `lambda: your_iterable` if you have an iterable.")
        if output_signature is not None:
            if output_types is not None or output_shapes is not None:
                raise TypeError("Dataset.from_generator: give either `output_signature` or `output_types` "
                                "(with optional `output_shapes`), not both.")
            output_signature = _as_data_specs(output_signature)
            for spec in structure.flatten(output_signature):
                if not isinstance(spec, TensorSpec):
                    raise TypeError(f"Dataset.from_generator: every component of `output_signature` must be a "
                                    f"data.TensorSpec. Received: {spec!r} in {output_signature!r}.")
        elif output_types is not None:
            shapes = output_shapes
            if shapes is None:
                shapes = structure.map_structure(lambda t: None, output_types) \
                    if structure.is_structure(output_types) else None
            if structure.is_structure(output_types):
                output_signature = structure.pack_as(output_types, [
                    TensorSpec(s, t) for t, s in zip(structure.flatten(output_types),
                                                     _flatten_shapes(output_types, shapes))])
            else:
                output_signature = TensorSpec(shapes, output_types)
        else:
            raise TypeError("Dataset.from_generator: give the elements' structure as `output_signature` (e.g. "
                            "output_signature=(data.TensorSpec((28, 28), 'float32'), data.TensorSpec((), "
                            "'int64'))), or as `output_types`.")
        self._fn, self._signature = generator, output_signature
        self._args = () if args is None else tuple(
            structure.output_element(structure.to_element(a)) for a in args)

    def _spec(self):
        return self._signature

    def _iterate(self):
        sig = self._signature
        specs = structure.flatten(sig)
        for position, value in enumerate(self._fn(*self._args)):
            value = _as_signature_structure(value, sig)
            if not structure.is_structure(sig) and isinstance(value, (tuple, list)):
                try:  # one spec: a yielded tuple or list holds that tensor's values, as TensorFlow reads it
                    value = structure.to_array(value)
                except (TypeError, ValueError):
                    pass  # values of different shapes: the structure error below says what was expected
            if not structure.same_nesting(value, sig):
                raise TypeError(
                    f"Dataset.from_generator: element {position} yielded by the generator has the structure "
                    f"{structure.describe(value)}, but output_signature expects {structure.describe(sig)}. "
                    f"Received: {_short(value)}. Yield elements of the declared structure.")
            leaves = []
            for k, (v, spec) in enumerate(zip(structure.flatten(value), specs)):
                where = f"element {position} yielded by the generator" + (
                    f" (component {k})" if structure.is_structure(sig) else "")
                try:
                    arr = structure.to_array(v)
                    if arr.dtype != spec.dtype:
                        if spec.dtype == structure.STRING or arr.dtype == structure.STRING:
                            raise TypeError("text and numbers do not mix")
                        arr = arr.astype(spec.dtype)
                except (TypeError, ValueError) as e:
                    raise TypeError(f"Dataset.from_generator: {where} could not be converted to "
                                    f"{structure.dtype_name(spec.dtype)} as output_signature declares: {e}. "
                                    f"Received: {_short(v)}.") from None
                if not structure.shapes_compatible(spec.shape, arr.shape):
                    raise ValueError(f"Dataset.from_generator: {where} has shape {arr.shape}, but "
                                     f"output_signature declares shape {spec.shape}. Yield arrays of the "
                                     "declared shape, or declare None for dimensions that vary.")
                leaves.append(structure.as_output(arr))
            yield leaves[0] if not structure.is_structure(sig) else structure.pack_as(sig, leaves)


def _as_data_specs(signature):
    """Specs of another kind that carry a shape and a dtype (compatibility mode's ``tf.TensorSpec``) as
    data.TensorSpecs."""
    def one(spec):
        if isinstance(spec, TensorSpec) or not (hasattr(spec, "shape") and hasattr(spec, "dtype")):
            return spec
        shape = spec.shape
        known = shape is not None and getattr(shape, "rank", 0) is not None
        return TensorSpec(tuple(shape) if known else None, spec.dtype, getattr(spec, "name", None))
    return structure.map_structure(one, signature) if structure.is_structure(signature) else one(signature)


def _flatten_shapes(types, shapes):
    if structure.is_structure(shapes):
        return structure.flatten(shapes) if structure.same_nesting(types, shapes) else \
            [None] * len(structure.flatten(types))
    return [shapes] * len(structure.flatten(types))


def _short(value, limit=80):
    text = repr(value)
    return text if len(text) <= limit else text[:limit] + "..."


class Zip(Dataset):
    def __init__(self, datasets):
        if isinstance(datasets, list):
            datasets = tuple(datasets)
        leaves = structure.flatten(datasets)
        for k, d in enumerate(leaves):
            if not isinstance(d, Dataset):
                raise TypeError(f"Dataset.zip: every component of `datasets` must be a Dataset; component {k} of "
                                f"the structure {structure.describe(datasets)} is a {type(d).__name__} "
                                f"({_short(d)}). Wrap arrays with Dataset.from_tensor_slices first.")
        self._datasets, self._leaves = datasets, leaves

    def _inputs(self):
        return self._leaves

    def _cardinality(self):
        return counts.zip_([d._cardinality() for d in self._leaves])

    def _spec(self):
        return structure.pack_as(self._datasets, [d.element_spec for d in self._leaves])

    def _iterate(self):
        iterators = [d._iterate() for d in self._leaves]
        while True:
            values = []
            for it in iterators:
                for v in it:
                    values.append(v)
                    break
                else:
                    return
            yield structure.pack_as(self._datasets, values)


class Concatenate(Dataset):
    def __init__(self, first, second):
        if not isinstance(second, Dataset):
            raise TypeError(f"Dataset.concatenate: `dataset` must be a Dataset. Received: {_short(second)}.")
        self._first, self._second = first, second
        spec = structure.common_spec(first.element_spec, second.element_spec)
        if spec is None:
            raise TypeError(f"Dataset.concatenate: the two datasets' elements must have the same structure and "
                            f"dtypes. Received element_spec {first.element_spec} and {second.element_spec}.")
        self._element_spec = spec

    def _inputs(self):
        return [self._first, self._second]

    def _cardinality(self):
        return counts.concatenate(self._first._cardinality(), self._second._cardinality())

    def _iterate(self):
        yield from self._first._iterate()
        yield from self._second._iterate()


class SampleFrom(Dataset):
    """Dataset.sample_from_datasets: each element from a dataset drawn with ``weights``."""

    def __init__(self, datasets, weights=None, seed=None, stop_on_empty_dataset=False):
        from .shuffle import epoch_rng
        self._datasets = list(datasets)
        n = len(self._datasets)
        w = np.full(n, 1.0 / n) if weights is None else np.asarray(weights, dtype=np.float64)
        if w.shape != (n,) or (w < 0).any() or w.sum() <= 0:
            raise ValueError(f"Dataset.sample_from_datasets: `weights` must be {n} non-negative numbers, one per "
                             f"dataset, not all zero. Received: weights={weights!r}.")
        self._weights, self._stop = w / w.sum(), stop_on_empty_dataset
        self._rng = epoch_rng(seed, True, "sample_from_datasets")

    def _inputs(self):
        return self._datasets

    def _spec(self):
        return self._datasets[0].element_spec

    def _iterate(self):
        rng = self._rng()
        iterators = [d._iterate() for d in self._datasets]
        w = self._weights.copy()
        while w.sum() > 0:
            k = int(rng.choice(len(w), p=w / w.sum()))
            for v in iterators[k]:
                yield v
                break
            else:
                if self._stop:
                    return
                w[k] = 0
