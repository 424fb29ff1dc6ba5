"""CTC decoding in NumPy (not differentiable, as in TensorFlow): greedy (best path) and prefix beam search, on
batch-major scores (batch, time, classes) with a given blank class. The keras.ops, Keras 2 backend and tf.nn
front ends (keras_ops/ctc.py, ctc_tf.py) arrange their arguments and outputs around these.

Greedy: the class of highest score at each step up to the sample's length; repeats merged (when asked), blanks
dropped; the score is minus the sum of those highest scores (TensorFlow's ``neg_sum_logits``).

Beam search: the prefixes of highest probability, each kept with the log probability of its alignments that
end in a blank and of those that end in its last label; a step extends each prefix by a blank, by its last
label again (the same prefix) or by a label (a longer one, from the blank-ending alignments only when the label
repeats the last one), and keeps the ``beam_width`` best. The scores are log-softmax of the inputs, as
TensorFlow normalises them; the result is the ``top_paths`` best prefixes with their log probabilities.
"""
import numpy as np


def greedy(scores, lengths, blank, merge_repeated=True):
    """([labels per sample], neg_sum (batch,)) of ``scores`` (batch, time, classes)."""
    scores = np.asarray(scores)
    best = scores.argmax(axis=-1)
    top = scores.max(axis=-1)
    paths, neg = [], np.zeros(scores.shape[0], dtype=scores.dtype)
    for b, n in enumerate(np.asarray(lengths, dtype=np.int64)):
        row = best[b, :n]
        neg[b] = -top[b, :n].sum()
        keep = row != blank
        if merge_repeated and n > 1:
            keep[1:] &= row[1:] != row[:-1]
        paths.append(row[keep].tolist())
    return paths, neg


def _log_softmax(x):
    x = np.asarray(x, dtype=np.float64)
    z = x - x.max(axis=-1, keepdims=True)
    return z - np.log(np.exp(z).sum(axis=-1, keepdims=True))


def _add(a, b):
    return np.logaddexp(a, b)


def _beam_one(logp, blank, beam_width):
    """Prefix beam search of one sample's log probabilities (time, classes): [(prefix, log prob)] best first."""
    beams = {(): (0.0, -np.inf)}  # prefix -> (log P ending in blank, log P ending in its last label)
    classes = [c for c in range(logp.shape[1]) if c != blank]
    for step in logp:
        nxt = {}

        def put(prefix, pb, pnb):
            ob, onb = nxt.get(prefix, (-np.inf, -np.inf))
            nxt[prefix] = (_add(ob, pb), _add(onb, pnb))

        for prefix, (pb, pnb) in beams.items():
            total = _add(pb, pnb)
            put(prefix, total + step[blank], -np.inf)
            if prefix:
                put(prefix, -np.inf, pnb + step[prefix[-1]])
            for c in classes:
                source = pb if prefix and prefix[-1] == c else total
                put(prefix + (c,), -np.inf, source + step[c])
        ranked = sorted(nxt.items(), key=lambda kv: -_add(*kv[1]))
        beams = dict(ranked[:beam_width])
    ranked = sorted(beams.items(), key=lambda kv: -_add(*kv[1]))
    return [(list(p), float(_add(*v))) for p, v in ranked]


def beam_search(scores, lengths, blank, beam_width=100, top_paths=1):
    """([[labels] per sample] per path rank, log probs (batch, top_paths)) of ``scores`` (batch, time, classes)."""
    logp = _log_softmax(scores)
    batch = logp.shape[0]
    paths = [[None] * batch for _ in range(top_paths)]
    log_probs = np.full((batch, top_paths), -np.inf)
    for b, n in enumerate(np.asarray(lengths, dtype=np.int64)):
        found = _beam_one(logp[b, :n], blank, beam_width)
        for k in range(top_paths):
            prefix, lp = found[k] if k < len(found) else ([], -np.inf)
            paths[k][b], log_probs[b, k] = prefix, lp
    return paths, log_probs


def dense(paths, steps, fill=-1):
    """Label lists (one per sample) as a (batch, steps) int array padded with ``fill``."""
    out = np.full((len(paths), steps), fill, dtype=np.int64)
    for b, p in enumerate(paths):
        out[b, :len(p)] = p
    return out
