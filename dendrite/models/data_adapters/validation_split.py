"""fit's validation_split: the last fraction of the arrays, before any shuffling, as Keras takes it."""
from ...utils.validation import number
from .arrays import _samples, _unwrap, map_data, num_samples


def split_validation(x, y, sample_weight, validation_split, owner, kind=None):
    """((x, y, sample_weight) to train on, (x, y, sample_weight) to validate on). ``kind``: what x is when it is
    not arrays (a generator, a dataset, a PyDataset), which cannot be split."""
    number(owner, "validation_split", validation_split, low=0, high=1, low_open=True, high_open=True)
    if kind is not None:
        raise ValueError(
            f"{owner}: `validation_split` is only supported for Tensors or NumPy arrays, as in Keras; `x` is a "
            f"{kind}, whose length and order are not known in advance. Received: validation_split="
            f"{validation_split}. Pass the validation batches as `validation_data` (a generator, dataset or "
            "PyDataset of their own, or a tuple of arrays) instead.")
    if x is None:
        _samples(x, owner, "x")
    # a DataFrame stays one (its rows are cut), for a model that takes its columns as named features
    x, y, sample_weight = (None if a is None else map_data(lambda v, _: v if hasattr(v, "columns") else _unwrap(v),
                                                           a, "") for a in (x, y, sample_weight))
    n = num_samples(x)
    split_at = int(n * (1.0 - validation_split))
    if split_at == 0 or split_at == n:
        raise ValueError(
            f"validation_split={validation_split} leaves an empty training or validation set with {n} samples. "
            "Use more samples or another split."
        )

    def cut(a):
        if a is None:
            return None, None
        return map_data(lambda v, _: v[:split_at], a, ""), map_data(lambda v, _: v[split_at:], a, "")

    (xt, xv), (yt, yv), (st, sv) = cut(x), cut(y), cut(sample_weight)
    return (xt, yt, st), (xv, yv, sv)
