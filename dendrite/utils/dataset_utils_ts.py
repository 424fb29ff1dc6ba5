"""keras.utils.timeseries_dataset_from_array and keras.utils.split_dataset, on dendrite.data."""
import numpy as np

from .validation import int_at_least, positive_int


def timeseries_dataset_from_array(data, targets, sequence_length, sequence_stride=1, sampling_rate=1,
                                  batch_size=128, shuffle=False, seed=None, start_index=None, end_index=None):
    """A Dataset of sliding windows over ``data`` (with the target at each window's start, when ``targets``
    is given), as Keras: window i holds data[start + i * sequence_stride + j * sampling_rate] for
    j < sequence_length. The windows are gathered a batch at a time."""
    from ..data import Dataset
    who = "timeseries_dataset_from_array"
    data = np.asarray(data)
    sequence_length = positive_int(who, "sequence_length", sequence_length)
    sequence_stride = positive_int(who, "sequence_stride", sequence_stride)
    sampling_rate = positive_int(who, "sampling_rate", sampling_rate)
    batch_size = positive_int(who, "batch_size", batch_size, allow_none=True)
    start_index = int_at_least(who, "start_index", 0 if start_index is None else start_index, 0)
    end_index = len(data) if end_index is None else int_at_least(who, "end_index", end_index, start_index + 1)
    if start_index >= len(data) or end_index > len(data):
        raise ValueError(f"{who}: `start_index` and `end_index` must lie within the data's {len(data)} rows "
                         f"(start_index < end_index <= len(data)). Received: start_index={start_index}, "
                         f"end_index={end_index}.")
    count = end_index - start_index - (sequence_length - 1) * sampling_rate
    if targets is not None:
        targets = np.asarray(targets)
        count = min(count, len(targets))
    starts = np.arange(0, max(count, 0), sequence_stride, dtype=np.int64)
    if shuffle:
        seed = np.random.randint(1_000_000) if seed is None else seed
        np.random.RandomState(seed).shuffle(starts)
    window = np.arange(sequence_length, dtype=np.int64) * sampling_rate
    rows = data[start_index:end_index]
    tail = None if targets is None else targets[start_index:end_index]

    def gather(s):
        return rows[s[..., None] + window] if tail is None else (rows[s[..., None] + window], tail[s])

    dataset = Dataset.from_tensor_slices(starts)
    if batch_size is not None:
        if shuffle:
            dataset = dataset.shuffle(batch_size * 8, seed=seed)
        return dataset.batch(batch_size).map(gather)
    if shuffle:
        dataset = dataset.shuffle(1024, seed=seed)
    return dataset.map(gather)


def split_dataset(dataset, left_size=None, right_size=None, shuffle=False, seed=None):
    """Two Datasets: the first ``left_size`` elements and the last ``right_size`` (each a count, or a
    fraction of the whole, rounded; one left out is the rest), as Keras. Takes an
    array, a tuple or list of arrays, or a finite Dataset."""
    from ..data import Dataset
    from ..data.structure import to_element
    who = "split_dataset"
    if isinstance(dataset, Dataset):
        elements = list(dataset)
    else:
        arrays = to_element(tuple(dataset) if isinstance(dataset, list) else dataset)
        elements = list(Dataset.from_tensor_slices(arrays))
    total = len(elements)
    if total == 0:
        raise ValueError(f"{who}: the dataset is empty; there is nothing to split.")
    sizes = [_split_size(who, name, value, total) for name, value in (("left_size", left_size),
                                                                       ("right_size", right_size))]
    if sizes == [None, None]:
        raise ValueError(f"{who}: give `left_size` or `right_size` (a count, or a fraction of the elements); "
                         "received neither. Pass e.g. left_size=0.8.")
    left, right = sizes
    left = total - right if left is None else left
    right = total - left if right is None else right
    if left + right > total or left + right == 0:
        raise ValueError(f"{who}: left_size + right_size must be between 1 and the dataset's {total} elements. "
                         f"Received: left_size={left_size!r}, right_size={right_size!r} ({left} + {right}).")
    if shuffle:
        seed = np.random.randint(1_000_000) if seed is None else seed
        order = np.random.RandomState(seed).permutation(total)
        elements = [elements[i] for i in order]
    return _stacked(elements[:left]), _stacked(elements[total - right:])


def _split_size(who, name, value, total):
    if value is None:
        return None
    if isinstance(value, float):
        if not 0 < value < 1:
            raise ValueError(f"{who}: a float `{name}` must be a fraction in (0, 1). Received: {name}={value}.")
        return round(value * total)
    return int_at_least(who, name, value, 0)


def _stacked(elements):
    from ..data import Dataset
    from ..data.batching import stack_elements
    if not elements:
        return Dataset.range(0)
    return Dataset.from_tensor_slices(stack_elements(elements))
