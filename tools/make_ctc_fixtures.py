"""Write tests/fixtures/ctc/ctc.npz: CTC losses, their gradients, decodes and cdist as TensorFlow 2.21 /
Keras 3.15 compute them, on fixed random inputs. tests/autodiff/ops/test_ctc.py and
tests/compat/keras_ops/test_ctc.py compare dendrite with these values (they never import TensorFlow).

Run with the TensorFlow venv: /work/bvenv/bin/python tools/make_ctc_fixtures.py"""
import os

import numpy as np
import tensorflow as tf
import keras
from keras import ops
from keras.src.legacy import backend as K

OUT = os.path.join(os.path.dirname(__file__), "..", "tests", "fixtures", "ctc", "ctc.npz")
rng = np.random.default_rng(7)
out = {}

# keras.ops.ctc_loss: batch-major logits, blank = mask_index (0). Rows: a plain label, repeated labels that
# need a blank between them ("2 2"), label length 0, a shorter output length, and "1 1 1" in 5 steps (just fits).
B, T, C = 5, 6, 4
logits = rng.normal(size=(B, T, C)).astype("float32") * 2
target = np.array([[1, 2, 3, 0], [2, 2, 1, 0], [0, 0, 0, 0], [3, 1, 0, 0], [1, 1, 1, 0]], "int32")
target_length = np.array([3, 3, 0, 2, 3], "int32")
output_length = np.array([6, 6, 6, 4, 5], "int32")
x = tf.Variable(logits)
with tf.GradientTape() as tape:
    loss = ops.ctc_loss(target, x, target_length, output_length)
    weighted = tf.reduce_sum(loss * tf.constant([1.0, 0.5, 2.0, -1.0, 1.5]))
out.update(ops_logits=logits, ops_target=target, ops_target_length=target_length, ops_output_length=output_length,
           ops_loss=loss.numpy(), ops_grad=tape.gradient(weighted, x).numpy())
# mask_index 2 (the blank in the middle of the classes)
target2 = np.array([[1, 3, 0, 0], [3, 3, 0, 0], [0, 1, 1, 0], [1, 0, 3, 1], [0, 0, 0, 0]], "int32")
length2 = np.array([2, 2, 3, 4, 1], "int32")
with tf.GradientTape() as tape:
    loss2 = ops.ctc_loss(target2, x, length2, output_length, mask_index=2)
    total = tf.reduce_sum(loss2)
out.update(mask2_target=target2, mask2_length=length2, mask2_loss=loss2.numpy(),
           mask2_grad=tape.gradient(total, x).numpy())

# infeasible: 4 labels with a repeat ("1 1 2 3" needs 5 steps) in 4 steps; label longer than the output
inf_target = np.array([[1, 1, 2, 3], [1, 2, 3, 1]], "int32")
inf_logits = logits[:2, :4]
xi = tf.Variable(inf_logits)
with tf.GradientTape() as tape:
    inf_loss = ops.ctc_loss(inf_target, xi, np.array([4, 4], "int32"), np.array([4, 3], "int32"))
    s = tf.reduce_sum(inf_loss)
out.update(inf_target=inf_target, inf_logits=inf_logits, inf_loss=inf_loss.numpy(),
           inf_grad=tape.gradient(s, xi).numpy())
# tf.compat.v1.nn.ctc_loss (blank last): "0 0 1 2" in 4 steps
v1_inf = tf.compat.v1.nn.ctc_loss(
    tf.SparseTensor([[0, 0], [0, 1], [0, 2], [0, 3]], inf_target[0] - 1, [1, 4]), tf.transpose(inf_logits[:1], (1, 0, 2)),
    tf.constant([4]), ignore_longer_outputs_than_inputs=False)
out["inf_v1_loss"] = v1_inf.numpy()

# tf.nn.ctc_loss: time-major by default, blank_index None (0) and -1 (the last class), float64 too
tm = np.transpose(logits, (1, 0, 2))
out["tf_loss_default"] = tf.nn.ctc_loss(target, tm, target_length, output_length).numpy()
target_last = np.where(np.arange(4)[None] < target_length[:, None], target - 1, 0).astype("int32")
out["tf_target_last"] = target_last
out["tf_loss_last"] = tf.nn.ctc_loss(target_last, tm, target_length, output_length, blank_index=-1).numpy()
out["tf_loss_batch_major"] = tf.nn.ctc_loss(target, logits, target_length, output_length,
                                            logits_time_major=False).numpy()

# Keras 2: K.ctc_batch_cost on softmax probabilities, blank last; (batch, 1). Gradient w.r.t. the probabilities.
# (TensorFlow's v1 CTCLoss refuses a label of length 0: "Labels length is zero in batch 2"; row 2 gets one label.)
k2_length = np.maximum(target_length, 1)
out["k2_length"] = k2_length
probs = tf.nn.softmax(logits).numpy()
p = tf.Variable(probs)
with tf.GradientTape() as tape:
    cost = K.ctc_batch_cost(target_last, p, output_length[:, None], k2_length[:, None])
    s = tf.reduce_sum(cost)
