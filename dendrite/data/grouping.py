"""Grouping by a key: ``group_by_window`` (a window of up to ``window_size`` elements per key handed, as a
Dataset, to ``reduce_func(key, window)``, whose output datasets are joined) and ``group_by_reducer`` (a
``Reducer``'s state per key, finalized at the end). Keys are int64 scalars; at the end of the input the
unfinished windows, and the reducers' states, come out in the order their keys first appeared."""
import numpy as np

from . import cardinality as counts
from . import structure
from .dataset import Dataset
from .transforms import Elements, Passthrough, call, check_callable, converted, dataset_result, function_name, note


def key_of(fn, element, who):
    try:
        key = call(fn, element)
    except Exception as e:
        note(e, f"(raised by the key_func {function_name(fn)!r} given to {who})")
        raise
    arr = structure.to_array(key)
    if arr.shape != () or arr.dtype.kind not in "iu":
        raise ValueError(f"{who}: `key_func` must return an int64 scalar. Received a value of shape {arr.shape} "
                         f"and dtype {arr.dtype} from {function_name(fn)!r}.")
    return np.int64(arr)


class GroupByWindow(Passthrough):
    def __init__(self, input_dataset, key_func, reduce_func, window_size=None, window_size_func=None):
        super().__init__(input_dataset)
        who = "group_by_window"
        self._key = check_callable(key_func, who, "key_func")
        self._reduce = check_callable(reduce_func, who, "reduce_func")
        if (window_size is None) == (window_size_func is None):
            raise ValueError("Dataset.group_by_window: give exactly one of `window_size` (an int) and "
                             f"`window_size_func` (key -> int). Received: window_size={window_size!r}, "
                             f"window_size_func={window_size_func!r}.")
        if window_size is not None:
            size = int(np.asarray(getattr(window_size, "numpy", lambda: window_size)()))
            if size < 1:
                raise ValueError(f"Dataset.group_by_window: `window_size` must be positive. Received: {window_size!r}.")
            self._size_of = lambda key: size
        else:
            check_callable(window_size_func, who, "window_size_func")
            self._size_of = lambda key: self._checked_size(window_size_func, key)

    @staticmethod
    def _checked_size(fn, key):
        size = int(np.asarray(getattr(fn(key), "numpy", lambda: fn(key))()))
        if size < 1:
            raise ValueError(f"Dataset.group_by_window: `window_size_func` gave {size} for key {key}; window sizes "
                             "must be positive.")
        return size

    def _cardinality(self):
        return counts.UNKNOWN

    def _spec(self):
        return Dataset._spec(self)

    def _window(self, key, elements):
        window = Elements(list(elements), self._input.element_spec)
        yield from dataset_result(lambda w: self._reduce(key, w), window, "group_by_window")._iterate()

    def _iterate(self):
        groups, sizes = {}, {}
        for element in self._input._iterate():
            key = key_of(self._key, element, "Dataset.group_by_window")
            k = int(key)
            if k not in sizes:
                sizes[k] = self._size_of(key)
            group = groups.setdefault(k, [])
            group.append(element)
            if len(group) >= sizes[k]:
                groups[k] = []
                yield from self._window(key, group)
        for k, group in groups.items():
            if group:
                yield from self._window(np.int64(k), group)


class Reducer:
    """``tf.data.experimental.Reducer(init_func, reduce_func, finalize_func)``: ``init_func(key)`` gives a
    key's first state, ``reduce_func(state, element)`` the next, ``finalize_func(state)`` the output."""

    def __init__(self, init_func, reduce_func, finalize_func):
        for name, fn in (("init_func", init_func), ("reduce_func", reduce_func), ("finalize_func", finalize_func)):
            if not callable(fn):
                raise TypeError(f"Reducer: `{name}` must be a function. Received: {fn!r}.")
        self.init_func, self.reduce_func, self.finalize_func = init_func, reduce_func, finalize_func


class GroupByReducer(Passthrough):
    def __init__(self, input_dataset, key_func, reducer):
        super().__init__(input_dataset)
        self._key = check_callable(key_func, "group_by_reducer", "key_func")
        if not isinstance(reducer, Reducer):
            raise TypeError("group_by_reducer: `reducer` must be a tf.data.experimental.Reducer. "
                            f"Received: {reducer!r}.")
        self._reducer = reducer

    def _cardinality(self):
        return counts.UNKNOWN

    def _spec(self):
        return Dataset._spec(self)

    def _iterate(self):
        r, states = self._reducer, {}
        for element in self._input._iterate():
            key = key_of(self._key, element, "group_by_reducer")
            k = int(key)
            if k not in states:
                states[k] = converted(r.init_func(key), "group_by_reducer", r.init_func)
            state = states[k]
            states[k] = converted(r.reduce_func(state, *element) if type(element) is tuple and _wants_spread(
                r.reduce_func, element) else r.reduce_func(state, element), "group_by_reducer", r.reduce_func)
        for state in states.values():
            yield converted(r.finalize_func(state), "group_by_reducer", r.finalize_func)


def _wants_spread(fn, element):
    """Whether ``fn(state, *element)`` fits (a tuple element given as separate arguments, as tf.data does)."""
    import inspect
    try:
        params = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):
        return False
    if any(p.kind == p.VAR_POSITIONAL for p in params):
        return True
    return len([p for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]) == 1 + len(element)
