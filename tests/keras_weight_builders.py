"""The model builders of tools/make_keras_weights_fixtures.py (the script that wrote tests/fixtures/keras_weights
with real Keras), loaded once for the saving tests, which build the same models in dendrite."""
import importlib.util
import os

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, "fixtures", "keras_weights")


def tool(name):
    """The fixture script tools/<name>.py as a module (its model builders)."""
    spec = importlib.util.spec_from_file_location(name, os.path.join(HERE, "..", "tools", name + ".py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


builders = tool("make_keras_weights_fixtures")
