"""utils.image_dataset_from_directory and text_dataset_from_directory on folders written here (MNIST digits
as PNGs, short text files), and a model fit on what they give."""
import os

import numpy as np
import pytest

import dendrite
from dendrite import layers, utils


@pytest.fixture
def digit_folder(tmp_path):
    from dendrite.datasets import mnist
    (x, y), _ = mnist.load_data()
    for i in range(60):
        os.makedirs(tmp_path / str(y[i]), exist_ok=True)
        utils.save_img(str(tmp_path / str(y[i]) / f"{i}.png"), x[i][..., None])
    return tmp_path, x[:60], y[:60]


def test_images_labels_classes_and_the_split(digit_folder, capsys):
    folder, x, y = digit_folder
    train, val = utils.image_dataset_from_directory(folder, color_mode="grayscale", image_size=(28, 28),
                                                    batch_size=8, validation_split=0.2, subset="both", seed=3)
    out = capsys.readouterr().out
    assert "Found 60 files belonging to 10 classes." in out and "Using 48 files for training." in out
    assert "Using 12 files for validation." in out
    assert train.class_names == [str(d) for d in range(10)] and len(train.file_paths) == 48
    assert train.cardinality() == 6 and val.cardinality() == 2
    assert train.element_spec[0].shape == (None, 28, 28, 1) and train.element_spec[1].dtype == np.int32
    originals = x.reshape(60, -1).astype(np.float32)
    seen = []
    for images, labels in train:
        assert images.dtype == np.float32 and images.max() <= 255
        for image, label in zip(images, labels):
            # the file each image came from: its nearest original (save_img may rescale the levels a little)
            source = int(np.abs(originals / max(originals.max(), 1) - image.ravel() / max(image.max(), 1))
                         .sum(axis=1).argmin())
            assert y[source] == label  # each image with its own label
            seen.append(source)
    in_val = {int(np.abs(originals / originals.max() - im.ravel() / im.max()).sum(axis=1).argmin())
              for b, _ in val for im in b}
    assert len(set(seen)) == 48 and not set(seen) & in_val  # no image in both subsets


def test_categorical_labels_and_a_model_fit_on_the_dataset(digit_folder):
    folder, _, _ = digit_folder
    ds = utils.image_dataset_from_directory(folder, label_mode="categorical", color_mode="grayscale",
                                            image_size=(14, 14), batch_size=16, seed=0, verbose=False)
    images, labels = next(iter(ds))
    assert images.shape == (16, 14, 14, 1) and labels.shape == (16, 10)
    np.testing.assert_array_equal(labels.sum(axis=1), 1)
    model = dendrite.Sequential([dendrite.Input((14, 14, 1)), layers.Rescaling(1 / 255), layers.Flatten(),
                                 layers.Dense(10, activation="softmax")])
    model.compile("adam", "categorical_crossentropy", metrics=["accuracy"])
    history = model.fit(ds, epochs=3, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]


def test_text_files_with_max_length(tmp_path):
    for label in ("neg", "pos"):
        os.makedirs(tmp_path / label)
        for j in range(5):
            (tmp_path / label / f"{j}.txt").write_text(f"{label} review {j} " * 3)
    ds = utils.text_dataset_from_directory(tmp_path, batch_size=4, max_length=10, seed=0, verbose=False)
    assert ds.class_names == ["neg", "pos"] and ds.cardinality() == 3
    texts, labels = zip(*[(t, lab) for b, ls in ds for t, lab in zip(b, ls)])
    assert len(texts) == 10 and all(len(t) == 10 for t in texts)
    assert all(t.startswith(b"neg" if lab == 0 else b"pos") for t, lab in zip(texts, labels))


def test_errors_name_the_folder_and_the_problem(tmp_path):
    with pytest.raises(ValueError, match="color_mode"):
        utils.image_dataset_from_directory(tmp_path, color_mode="cmyk")
    with pytest.raises(ValueError, match="label_mode"):
        utils.image_dataset_from_directory(tmp_path, label_mode="sparse")
    os.makedirs(tmp_path / "a")
    (tmp_path / "a" / "notes.txt").write_text("x")
    with pytest.raises(ValueError, match=r"\.png"):  # no images of the allowed formats in the folder
        utils.image_dataset_from_directory(tmp_path)
    (tmp_path / "a" / "bad.png").write_bytes(b"not a png")
    ds = utils.image_dataset_from_directory(tmp_path, verbose=False, seed=1)
    with pytest.raises(Exception, match="bad.png"):
        list(ds)


def test_pad_to_aspect_ratio_letterboxes_with_zeros(tmp_path):
    os.makedirs(tmp_path / "a")
    utils.save_img(str(tmp_path / "a" / "wide.png"), np.full((2, 4, 3), 200, np.uint8), scale=False)
    ds = utils.image_dataset_from_directory(tmp_path, image_size=(4, 4), pad_to_aspect_ratio=True,
                                            interpolation="nearest", verbose=False, shuffle=False)
    image = next(iter(ds))[0][0]
    assert image.shape == (4, 4, 3)
    np.testing.assert_array_equal(image[[0, 3], :, 0], 0)  # a 2x4 image centred in a 4x4 box: zero rows around
    np.testing.assert_array_equal(image[1:3, :, 0], 200)
    with pytest.raises(ValueError, match="only one of"):
        utils.image_dataset_from_directory(tmp_path, crop_to_aspect_ratio=True, pad_to_aspect_ratio=True)
