"""What a Model writes to and reads from files: ``save_weights`` / ``load_weights`` in the three weights
formats, ``save`` of the whole model, ``to_json`` (a mixin of :class:`dendrite.models.Model`)."""
import os


def _weights_format(filepath):
    """'keras3' for .weights.h5, 'legacy' for other .h5 / .hdf5, 'checkpoint' for a prefix without extension."""
    name = filepath.lower()
    if name.endswith(".weights.h5"):
        return "keras3"
    if name.endswith((".h5", ".hdf5", ".keras")):
        if name.endswith(".keras"):
            raise ValueError(f"save_weights / load_weights: {filepath} names a whole-model .keras file; weights "
                             "files end in .weights.h5 (or .h5). Whole models are saved with model.save().")
        return "legacy"
    return "checkpoint"



class ModelSaving:
    def save_weights(self, filepath, overwrite=True, save_format=None):
        """The weights to ``filepath``, in the format its name says: ``.weights.h5`` (Keras 3's layout),
        ``.h5`` / ``.hdf5`` (tf.keras 2's), or a TensorFlow-style checkpoint prefix without extension
        (dendrite's own files, see dendrite.saving.checkpoint). The write is atomic: a crash leaves the
        previous file whole."""
        from ..saving import checkpoint, weights_h5
        filepath = os.fspath(filepath)
        kind = _weights_format(filepath)
        target = filepath + ".index" if kind == "checkpoint" else filepath
        if not overwrite and os.path.exists(target):
            raise FileExistsError(f"{self.who}.save_weights: {target} exists and overwrite=False.")
        self._require_built_weights("save_weights")
        if kind == "keras3":
            weights_h5.save_weights_h5(self, filepath)
        elif kind == "legacy":
            weights_h5.save_weights_legacy_h5(self, filepath)
        else:
            checkpoint.save_checkpoint(self, filepath)

    def load_weights(self, filepath, skip_mismatch=False, by_name=False):
        """Weights saved by save_weights (dendrite's or Keras's: ``.weights.h5`` from Keras 3, ``.h5`` from
        tf.keras 2, with ``by_name`` / ``skip_mismatch`` as Keras documents them), or a checkpoint prefix."""
        from ..saving import checkpoint, weights_h5
        if filepath is None:  # what tf.train.latest_checkpoint gives for a folder without checkpoints
            raise TypeError(f"{self.who}.load_weights: expected a file path (str or os.PathLike); received None. "
                            "If it came from tf.train.latest_checkpoint(folder), no checkpoint was saved in that "
                            "folder yet: check the ModelCheckpoint's path and save_freq / period.")
        filepath = os.fspath(filepath)
        self._require_built_weights("load_weights")
        kind = _weights_format(filepath)
        if kind == "keras3":
            weights_h5.load_weights_h5(self, filepath, skip_mismatch=skip_mismatch)
        elif kind == "legacy":
            weights_h5.load_weights_legacy_h5(self, filepath, by_name=by_name, skip_mismatch=skip_mismatch)
        else:
            checkpoint.load_checkpoint(self, filepath)

    def _require_built_weights(self, what):
        if not self.weights:  # (a model whose own __call__ runs its layers has weights without being built)
            raise ValueError(f"{self.who}.{what}: the model has no weights yet. Build it first: start it with "
                             "keras.Input(shape=...), call model.build(input_shape), or call it on data.")

    def save(self, filepath, overwrite=True, include_optimizer=True, **kwargs):
        """The whole model (architecture, weights, compile settings, optimizer state) to ``filepath``: ``.keras``
        (Keras 3's archive) or ``.h5`` (tf.keras 2's file); ``models.load_model`` reads either back."""
        from ..saving.saving_lib import save_model
        if kwargs.pop("save_format", None) not in (None, "keras", "h5", "tf") or kwargs:
            raise TypeError(f"{self.who}.save: unexpected argument(s) {sorted(kwargs)}.")
        save_model(self, filepath, overwrite=overwrite, include_optimizer=include_optimizer)

    def to_json(self, **kwargs):
        """The model's architecture as a JSON string in Keras's envelope (keyword arguments go to json.dumps)."""
        from .model_json import to_json
        return to_json(self, **kwargs)

