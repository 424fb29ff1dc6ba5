"""CTC as TensorFlow 2 and Keras 2 spell it, on dendrite's CTC op (autodiff/ops/ctc.py) and decoders (ctc_decode).

``tf.nn.ctc_loss(labels, logits, label_length, logit_length, logits_time_major=True, unique=None,
blank_index=None)``: dense labels (blank 0 unless ``blank_index``; negative counts from the end) or a
SparseTensor (``blank_index`` required, as TensorFlow); a label sequence that cannot fit gets TensorFlow's large
finite loss. ``tf.compat.v1.nn.ctc_loss(labels, inputs, sequence_length, ...)``: SparseTensor labels, time-major
logits, blank the last class; a sequence that cannot fit gets inf (TensorFlow: "No valid path found"), a label
longer than its sequence or of length 0 is refused as TensorFlow refuses it. ``tf.nn.ctc_greedy_decoder`` and
``tf.nn.ctc_beam_search_decoder`` (``tf.compat.v1``'s with ``merge_repeated``): time-major, blank the last class
(greedy: ``blank_index``), SparseTensor paths. Keras 2's backend: ``ctc_batch_cost(y_true, y_pred, input_length,
label_length)`` on softmax probabilities (log(y_pred + epsilon), then the v1 loss: (batch, 1)), ``ctc_decode(y_pred,
input_length, greedy=True, beam_width=100, top_paths=1)`` (dense paths padded with -1) and
``ctc_label_dense_to_sparse``.
"""
import numpy as np

from .. import backend
from ..autodiff import Tensor, array_of, ops
from ..autodiff.ops.ctc import check_inputs, ctc_loss as _ctc_loss
from . import ctc_decode as decoding
from .tf_sparse import SparseTensor

_V2_NAMES = dict(labels="labels", logits="logits", label_length="label_length", logit_length="logit_length")
_V1_NAMES = dict(labels="labels", logits="inputs", label_length="labels (row lengths)",
                 logit_length="sequence_length")
_K_NAMES = dict(labels="y_true", logits="y_pred", label_length="label_length", logit_length="input_length")


def _float(x):
    x = x if isinstance(x, Tensor) else Tensor(np.asarray(array_of(x)))
    return x if x.dtype.kind == "f" else Tensor(x.value.astype(backend.floatx()))


def _int(x):
    return np.asarray(array_of(x))


def _batch_major(logits, time_major, api, name):
    if logits.ndim != 3:
        raise ValueError(f"{api}: `{name}` must have rank 3 ({'time, batch' if time_major else 'batch, time'}, "
                         f"classes); received shape {tuple(logits.shape)}.")
    return ops.transpose(logits, (1, 0, 2)) if time_major else logits


def _sparse_rows(labels, batch, api):
    """A SparseTensor of labels as dense (batch, max_len) labels and their row lengths."""
    indices = np.asarray(array_of(labels.indices)).reshape(-1, 2)
    values = np.asarray(array_of(labels.values))
    if indices.size and indices[:, 0].max() >= batch:
        raise ValueError(f"{api}: `labels` has rows up to {int(indices[:, 0].max())} for a batch of {batch}.")
    lengths = np.bincount(indices[:, 0], minlength=batch).astype(np.int64)
    dense = np.zeros((batch, max(int(lengths.max(initial=0)), 1)), dtype=np.int64)
    order = np.lexsort((indices[:, 1], indices[:, 0]))
    rows = indices[order, 0]
    position = np.arange(len(rows)) - np.searchsorted(rows, rows)
    dense[rows, position] = values[order]
    return dense, lengths


def ctc_loss(labels, logits, label_length, logit_length, logits_time_major=True, unique=None, blank_index=None,
             name=None):
    api = "tf.nn.ctc_loss"
    logits = _batch_major(_float(logits), logits_time_major, api, "logits")
    classes = logits.shape[-1]
    if isinstance(labels, SparseTensor) or hasattr(labels, "indices") and hasattr(labels, "dense_shape"):
        if blank_index is None:
            raise ValueError(f"{api}: `blank_index` must be given when `labels` is a SparseTensor (as TensorFlow).")
        labels, label_length = _sparse_rows(labels, logits.shape[0], api)
    blank = 0 if blank_index is None else int(blank_index)
    blank = blank + classes if blank < 0 else blank
    labels, label_len, logit_len, blank = check_inputs(
        api, _V2_NAMES, logits.shape, _int(labels), _int(label_length), _int(logit_length), blank)
    return _ctc_loss(logits, labels, label_len, logit_len, blank)


