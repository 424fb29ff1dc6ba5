"""Batches as Keras hands them to a model's train_step / test_step / predict_step."""


def pack_x_y_sample_weight(x, y=None, sample_weight=None):
    """A batch as Keras hands it to train_step: x alone (``(x,)`` when x is itself a tuple or list, so it stays one
    item), (x, y) or (x, y, sample_weight), as Keras 3's (without y, a sample_weight is not packed)."""
    if y is None:
        return (x,) if isinstance(x, (tuple, list)) else x
    return (x, y) if sample_weight is None else (x, y, sample_weight)


def unpack_x_y_sample_weight(data):
    """``(x, y, sample_weight)`` from a batch given as x, (x,), (x, y) or (x, y, sample_weight), as Keras's."""
    if isinstance(data, list):
        data = tuple(data)
    if not isinstance(data, tuple):
        return data, None, None
    if len(data) == 1:
        return data[0], None, None
    if len(data) == 2:
        return data[0], data[1], None
    if len(data) == 3:
        return data
    raise ValueError(f"Data is expected to be x, (x,), (x, y) or (x, y, sample_weight); received a tuple of "
                     f"{len(data)} entries.")
