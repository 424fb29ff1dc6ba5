"""``tf.nest``: nested structures of lists, tuples, namedtuples and dicts, as TensorFlow walks them (dict
values in sorted key order; strings, arrays, tensors and ``None`` are leaves). tf.data's own nesting
(dendrite.data.structure) differs on purpose: there a list is one component."""
import collections.abc


def is_nested(seq):
    """Lists, tuples, dicts and a dict's ``keys()`` / ``values()`` / ``items()`` views (in their order)."""
    return isinstance(seq, (list, tuple, collections.abc.Mapping, collections.abc.MappingView))


def _children(structure):
    if isinstance(structure, collections.abc.Mapping):
        return [structure[k] for k in _keys(structure)]
    return list(structure)


def _keys(mapping):
    try:
        return sorted(mapping)
    except TypeError as e:
        raise TypeError(f"tf.nest: the keys of a dict in the structure must be sortable ({e}).") from None


def flatten(structure, expand_composites=False):
    """The leaves of ``structure`` in order (a leaf alone gives a one-element list)."""
    if not is_nested(structure):
        return [structure]
    return [leaf for child in _children(structure) for leaf in flatten(child)]


def _rebuild(template, children):
    if isinstance(template, collections.abc.Mapping):
        by_key = dict(zip(_keys(template), children))
        return type(template)((k, by_key[k]) for k in template) if not isinstance(
            template, collections.defaultdict) else collections.defaultdict(template.default_factory, by_key)
    if isinstance(template, tuple) and hasattr(template, "_fields"):
        return type(template)(*children)
    if isinstance(template, collections.abc.MappingView):
        return list(children)  # (a view cannot be rebuilt: TensorFlow gives a list)
    return type(template)(children)


def pack_sequence_as(structure, flat_sequence, expand_composites=False):
    """``flat_sequence`` put back into the nesting of ``structure``."""
    flat = list(flat_sequence)
    count = len(flatten(structure))
    if len(flat) != count:
        raise ValueError(f"tf.nest.pack_sequence_as: the structure has {count} leaves but flat_sequence has "
                         f"{len(flat)} elements; they must match.")
    it = iter(flat)

    def build(t):
        if not is_nested(t):
            return next(it)
        return _rebuild(t, [build(c) for c in _children(t)])

    return build(structure)


def assert_same_structure(nest1, nest2, check_types=True, expand_composites=False):
    """A ValueError (TypeError for differing sequence types with ``check_types``) unless both nest alike."""
    def walk(a, b, path):
        if is_nested(a) != is_nested(b):
            raise ValueError(f"tf.nest: the two structures don't have the same nested structure at {path or 'the top'}:"
                             f" {type(a).__name__} vs {type(b).__name__}.")
        if not is_nested(a):
            return
        if check_types and type(a) is not type(b) and not (isinstance(a, list) and isinstance(b, list)):
            raise TypeError(f"tf.nest: the two structures don't have the same sequence type at {path or 'the top'}:"
                            f" {type(a).__name__} vs {type(b).__name__}.")
        if isinstance(a, collections.abc.Mapping) and set(a) != set(b):
            raise ValueError(f"tf.nest: the two dicts at {path or 'the top'} have different keys: "
                             f"{sorted(map(str, a))} vs {sorted(map(str, b))}.")
        ca, cb = _children(a), _children(b)
        if len(ca) != len(cb):
            raise ValueError(f"tf.nest: the two structures don't have the same number of elements at "
                             f"{path or 'the top'}: {len(ca)} vs {len(cb)}.")
        for i, (x, y) in enumerate(zip(ca, cb)):
            walk(x, y, f"{path}[{i}]")
    walk(nest1, nest2, "")


def map_structure(func, *structure, **kwargs):
    """``func`` applied to the corresponding leaves of structures that nest alike, in their nesting."""
    if not structure:
        raise ValueError("tf.nest.map_structure: give at least one structure after the function.")
    check_types = kwargs.pop("check_types", True)
    kwargs.pop("expand_composites", None)
    if kwargs:
        raise ValueError(f"tf.nest.map_structure: unknown keyword argument(s) {sorted(kwargs)}; "
                         "only check_types and expand_composites are accepted.")
    for other in structure[1:]:
        assert_same_structure(structure[0], other, check_types=check_types)
    leaves = [flatten(s) for s in structure]
    return pack_sequence_as(structure[0], [func(*args) for args in zip(*leaves)])


def flatten_with_joined_string_paths(structure, separator="/", expand_composites=False):
    """``[(path, leaf)]`` with each path the keys / indices down to the leaf joined by ``separator``."""
    out = []

    def walk(t, path):
        if not is_nested(t):
            out.append((separator.join(path), t))
            return
        keys = _keys(t) if isinstance(t, collections.abc.Mapping) else range(len(t))
        for k, child in zip(keys, _children(t)):
            walk(child, path + [str(k)])
    walk(structure, [])
    return out


NAMES = ("is_nested flatten pack_sequence_as assert_same_structure map_structure "
         "flatten_with_joined_string_paths")
