"""Keras 2's ``keras.preprocessing``: ``sequence.pad_sequences`` and ``image`` (``load_img``,
``img_to_array``, ``array_to_img`` with Pillow, and ``ImageDataGenerator`` with ``flow`` /
``flow_from_directory``, ``rescale`` and the common augmentations: rotation, shifts, shear, zoom, flips, with
'nearest', 'constant', 'reflect' or 'wrap' filling). Images are channels-last."""
import math
import os
import warnings

import numpy as np

from .. import backend
from ..random import generator_for
from ..utils.py_dataset import PyDataset
from .image_iterators import Iterator

_IMAGE_EXTS = (".png", ".jpg", ".jpeg", ".bmp", ".ppm", ".tif", ".tiff", ".gif")


def pad_sequences(sequences, maxlen=None, dtype="int32", padding="pre", truncating="pre", value=0.0):
    """Lists of ints padded (or cut) to ``maxlen`` (default: the longest), at the start ('pre') or end."""
    for arg, v in (("padding", padding), ("truncating", truncating)):
        if v not in ("pre", "post"):
            raise ValueError(f"pad_sequences: `{arg}` must be 'pre' or 'post'; received {v!r}.")
    seqs = [list(s) for s in sequences]
    maxlen = max((len(s) for s in seqs), default=0) if maxlen is None else int(maxlen)
    out = np.full((len(seqs), maxlen), value, dtype=dtype)
    for i, s in enumerate(seqs):
        s = s[-maxlen:] if truncating == "pre" else s[:maxlen]
        if not s or maxlen == 0:
            continue
        if padding == "post":
            out[i, :len(s)] = s
        else:
            out[i, maxlen - len(s):] = s
    return out


def _pil():
    try:
        from PIL import Image
    except ImportError:
        raise ImportError("keras.preprocessing.image reads images with Pillow: pip install 'dendrite[images]'") from None
    return Image


def load_img(path, grayscale=False, color_mode="rgb", target_size=None, interpolation="nearest", **kwargs):
    Image = _pil()
    img = Image.open(path)
    mode = "L" if grayscale or color_mode == "grayscale" else ("RGBA" if color_mode == "rgba" else "RGB")
    img = img.convert(mode)
    if target_size is not None:
        size = (int(target_size[1]), int(target_size[0]))
        if img.size != size:
            img = img.resize(size, {"nearest": Image.NEAREST, "bilinear": Image.BILINEAR,
                                    "bicubic": Image.BICUBIC}.get(interpolation, Image.NEAREST))
    return img


def img_to_array(img, data_format=None, dtype=None):
    x = np.asarray(img, dtype=dtype or backend.floatx())
    if x.ndim == 2:
        x = x[..., None]
    if (data_format or backend.image_data_format()) == "channels_first":
        x = x.transpose(2, 0, 1)
    return x


def array_to_img(x, data_format=None, scale=True, dtype=None):
    Image = _pil()
    x = np.asarray(x, dtype="float64")
    if (data_format or backend.image_data_format()) == "channels_first":
        x = x.transpose(1, 2, 0)
    if scale:
        x = x - x.min()
        top = x.max()
        x = x / top * 255 if top > 0 else x
    x = np.clip(x, 0, 255).astype("uint8")
    return Image.fromarray(x[..., 0] if x.shape[-1] == 1 else x)


def save_img(path, x, data_format=None, file_format=None, scale=True, **kwargs):
    array_to_img(x, data_format, scale).save(path, format=file_format)


def _shift(rng, value, size):
    """A shift in pixels drawn as Keras draws it: an int or a list picks one of its values (an int n: one of
    0..n-1) with a random sign, a float ``uniform(-value, value)``; a range below 1 is a fraction of ``size``."""
    if not value:
        return 0
    if np.ndim(value) == 1 or isinstance(value, (int, np.integer)):
        shift = rng.choice(value) * rng.choice([-1, 1])
    else:
        shift = rng.uniform(-value, value)
    return shift * size if np.max(value) < 1 else shift


