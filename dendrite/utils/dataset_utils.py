"""What the directory datasets (image_dataset_from_directory, text_dataset_from_directory) share, as Keras 3
does it: ``index_directory`` (the files, their labels and the class names), ``check_validation_split_arg`` and
``get_training_or_validation_split`` (the split after the shuffle), ``labels_to_array`` (labels by
``label_mode``); and ``load_image``, one image file as the float32 array image_dataset_from_directory yields.
"""
import os

import numpy as np

from .validation import positive_int

IMAGE_FORMATS = (".bmp", ".gif", ".jpeg", ".jpg", ".png")  # what Keras's image_dataset_from_directory reads
LABEL_MODES = ("int", "categorical", "binary", None)
CHANNELS = {1: "grayscale", 3: "rgb", 4: "rgba"}


def _files(folder, formats, follow_links):
    """Paths (relative to ``folder``) of the files under it whose names end with one of ``formats``, in
    alphanumeric order of their folders, then names."""
    found = []
    for root, dirs, names in sorted(os.walk(folder, followlinks=follow_links), key=lambda walk: walk[0]):
        rel = os.path.relpath(root, folder)
        found += [os.path.normpath(os.path.join(rel, n)) for n in sorted(names) if n.lower().endswith(formats)]
    return found


def index_directory(directory, labels, formats, class_names=None, shuffle=True, seed=None, follow_links=False):
    """(file_paths, labels, class_names) for the files of ``directory`` whose extensions are in ``formats``:

    - ``labels='inferred'``: one class per sub-folder (sorted alphanumerically, or ``class_names`` in its
      order, a subset of the sub-folders), labels the int32 class indices;
    - a list or tuple: one label per file, the files taken in sorted path order; class_names are the sorted
      distinct labels as strings;
    - None: no labels (and no class names).

    With ``shuffle``, paths and labels are shuffled together by ``seed`` (drawn when None)."""
    directory = os.fspath(directory)
    formats = tuple(f.lower() for f in ((formats,) if isinstance(formats, str) else formats))
    if not os.path.isdir(directory):
        raise ValueError(f"index_directory: `directory` must be an existing folder; received directory="
                         f"{directory!r}, which {'is a file' if os.path.exists(directory) else 'does not exist'}.")
    inferred = isinstance(labels, str) and labels == "inferred"
    if isinstance(labels, str) and not inferred:
        raise ValueError("index_directory: `labels` must be 'inferred', None, or a list or tuple of labels (one "
                         f"per file, in sorted path order); received labels={labels!r}.")
    if inferred:
        subdirs = sorted(d for d in os.listdir(directory)
                         if os.path.isdir(os.path.join(directory, d)) and not d.startswith("."))
        if class_names is not None:
            unknown = [c for c in class_names if c not in subdirs]
            if unknown:
                raise ValueError(f"index_directory: `class_names` must name sub-folders of {directory!r} (found "
                                 f"{subdirs}); received class_names={list(class_names)}, of which {unknown} are "
                                 "not there.")
            subdirs = list(class_names)
        found = [(os.path.join(d, f), i) for i, d in enumerate(subdirs)
                 for f in _files(os.path.join(directory, d), formats, follow_links)]
        paths, label_array = [p for p, _ in found], np.array([i for _, i in found], dtype=np.int32)
        class_names = list(subdirs)
    else:
        if class_names is not None:
            raise ValueError("index_directory: `class_names` can only be given with labels='inferred' (with a list "
                             "of labels, the class names are its sorted distinct values; with labels=None there are "
                             "none).")
        paths = _files(directory, formats, follow_links)
        label_array = None
    if not paths:
        raise ValueError(f"index_directory: no files with the extensions {formats} in directory {directory!r}"
                         + (f" (looked in its sub-folders {class_names})" if inferred else "")
                         + ". Check the path, or the formats the files are in.")
    if not inferred and labels is not None:
        if len(labels) != len(paths):
            raise ValueError(f"index_directory: `labels` must hold one label per file: found {len(paths)} files "
                             f"in {directory!r} but received {len(labels)} labels. Give them in the sorted order "
                             "of the files' paths.")
        label_array = np.asarray(labels)
        class_names = [str(v) for v in sorted(set(label_array.tolist()))]
    file_paths = [os.path.join(directory, p) for p in paths]
    if shuffle:
        order = np.random.RandomState(np.random.randint(1e6) if seed is None else seed).permutation(len(paths))
        file_paths = [file_paths[i] for i in order]
        label_array = None if label_array is None else label_array[order]
    return file_paths, label_array, class_names


def check_validation_split_arg(validation_split, subset, shuffle, seed):
    """The checks Keras makes of ``validation_split`` and ``subset`` before a directory dataset is split."""
    if validation_split and not 0 < validation_split < 1:
        raise ValueError("`validation_split` must be a fraction strictly between 0 and 1; received "
                         f"validation_split={validation_split!r}.")
    if bool(validation_split) != bool(subset):
        raise ValueError("`validation_split` and `subset` go together: give both (say validation_split=0.2, "
                         f"subset='training') or neither; received validation_split={validation_split!r}, "
                         f"subset={subset!r}.")
    if subset not in ("training", "validation", "both", None):
        raise ValueError("`subset` must be 'training', 'validation', 'both' or None; received "
                         f"subset={subset!r}.")
    if validation_split and shuffle and seed is None:
        raise ValueError("`seed` is required with `validation_split` when shuffling: the training and validation "
                         "subsets are cut from the shuffled files, and only a shared seed keeps them apart. Pass "
                         "the same seed (e.g. seed=123) to both calls.")


