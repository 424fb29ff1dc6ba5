"""keras.ops.nn against NumPy formulas and Keras's documented defaults, with gradients."""
import numpy as np
import pytest

from dendrite.testing import check_grads

RNG = np.random.default_rng(4)
X = RNG.normal(size=(2, 5)).astype(np.float32)


def _sigmoid(v):
    return 1 / (1 + np.exp(-v))


def test_activations_against_formulas(keras):
    ops = keras.ops
    from math import erf
    cases = {
        "relu": np.maximum(X, 0), "relu6": np.clip(X, 0, 6), "sigmoid": _sigmoid(X), "softplus": np.log1p(np.exp(X)),
        "softsign": X / (1 + np.abs(X)), "silu": X * _sigmoid(X), "swish": X * _sigmoid(X),
        "elu": np.where(X > 0, X, np.expm1(X)), "leaky_relu": np.where(X > 0, X, 0.2 * X),  # slope 0.2 by default
        "hard_sigmoid": np.clip(X / 6 + 0.5, 0, 1), "hard_silu": X * np.clip(X / 6 + 0.5, 0, 1),
        "hard_tanh": np.clip(X, -1, 1), "log_sigmoid": np.log(_sigmoid(X)), "tanh_shrink": X - np.tanh(X),
        "soft_shrink": np.where(np.abs(X) > 0.5, X - 0.5 * np.sign(X), 0), "celu": np.where(X > 0, X, np.expm1(X)),
        "hard_shrink": np.where(np.abs(X) > 0.5, X, 0), "squareplus": (X + np.sqrt(X * X + 4)) / 2,
        "sparse_sigmoid": np.clip((X + 1) / 2, 0, 1),
        "sparse_plus": np.where(X <= -1, 0, np.where(X >= 1, X, (X + 1) ** 2 / 4)),
        "selu": 1.0507009873554805 * np.where(X > 0, X, 1.6732632423543772 * np.expm1(X)),
    }
    for name, ref in cases.items():
        np.testing.assert_allclose(getattr(ops, name)(X).numpy(), ref, rtol=1e-5, atol=1e-6, err_msg=name)
    exact = 0.5 * X * (1 + np.vectorize(erf)(X / np.sqrt(2)))
    tanh_form = 0.5 * X * (1 + np.tanh(np.sqrt(2 / np.pi) * (X + 0.044715 * X ** 3)))
    np.testing.assert_allclose(ops.gelu(X).numpy(), tanh_form, rtol=1e-5)  # Keras: approximate=True by default
    np.testing.assert_allclose(ops.gelu(X, approximate=False).numpy(), exact, rtol=1e-5)
    e = np.exp(X - X.max(1, keepdims=True))
    np.testing.assert_allclose(ops.softmax(X).numpy(), e / e.sum(1, keepdims=True), rtol=1e-6)
    np.testing.assert_allclose(ops.log_softmax(X, axis=0).numpy(),
                               X - np.log(np.exp(X).sum(0, keepdims=True)), rtol=1e-5)
    np.testing.assert_allclose(ops.glu(X[:, :4]).numpy(), X[:, :2] * _sigmoid(X[:, 2:4]), rtol=1e-6)
    np.testing.assert_allclose(ops.threshold(X, 0.1, -1.0).numpy(), np.where(X > 0.1, X, -1.0))


def test_encodings_and_cross_entropies(keras):
    ops = keras.ops
    np.testing.assert_array_equal(ops.one_hot([0, 2], 3).numpy(), [[1, 0, 0], [0, 0, 1]])
    assert ops.one_hot([1], 2, axis=0).shape == (2, 1)
    np.testing.assert_array_equal(ops.multi_hot([[0, 2], [1, 1]], 3).numpy(), [[1, 0, 1], [0, 1, 0]])
    np.testing.assert_array_equal(ops.multi_hot([0, 2], 3).numpy(), [1, 0, 1])
    p = _sigmoid(X)
    y = (RNG.uniform(size=X.shape) > 0.5).astype(np.float32)
    bce = -(y * np.log(p) + (1 - y) * np.log(1 - p))
    np.testing.assert_allclose(ops.binary_crossentropy(y, p).numpy(), bce, rtol=1e-5)
    np.testing.assert_allclose(ops.binary_crossentropy(y, X, from_logits=True).numpy(), bce, rtol=1e-5)
    soft = np.exp(X) / np.exp(X).sum(1, keepdims=True)
    onehot = np.eye(5, dtype=np.float32)[[1, 3]]
    cce = -np.log(soft[[0, 1], [1, 3]])
    np.testing.assert_allclose(ops.categorical_crossentropy(onehot, soft).numpy(), cce, rtol=1e-5)
    np.testing.assert_allclose(ops.categorical_crossentropy(onehot, X, from_logits=True).numpy(), cce, rtol=1e-5)
    np.testing.assert_allclose(ops.sparse_categorical_crossentropy([1, 3], X, from_logits=True).numpy(), cce,
                               rtol=1e-5)
    np.testing.assert_allclose(ops.sparse_categorical_crossentropy([[1], [3]], soft).numpy(), cce, rtol=1e-5)
    with pytest.raises(ValueError, match="same shape"):
        ops.binary_crossentropy(y[:1], p)