def _v1_loss(api, names, labels, logits, lengths, collapse, ignore_longer):
    batch = logits.shape[0]
    dense, label_len = _sparse_rows(labels, batch, api)
    if collapse:
        for b in range(batch):
            row = dense[b, :label_len[b]]
            keep = np.ones(len(row), dtype=bool)
            keep[1:] = row[1:] != row[:-1]
            dense[b] = np.pad(row[keep], (0, dense.shape[1] - keep.sum()))
            label_len[b] = keep.sum()
    lengths = _int(lengths).reshape(-1)
    if lengths.shape == (batch,):
        for b in np.flatnonzero(label_len == 0):
            raise ValueError(f"{api}: labels length is zero in batch {b} (TensorFlow's CTCLoss refuses an empty "
                             "label sequence).")
        too_long = label_len > lengths
        if too_long.any() and not ignore_longer:
            b = int(np.flatnonzero(too_long)[0])
            raise ValueError(f"{api}: not enough time for the target sequence of batch {b}: {label_len[b]} labels "
                             f"in `{names['logit_length']}` {lengths[b]} steps. ignore_longer_outputs_than_inputs="
                             "True gives those samples a loss of 0.")
    labels, label_len, lengths, blank = check_inputs(api, names, logits.shape, dense, label_len, lengths,
                                                     logits.shape[-1] - 1)
    loss = _ctc_loss(logits, labels, label_len, lengths, blank, soft_end=False)
    if ignore_longer and (label_len > lengths).any():
        loss = ops.where(label_len > lengths, np.zeros((), loss.dtype), loss)
    return loss


def ctc_loss_v1(labels, inputs=None, sequence_length=None, preprocess_collapse_repeated=False,
                ctc_merge_repeated=True, ignore_longer_outputs_than_inputs=False, time_major=True, logits=None,
                name=None):
    api = "tf.compat.v1.nn.ctc_loss"
    if not ctc_merge_repeated:
        raise NotImplementedError(f"{api}: ctc_merge_repeated=False is not supported by dendrite (only the "
                                  "standard CTC of ctc_merge_repeated=True).")
    if not hasattr(labels, "indices"):
        raise TypeError(f"{api}: `labels` must be a SparseTensor (tf.sparse.from_dense, or "
                        f"keras.backend.ctc_label_dense_to_sparse); received {type(labels).__name__}.")
    inputs = inputs if inputs is not None else logits
    inputs = _batch_major(_float(inputs), time_major, api, "inputs")
    return _v1_loss(api, _V1_NAMES, labels, inputs, sequence_length, preprocess_collapse_repeated,
                    ignore_longer_outputs_than_inputs)


def _sparse_paths(paths, batch):
    """TensorFlow's SparseTensor of decoded label lists: int64 indices and values, dense shape (batch, longest)."""
    indices = [(b, i) for b, p in enumerate(paths) for i in range(len(p))]
    values = [v for p in paths for v in p]
    longest = max((len(p) for p in paths), default=0)
    return SparseTensor(np.asarray(indices, dtype=np.int64).reshape(-1, 2), np.asarray(values, dtype=np.int64),
                        np.asarray([batch, longest], dtype=np.int64))


def _decoder_inputs(api, inputs, sequence_length):
    scores = np.asarray(array_of(inputs))
    if scores.ndim != 3:
        raise ValueError(f"{api}: `inputs` must have rank 3 (time, batch, classes); received shape {scores.shape}.")
    scores = scores.transpose(1, 0, 2)
    lengths = _int(sequence_length).reshape(-1)
    batch, steps = scores.shape[:2]
    if lengths.shape != (batch,) or lengths.min(initial=0) < 0 or lengths.max(initial=0) > steps:
        raise ValueError(f"{api}: `sequence_length` must have shape ({batch},) with values in [0, {steps}]; "
                         f"received {lengths.tolist()}.")
    return scores, lengths


def ctc_greedy_decoder(inputs, sequence_length, merge_repeated=True, blank_index=None):
    api = "tf.nn.ctc_greedy_decoder"
    scores, lengths = _decoder_inputs(api, inputs, sequence_length)
    classes = scores.shape[-1]
    blank = classes - 1 if blank_index is None else int(blank_index)
    blank = blank + classes if blank < 0 else blank
    paths, neg = decoding.greedy(scores, lengths, blank, merge_repeated)
    return [_sparse_paths(paths, scores.shape[0])], Tensor(neg[:, None])