def get_training_or_validation_split(samples, labels, validation_split, subset):
    """The last int(validation_split * len(samples)) samples (and labels) are the validation subset, the rest
    training: ``subset`` 'training' or 'validation' returns (samples, labels) of that one, 'both' returns
    ((training samples, labels), (validation samples, labels)). Without a validation_split, everything."""
    if not validation_split:
        return samples, labels
    n_val = int(validation_split * len(samples))
    cut = len(samples) - n_val

    def part(items, lo, hi):
        return None if items is None else items[lo:hi]
    training = (part(samples, 0, cut), part(labels, 0, cut))
    validation = (part(samples, cut, None), part(labels, cut, None))
    if subset == "training":
        return training
    if subset == "validation":
        return validation
    if subset == "both":
        return training, validation
    raise ValueError("get_training_or_validation_split: `subset` must be 'training', 'validation' or 'both'; "
                     f"received subset={subset!r}.")


def labels_to_array(labels, label_mode, num_classes):
    """Labels (class indices) as Keras's directory datasets yield them: 'int' an int32 vector, 'categorical' a
    float32 one-hot matrix of ``num_classes`` columns, 'binary' a float32 column (num_classes must be 2),
    None: None."""
    if label_mode not in LABEL_MODES:
        raise ValueError(f"labels_to_array: `label_mode` must be one of {LABEL_MODES}; received "
                         f"label_mode={label_mode!r}.")
    if label_mode is None:
        return None
    num_classes = positive_int("labels_to_array", "num_classes", num_classes)
    values = np.asarray(labels)
    if values.dtype.kind not in "iu" or values.ndim != 1:
        raise ValueError("labels_to_array: `labels` must be a vector of integer class indices; received an array "
                         f"of dtype {values.dtype} and shape {values.shape}.")
    if values.size and (values.min() < 0 or values.max() >= num_classes):
        bad = values[(values < 0) | (values >= num_classes)][0]
        raise ValueError(f"labels_to_array: every label must be a class index in [0, {num_classes}) "
                         f"(num_classes={num_classes}); received the label {int(bad)}.")
    if label_mode == "binary":
        if num_classes != 2:
            raise ValueError("labels_to_array: label_mode='binary' needs exactly 2 classes; received "
                             f"num_classes={num_classes}. Use label_mode='categorical' or 'int' for more.")
        return values.astype(np.float32)[:, None]
    if label_mode == "categorical":
        from .np_utils import to_categorical
        return to_categorical(values, num_classes).astype(np.float32)
    return values.astype(np.int32)


def load_image(path, image_size, num_channels, interpolation="bilinear", crop_to_aspect_ratio=False,
               pad_to_aspect_ratio=False):
    """The image file at ``path`` as a float32 (height, width, num_channels) array of values in [0, 255]:
    decoded with Pillow into 1 (grayscale), 3 (RGB) or 4 (RGBA) channels, then resized to ``image_size`` =
    (height, width) as Resizing does ('bilinear' or 'nearest', without antialiasing, as TensorFlow's resize),
    first cropped to the target's aspect ratio with ``crop_to_aspect_ratio``, or padded to it with zeros
    around the centred image with ``pad_to_aspect_ratio`` (Keras's letterboxing)."""
    from ..autodiff import Tensor
    from ..layers.image_preprocessing import INTERPOLATIONS, _aspect_window
    from ..layers.reshaping import resize_nhwc
    from .image_utils import COLOR_MODES, open_image

    if num_channels not in CHANNELS:
        raise ValueError(f"load_image: `num_channels` must be 1, 3 or 4 (grayscale, rgb, rgba); received "
                         f"num_channels={num_channels!r}.")
    if interpolation not in INTERPOLATIONS:
        raise ValueError(f"load_image: `interpolation` must be one of {INTERPOLATIONS}; received "
                         f"interpolation={interpolation!r}.")
    if (not isinstance(image_size, (tuple, list)) or len(image_size) != 2
            or not all(isinstance(v, (int, np.integer)) and v > 0 for v in image_size)):
        raise ValueError("load_image: `image_size` must be (height, width), two positive integers; received "
                         f"image_size={image_size!r}.")
    img = open_image(path, "load_image")
    mode = COLOR_MODES[CHANNELS[num_channels]]
    x = np.asarray(img if img.mode == mode else img.convert(mode), dtype=np.float32)
    x = x.reshape(x.shape[0], x.shape[1], num_channels)
    height, width = int(image_size[0]), int(image_size[1])
    if crop_to_aspect_ratio and pad_to_aspect_ratio:
        raise ValueError("load_image: pass only one of `crop_to_aspect_ratio` and `pad_to_aspect_ratio`.")
    if crop_to_aspect_ratio:
        top, left, rows, cols = _aspect_window(x.shape[0], x.shape[1], height, width)
        x = x[top:top + rows, left:left + cols]
    elif pad_to_aspect_ratio:
        rows, cols = x.shape[:2]
        padded_rows = max(rows, int(cols * height / width))
        padded_cols = max(cols, int(rows * width / height))
        top, left = (padded_rows - rows) // 2, (padded_cols - cols) // 2
        box = np.zeros((padded_rows, padded_cols, num_channels), np.float32)
        box[top:top + rows, left:left + cols] = x
        x = box
    if x.shape[:2] == (height, width):
        return np.ascontiguousarray(x)
    return resize_nhwc(Tensor(x[None]), height, width, interpolation).value[0]
