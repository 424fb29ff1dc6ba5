"""``keras.tree`` (Keras 3): nested structures of lists, tuples, namedtuples and dicts, walked as Keras 3
walks them (dict values in sorted key order, ``None`` a leaf). Built on tf_nest, which has the same order;
here the Keras-only functions: paths, ``map_structure_up_to``, ``traverse``, ``lists_to_tuples`` and
``map_shape_structure`` (a tuple of ints and None is one shape, a leaf)."""
from . import tf_nest
from .tf_nest import assert_same_structure, flatten, is_nested, map_structure, pack_sequence_as

MAP_TO_NONE = type("MAP_TO_NONE", (), {"__repr__": lambda self: "keras.tree.MAP_TO_NONE"})()


def _items(structure):
    """(key, child) pairs in the walking order (sorted keys for a dict, positions otherwise)."""
    if isinstance(structure, dict):
        return [(k, structure[k]) for k in tf_nest._keys(structure)]
    return list(enumerate(structure))


def flatten_with_path(structure):
    """[(path, leaf)]: each leaf with the tuple of keys and positions that reach it."""
    if not is_nested(structure):
        return [((), structure)]
    return [((key,) + path, leaf) for key, child in _items(structure) for path, leaf in flatten_with_path(child)]


def assert_same_paths(a, b):
    paths_a, paths_b = {p for p, _ in flatten_with_path(a)}, {p for p, _ in flatten_with_path(b)}
    if paths_a != paths_b:
        raise ValueError(f"keras.tree.assert_same_paths: the structures have different paths; only in the "
                         f"first: {sorted(paths_a - paths_b, key=str)}, only in the second: "
                         f"{sorted(paths_b - paths_a, key=str)}.")


def _rebuild(template, children):
    return tf_nest._rebuild(template, children)


def map_structure_up_to(shallow_structure, func, *structures):
    """``func`` applied to the parts of ``structures`` that sit at the leaves of ``shallow_structure``."""
    if not is_nested(shallow_structure):
        return func(*structures)
    keys = [k for k, _ in _items(shallow_structure)]
    for s in structures:
        if not is_nested(s) or len(_items(s)) != len(keys):
            raise ValueError(f"keras.tree.map_structure_up_to: a structure does not match the shallow structure "
                             f"{shallow_structure!r}; received {s!r}.")
    children = [map_structure_up_to(child, func, *[s[k] for s in structures])
                for k, child in _items(shallow_structure)]
    return _rebuild(shallow_structure, children)


def lists_to_tuples(structure):
    """The same structure with every list a tuple."""
    if not is_nested(structure):
        return structure
    children = [lists_to_tuples(child) for _, child in _items(structure)]
    return tuple(children) if isinstance(structure, list) else _rebuild(structure, children)


def traverse(func, structure, top_down=True):
    """Top down: ``func(node)`` replaces the node unless it returns None (then its children are walked) or
    MAP_TO_NONE (then the node becomes None). Bottom up: children first, then ``func`` of the rebuilt node,
    kept when it returns None."""
    def walk(node):
        if top_down:
            out = func(node)
            if out is MAP_TO_NONE:
                return None
            if out is not None or not is_nested(node):
                return node if out is None else out
            return _rebuild(node, [walk(child) for _, child in _items(node)])
        rebuilt = _rebuild(node, [walk(child) for _, child in _items(node)]) if is_nested(node) else node
        out = func(rebuilt)
        return None if out is MAP_TO_NONE else rebuilt if out is None else out
    return walk(structure)


def _is_shape(x):
    return isinstance(x, (tuple, list)) and all(d is None or isinstance(d, int) for d in x)


def map_shape_structure(func, structure):
    """``func`` on each shape (a tuple or list of ints and None) of a structure of shapes."""
    if _is_shape(structure) or not is_nested(structure):
        return func(structure)
    return _rebuild(structure, [map_shape_structure(func, child) for _, child in _items(structure)])


NAMES = {name: globals()[name] for name in (
    "MAP_TO_NONE assert_same_paths assert_same_structure flatten flatten_with_path is_nested lists_to_tuples "
    "map_shape_structure map_structure map_structure_up_to pack_sequence_as traverse").split()}
