"""The registry of custom objects: register_keras_serializable, get_registered_name / _object and
custom_object_scope."""
import threading

import pytest

from dendrite import saving


def test_registered_class_and_function_are_known_by_package_and_name():
    @saving.register_keras_serializable(package="RegTest")
    class Scaled:
        def __init__(self, k=1.0):
            self.k = k

        def get_config(self):
            return {"k": self.k}

    @saving.register_keras_serializable("RegTest", name="doubler")
    def double(x):
        return 2 * x

    assert saving.get_registered_name(Scaled) == "RegTest>Scaled"
    assert saving.get_registered_name(double) == "RegTest>doubler"
    assert saving.get_registered_object("RegTest>Scaled") is Scaled
    assert saving.get_registered_object("RegTest>doubler") is double
    assert saving.get_custom_objects()["RegTest>Scaled"] is Scaled

    def plain():
        pass

    assert saving.get_registered_name(plain) == "plain"  # not registered: its own name, as Keras
    assert saving.get_registered_object("RegTest>nothing") is None


def test_default_package_is_custom_and_registering_again_replaces():
    @saving.register_keras_serializable()
    def tripler(x):
        return 3 * x

    assert saving.get_registered_name(tripler) == "Custom>tripler"

    @saving.register_keras_serializable()
    def tripler(x):  # noqa: F811 - a redefinition, as when a notebook cell runs twice
        return x * 3

    assert saving.get_registered_object("Custom>tripler") is tripler


def test_lookup_order_scope_then_registry_then_arguments():
    marker_scope, marker_arg, marker_module = object(), object(), object()
    assert saving.get_registered_object("x", custom_objects={"x": marker_arg}) is marker_arg
    assert saving.get_registered_object("x", module_objects={"x": marker_module}) is marker_module
    assert saving.get_registered_object("x", {"x": marker_arg}, {"x": marker_module}) is marker_arg
    with saving.custom_object_scope({"x": marker_scope}):
        assert saving.get_registered_object("x", custom_objects={"x": marker_arg}) is marker_scope


def test_scopes_nest_merge_and_restore_even_after_an_error():
    a, b, c = object(), object(), object()
    with saving.CustomObjectScope({"a": a}, {"b": b}):  # several dicts, as tf.keras took them
        assert saving.get_registered_object("a") is a and saving.get_registered_object("b") is b
        with pytest.raises(RuntimeError):
            with saving.custom_object_scope({"a": c}):
                assert saving.get_registered_object("a") is c  # the inner scope wins
                assert saving.get_registered_object("b") is b  # and the outer one still counts
                raise RuntimeError("boom")
        assert saving.get_registered_object("a") is a
    assert saving.get_registered_object("a") is None


def test_scopes_belong_to_their_thread():
    seen = []
    with saving.custom_object_scope({"only_here": object()}):
        worker = threading.Thread(target=lambda: seen.append(saving.get_registered_object("only_here")))
        worker.start()
        worker.join()
    assert seen == [None]


def test_bad_registrations_are_refused():
    with pytest.raises(ValueError, match=r"register_keras_serializable: the class NoConfig has no get_config"):
        @saving.register_keras_serializable()
        class NoConfig:
            pass
    with pytest.raises(ValueError, match=r"`package` must be a non-empty string without '>'.*package='a>b'"):
        saving.register_keras_serializable(package="a>b")
    with pytest.raises(ValueError, match=r"`name` must be a non-empty string.*name=''"):
        saving.register_keras_serializable(name="")
    with pytest.raises(TypeError, match=r"expected a class or a function; received 3"):
        saving.register_keras_serializable()(3)
    with pytest.raises(TypeError, match=r"CustomObjectScope: expected dicts of \{name: class or function\}"):
        saving.custom_object_scope(["not", "a", "dict"])