def _conv_ref(x, k, stride=1):
    n, h, w, c = x.shape
    kh, kw, _, o = k.shape
    oh, ow = (h - kh) // stride + 1, (w - kw) // stride + 1
    out = np.zeros((n, oh, ow, o))
    for i in range(oh):
        for j in range(ow):
            out[:, i, j] = np.einsum("nhwc,hwco->no", x[:, i * stride:i * stride + kh, j * stride:j * stride + kw], k)
    return out


def test_convolution_and_pooling_in_both_layouts(keras):
    ops = keras.ops
    x = RNG.normal(size=(2, 6, 7, 3)).astype(np.float32)
    k = RNG.normal(size=(3, 3, 3, 4)).astype(np.float32)
    ref = _conv_ref(x, k, 2)
    np.testing.assert_allclose(ops.conv(x, k, strides=2).numpy(), ref, rtol=1e-4, atol=1e-5)
    first = ops.conv(np.moveaxis(x, -1, 1), k, strides=2, data_format="channels_first")
    np.testing.assert_allclose(first.numpy(), np.moveaxis(ref, -1, 1), rtol=1e-4, atol=1e-5)
    assert ops.conv(x, k, padding="same").shape == (2, 6, 7, 4)
    assert ops.conv(x[:, 0], k[0]).shape == (2, 5, 4)  # 1-D
    assert ops.conv_transpose(x, RNG.normal(size=(3, 3, 5, 3)), strides=2, padding="same").shape == (2, 12, 14, 5)
    dw = RNG.normal(size=(3, 3, 3, 2)).astype(np.float32)
    depth = ops.depthwise_conv(x, dw)
    assert depth.shape == (2, 4, 5, 6)
    np.testing.assert_allclose(depth.numpy()[..., 2 * 1 + 0], _conv_ref(x[..., 1:2], dw[:, :, 1:2, 0:1])[..., 0],
                               rtol=1e-4, atol=1e-5)
    sep = ops.separable_conv(x, dw, RNG.normal(size=(1, 1, 6, 4)))
    assert sep.shape == (2, 4, 5, 4)
    pooled = ops.max_pool(x, 2)
    np.testing.assert_allclose(pooled.numpy(), x[:, :6, :6].reshape(2, 3, 2, 3, 2, 3).max((2, 4)))
    np.testing.assert_allclose(ops.average_pool(x, 2, strides=2).numpy(),
                               x[:, :6, :6].reshape(2, 3, 2, 3, 2, 3).mean((2, 4)), rtol=1e-6)
    assert ops.max_pool(x[:, 0], 3, strides=1, padding="same").shape == (2, 7, 3)
    vol = RNG.normal(size=(2, 4, 4, 4, 3)).astype("float32")  # 3-D volumes run the Conv3D / pooling 3-D ops
    k3 = RNG.normal(size=(2, 2, 2, 3, 5)).astype("float32")
    want = sum(np.einsum("bdhwc,cf->bdhwf", vol[:, i:i + 3, j:j + 3, m:m + 3], k3[i, j, m])
               for i in range(2) for j in range(2) for m in range(2))
    np.testing.assert_allclose(ops.conv(vol, k3).numpy(), want, rtol=1e-4, atol=1e-5)
    np.testing.assert_array_equal(ops.max_pool(vol, 2).numpy(), vol.reshape(2, 2, 2, 2, 2, 2, 2, 3).max((2, 4, 6)))
    channels_first = ops.average_pool(np.moveaxis(vol, -1, 1), 2, data_format="channels_first")
    np.testing.assert_allclose(np.moveaxis(channels_first.numpy(), 1, -1),
                               vol.reshape(2, 2, 2, 2, 2, 2, 2, 3).mean((2, 4, 6)), rtol=1e-5)
    assert ops.conv_transpose(vol, np.zeros((2, 2, 2, 4, 3)), strides=2).shape == (2, 8, 8, 8, 4)
    with pytest.raises(ValueError, match=r"rank 3, 4 or 5\); received rank 6"):
        ops.conv(np.zeros((1, 2, 2, 2, 2, 1)), np.zeros((1, 1, 1, 1, 1, 1)))
    with pytest.raises(ValueError, match="depthwise_conv: expected a 1-D or 2-D input"):
        ops.depthwise_conv(vol, np.zeros((1, 1, 1, 3, 1)))


