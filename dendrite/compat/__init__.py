"""Compatibility mode: tutorial code written for TensorFlow 2, tf.keras, Keras 1/2 or Keras 3 runs on
dendrite unchanged.

    import dendrite.compat
    dendrite.compat.install()      # now `import tensorflow as tf`, `import keras`, `import tf_keras` work
    import tensorflow as tf

``dendrite run program.py`` / ``dendrite run notebook.ipynb`` does this for a whole program (dendrite.compat.run).
All era translation lives here; dendrite's own modules keep Keras 3's API. docs/compat.md lists what is
supported, era by era.
"""
from ._hooks import install, uninstall, installed, ROOTS
from ._notes import note, unsupported, QUIET_ENV

__all__ = ["install", "uninstall", "installed", "ROOTS", "note", "unsupported", "QUIET_ENV"]