class ImageDataGenerator:
    """Batches of (augmented) images: ``flow(x, y, batch_size)`` over arrays, ``flow_from_directory(dir)``
    over one sub-folder per class. Each image gets its own random transform, drawn from dendrite's
    generator (seeded by ``keras.utils.set_random_seed`` or ``flow(seed=)``)."""

    def __init__(self, featurewise_center=False, samplewise_center=False, featurewise_std_normalization=False,
                 samplewise_std_normalization=False, zca_whitening=False, zca_epsilon=1e-6, rotation_range=0,
                 width_shift_range=0.0, height_shift_range=0.0, brightness_range=None, shear_range=0.0,
                 zoom_range=0.0, channel_shift_range=0.0, fill_mode="nearest", cval=0.0, horizontal_flip=False,
                 vertical_flip=False, rescale=None, preprocessing_function=None, data_format=None,
                 validation_split=0.0, interpolation_order=1, dtype=None):
        if fill_mode not in ("nearest", "constant", "reflect", "wrap"):
            raise ValueError("ImageDataGenerator: `fill_mode` must be 'nearest', 'constant', 'reflect' or 'wrap'; "
                             f"received {fill_mode!r}.")
        if interpolation_order not in (0, 1):
            from ._notes import unsupported
            raise unsupported(f"ImageDataGenerator(interpolation_order={interpolation_order!r})",
                              "Orders 0 (nearest) and 1 (bilinear, the default) are.")
        if brightness_range is not None and (np.ndim(brightness_range) != 1 or len(brightness_range) != 2):
            raise ValueError("ImageDataGenerator: `brightness_range` must be a tuple or list of two floats. "
                             f"Received: {brightness_range!r}.")
        self.brightness_range, self.channel_shift_range = brightness_range, float(channel_shift_range)
        self.rotation_range, self.shear_range, self.fill_mode, self.cval = rotation_range, shear_range, fill_mode, cval
        self.interpolation_order = interpolation_order
        self.width_shift_range, self.height_shift_range = width_shift_range, height_shift_range
        self.zoom_range = ((1 - zoom_range, 1 + zoom_range) if np.isscalar(zoom_range)
                           else tuple(float(z) for z in zoom_range))
        self.horizontal_flip, self.vertical_flip, self.rescale = horizontal_flip, vertical_flip, rescale
        self.preprocessing_function = preprocessing_function
        self.samplewise_center, self.samplewise_std_normalization = samplewise_center, samplewise_std_normalization
        self.featurewise_center, self.featurewise_std_normalization = featurewise_center, featurewise_std_normalization
        self.zca_whitening, self.zca_epsilon, self.zca_whitening_matrix = zca_whitening, zca_epsilon, None
        # what one setting implies for another, each with Keras's warning (Keras tests the arguments as given)
        overrides = []
        if zca_whitening and not featurewise_center:
            overrides.append(("featurewise_center", True, "`zca_whitening`, which overrides setting of "
                                                          "`featurewise_center`."))
        if zca_whitening and featurewise_std_normalization:
            overrides.append(("featurewise_std_normalization", False, "`zca_whitening` which overrides setting "
                                                                      "of`featurewise_std_normalization`."))
        if featurewise_std_normalization and not featurewise_center:
            overrides.append(("featurewise_center", True, "`featurewise_std_normalization`, which overrides "
                                                          "setting of `featurewise_center`."))
        if samplewise_std_normalization and not samplewise_center:
            overrides.append(("samplewise_center", True, "`samplewise_std_normalization`, which overrides "
                                                         "setting of `samplewise_center`."))
        for setting, value, text in overrides:
            setattr(self, setting, value)
            warnings.warn("This ImageDataGenerator specifies " + text, stacklevel=2)
        self.validation_split = float(validation_split)
        self.dtype = dtype or backend.floatx()
        self.mean = self.std = None

    def fit(self, x, augment=False, rounds=1, seed=None):
        """The statistics the feature-wise settings need, as Keras computes them from ``x`` (rescaled first;
        with ``augment``, ``rounds`` randomly transformed copies): the per-channel mean, then the std of the
        centred data, then the ZCA whitening matrix of the centred data, ``U diag(sqrt(n) / (s + zca_epsilon))
        U^T`` from the SVD of the flattened images."""
        x = np.array(x, dtype=self.dtype)
        if x.ndim != 4:
            raise ValueError(f"Input to `.fit()` should have rank 4. Got array with shape: {x.shape}")
        if self.rescale:
            x *= self.rescale
        if augment:
            params = [self.get_random_transform(x.shape[1:], None if seed is None else seed + i)
                      for i in range(rounds * len(x))]
            x = self._transform(np.concatenate([x] * rounds), params).astype(self.dtype)
        if self.featurewise_center:
            self.mean = x.mean(axis=(0, 1, 2), keepdims=True)[0]
            x -= self.mean
        if self.featurewise_std_normalization:
            self.std = x.std(axis=(0, 1, 2), keepdims=True)[0]
            x /= self.std + 1e-6
        if self.zca_whitening:
            flat = x.reshape(len(x), -1)
            u, s, _ = np.linalg.svd(flat.T, full_matrices=False)
            self.zca_whitening_matrix = (u * (np.sqrt(len(x)) / (s + self.zca_epsilon))) @ u.T

    def get_random_transform(self, img_shape, seed=None):
        """Keras's dict of one image's random transform: rotation ``theta`` and ``shear`` in degrees, shifts
        ``tx`` (drawn from height_shift_range) and ``ty`` (width_shift_range) in pixels, zooms ``zx`` and
        ``zy``, the flips, channel shift and brightness; drawn from dendrite's generator."""
        rng = generator_for(seed)
        theta = rng.uniform(-self.rotation_range, self.rotation_range) if self.rotation_range else 0
        tx = _shift(rng, self.height_shift_range, img_shape[0])
        ty = _shift(rng, self.width_shift_range, img_shape[1])
        shear = rng.uniform(-self.shear_range, self.shear_range) if self.shear_range else 0
        zx, zy = (1, 1) if self.zoom_range == (1.0, 1.0) else rng.uniform(*self.zoom_range, 2)
        return {"theta": theta, "tx": tx, "ty": ty, "shear": shear, "zx": zx, "zy": zy,
                "flip_horizontal": bool(self.horizontal_flip and rng.random() < 0.5),
                "flip_vertical": bool(self.vertical_flip and rng.random() < 0.5),
                "channel_shift_intensity": (rng.uniform(-self.channel_shift_range, self.channel_shift_range)
                                            if self.channel_shift_range else None),
                "brightness": None if self.brightness_range is None else rng.uniform(*self.brightness_range)}

    def apply_transform(self, x, transform_parameters):
        """One channels-last image under the transform ``transform_parameters`` describes (Keras's keys, as
        get_random_transform gives; missing ones change nothing), in Keras's order: the affine part as
        keras.preprocessing.image.apply_affine_transform computes it (interpolated to
        ``interpolation_order``), then the channel shift, the flips and the brightness."""
        return self._transform(np.asarray(x)[None], [transform_parameters])[0]

    def random_transform(self, x, seed=None):
        """One channels-last image under a random rotation, shift, shear, zoom and flips."""
        return self.apply_transform(x, self.get_random_transform(np.shape(x), seed))

    def _transform(self, images, params):
        """apply_transform of each image of a batch (n, rows, columns, channels) with its own parameters, the
        affine parts sampled together (one gather per corner for the batch)."""
        from ..preprocessing.affine import (affine_matrix, affine_sample, apply_brightness_shift,
                                            apply_channel_shift)
        h, w = images.shape[1:3]
        matrices = [affine_matrix(p.get("theta", 0), p.get("tx", 0), p.get("ty", 0), p.get("shear", 0),
                                  p.get("zx", 1), p.get("zy", 1), h, w) for p in params]
        moved = [i for i, m in enumerate(matrices) if m is not None]
        out = images
        if moved:  # (an image no transform moves keeps its dtype, as Keras returns it)
            out = images.astype(images.dtype if images.dtype.kind == "f" else np.float64)
            out[moved] = affine_sample(images[moved], np.stack([matrices[i] for i in moved]), self.fill_mode,
                                       self.cval, self.interpolation_order)
        done = []
        for x, p in zip(out, params):
            if p.get("channel_shift_intensity") is not None:
                x = apply_channel_shift(x, p["channel_shift_intensity"], 2)
            if p.get("flip_horizontal", False):
                x = x[:, ::-1]
            if p.get("flip_vertical", False):
                x = x[::-1]
            if p.get("brightness") is not None:
                x = apply_brightness_shift(x, p["brightness"], scale=False).astype(x.dtype)
            done.append(x)
        return np.stack(done)

    def standardize(self, x):
        if self.preprocessing_function is not None:
            x = self.preprocessing_function(x)
        if self.rescale:
            x = x * self.rescale
        if self.samplewise_center:
            x = x - x.mean(axis=(-3, -2, -1), keepdims=True)
        if self.samplewise_std_normalization:
            x = x / (x.std(axis=(-3, -2, -1), keepdims=True) + 1e-6)
        for setting, stat in (("featurewise_center", self.mean), ("featurewise_std_normalization", self.std),
                              ("zca_whitening", self.zca_whitening_matrix)):
            if not getattr(self, setting):
                continue
            if stat is None:  # as Keras: a warning, the images left as they are
                warnings.warn(f"This ImageDataGenerator specifies `{setting}`, but it hasn't been fit on any "
                              "training data. Fit it first by calling `.fit(numpy_data)`.", stacklevel=2)
            elif setting == "featurewise_center":
                x = x - stat
            elif setting == "featurewise_std_normalization":
                x = x / (stat + 1e-6)
            else:
                x = (x.reshape(-1, math.prod(x.shape[-3:])) @ stat).reshape(x.shape)
        return x

    def flow(self, x, y=None, batch_size=32, shuffle=True, sample_weight=None, seed=None, subset=None, **kwargs):
        x = np.asarray(x, dtype=self.dtype)
        if x.ndim != 4:
            raise ValueError(f"ImageDataGenerator.flow: expected x of rank 4 (samples, height, width, channels); "
                             f"received shape {x.shape}. Add the channel axis with x[..., None].")
        return _Flow(self, x, None if y is None else np.asarray(y), batch_size, shuffle, seed, sample_weight, subset)

    def flow_from_directory(self, directory, target_size=(256, 256), color_mode="rgb", classes=None,
                            class_mode="categorical", batch_size=32, shuffle=True, seed=None, subset=None,
                            interpolation="nearest", **kwargs):
        classes = classes or sorted(d for d in os.listdir(directory) if os.path.isdir(os.path.join(directory, d)))
        paths, labels = [], []
        for k, name in enumerate(classes):
            folder = os.path.join(directory, name)
            for root, _, files in sorted(os.walk(folder)):
                for f in sorted(files):
                    if f.lower().endswith(_IMAGE_EXTS):
                        paths.append(os.path.join(root, f))
                        labels.append(k)
        print(f"Found {len(paths)} images belonging to {len(classes)} classes.")
        self.class_indices = {name: k for k, name in enumerate(classes)}
        x = np.stack([img_to_array(load_img(p, color_mode=color_mode, target_size=target_size,
                                            interpolation=interpolation), dtype=self.dtype) for p in paths]) \
            if paths else np.zeros((0,) + tuple(target_size) + (1 if color_mode == "grayscale" else 3,), self.dtype)
        labels = np.asarray(labels)
        y = {"categorical": np.eye(len(classes), dtype=self.dtype)[labels] if len(labels) else None,
             "binary": labels.astype(self.dtype), "sparse": labels, "input": None, None: None}[class_mode]
        flow = _Flow(self, x, y, batch_size, shuffle, seed, None, subset)
        flow.class_indices, flow.classes, flow.filenames = self.class_indices, labels, paths
        return flow


