"""audio_dataset_from_directory (dendrite/utils/audio_dataset.py) on a folder of generated tones written as
WAV files in the test: classes from the sub-folders, labels, batching with output_sequence_length or padding
to each batch's longest file, the validation split, the sampling-rate check and the errors (shapes and dtypes
as Keras 3.15 gives them for the same folder)."""
import io
import os
import wave

import numpy as np
import pytest

from dendrite.utils import audio_dataset_from_directory


def write_wav(path, samples, rate=8000):
    ints = np.clip(np.round(samples * 32768), -32768, 32767).astype("<i2")
    with wave.open(path, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(ints.tobytes())


@pytest.fixture
def tones(tmp_path):
    """two classes: 'high' (1000 Hz) and 'low' (200 Hz), 6 files each of 700 to 1200 samples"""
    rng = np.random.default_rng(0)
    for name, freq in (("high", 1000.0), ("low", 200.0)):
        os.makedirs(tmp_path / name)
        for i in range(6):
            n = int(rng.integers(700, 1200))
            write_wav(str(tmp_path / name / f"{i}.wav"), 0.5 * np.sin(2 * np.pi * freq * np.arange(n) / 8000))
    (tmp_path / "low" / "notes.txt").write_text("not audio")
    return str(tmp_path)


def test_batches_labels_and_fixed_length(tones):
    ds = audio_dataset_from_directory(tones, batch_size=4, output_sequence_length=1000, seed=1, verbose=False)
    assert ds.class_names == ["high", "low"] and len(ds.file_paths) == 12
    batches = list(ds)
    assert [len(b[1]) for b in batches] == [4, 4, 4]
    audio, labels = batches[0]
    assert audio.shape == (4, 1000, 1) and audio.dtype == np.float32 and labels.dtype == np.int32
    all_labels = np.concatenate([np.asarray(b[1]) for b in batches])
    assert sorted(all_labels.tolist()) == [0] * 6 + [1] * 6
    # the label agrees with the tone: the high class crosses zero more often
    for audio, labels in batches:
        crossings = (np.diff(np.sign(np.asarray(audio)[:, :600, 0]), axis=1) != 0).sum(axis=1)
        assert ((crossings > 60) == (np.asarray(labels) == 0)).all()


def test_padding_to_longest_and_modes(tones):
    ds = audio_dataset_from_directory(tones, batch_size=12, shuffle=False, label_mode="categorical", verbose=False)
    audio, labels = next(iter(ds))
    lengths = []
    for path in ds.file_paths:
        with wave.open(path) as w:
            lengths.append(w.getnframes())
    assert audio.shape == (12, max(lengths), 1)
    assert labels.shape == (12, 2) and labels.dtype == np.float32
    first = np.asarray(audio)[0, :, 0]
    assert np.all(first[lengths[0]:] == 0)  # zero-padded past its own end
    unlabeled = audio_dataset_from_directory(tones, labels=None, batch_size=None, output_sequence_length=50,
                                             verbose=False)
    assert next(iter(unlabeled)).shape == (50, 1)


def test_validation_split(tones):
    train, val = audio_dataset_from_directory(tones, validation_split=0.25, subset="both", seed=3,
                                              output_sequence_length=800, verbose=False)
    assert len(train.file_paths) == 9 and len(val.file_paths) == 3
    assert not set(train.file_paths) & set(val.file_paths)
    again = audio_dataset_from_directory(tones, validation_split=0.25, subset="validation", seed=3,
                                         output_sequence_length=800, verbose=False)
    assert again.file_paths == val.file_paths


def test_sampling_rate_and_errors(tones):
    ds = audio_dataset_from_directory(tones, sampling_rate=8000, output_sequence_length=100, verbose=False)
    assert next(iter(ds))[0].shape[1:] == (100, 1)
    wrong = audio_dataset_from_directory(tones, sampling_rate=16000, output_sequence_length=100, verbose=False)
    with pytest.raises(NotImplementedError, match="sampled at 8000 Hz but sampling_rate=16000"):
        next(iter(wrong))
    with pytest.raises(ValueError, match="`ragged` and `output_sequence_length` cannot both be set"):
        audio_dataset_from_directory(tones, ragged=True, output_sequence_length=10)
    with pytest.raises(ValueError, match="`sampling_rate` must be a positive integer"):
        audio_dataset_from_directory(tones, sampling_rate=8000.0)
    with pytest.raises(ValueError, match="`label_mode` must be one of"):
        audio_dataset_from_directory(tones, label_mode="sparse")
