"""CTC and cdist through the public APIs (keras.ops, keras.losses, Keras 2's backend, tf.nn, tf.compat.v1.nn)
against TensorFlow 2.21 / Keras 3.15 (tests/fixtures/ctc/ctc.npz from tools/make_ctc_fixtures.py); a small
model trained with keras.ops.ctc_loss; the errors."""
import os

import numpy as np
import pytest

from dendrite.testing import check_grads

FIX = np.load(os.path.join(os.path.dirname(__file__), "..", "..", "fixtures", "ctc", "ctc.npz"))
A = np.asarray


def _time_major(x):
    return np.transpose(x, (1, 0, 2))


def test_keras_ops_ctc_loss_and_gradient(keras, tf):
    x = tf.Variable(FIX["ops_logits"])
    with tf.GradientTape() as tape:
        loss = keras.ops.ctc_loss(FIX["ops_target"], x, FIX["ops_target_length"], FIX["ops_output_length"])
        total = tf.reduce_sum(loss * np.array([1.0, 0.5, 2.0, -1.0, 1.5], "float32"))
    assert loss.shape == (5,) and loss.dtype == "float32"
    np.testing.assert_allclose(A(loss), FIX["ops_loss"], rtol=1e-5)
    np.testing.assert_allclose(A(tape.gradient(total, x)), FIX["ops_grad"], atol=1e-5)
    loss2 = keras.ops.nn.ctc_loss(FIX["mask2_target"], FIX["ops_logits"], FIX["mask2_length"],
                                  FIX["ops_output_length"], mask_index=2)
    np.testing.assert_allclose(A(loss2), FIX["mask2_loss"], rtol=1e-5)
    far = keras.ops.ctc_loss(FIX["inf_target"], FIX["inf_logits"], [4, 4], [4, 3])
    np.testing.assert_allclose(A(far), FIX["inf_loss"], rtol=1e-6)  # large and finite, as TensorFlow


def test_keras_ops_ctc_decode(keras):
    logits, lengths = FIX["dec_logits"], FIX["dec_len"]
    for kwargs, key in [({}, "greedy"), (dict(merge_repeated=False), "greedy_nomerge"),
                        (dict(mask_index=3), "greedy_mask3"),
                        (dict(strategy="beam_search", beam_width=100, top_paths=4), "beam_wide"),
                        (dict(strategy="beam_search", beam_width=2, top_paths=2, mask_index=2), "beam_narrow")]:
        paths, scores = keras.ops.ctc_decode(logits, lengths, **kwargs)
        assert paths.dtype == "int32"
        np.testing.assert_array_equal(A(paths), FIX[f"{key}_paths"], err_msg=key)
        np.testing.assert_allclose(A(scores), FIX[f"{key}_scores"], rtol=1e-5, err_msg=key)


def test_beam_search_keeps_the_best_paths_when_the_beam_prunes(keras):
    # beam_width 8 < the prefixes alive: the best path and its score are TensorFlow's; TensorFlow's pruning keeps
    # other lower-ranked candidates than dendrite's prefix beam search
    paths, scores = keras.ops.ctc_decode(FIX["dec_logits"], FIX["dec_len"], strategy="beam_search", beam_width=8,
                                         top_paths=3)
    np.testing.assert_array_equal(A(paths)[0], FIX["beam_paths"][0])
    np.testing.assert_allclose(A(scores)[:, 0], FIX["beam_scores"][:, 0], rtol=1e-5)


