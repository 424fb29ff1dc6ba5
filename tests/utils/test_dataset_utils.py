"""index_directory, the validation split, labels_to_array and load_image on folders of MNIST digits written as
PNGs in tmp_path: Keras's orders, labels, class names, splits and errors."""
import os

import numpy as np
import pytest

from dendrite import layers
from dendrite.utils import dataset_utils as du

if not os.environ.get("CI"):  # the images extra: always there in CI (the dev extra installs it)
    pytest.importorskip("PIL")
from PIL import Image  # noqa: E402

FORMATS = du.IMAGE_FORMATS


@pytest.fixture
def digits(mnist, tmp_path):
    """tmp_path/digits/<class>/<i>.png for 30 MNIST digits of classes 0, 1 and 2 (10 each), plus a note.txt
    that is not an image. Returns (folder, {relative path: image})."""
    (x, y), _ = mnist
    folder, written = tmp_path / "digits", {}
    for label in (0, 1, 2):
        (folder / f"class_{label}").mkdir(parents=True)
        for k, i in enumerate(np.flatnonzero(y == label)[:10]):
            rel = os.path.join(f"class_{label}", f"{k:02d}.png")
            Image.fromarray(x[i]).save(folder / rel)
            written[rel] = x[i]
    (folder / "class_0" / "note.txt").write_text("not an image")
    return str(folder), written


def test_inferred_labels_follow_sorted_sub_folders(digits):
    folder, written = digits
    paths, labels, names = du.index_directory(folder, "inferred", FORMATS, shuffle=False)
    assert names == ["class_0", "class_1", "class_2"]
    assert paths == [os.path.join(folder, rel) for rel in sorted(written)]
    np.testing.assert_array_equal(labels, np.repeat([0, 1, 2], 10))
    assert labels.dtype == np.int32
    paths, labels, names = du.index_directory(folder, "inferred", FORMATS, class_names=["class_2", "class_0"],
                                              shuffle=False)
    assert names == ["class_2", "class_0"] and len(paths) == 20
    assert all("class_2" in p for p in paths[:10]) and labels[0] == 0 and labels[-1] == 1


def test_shuffle_keeps_pairs_and_repeats_with_a_seed(digits):
    folder, _ = digits
    paths, labels, _ = du.index_directory(folder, "inferred", FORMATS, seed=7)
    again, labels_again, _ = du.index_directory(folder, "inferred", FORMATS, seed=7)
    assert paths == again and np.array_equal(labels, labels_again)
    assert paths != sorted(paths)
    assert all(p.split(os.sep)[-2] == f"class_{lab}" for p, lab in zip(paths, labels))


def test_explicit_labels_and_no_labels(digits):
    folder, written = digits
    given = list(range(30))[::-1]
    paths, labels, names = du.index_directory(folder, given, FORMATS, shuffle=False)
    assert paths == [os.path.join(folder, rel) for rel in sorted(written)]
    np.testing.assert_array_equal(labels, given)
    assert names == [str(i) for i in range(30)]
    paths, labels, names = du.index_directory(folder, None, (".png",), shuffle=False)
    assert len(paths) == 30 and labels is None and names is None
    txt, _, _ = du.index_directory(folder, None, ".txt", shuffle=False)
    assert txt == [os.path.join(folder, "class_0", "note.txt")]


def test_validation_split_after_the_shuffle(digits):
    folder, _ = digits
    paths, labels, _ = du.index_directory(folder, "inferred", FORMATS, seed=3)
    train = du.get_training_or_validation_split(paths, labels, 0.2, "training")
    val = du.get_training_or_validation_split(paths, labels, 0.2, "validation")
    assert len(train[0]) == 24 and len(val[0]) == 6 and train[0] + val[0] == paths
    np.testing.assert_array_equal(np.concatenate([train[1], val[1]]), labels)
    both = du.get_training_or_validation_split(paths, labels, 0.2, "both")
    assert both[0][0] == train[0] and both[1][0] == val[0]
    assert du.get_training_or_validation_split(paths, None, 0.2, "validation") == (paths[-6:], None)
    assert du.get_training_or_validation_split(paths, labels, None, None)[0] is paths
    du.check_validation_split_arg(0.2, "both", True, 1)  # valid
    with pytest.raises(ValueError, match=r"`seed` is required with `validation_split` when shuffling"):
        du.check_validation_split_arg(0.2, "training", True, None)
    du.check_validation_split_arg(0.2, "training", False, None)  # no shuffle: no seed needed
    with pytest.raises(ValueError, match=r"`validation_split` must be a fraction strictly between 0 and 1"):
        du.check_validation_split_arg(1.5, "training", True, 1)
    with pytest.raises(ValueError, match=r"`validation_split` and `subset` go together"):
        du.check_validation_split_arg(0.2, None, True, 1)
    with pytest.raises(ValueError, match=r"`subset` must be 'training', 'validation', 'both' or None"):
        du.check_validation_split_arg(0.2, "test", True, 1)