class _Flow(Iterator):
    """The batch source ``flow`` returns: a Sequence (``len`` batches, ``flow[i]``) and an endless iterator
    (an image Iterator whose own methods serve it)."""

    def __init__(self, gen, x, y, batch_size, shuffle, seed, sample_weight, subset):
        PyDataset.__init__(self)
        if subset is not None and gen.validation_split:
            cut = int(len(x) * (1 - gen.validation_split))
            part = slice(cut, None) if subset == "validation" else slice(None, cut)
            x = x[part]
            y = None if y is None else y[part]
            sample_weight = None if sample_weight is None else np.asarray(sample_weight)[part]
        self.gen, self.x, self.y, self.sample_weight = gen, x, y, sample_weight
        self.batch_size, self.shuffle = int(batch_size), shuffle
        self.n = len(x)
        self.samples = self.n
        self._rng = generator_for(seed) if seed is not None else None
        self._order = self._new_order()
        self._next = 0

    def _new_order(self):
        if not self.shuffle:
            return np.arange(self.n)
        return (self._rng if self._rng is not None else generator_for(None)).permutation(self.n)

    def __len__(self):
        return math.ceil(self.n / self.batch_size)

    def __getitem__(self, i):
        idx = self._order[i * self.batch_size:(i + 1) * self.batch_size]
        xb = self.gen._transform(self.x[idx], [self.gen.get_random_transform(self.x.shape[1:]) for _ in idx]) \
            if len(idx) else self.x[:0]
        xb = self.gen.standardize(xb.astype(self.gen.dtype))
        if self.y is None:
            return xb
        if self.sample_weight is not None:
            return xb, self.y[idx], np.asarray(self.sample_weight)[idx]
        return xb, self.y[idx]

    def on_epoch_end(self):
        self._order = self._new_order()

    def __iter__(self):
        return self

    def __next__(self):
        if self._next >= len(self):
            self._next = 0
            self.on_epoch_end()
        batch = self[self._next]
        self._next += 1
        return batch


    def _get_batches_of_transformed_samples(self, index_array):
        order, self._order = self._order, np.asarray(index_array)
        try:
            return self[0]
        finally:
            self._order = order


