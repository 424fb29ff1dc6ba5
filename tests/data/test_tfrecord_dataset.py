"""data.TFRecordDataset over the TFRecord files TensorFlow 2.21 wrote (tests/fixtures/tfrecord, made by
tools/make_tfrecord_fixtures.py): the records in order, in all three compressions, parsed in a map and
batched as a tf.data pipeline does; and a file dendrite writes read back."""
import hashlib
import json
import os

import numpy as np
import pytest

from dendrite import data, io

FIXTURES = os.path.join(os.path.dirname(os.path.dirname(__file__)), "fixtures", "tfrecord")
with open(os.path.join(FIXTURES, "examples.json")) as _f:
    EXPECTED = json.load(_f)


@pytest.mark.parametrize("name", EXPECTED["files"])
def test_records_of_tensorflow_files_in_order(name):
    ds = data.TFRecordDataset(os.path.join(FIXTURES, name), compression_type=EXPECTED["compression"][name])
    records = list(ds)
    assert [hashlib.sha256(r).hexdigest() for r in records] == EXPECTED["serialized_sha256"]
    assert ds.element_spec == data.TensorSpec((), object)


def test_parsed_in_a_map_and_batched_as_tensorflow_parsed_them():
    spec = {"x": io.FixedLenFeature([3], np.float32), "label": io.FixedLenFeature([], "int64")}
    ds = data.TFRecordDataset([os.path.join(FIXTURES, "examples.tfrecord")]).map(
        lambda record: io.parse_single_example(record, spec)).batch(2)
    batches = list(ds)
    assert [len(b["label"]) for b in batches] == [2, 2, 1]
    labels = np.concatenate([b["label"] for b in batches])
    np.testing.assert_array_equal(labels, EXPECTED["parse_example"]["label"])
    x = np.concatenate([b["x"] for b in batches])
    np.testing.assert_array_equal(x, np.array(EXPECTED["parse_example"]["x"], dtype=np.float32))


def test_written_by_dendrite_and_read_back_with_several_files(tmp_path):
    paths = [str(tmp_path / f"part-{i}.tfrecord") for i in range(2)]
    for i, path in enumerate(paths):
        with io.TFRecordWriter(path, options="GZIP") as writer:
            for j in range(3):
                writer.write(f"file {i} record {j}".encode())
    ds = data.TFRecordDataset(paths, compression_type="GZIP")
    assert [r.decode() for r in ds] == [f"file {i} record {j}" for i in range(2) for j in range(3)]
    with open(paths[0], "r+b") as f:  # a damaged file is refused naming it, never read as records
        f.truncate(10)
    with pytest.raises(Exception, match="part-0"):
        list(ds)
