"""keras.tree (dendrite/compat/keras3_tree.py) and Keras 3's top-level base-class names; every expected value
below is what Keras 3.15 returns for the same call."""
import collections

import numpy as np
import pytest


def test_flatten_and_paths_walk_dicts_in_sorted_key_order(keras):
    nested = {"b": 1, "a": [2, (3, None)]}
    assert keras.tree.flatten(nested) == [2, 3, None, 1]
    assert keras.tree.flatten_with_path({"b": 1, "a": [2, (3, 4)]}) == [
        (("a", 0), 2), (("a", 1, 0), 3), (("a", 1, 1), 4), (("b",), 1)]
    assert keras.tree.map_structure(lambda x: x, nested) == nested
    assert keras.tree.pack_sequence_as(nested, [20, 30, 40, 10]) == {"b": 10, "a": [20, (30, 40)]}
    assert keras.tree.is_nested([1]) and not keras.tree.is_nested(np.ones(3))
    keras.tree.assert_same_paths({"a": 1, "b": [2]}, {"b": [5], "a": 0})
    with pytest.raises(ValueError, match="different paths"):
        keras.tree.assert_same_paths({"a": 1}, {"b": 1})


def test_keras_only_functions(keras):
    assert keras.tree.lists_to_tuples([1, [2, 3]]) == (1, (2, 3))
    assert keras.tree.map_shape_structure(lambda s: s, [(1, 2), (3,)]) == [(1, 2), (3,)]
    assert keras.tree.map_shape_structure(len, {"x": (None, 4), "y": [(2, 2, 2)]}) == {"x": 2, "y": [3]}
    doubled = keras.tree.traverse(lambda x: x * 2 if isinstance(x, int) else None, [1, (2, 3)])
    assert doubled == [2, (4, 6)]
    assert keras.tree.traverse(lambda x: keras.tree.MAP_TO_NONE if x == 2 else None, [1, 2]) == [1, None]
    assert keras.tree.traverse(lambda x: sum(x) if isinstance(x, tuple) else None, [1, (2, 3)],
                               top_down=False) == [1, 5]
    Point = collections.namedtuple("Point", "x y")
    assert keras.tree.map_structure_up_to(Point(1, 2), lambda a, b: (a, b), Point([1], [2]), Point(3, 4)) == \
        Point(([1], 3), ([2], 4))
    with pytest.raises(ValueError, match="shallow structure"):
        keras.tree.map_structure_up_to([1, 2], lambda a: a, [1])


def test_top_level_base_classes_subclass_as_keras_3_programs_do(keras):
    class Halved(keras.Loss):
        def call(self, y_true, y_pred):
            return keras.ops.mean(keras.ops.square(y_true - y_pred), axis=-1) / 2

    assert Halved()(np.zeros((2, 3)), np.ones((2, 3))).numpy() == pytest.approx(0.5)

    class Count(keras.Metric):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.n = self.add_variable(shape=(), initializer="zeros", name="n")

        def update_state(self, y_true, y_pred, sample_weight=None):
            self.n.assign(self.n + len(y_true))

        def result(self):
            return self.n

    m = Count()
    m.update_state(np.ones(4), np.ones(4))
    assert float(m.result()) == 4.0
    assert isinstance(keras.optimizers.Adam(), keras.Optimizer)
    assert isinstance(keras.initializers.Ones(), keras.Initializer)
    assert isinstance(keras.regularizers.L2(), keras.Regularizer)
    assert isinstance(keras.Input((3,)), keras.KerasTensor)
    assert keras.InputSpec(ndim=2).ndim == 2
    with keras.device("cpu:0"), keras.name_scope("block"):
        assert keras.layers.Dense(2)(np.ones((1, 3))).shape == (1, 2)
    assert keras.DTypePolicy("mixed_float16").compute_dtype == "float16"


def test_interactive_logging_switches_are_served_in_keras_utils_too(keras):
    keras.utils.disable_interactive_logging()
    try:
        assert keras.config.is_interactive_logging_enabled() is False
        assert keras.utils.is_interactive_logging_enabled() is False
    finally:
        keras.utils.enable_interactive_logging()
    assert keras.config.is_interactive_logging_enabled() is True
