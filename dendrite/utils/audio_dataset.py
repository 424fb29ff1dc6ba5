"""``audio_dataset_from_directory``: a folder of 16-bit PCM ``.wav`` files, one sub-folder per class, as a
batched :class:`dendrite.data.Dataset` of (audio float32 [batch, samples, channels], labels), as Keras 3
builds it (the simple-audio tutorial's loader). Files are indexed, split and labelled as for the image and
text loaders (directory_datasets); each file is decoded when its element is drawn (dendrite/io/wav.py)."""
import numpy as np

from .directory_datasets import _check_common, _subsets

_OWNER = "audio_dataset_from_directory"


def _check(labels, class_names, sampling_rate, output_sequence_length, ragged):
    if labels not in ("inferred", None) and not isinstance(labels, (list, tuple)):
        raise ValueError(f"{_OWNER}: `labels` must be 'inferred', None, or a list/tuple of integer labels (one "
                         f"per file, in alphanumeric order of the paths); received labels={labels!r}.")
    if class_names and labels != "inferred":
        raise ValueError(f"{_OWNER}: `class_names` can only be passed with labels='inferred'; received "
                         f"labels={labels!r}, class_names={class_names!r}.")
    if ragged and output_sequence_length is not None:
        raise ValueError(f"{_OWNER}: `ragged` and `output_sequence_length` cannot both be set; pass one.")
    if ragged:
        raise NotImplementedError(f"{_OWNER}(ragged=True) is not supported by dendrite's compatibility mode; "
                                  "pass output_sequence_length (or leave both unset to pad each batch to its "
                                  "longest file). The table of what is supported is in docs/compat.md.")
    if sampling_rate is not None and (isinstance(sampling_rate, bool) or not isinstance(sampling_rate, int)
                                      or sampling_rate <= 0):
        raise ValueError(f"{_OWNER}: `sampling_rate` must be a positive integer (samples per second); received "
                         f"sampling_rate={sampling_rate!r}.")
    if output_sequence_length is not None and (isinstance(output_sequence_length, bool) or not isinstance(
            output_sequence_length, int) or output_sequence_length < 1):
        raise ValueError(f"{_OWNER}: `output_sequence_length` must be a positive integer or None; received "
                         f"output_sequence_length={output_sequence_length!r}.")


def audio_dataset_from_directory(directory, labels="inferred", label_mode="int", class_names=None, batch_size=32,
                                 sampling_rate=None, output_sequence_length=None, ragged=False, shuffle=True,
                                 seed=None, validation_split=None, subset=None, follow_links=False, verbose=True):
    """Keras's ``audio_dataset_from_directory``: batches of float32 audio (batch, samples, channels) in [-1, 1)
    and their labels ('int': int32, 'categorical': one-hot float32, 'binary': a float32 column, None: audio
    only). ``output_sequence_length`` cuts or zero-pads every file to that many samples; without it each batch
    is zero-padded to its longest file. ``sampling_rate``: the rate every file must have (Keras resamples
    through tensorflow-io, which dendrite does not; a file at another rate is an error naming it).
    ``subset='both'`` returns the (training, validation) pair."""
    _check(labels, class_names, sampling_rate, output_sequence_length, ragged)
    label_mode = _check_common(_OWNER, label_mode, labels, batch_size)
    parts, classes, seed = _subsets(_OWNER, directory, labels, label_mode, (".wav",), class_names, shuffle, seed,
                                    validation_split, subset, follow_links, verbose)
    for paths, _ in parts:
        if not paths:
            raise ValueError(f"{_OWNER}: no .wav files found for this subset in {directory!r}; check the folder "
                             "and validation_split.")

    def read(path):
        from ..io.wav import decode_wav
        path = path.decode() if isinstance(path, bytes) else str(path)
        with open(path, "rb") as f:
            audio, rate = decode_wav(f.read(), -1, -1 if output_sequence_length is None else output_sequence_length)
        if sampling_rate is not None and rate != sampling_rate:
            raise NotImplementedError(
                f"{_OWNER}: {path} is sampled at {rate} Hz but sampling_rate={sampling_rate}; dendrite does not "
                "resample audio (Keras does it through tensorflow-io). Resample the files, or leave "
                "sampling_rate unset. The table of what is supported is in docs/compat.md.")
        return audio

    sets = [_dataset(p, lab, read, batch_size, shuffle, seed, classes, output_sequence_length)
            for p, lab in parts]
    return tuple(sets) if subset == "both" else sets[0]


def _dataset(paths, labels, read, batch_size, shuffle, seed, classes, output_sequence_length):
    from ..data import AUTOTUNE, Dataset
    files = Dataset.from_tensor_slices(np.array(paths, dtype=str))
    items = files.map(read, num_parallel_calls=AUTOTUNE)
    ds = items if labels is None else Dataset.zip((items, Dataset.from_tensor_slices(labels)))
    if shuffle:
        ds = ds.shuffle(buffer_size=(batch_size or 1) * 8, seed=seed)
    if batch_size is not None:
        ds = ds.batch(batch_size) if output_sequence_length is not None else ds.padded_batch(batch_size)
    ds = ds.prefetch(AUTOTUNE)
    ds.class_names, ds.file_paths = classes, list(paths)
    return ds