def test_labels_to_array_modes():
    labels = np.array([0, 2, 1, 2])
    out = du.labels_to_array(labels, "int", 3)
    assert out.dtype == np.int32 and out.tolist() == [0, 2, 1, 2]
    out = du.labels_to_array(labels, "categorical", 3)
    assert out.dtype == np.float32 and out.shape == (4, 3)
    np.testing.assert_array_equal(out, np.eye(3)[labels])
    out = du.labels_to_array(np.array([1, 0]), "binary", 2)
    assert out.dtype == np.float32 and out.tolist() == [[1.0], [0.0]]
    assert du.labels_to_array(labels, None, 3) is None
    with pytest.raises(ValueError, match=r"label_mode='binary' needs exactly 2 classes; received num_classes=3"):
        du.labels_to_array(labels, "binary", 3)
    with pytest.raises(ValueError, match=r"`label_mode` must be one of \('int', 'categorical', 'binary', None\)"):
        du.labels_to_array(labels, "sparse", 3)
    with pytest.raises(ValueError, match=r"every label must be a class index in \[0, 2\) .* received the label 2"):
        du.labels_to_array(labels, "int", 2)


def test_load_image_channels_sizes_and_crop(digits, tmp_path):
    folder, written = digits
    rel = sorted(written)[0]
    path, digit = os.path.join(folder, rel), written[rel].astype(np.float32)
    x = du.load_image(path, (28, 28), 1)
    assert x.shape == (28, 28, 1) and x.dtype == np.float32
    np.testing.assert_array_equal(x[..., 0], digit)
    rgb = du.load_image(path, (14, 20), 3)
    assert rgb.shape == (14, 20, 3) and rgb.dtype == np.float32
    expected = layers.Resizing(14, 20)(digit[None, ..., None]).numpy()[0, ..., 0]
    np.testing.assert_allclose(rgb[..., 1], expected, rtol=1e-5, atol=1e-4)  # as Resizing (TensorFlow's resize)
    cropped = du.load_image(path, (14, 7), 4, interpolation="nearest", crop_to_aspect_ratio=True)
    assert cropped.shape == (14, 7, 4) and np.all(cropped[..., 3] == 255)
    expected = layers.Resizing(14, 7, interpolation="nearest", crop_to_aspect_ratio=True)(
        digit[None, ..., None]).numpy()[0, ..., 0]
    np.testing.assert_array_equal(cropped[..., 0], expected)
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"\x89PNG truncated")
    with pytest.raises(ValueError, match=r"load_image: cannot read the image file '.*broken\.png'"):
        du.load_image(str(broken), (4, 4), 3)
    with pytest.raises(ValueError, match=r"`num_channels` must be 1, 3 or 4"):
        du.load_image(path, (4, 4), 2)
    with pytest.raises(ValueError, match=r"`interpolation` must be one of \('bilinear', 'nearest'\)"):
        du.load_image(path, (4, 4), 3, interpolation="lanczos3")
    with pytest.raises(ValueError, match=r"`image_size` must be \(height, width\)"):
        du.load_image(path, 4, 3)


def test_index_directory_errors(digits, tmp_path):
    folder, _ = digits
    empty = tmp_path / "empty" / "cats"
    empty.mkdir(parents=True)
    (empty / "readme.md").write_text("no images here")
    with pytest.raises(ValueError, match=r"no files with the extensions \('.bmp', '.gif', '.jpeg', '.jpg', '.png'\) "
                                         r"in directory '.*empty' \(looked in its sub-folders \['cats'\]\)"):
        du.index_directory(str(tmp_path / "empty"), "inferred", FORMATS)
    with pytest.raises(ValueError, match=r"`directory` must be an existing folder; .* which does not exist"):
        du.index_directory(str(tmp_path / "nowhere"), "inferred", FORMATS)
    with pytest.raises(ValueError, match=r"`labels` must hold one label per file: found 30 files in '.*digits' but "
                                         r"received 3 labels"):
        du.index_directory(folder, [0, 1, 2], FORMATS)
    with pytest.raises(ValueError, match=r"`class_names` must name sub-folders .* \['dogs'\] are not there"):
        du.index_directory(folder, "inferred", FORMATS, class_names=["class_0", "dogs"])
    with pytest.raises(ValueError, match=r"`class_names` can only be given with labels='inferred'"):
        du.index_directory(folder, None, FORMATS, class_names=["a"])
    with pytest.raises(ValueError, match=r"`labels` must be 'inferred', None, or a list or tuple"):
        du.index_directory(folder, "infered", FORMATS)