out.update(k2_probs=probs, k2_cost=cost.numpy(), k2_grad=tape.gradient(s, p).numpy())

# keras.losses.ctc / CTC: labels 0-padded, every output step used
y_true = np.array([[1, 2, 0], [3, 3, 0], [2, 0, 0], [1, 2, 3], [3, 0, 0]], "int32")
out["loss_y_true"] = y_true
out["loss_ctc"] = keras.losses.ctc(y_true, logits).numpy()
out["loss_CTC"] = np.float32(keras.losses.CTC()(y_true, logits).numpy())

# decoding: greedy (merge_repeated True / False), beam search; K.ctc_decode; tf.nn.ctc_greedy_decoder
dec_logits = (rng.normal(size=(3, 7, 4)) * 2).astype("float32")
dec_len = np.array([7, 5, 3], "int32")
out.update(dec_logits=dec_logits, dec_len=dec_len)
d, sc = ops.ctc_decode(dec_logits, dec_len, strategy="greedy")
out.update(greedy_paths=d.numpy(), greedy_scores=sc.numpy())
d, sc = ops.ctc_decode(dec_logits, dec_len, strategy="greedy", merge_repeated=False)
out.update(greedy_nomerge_paths=d.numpy(), greedy_nomerge_scores=sc.numpy())
d, sc = ops.ctc_decode(dec_logits, dec_len, strategy="greedy", mask_index=3)
out.update(greedy_mask3_paths=d.numpy(), greedy_mask3_scores=sc.numpy())
d, sc = ops.ctc_decode(dec_logits, dec_len, strategy="beam_search", beam_width=8, top_paths=3)
out.update(beam_paths=d.numpy(), beam_scores=sc.numpy())
d, sc = ops.ctc_decode(dec_logits, dec_len, strategy="beam_search", beam_width=100, top_paths=4)
out.update(beam_wide_paths=d.numpy(), beam_wide_scores=sc.numpy())
d, sc = ops.ctc_decode(dec_logits, dec_len, strategy="beam_search", beam_width=2, top_paths=2, mask_index=2)
out.update(beam_narrow_paths=d.numpy(), beam_narrow_scores=sc.numpy())
dec_probs = tf.nn.softmax(dec_logits).numpy()
out["k2_dec_probs"] = dec_probs
d, lp = K.ctc_decode(dec_probs, dec_len)
out.update(k2_greedy_paths=np.stack([x.numpy() for x in d]), k2_greedy_logprob=lp.numpy())
d, lp = K.ctc_decode(dec_probs, dec_len, greedy=False, beam_width=5, top_paths=2)
out.update(k2_beam_paths=np.stack([x.numpy() for x in d]), k2_beam_logprob=lp.numpy())
(sp,), neg = tf.nn.ctc_greedy_decoder(np.transpose(dec_logits, (1, 0, 2)), dec_len)
out.update(tf_greedy_indices=sp.indices.numpy(), tf_greedy_values=sp.values.numpy(),
           tf_greedy_shape=sp.dense_shape.numpy(), tf_greedy_neg=neg.numpy())
sps, lp = tf.nn.ctc_beam_search_decoder(np.transpose(dec_logits, (1, 0, 2)), dec_len, beam_width=6, top_paths=2)
for i, sp in enumerate(sps):
    out[f"tf_beam{i}_indices"], out[f"tf_beam{i}_values"] = sp.indices.numpy(), sp.values.numpy()
    out[f"tf_beam{i}_shape"] = sp.dense_shape.numpy()
out["tf_beam_logprob"] = lp.numpy()

# cdist: batch dimensions broadcast; gradient of a weighted sum
cx = rng.normal(size=(2, 3, 4)).astype("float32")
cy = rng.normal(size=(1, 5, 4)).astype("float32")
vx, vy = tf.Variable(cx), tf.Variable(cy)
cw = rng.normal(size=(2, 3, 5)).astype("float32")
with tf.GradientTape() as tape:
    dist = ops.cdist(vx, vy)
    s = tf.reduce_sum(dist * cw)
gx, gy = tape.gradient(s, [vx, vy])
out.update(cdist_x=cx, cdist_y=cy, cdist_w=cw, cdist=dist.numpy(), cdist_gx=gx.numpy(), cdist_gy=gy.numpy())

os.makedirs(os.path.dirname(OUT), exist_ok=True)
np.savez_compressed(OUT, **out)
for k, v in out.items():
    print(k, v.dtype, v.shape, v if v.size < 12 else "")