def _beam(api, inputs, sequence_length, beam_width, top_paths, merge_repeated):
    scores, lengths = _decoder_inputs(api, inputs, sequence_length)
    if int(top_paths) < 1 or int(beam_width) < int(top_paths):
        raise ValueError(f"{api}: needs 1 <= top_paths <= beam_width; received top_paths={top_paths}, "
                         f"beam_width={beam_width}.")
    paths, log_probs = decoding.beam_search(scores, lengths, scores.shape[-1] - 1, int(beam_width), int(top_paths))
    if merge_repeated:  # consecutive equal labels of a beam are emitted once
        paths = [[[v for i, v in enumerate(p) if i == 0 or p[i - 1] != v] for p in rank] for rank in paths]
    return [_sparse_paths(p, scores.shape[0]) for p in paths], Tensor(log_probs.astype(scores.dtype))


def ctc_beam_search_decoder(inputs, sequence_length, beam_width=100, top_paths=1):
    return _beam("tf.nn.ctc_beam_search_decoder", inputs, sequence_length, beam_width, top_paths, False)


def ctc_beam_search_decoder_v1(inputs, sequence_length, beam_width=100, top_paths=1, merge_repeated=True):
    return _beam("tf.compat.v1.nn.ctc_beam_search_decoder", inputs, sequence_length, beam_width, top_paths,
                 merge_repeated)


def _lengths(x, name, api):
    x = _int(x)
    if x.ndim == 2 and x.shape[1] == 1:
        x = x[:, 0]
    if x.ndim != 1:
        raise ValueError(f"{api}: `{name}` must have shape (batch, 1) or (batch,); received shape {x.shape}.")
    return x


def ctc_batch_cost(y_true, y_pred, input_length, label_length):
    api = "keras.backend.ctc_batch_cost"
    y_pred = _float(y_pred)
    if y_pred.ndim != 3:
        raise ValueError(f"{api}: `y_pred` must be softmax probabilities of shape (batch, time, classes); "
                         f"received shape {tuple(y_pred.shape)}.")
    labels = _int(y_true)
    if labels.ndim != 2:
        raise ValueError(f"{api}: `y_true` must be labels of shape (batch, max_labels); received shape "
                         f"{labels.shape}.")
    if labels.dtype.kind == "f":
        labels = labels.astype(np.int64)
    sparse = ctc_label_dense_to_sparse(labels, _lengths(label_length, "label_length", api))
    log_probs = ops.log(ops.add(y_pred, np.asarray(backend.epsilon(), y_pred.dtype)))
    loss = _v1_loss(api, _K_NAMES, sparse, log_probs, _lengths(input_length, "input_length", api), False, False)
    return ops.expand_dims(loss, 1)


def ctc_label_dense_to_sparse(labels, label_lengths):
    labels = _int(labels)
    lengths = _lengths(label_lengths, "label_lengths", "keras.backend.ctc_label_dense_to_sparse")
    if labels.ndim != 2 or lengths.shape != (labels.shape[0],) or (lengths > labels.shape[1]).any():
        raise ValueError(f"keras.backend.ctc_label_dense_to_sparse: `labels` (batch, max_labels) and "
                         f"`label_lengths` (batch,) with lengths <= max_labels are expected; received shapes "
                         f"{labels.shape} and {lengths.shape}, lengths {lengths.tolist()}.")
    rows, cols = np.nonzero(np.arange(labels.shape[1])[None, :] < lengths[:, None])
    return SparseTensor(np.stack([rows, cols], 1).astype(np.int64), labels[rows, cols],
                        np.asarray(labels.shape, dtype=np.int64))


def ctc_decode(y_pred, input_length, greedy=True, beam_width=100, top_paths=1):
    api = "keras.backend.ctc_decode"
    probs = np.asarray(array_of(y_pred))
    if probs.ndim != 3:
        raise ValueError(f"{api}: `y_pred` must be softmax probabilities of shape (batch, time, classes); "
                         f"received shape {probs.shape}.")
    batch, steps = probs.shape[:2]
    log_probs = np.log(probs + np.asarray(backend.epsilon(), probs.dtype)).transpose(1, 0, 2)
    if greedy:
        decoded, score = ctc_greedy_decoder(log_probs, _lengths(input_length, "input_length", api))
    else:
        decoded, score = ctc_beam_search_decoder_v1(log_probs, _lengths(input_length, "input_length", api),
                                                    beam_width, top_paths)
    dense = []
    for sp in decoded:
        out = np.full((batch, steps), -1, dtype=np.int64)
        idx = np.asarray(array_of(sp.indices)).reshape(-1, 2)
        out[idx[:, 0], idx[:, 1]] = np.asarray(array_of(sp.values))
        dense.append(Tensor(out))
    return dense, score


TF_NAMES = "ctc_loss ctc_greedy_decoder ctc_beam_search_decoder"
V1_NN = dict(ctc_loss=ctc_loss_v1, ctc_beam_search_decoder=ctc_beam_search_decoder_v1)
K_NAMES = "ctc_batch_cost ctc_decode ctc_label_dense_to_sparse"