def test_normalization_top_k_attention_and_blocks(keras):
    ops = keras.ops
    mean, var = ops.moments(X, axes=[1])
    np.testing.assert_allclose(mean.numpy(), X.mean(1), rtol=1e-6)
    np.testing.assert_allclose(var.numpy(), X.var(1), rtol=1e-5)
    bn = ops.batch_normalization(X, X.mean(0), X.var(0), axis=-1, offset=np.ones(5), scale=2 * np.ones(5))
    np.testing.assert_allclose(bn.numpy(), 2 * (X - X.mean(0)) / np.sqrt(X.var(0) + 1e-3) + 1, rtol=1e-5)
    np.testing.assert_allclose(ops.normalize(X).numpy(), X / np.linalg.norm(X, axis=1, keepdims=True), rtol=1e-6)
    np.testing.assert_allclose(ops.normalize(X, order=1).numpy(), X / np.abs(X).sum(1, keepdims=True), rtol=1e-6)
    values, indices = ops.top_k(X, 2)
    np.testing.assert_array_equal(indices.numpy(), np.argsort(-X, 1)[:, :2])
    assert indices.dtype == np.int32 and np.allclose(values.numpy(), -np.sort(-X, 1)[:, :2])
    assert ops.in_top_k([0, 1], np.array([[0.1, 0.9], [0.8, 0.2]]), 1).numpy().tolist() == [False, False]
    q, k, v = (RNG.normal(size=(2, 3, 2, 4)).astype(np.float32) for _ in range(3))
    logits = np.einsum("btnh,bsnh->bnts", q, k) / 2.0
    w = np.exp(logits) / np.exp(logits).sum(-1, keepdims=True)
    np.testing.assert_allclose(ops.dot_product_attention(q, k, v).numpy(), np.einsum("bnts,bsnh->btnh", w, v),
                               rtol=1e-5)
    causal = ops.dot_product_attention(q, k, v, is_causal=True).numpy()
    np.testing.assert_allclose(causal[:, 0], v[:, 0], rtol=1e-6)  # the first step sees only itself
    img = RNG.normal(size=(1, 4, 6, 2)).astype(np.float32)
    assert ops.space_to_depth(img, 2).shape == (1, 2, 3, 8)
    np.testing.assert_array_equal(ops.depth_to_space(ops.space_to_depth(img, 2), 2).numpy(), img)
    assert float(ops.psnr(np.zeros(4), np.full(4, 0.1), 1.0)) == pytest.approx(20.0, rel=1e-5)


def test_gradients(keras):
    ops = keras.ops
    a = RNG.normal(size=(2, 5))
    check_grads(lambda v: ops.celu(v) + ops.hard_silu(v) + ops.glu(ops.concatenate([v, v], 1)) + ops.log_sigmoid(v), [a])
    check_grads(lambda v: ops.categorical_crossentropy(np.eye(5)[[0, 2]], v, from_logits=True) +
                ops.sparse_categorical_crossentropy([1, 4], ops.softmax(v)), [a])
    check_grads(lambda v: ops.normalize(v) + ops.batch_normalization(v, 0.1, 2.0, -1) + ops.moments(v, [0])[1], [a])
    x = RNG.normal(size=(1, 5, 5, 2))
    check_grads(lambda img, k: ops.conv(img, k, padding="same", data_format="channels_last"),
                [x, RNG.normal(size=(3, 3, 2, 2))])
    q = RNG.normal(size=(1, 3, 1, 2))
    check_grads(lambda q_, k_: ops.dot_product_attention(q_, k_, k_, is_causal=True), [q, q + 0.5])


def test_adaptive_pools_match_the_layers_and_keras(keras):
    """keras.ops.adaptive_average_pool / adaptive_max_pool: Keras 3.15's values (the layers' fixtures)."""
    import os
    here = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "fixtures",
                        "keras", "layers4.npz")
    with np.load(here, allow_pickle=False) as data:
        x_avg, y_avg, x_max, y_max = data["x11"], data["y11_0"], data["x16"], data["y16_0"]
    np.testing.assert_allclose(keras.ops.adaptive_average_pool(x_avg, (3, 4)).numpy(), y_avg, rtol=1e-6, atol=1e-6)
    got = keras.ops.adaptive_max_pool(x_max, 4, data_format="channels_first")
    np.testing.assert_allclose(got.numpy(), y_max, rtol=1e-6)
    check_grads(lambda v: keras.ops.adaptive_max_pool(v, 2), [x_avg[:1]])
    with pytest.raises(ValueError, match="output_size"):
        keras.ops.adaptive_average_pool(x_avg, (1, 2, 3))
