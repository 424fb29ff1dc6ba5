"""Keras 3's ``keras.ops.ctc_loss`` / ``ctc_decode`` (also under ``keras.ops.nn``) and ``keras.ops.cdist``.

``ctc_loss(target, output, target_length, output_length, mask_index=0)``: ``output`` are logits (batch, time,
classes), the blank is class ``mask_index``; one loss per sample (batch,), differentiable (the op in
dendrite/autodiff/ops/ctc.py). A label sequence that cannot fit its output length gets TensorFlow's large finite
loss (about 707), not inf. ``ctc_decode(inputs, sequence_lengths, strategy, beam_width, top_paths,
merge_repeated, mask_index)`` gives Keras's (paths, scores): paths (top_paths, batch, time) int32 padded with -1
(greedy: top_paths is 1), scores (batch, 1) minus the summed top logits (greedy) or (batch, top_paths) log
probabilities (beam search). ``cdist(x, y)``: Euclidean distances (..., m, n) between the rows of x (..., m, d)
and y (..., n, d), the batch axes broadcast; the gradient at a distance of 0 is taken as 0 (TensorFlow's is NaN).
"""
import numpy as np

from ...autodiff import ops
from ...autodiff.ops.ctc import check_inputs, ctc_loss as _ctc_loss
from .. import ctc_decode as decoding
from .convert import arr, const, flt, t

_NAMES = dict(labels="target", logits="output", label_length="target_length", logit_length="output_length")


def ctc_loss(target, output, target_length, output_length, mask_index=0):
    output = flt(output)
    labels, label_len, out_len, blank = check_inputs(
        "keras.ops.ctc_loss", _NAMES, output.shape, arr(target), arr(target_length), arr(output_length), mask_index)
    if output.dtype == np.float16:
        output = ops.cast(output, np.float32)
    return _ctc_loss(output, labels, label_len, out_len, blank)


def ctc_decode(inputs, sequence_lengths, strategy="greedy", beam_width=100, top_paths=1, merge_repeated=True,
               mask_index=0):
    api = "keras.ops.ctc_decode"
    inputs = flt(inputs)
    if inputs.ndim != 3:
        raise ValueError(f"{api}: `inputs` must have rank 3 (batch, time, classes); received shape "
                         f"{tuple(inputs.shape)}.")
    batch, steps, classes = inputs.shape
    lengths = arr(sequence_lengths)
    if lengths.shape != (batch,) or lengths.min(initial=0) < 0 or lengths.max(initial=0) > steps:
        raise ValueError(f"{api}: `sequence_lengths` must have shape ({batch},) with values in [0, {steps}]; "
                         f"received shape {lengths.shape}, values {lengths.tolist()}.")
    if not -classes <= int(mask_index) < classes:
        raise ValueError(f"{api}: `mask_index` must lie in [{-classes}, {classes}); received {mask_index}.")
    blank = int(mask_index) % classes
    scores = np.asarray(inputs.value)
    out_dtype = np.result_type(scores.dtype, np.float32)
    if strategy == "greedy":
        paths, neg = decoding.greedy(scores, lengths, blank, merge_repeated)
        dense = decoding.dense(paths, steps)[None]
        return const(dense, np.int32), const(neg[:, None], out_dtype)
    if strategy == "beam_search":
        if int(top_paths) < 1 or int(beam_width) < int(top_paths):
            raise ValueError(f"{api}: beam search needs 1 <= top_paths <= beam_width; received top_paths="
                             f"{top_paths}, beam_width={beam_width}.")
        paths, log_probs = decoding.beam_search(scores, lengths, blank, int(beam_width), int(top_paths))
        dense = np.stack([decoding.dense(p, steps) for p in paths])
        return const(dense, np.int32), const(log_probs, out_dtype)
    raise ValueError(f"{api}: `strategy` must be 'greedy' or 'beam_search'; received {strategy!r}.")


def cdist(x, y):
    x, y = flt(x), flt(y)
    if x.ndim < 2 or y.ndim < 2:
        raise ValueError(f"keras.ops.cdist: `x` and `y` must have rank >= 2 (..., points, dims); received shapes "
                         f"{tuple(x.shape)} and {tuple(y.shape)}.")
    if x.shape[-1] != y.shape[-1]:
        raise ValueError(f"keras.ops.cdist: the last axes of `x` and `y` (the vectors' size) must match; received "
                         f"shapes {tuple(x.shape)} and {tuple(y.shape)}.")
    try:
        np.broadcast_shapes(x.shape[:-2], y.shape[:-2])
    except ValueError:
        raise ValueError(f"keras.ops.cdist: the batch axes of `x` and `y` must broadcast; received shapes "
                         f"{tuple(x.shape)} and {tuple(y.shape)}.") from None
    if x.dtype != y.dtype:
        dtype = np.result_type(x.dtype, y.dtype)
        x, y = ops.cast(x, dtype), ops.cast(y, dtype)
    diff = ops.subtract(ops.expand_dims(x, -2), ops.expand_dims(y, -3))
    squared = ops.sum(ops.square(diff), axis=-1)
    positive = np.asarray(squared.value) > 0
    safe = ops.where(positive, squared, np.ones((), squared.dtype))
    return ops.where(positive, ops.sqrt(safe), np.zeros((), squared.dtype))


NAMES = "ctc_loss ctc_decode"
TOP_NAMES = "cdist"
