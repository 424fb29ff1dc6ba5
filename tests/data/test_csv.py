"""CsvDataset, make_csv_dataset and decode_csv beyond the TF fixtures: the red wine CSV, generated files, errors."""
import collections

import numpy as np
import pytest

from dendrite import data, layers, models, utils
from dendrite.data.csv import decode_csv, infer_dtype

WINE = "/work/shared/data/red-wine.csv"


def test_red_wine_columns_are_inferred_and_batched():
    ds = data.experimental.make_csv_dataset(WINE, batch_size=50, label_name="quality", num_epochs=1, shuffle=False)
    features, label = next(iter(ds))
    assert isinstance(features, collections.OrderedDict) and len(features) == 11
    assert features["alcohol"].dtype == np.float32 and label.dtype == np.int32
    assert features["pH"][:3].tolist() == pytest.approx([3.51, 3.2, 3.26])
    assert sum(len(lab) for _, lab in ds) == 1599


def test_a_model_fits_on_a_generated_csv(tmp_path):
    utils.set_random_seed(0)
    rng = np.random.default_rng(0)
    a, b = rng.normal(size=400), rng.normal(size=400)
    lines = ["a;b;y"] + [f"{p:.4f};{q:.4f};{int(p > q)}" for p, q in zip(a, b)]
    (tmp_path / "train.csv").write_text("\n".join(lines) + "\n")
    ds = data.experimental.make_csv_dataset(str(tmp_path / "*.csv"), batch_size=20, label_name="y",
                                            field_delim=";", num_epochs=1, shuffle_seed=3)
    train = ds.map(lambda f, y: (np.stack([f["a"], f["b"]], axis=1), y))
    model = models.Sequential([layers.Input((2,)), layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    model.fit(train, epochs=15, verbose=0)
    assert model.evaluate(train, verbose=0)[1] > 0.9


def test_many_files_header_off_epochs_and_na(tmp_path):
    (tmp_path / "p1.csv").write_text("1,x\n2,NA\n")
    (tmp_path / "p2.csv").write_text("3,z\n")
    ds = data.experimental.make_csv_dataset(str(tmp_path / "p*.csv"), batch_size=2, column_names=["n", "s"],
                                            header=False, na_value="NA", num_epochs=2, shuffle=False)
    got = [(b["n"].tolist(), b["s"].tolist()) for b in ds.as_numpy_iterator()]
    assert got == [([1, 2], [b"x", b""]), ([3, 1], [b"z", b"x"]), ([2, 3], [b"", b"z"])]


def test_csv_dataset_reads_gzip_and_refuses_bad_records(tmp_path):
    import gzip
    with gzip.open(tmp_path / "a.csv.gz", "wt") as f:
        f.write("1,2.5\n3,\n")
    ds = data.experimental.CsvDataset(str(tmp_path / "a.csv.gz"), [np.int64, 0.0], compression_type="GZIP")
    assert list(ds.as_numpy_iterator()) == [(1, 2.5), (3, 0.0)]
    bad = data.experimental.CsvDataset(str(tmp_path / "a.csv.gz"), [0.0, np.float32], compression_type="GZIP")
    with pytest.raises(ValueError, match="required"):
        list(bad.as_numpy_iterator())
    with pytest.raises(FileNotFoundError, match="no such file"):
        data.experimental.CsvDataset(str(tmp_path / "none.csv"), [0])
    with pytest.raises(ValueError, match="increasing"):
        data.experimental.CsvDataset(str(tmp_path / "a.csv.gz"), [0], select_cols=[1, 0])
    with pytest.raises(ValueError, match="one character"):
        decode_csv(["1"], [0], field_delim="::")
    with pytest.raises(ValueError, match="record_defaults"):
        decode_csv(["1"], [])
    with pytest.raises(ValueError, match="label_name"):
        data.experimental.make_csv_dataset(WINE, 4, label_name="colour")
    with pytest.raises(FileNotFoundError, match="no files match"):
        data.experimental.make_csv_dataset(str(tmp_path / "*.tsv"), 4)


def test_type_inference_widens():
    assert infer_dtype(["1", "2"], "") == np.int32
    assert infer_dtype(["1", "3000000000"], "") == np.int64
    assert infer_dtype(["1", "2.5"], "") == np.float32
    assert infer_dtype(["1e300"], "") == np.float64
    assert infer_dtype(["1", "x"], "") == object
    assert infer_dtype(["NA", "4"], "NA") == np.int32


def test_ignore_errors_skips_the_records_that_do_not_parse(tmp_path):
    (tmp_path / "bad.csv").write_text("a,b\n1,2\nx,3\n4,5,6\n7,8\n")
    ds = data.experimental.make_csv_dataset(str(tmp_path / "bad.csv"), batch_size=5, column_defaults=[0, 0],
                                            num_epochs=1, shuffle=False, ignore_errors=True)
    batch = next(iter(ds))
    assert batch["a"].tolist() == [1, 7] and batch["b"].tolist() == [2, 8]
    csv = data.experimental.CsvDataset(str(tmp_path / "bad.csv"), [0, 0], header=True)
    assert list(csv.ignore_errors().as_numpy_iterator()) == [(1, 2), (7, 8)]
    with pytest.raises(ValueError, match="not a valid int32"):
        list(csv.as_numpy_iterator())


def test_make_csv_dataset_element_spec_is_tensorflows():
    ds = data.experimental.make_csv_dataset(WINE, batch_size=8, label_name="quality", num_epochs=1,
                                            select_columns=["pH", "alcohol", "quality"])
    features, label = ds.element_spec
    assert list(features) == ["pH", "alcohol"] and features["pH"] == data.TensorSpec((None,), "float32")
    assert label == data.TensorSpec((None,), "int32")
    endless = data.experimental.make_csv_dataset(WINE, batch_size=8, select_columns=["pH"])
    assert endless.element_spec["pH"].shape == (8,)
