"""The model builders of tools/make_keras_weights_fixtures.py (the script that wrote tests/fixtures/keras_weights
with real Keras), loaded once for the saving tests, which build the same models in dendrite."""
import importlib.util
import os

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, "fixtures", "keras_weights")
_spec = importlib.util.spec_from_file_location(
    "make_keras_weights_fixtures", os.path.join(HERE, "..", "tools", "make_keras_weights_fixtures.py"))
builders = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(builders)