class NumpyArrayIterator(_Flow):
    """Keras 2's ``NumpyArrayIterator(x, y, image_data_generator, ...)``: what ``generator.flow(x, y)`` gives."""

    def __init__(self, x, y, image_data_generator, batch_size=32, shuffle=False, sample_weight=None, seed=None,
                 data_format=None, save_to_dir=None, save_prefix="", save_format="png", subset=None,
                 ignore_class_split=False, dtype=None):
        flow = image_data_generator.flow(x, y, batch_size=batch_size, shuffle=shuffle, sample_weight=sample_weight,
                                         seed=seed, subset=subset)
        self.__dict__.update(flow.__dict__)


class DirectoryIterator(_Flow):
    """Keras 2's ``DirectoryIterator(directory, image_data_generator, ...)``: what
    ``generator.flow_from_directory(directory)`` gives."""

    def __init__(self, directory, image_data_generator, target_size=(256, 256), color_mode="rgb", classes=None,
                 class_mode="categorical", batch_size=32, shuffle=True, seed=None, data_format=None,
                 save_to_dir=None, save_prefix="", save_format="png", follow_links=False, subset=None,
                 interpolation="nearest", keep_aspect_ratio=False, dtype=None):
        flow = image_data_generator.flow_from_directory(
            directory, target_size=target_size, color_mode=color_mode, classes=classes, class_mode=class_mode,
            batch_size=batch_size, shuffle=shuffle, seed=seed, subset=subset, interpolation=interpolation)
        self.__dict__.update(flow.__dict__)


IMAGE_NAMES = "ImageDataGenerator load_img img_to_array array_to_img save_img NumpyArrayIterator DirectoryIterator"
SEQUENCE_NAMES = "pad_sequences"
