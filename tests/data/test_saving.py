"""Dataset.save / load, snapshot and fingerprint."""
import os

import numpy as np
import pytest

from dendrite import data


def _mnist(n=64):
    with np.load("/work/shared/data/mnist.npz") as f:
        return f["x_train"][:n], f["y_train"][:n]


def test_save_and_load_give_back_the_elements_and_spec(tmp_path):
    x, y = _mnist()
    ds = data.Dataset.from_tensor_slices(({"image": x, "name": np.array([f"n{i}" for i in range(64)])}, y))
    ds.save(str(tmp_path / "saved"))
    back = data.Dataset.load(str(tmp_path / "saved"))
    assert int(back.cardinality()) == 64 and back.element_spec == ds.element_spec
    elements = list(back.as_numpy_iterator())
    np.testing.assert_array_equal(np.stack([e[0]["image"] for e in elements]), x)
    assert [e[1] for e in elements] == y.tolist() and elements[3][0]["name"] == b"n3"
    trained = back.batch(16)
    assert next(iter(trained))[0]["image"].shape == (16, 28, 28)
    text = (tmp_path / "saved" / "dendrite_dataset.json").read_text()
    assert "dendrite.data.save/1" in text


def test_gzip_shards_and_experimental_names(tmp_path):
    ds = data.Dataset.range(10).map(lambda v: (v, v * 2))
    data.experimental.save(ds, str(tmp_path / "g"), compression="GZIP", shard_func=lambda a, b: a % 3)
    assert sorted(os.listdir(tmp_path / "g")) == ["dendrite_dataset.json", "shard-00000.npys.gz",
                                                  "shard-00001.npys.gz", "shard-00002.npys.gz"]
    back = sorted(data.experimental.load(str(tmp_path / "g")).as_numpy_iterator())
    assert back == [(i, 2 * i) for i in range(10)]


def test_load_refuses_what_dendrite_did_not_write(tmp_path):
    (tmp_path / "tf").mkdir()
    (tmp_path / "tf" / "dataset_spec.pb").write_bytes(b"\x00")
    with pytest.raises(FileNotFoundError, match="TensorFlow's own snapshot format"):
        data.Dataset.load(str(tmp_path / "tf"))
    with pytest.raises(FileNotFoundError, match="no dataset saved by dendrite"):
        data.Dataset.load(str(tmp_path / "nothing"))
    with pytest.raises(ValueError, match="compression"):
        data.Dataset.range(2).save(str(tmp_path / "z"), compression="ZLIB")


def test_snapshot_writes_the_first_complete_pass_and_reads_it_after(tmp_path):
    calls = []

    def count(v):
        calls.append(int(v))
        return v * 3
    ds = data.Dataset.range(5).map(count).snapshot(str(tmp_path / "snap"))
    first = list(ds.take(2).as_numpy_iterator())  # an unfinished pass leaves no snapshot
    assert first == [0, 3] and not os.path.exists(tmp_path / "snap" / "dendrite_dataset.json")
    assert list(ds.as_numpy_iterator()) == [0, 3, 6, 9, 12]
    calls.clear()
    again = data.Dataset.range(5).map(count).apply(data.experimental.snapshot(str(tmp_path / "snap")))
    assert list(again.as_numpy_iterator()) == [0, 3, 6, 9, 12] and calls == []


def test_fingerprint_follows_how_the_pipeline_was_built():
    def build(n, k):
        return data.Dataset.range(n).map(lambda v: v * k).batch(2)
    a = build(5, 2).fingerprint()
    assert isinstance(a, np.uint64) and a == build(5, 2).fingerprint()
    assert a != build(6, 2).fingerprint()
    assert a != data.Dataset.range(5).batch(2).fingerprint()
