"""``image_dataset_from_directory`` and ``text_dataset_from_directory``: a folder of files, one sub-folder
per class, as a batched :class:`dendrite.data.Dataset` of (images or texts, labels), as Keras builds them.

The files are indexed (and, with ``shuffle``, put in an order drawn from ``seed``) by
:mod:`.dataset_utils`; the validation subset is the last ``validation_split`` of that order; each file is
read when its element is drawn (images decoded by Pillow on a thread pool) and the batches are shuffled
through a buffer of 8 batches each pass, as Keras does. The dataset has ``class_names`` and ``file_paths``.
"""
import numpy as np

from .dataset_utils import (CHANNELS, IMAGE_FORMATS, check_validation_split_arg, get_training_or_validation_split,
                            index_directory, labels_to_array, load_image)

_CHANNELS = {mode: n for n, mode in CHANNELS.items()}  # color_mode -> channels
_LABEL_MODES = ("int", "categorical", "binary", None)


def _check_common(owner, label_mode, labels, batch_size):
    if label_mode not in _LABEL_MODES:
        raise ValueError(f"{owner}: `label_mode` must be one of 'int', 'categorical', 'binary' or None; received "
                         f"label_mode={label_mode!r}.")
    if labels is None and label_mode is not None:
        label_mode = None  # Keras: no labels, no label_mode
    if batch_size is not None and (isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1):
        raise ValueError(f"{owner}: `batch_size` must be a positive integer or None (no batching); received "
                         f"batch_size={batch_size!r}.")
    return label_mode


def _subsets(owner, directory, labels, label_mode, formats, class_names, shuffle, seed, validation_split, subset,
             follow_links, verbose):
    """[(paths, label arrays or None)] for the subset(s) asked for, and the class names."""
    check_validation_split_arg(validation_split, subset, shuffle, seed)
    if seed is None:
        seed = int(np.random.randint(0, 10 ** 6))
    paths, labels_found, classes = index_directory(directory, labels, formats, class_names=class_names,
                                                   shuffle=shuffle, seed=seed, follow_links=follow_links)
    if label_mode == "binary" and len(classes) != 2:
        raise ValueError(f"{owner}: label_mode='binary' needs exactly 2 classes, but {len(classes)} were found "
                         f"({classes}) in {directory}. Use label_mode='int' or 'categorical'.")
    if verbose:
        print(f"Found {len(paths)} files" + (f" belonging to {len(classes)} classes." if classes else "."))
    split = get_training_or_validation_split(paths, labels_found, validation_split, subset)
    parts = list(split) if subset == "both" else [split]
    if validation_split and verbose:
        names = ["training", "validation"] if subset == "both" else [subset]
        for name, (p, _) in zip(names, parts):
            print(f"Using {len(p)} files for {name}.")
    out = []
    for p, lab in parts:
        arr = None if label_mode is None or lab is None else labels_to_array(lab, label_mode, len(classes))
        out.append((list(p), arr))
    return out, classes, seed


def _dataset(paths, labels, read, batch_size, shuffle, seed, classes):
    from ..data import AUTOTUNE, Dataset
    files = Dataset.from_tensor_slices(np.array(paths, dtype=str))
    items = files.map(read, num_parallel_calls=AUTOTUNE)
    ds = items if labels is None else Dataset.zip((items, Dataset.from_tensor_slices(labels)))
    if shuffle:
        ds = ds.shuffle(buffer_size=(batch_size or 1) * 8, seed=seed)
    if batch_size is not None:
        ds = ds.batch(batch_size)
    ds = ds.prefetch(AUTOTUNE)
    ds.class_names, ds.file_paths = classes, list(paths)
    return ds


def image_dataset_from_directory(directory, labels="inferred", label_mode="int", class_names=None,
                                 color_mode="rgb", batch_size=32, image_size=(256, 256), shuffle=True, seed=None,
                                 validation_split=None, subset=None, interpolation="bilinear", follow_links=False,
                                 crop_to_aspect_ratio=False, pad_to_aspect_ratio=False, data_format=None,
                                 verbose=True):
    """Keras's ``image_dataset_from_directory``: batches of float32 images (batch, height, width, channels)
    with values in [0, 255], and their labels ('int': int32 indices, 'categorical': one-hot float32, 'binary':
    a float32 column, None: images only). ``subset='both'`` returns the (training, validation) pair.
    ``crop_to_aspect_ratio`` / ``pad_to_aspect_ratio``: crop, or pad with zeros, to the target's aspect ratio
    before resizing, so that images are not distorted."""
    owner = "image_dataset_from_directory"
    label_mode = _check_common(owner, label_mode, labels, batch_size)
    if color_mode not in _CHANNELS:
        raise ValueError(f"{owner}: `color_mode` must be 'grayscale', 'rgb' or 'rgba'; received "
                         f"color_mode={color_mode!r}.")
    if crop_to_aspect_ratio and pad_to_aspect_ratio:
        raise ValueError(f"{owner}: only one of `crop_to_aspect_ratio` and `pad_to_aspect_ratio` can be True.")
    if data_format not in (None, "channels_last"):
        raise ValueError(f"{owner}: dendrite's images are channels_last; received data_format={data_format!r}.")
    size = tuple(int(s) for s in image_size)
    parts, classes, seed = _subsets(owner, directory, labels, label_mode, IMAGE_FORMATS, class_names, shuffle,
                                    seed, validation_split, subset, follow_links, verbose)
    channels = _CHANNELS[color_mode]

    def read(path):
        return load_image(path.decode() if isinstance(path, bytes) else str(path), size, channels,
                          interpolation, crop_to_aspect_ratio, pad_to_aspect_ratio)
    sets = [_dataset(p, lab, read, batch_size, shuffle, seed, classes) for p, lab in parts]
    return tuple(sets) if subset == "both" else sets[0]


def text_dataset_from_directory(directory, labels="inferred", label_mode="int", class_names=None, batch_size=32,
                                max_length=None, shuffle=True, seed=None, validation_split=None, subset=None,
                                follow_links=False, verbose=True):
    """Keras's ``text_dataset_from_directory``: batches of the ``.txt`` files' contents (byte strings, cut to
    ``max_length`` characters when given) and their labels, as ``image_dataset_from_directory``."""
    owner = "text_dataset_from_directory"
    label_mode = _check_common(owner, label_mode, labels, batch_size)
    if max_length is not None and (isinstance(max_length, bool) or not isinstance(max_length, int) or max_length < 1):
        raise ValueError(f"{owner}: `max_length` must be a positive integer or None; received "
                         f"max_length={max_length!r}.")
    parts, classes, seed = _subsets(owner, directory, labels, label_mode, (".txt",), class_names, shuffle, seed,
                                    validation_split, subset, follow_links, verbose)

    def read(path):
        with open(path.decode() if isinstance(path, bytes) else str(path), "rb") as f:
            text = f.read()
        if max_length is not None:
            text = text.decode("utf-8", errors="replace")[:max_length].encode("utf-8")
        return text
    sets = [_dataset(p, lab, read, batch_size, shuffle, seed, classes) for p, lab in parts]
    return tuple(sets) if subset == "both" else sets[0]
