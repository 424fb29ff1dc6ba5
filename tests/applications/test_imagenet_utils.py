"""keras.applications' preprocessing against Keras 3's values (tests/fixtures/keras_applications/preprocess.npz,
written by tools/make_keras_applications_fixtures.py), per mode and data format, on NumPy arrays, tensors and
symbolic tensors; each family's mode; decode_predictions from a local class index, or a clear error."""
import json
import os

import numpy as np
import pytest

import dendrite
from dendrite import applications
from dendrite.applications import imagenet_utils

FIXTURES = os.path.join(os.path.dirname(__file__), "..", "fixtures", "keras_applications")
KERAS = np.load(os.path.join(FIXTURES, "preprocess.npz"))


@pytest.mark.parametrize("mode", ["caffe", "tf", "torch"])
def test_numpy_matches_keras(mode):
    x = KERAS["x"]
    np.testing.assert_allclose(imagenet_utils.preprocess_input(x.copy(), mode=mode), KERAS[f"{mode}_channels_last"],
                               rtol=1e-6, atol=1e-5)
    first = np.ascontiguousarray(np.moveaxis(x, -1, 1))
    np.testing.assert_allclose(imagenet_utils.preprocess_input(first, data_format="channels_first", mode=mode),
                               KERAS[f"{mode}_channels_first"], rtol=1e-6, atol=1e-5)
    one = imagenet_utils.preprocess_input(x[0].copy(), mode=mode)  # a single image (3-D)
    np.testing.assert_allclose(one, KERAS[f"{mode}_channels_last"][0], rtol=1e-6, atol=1e-5)


@pytest.mark.parametrize("mode", ["caffe", "tf", "torch"])
def test_tensors_and_symbolic_tensors_match_keras(mode):
    x = KERAS["x"]
    out = imagenet_utils.preprocess_input(dendrite.constant(x), mode=mode)
    assert isinstance(out, dendrite.Tensor)
    np.testing.assert_allclose(out.numpy(), KERAS[f"{mode}_channels_last"], rtol=1e-6, atol=1e-5)
    inputs = dendrite.layers.Input(x.shape[1:])
    model = dendrite.Model(inputs, imagenet_utils.preprocess_input(inputs, mode=mode))
    np.testing.assert_allclose(model.predict(x, verbose=0), KERAS[f"{mode}_channels_last"], rtol=1e-6, atol=1e-5)


def test_family_modes_and_in_place_semantics():
    x = KERAS["x"]
    for module, mode in ((applications.vgg16, "caffe"), (applications.vgg19, "caffe"), (applications.resnet, "caffe"),
                         (applications.resnet50, "caffe"), (applications.resnet_v2, "tf"),
                         (applications.mobilenet, "tf"), (applications.mobilenet_v2, "tf"),
                         (applications.densenet, "torch"), (applications.inception_v3, "tf"),
                         (applications.xception, "tf")):
        np.testing.assert_allclose(module.preprocess_input(x.copy()), KERAS[f"{mode}_channels_last"], atol=1e-5)
    assert applications.efficientnet.preprocess_input(x) is x  # the model normalizes its own input
    floats = x.copy()
    applications.mobilenet_v2.preprocess_input(floats)  # Keras changes a float array in place
    np.testing.assert_allclose(floats, KERAS["tf_channels_last"], atol=1e-6)
    ints = x.astype("uint8")
    out = applications.mobilenet_v2.preprocess_input(ints)
    assert out.dtype == np.float32 and ints.dtype == np.uint8
    with pytest.raises(ValueError, match="Expected mode to be one of `caffe`, `tf` or `torch`. Received: mode=rgb"):
        imagenet_utils.preprocess_input(x, mode="rgb")
    with pytest.raises(ValueError, match="data_format=nhwc"):
        imagenet_utils.preprocess_input(x, data_format="nhwc")


def test_decode_predictions(tmp_path, monkeypatch):
    monkeypatch.setattr(imagenet_utils, "_class_index", None)
    monkeypatch.setenv("DENDRITE_DATA", str(tmp_path))
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras"))
    monkeypatch.setenv("DENDRITE_HOME", str(tmp_path / "dendrite"))
    preds = np.full((2, 1000), 1e-4, "float32")
    preds[0, [3, 7, 1]] = [0.5, 0.3, 0.1]
    preds[1, 999] = 0.9
    with pytest.raises(FileNotFoundError, match=r"imagenet_class_index\.json .*download\.tensorflow\.org"):
        applications.resnet50.decode_predictions(preds)
    (tmp_path / "models").mkdir()
    index = {str(i): [f"n{i:08d}", f"class_{i}"] for i in range(1000)}
    (tmp_path / "models" / "imagenet_class_index.json").write_text(json.dumps(index))
    top = applications.resnet50.decode_predictions(preds, top=3)
    assert [t[:2] for t in top[0]] == [("n00000003", "class_3"), ("n00000007", "class_7"), ("n00000001", "class_1")]
    assert top[0][0][2] == pytest.approx(0.5) and top[1][0][1] == "class_999" and len(top[1]) == 3
    with pytest.raises(ValueError, match=r"shape \(samples, 1000\).*\(2, 10\)"):
        imagenet_utils.decode_predictions(np.zeros((2, 10)))