def test_keras_ops_cdist_and_gradient(keras, tf):
    x, y = tf.Variable(FIX["cdist_x"]), tf.Variable(FIX["cdist_y"])
    with tf.GradientTape() as tape:
        dist = keras.ops.cdist(x, y)
        total = tf.reduce_sum(dist * FIX["cdist_w"])
    gx, gy = tape.gradient(total, [x, y])
    assert dist.shape == (2, 3, 5)
    np.testing.assert_allclose(A(dist), FIX["cdist"], rtol=1e-5)
    np.testing.assert_allclose(A(gx), FIX["cdist_gx"], rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(A(gy), FIX["cdist_gy"], rtol=1e-4, atol=1e-5)
    same = keras.ops.cdist(np.ones((2, 3)), np.ones((1, 3)))
    np.testing.assert_array_equal(A(same), [[0.0], [0.0]])
    rng = np.random.default_rng(0)
    check_grads(lambda a, b: keras.ops.cdist(a, b), [rng.normal(size=(3, 2)), rng.normal(size=(4, 2))])


def test_keras_losses_ctc(keras):
    np.testing.assert_allclose(A(keras.losses.ctc(FIX["loss_y_true"], FIX["ops_logits"])), FIX["loss_ctc"],
                               rtol=1e-5)
    loss = keras.losses.CTC()
    np.testing.assert_allclose(float(loss(FIX["loss_y_true"], FIX["ops_logits"])), FIX["loss_CTC"], rtol=1e-5)
    assert keras.losses.get("ctc") is keras.losses.ctc
    assert type(keras.losses.deserialize(keras.losses.serialize(loss))).__name__ == "CTC"


def test_tf_nn_ctc_loss(tf):
    tm = _time_major(FIX["ops_logits"])
    lengths = FIX["ops_target_length"], FIX["ops_output_length"]
    np.testing.assert_allclose(A(tf.nn.ctc_loss(FIX["ops_target"], tm, *lengths)), FIX["tf_loss_default"],
                               rtol=1e-5)
    np.testing.assert_allclose(A(tf.nn.ctc_loss(FIX["tf_target_last"], tm, *lengths, blank_index=-1)),
                               FIX["tf_loss_last"], rtol=1e-5)
    np.testing.assert_allclose(A(tf.nn.ctc_loss(FIX["ops_target"], FIX["ops_logits"], *lengths,
                                                logits_time_major=False)), FIX["tf_loss_batch_major"], rtol=1e-5)
    sparse = tf.sparse.from_dense(FIX["ops_target"])
    np.testing.assert_allclose(A(tf.nn.ctc_loss(sparse, tm, None, FIX["ops_output_length"], blank_index=0)),
                               FIX["tf_loss_default"], rtol=1e-5)
    with pytest.raises(ValueError, match="`blank_index` must be given when `labels` is a SparseTensor"):
        tf.nn.ctc_loss(sparse, tm, None, FIX["ops_output_length"])


def test_tf_compat_v1_ctc_loss(tf):
    sparse = tf.SparseTensor([[0, 0], [0, 1], [0, 2], [0, 3]], FIX["inf_target"][0] - 1, [1, 4])
    loss = tf.compat.v1.nn.ctc_loss(sparse, _time_major(FIX["inf_logits"][:1]), [4])
    assert np.isinf(A(loss)).all() and np.isinf(FIX["inf_v1_loss"]).all()  # "No valid path found"
    with pytest.raises(ValueError, match="labels length is zero in batch 1"):
        tf.compat.v1.nn.ctc_loss(tf.SparseTensor([[0, 0]], [1], [2, 1]), np.zeros((3, 2, 4), "float32"), [3, 3])
    with pytest.raises(ValueError, match="not enough time for the target sequence of batch 0: 3 labels"):
        tf.compat.v1.nn.ctc_loss(tf.SparseTensor([[0, 0], [0, 1], [0, 2]], [1, 2, 1], [1, 3]),
                                 np.zeros((3, 1, 4), "float32"), [2])
    with pytest.raises(NotImplementedError, match="ctc_merge_repeated=False"):
        tf.compat.v1.nn.ctc_loss(sparse, np.zeros((4, 1, 4), "float32"), [4], ctc_merge_repeated=False)


def test_tf_decoders(tf):
    inputs = _time_major(FIX["dec_logits"])
    (sp,), neg = tf.nn.ctc_greedy_decoder(inputs, FIX["dec_len"])
    np.testing.assert_array_equal(A(sp.indices), FIX["tf_greedy_indices"])
    np.testing.assert_array_equal(A(sp.values), FIX["tf_greedy_values"])
    np.testing.assert_array_equal(A(sp.dense_shape), FIX["tf_greedy_shape"])
    np.testing.assert_allclose(A(neg), FIX["tf_greedy_neg"], rtol=1e-6)
    decoded, log_probs = tf.nn.ctc_beam_search_decoder(inputs, FIX["dec_len"], beam_width=6, top_paths=2)
    for i, sp in enumerate(decoded):
        for part in ("indices", "values", "shape"):
            np.testing.assert_array_equal(A(getattr(sp, "dense_shape" if part == "shape" else part)),
                                          FIX[f"tf_beam{i}_{part}"])
    np.testing.assert_allclose(A(log_probs), FIX["tf_beam_logprob"], rtol=1e-5)


def test_keras2_backend_ctc(keras, tf):
    K = keras.backend
    p = tf.Variable(FIX["k2_probs"])
    with tf.GradientTape() as tape:
        cost = K.ctc_batch_cost(FIX["tf_target_last"], p, FIX["ops_output_length"][:, None],
                                FIX["k2_length"][:, None])
        total = tf.reduce_sum(cost)
    assert cost.shape == (5, 1)
    np.testing.assert_allclose(A(cost), FIX["k2_cost"], rtol=1e-5)
    np.testing.assert_allclose(A(tape.gradient(total, p)), FIX["k2_grad"], rtol=1e-4, atol=1e-3)  # grads up to 412
    decoded, log_prob = K.ctc_decode(FIX["k2_dec_probs"], FIX["dec_len"])
    np.testing.assert_array_equal(np.stack([A(d) for d in decoded]), FIX["k2_greedy_paths"])
    np.testing.assert_allclose(A(log_prob), FIX["k2_greedy_logprob"], rtol=1e-5)
    decoded, log_prob = K.ctc_decode(FIX["k2_dec_probs"], FIX["dec_len"], greedy=False, beam_width=5, top_paths=2)
    np.testing.assert_array_equal(np.stack([A(d) for d in decoded]), FIX["k2_beam_paths"])
    np.testing.assert_allclose(A(log_prob), FIX["k2_beam_logprob"], rtol=1e-5)
    sp = K.ctc_label_dense_to_sparse(np.array([[3, 1, 0], [2, 0, 0]]), np.array([2, 1]))
    np.testing.assert_array_equal(A(sp.indices), [[0, 0], [0, 1], [1, 0]])
    np.testing.assert_array_equal(A(sp.values), [3, 1, 2])


@pytest.mark.parametrize("call, message", [
    (lambda k: k.ops.ctc_loss([[1, 2]], np.zeros((1, 4)), [2], [4]),
     "keras.ops.ctc_loss: `output` must have rank 3 (batch, time, classes); received shape (1, 4)"),
    (lambda k: k.ops.ctc_loss([1, 2], np.zeros((1, 4, 3)), [2], [4]),
     "keras.ops.ctc_loss: `target` must be integer labels of shape (batch, max_labels) = (1, ...); received shape "
     "(2,)"),
    (lambda k: k.ops.ctc_loss([[1, 2]], np.zeros((1, 4, 3)), [2], [5]),
     "keras.ops.ctc_loss: `output_length` must lie in [0, 4] (the length of the time axis); received [5]"),
    (lambda k: k.ops.ctc_loss([[1, 2]], np.zeros((1, 4, 3)), [3], [4]),
     "keras.ops.ctc_loss: `target_length` must lie in [0, 2]"),
    (lambda k: k.ops.ctc_loss([[1, 3]], np.zeros((1, 4, 3)), [2], [4]),
     "keras.ops.ctc_loss: `target` must hold classes in [0, 3) other than the blank 0 within each sample's length; "
     "received 3 at [0, 1]"),
    (lambda k: k.ops.ctc_decode(np.zeros((1, 4, 3)), [5]),
     "keras.ops.ctc_decode: `sequence_lengths` must have shape (1,) with values in [0, 4]"),
    (lambda k: k.ops.ctc_decode(np.zeros((1, 4, 3)), [4], strategy="best"),
     "keras.ops.ctc_decode: `strategy` must be 'greedy' or 'beam_search'; received 'best'"),
    (lambda k: k.ops.cdist(np.zeros((2, 3)), np.zeros((2, 4))),
     "keras.ops.cdist: the last axes of `x` and `y` (the vectors' size) must match"),
    (lambda k: k.ops.cdist(np.zeros(3), np.zeros((2, 3))), "keras.ops.cdist: `x` and `y` must have rank >= 2"),
    (lambda k: k.losses.ctc(np.zeros((2, 3, 1)), np.zeros((2, 4, 3))),
     "ctc: `y_true` must be integer labels of shape (batch_size, max_length); received shape (2, 3, 1)"),
    (lambda k: k.backend.ctc_batch_cost(np.full((1, 2), 2), np.full((1, 4, 3), 1 / 3), [[4]], [[2]]),
     "keras.backend.ctc_batch_cost: `y_true` must hold classes in [0, 3) other than the blank 2"),
])
def test_errors_name_argument_expected_and_received(keras, call, message):
    with pytest.raises(ValueError) as err:
        call(keras)
    assert message in str(err.value), str(err.value)


def test_a_small_model_learns_with_ctc_loss(keras):
    """A Dense model reads a sequence of one-hot symbols with noise, label = the symbols without blanks."""
    rng = np.random.default_rng(0)
    keras.utils.set_random_seed(0)
    n, steps, classes = 256, 8, 4
    symbols = rng.integers(0, classes, size=(n, steps))  # 0 = nothing here (the blank)
    x = np.eye(classes)[symbols].astype("float32") + rng.normal(0, 0.3, size=(n, steps, classes)).astype("float32")
    labels = np.zeros((n, steps), "int32")
    lengths = np.zeros(n, "int32")
    for i, row in enumerate(symbols):
        seq = [c for j, c in enumerate(row) if c != 0 and (j == 0 or row[j - 1] != c)]
        labels[i, :len(seq)], lengths[i] = seq, len(seq)
    model = keras.Sequential([keras.Input((steps, classes)), keras.layers.Dense(16, activation="relu"),
                              keras.layers.Dense(classes)])
    opt = keras.optimizers.Adam(0.02)
    out_len = np.full(n, steps, "int32")
    import dendrite
    losses = []
    for _ in range(40):
        with dendrite.GradientTape() as tape:
            loss = keras.ops.mean(keras.ops.ctc_loss(labels, model(x), lengths, out_len))
        opt.apply_gradients(zip(tape.gradient(loss, model.trainable_weights), model.trainable_weights))
        losses.append(float(loss))
    assert losses[-1] < 0.25 * losses[0], losses
    paths, _ = keras.ops.ctc_decode(model(x[:32]), out_len[:32])
    assert np.mean([(A(paths)[0, i, :lengths[i]] == labels[i, :lengths[i]]).all() for i in range(32)]) > 0.8


def test_ctc_loss_on_keras_tensors_makes_a_model_layer(keras):
    logits_in = keras.Input((6, 4))
    labels_in = keras.Input((4,), dtype="int32")
    tl, ol = keras.Input((), dtype="int32"), keras.Input((), dtype="int32")
    model = keras.Model([logits_in, labels_in, tl, ol], keras.ops.ctc_loss(labels_in, logits_in, tl, ol))
    out = model.predict([FIX["ops_logits"], FIX["ops_target"], FIX["ops_target_length"], FIX["ops_output_length"]],
                        verbose=0)
    np.testing.assert_allclose(np.ravel(out), FIX["ops_loss"], rtol=1e-5)
