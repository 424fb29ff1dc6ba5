"""SyncBatchNormalization / BatchNormalization(synchronized=True): the moments of the global batch over 2 real
processes (the weights and moving statistics one process reaches), the plain layer's local ones; gradients of
the cross-process op; Keras's config."""
import numpy as np

import dendrite
from dendrite import distribute, layers
from dendrite.distribute.sync_batch_norm import cross_process_batch_norm
from dendrite.testing import check_grads


def test_synchronized_moments_match_one_process(mpirun, tmp_path):
    for n in (2, 1):
        done = mpirun("syncbn", tmp_path, n=n)
        assert done.returncode == 0, done.output[-3000:]
    two, one = np.load(tmp_path / "syncbn2.npz"), np.load(tmp_path / "syncbn1.npz")
    # weights: Dense kernel, bias, gamma, beta, moving_mean, moving_variance, Dense kernel, bias
    for key in (k for k in one.files if k.startswith("sync_")):
        np.testing.assert_allclose(two[key], one[key], atol=1e-5, rtol=0, err_msg=key)
    # the plain layer normalises each process's half with its own moments: not what one process computes
    assert np.abs(two["local_w4"] - one["local_w4"]).max() > 1e-3


def test_cross_process_op_gradients_and_values_on_one_process():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(6, 4)) * 2 + 1
    gamma, beta = dendrite.Variable(rng.normal(size=4)), dendrite.Variable(rng.normal(size=4))
    check_grads(lambda t: cross_process_batch_norm(t, gamma, beta, -1, 1e-3)[0], [x], params=[gamma, beta])
    y, mean, var = cross_process_batch_norm(dendrite.Tensor(x), gamma, beta, -1, 1e-3)
    np.testing.assert_allclose(mean.value, x.mean(axis=0))
    np.testing.assert_allclose(var.value, x.var(axis=0))
    np.testing.assert_allclose(y.value, (x - x.mean(0)) / np.sqrt(x.var(0) + 1e-3) * gamma.value + beta.value)
    relu, _, _ = cross_process_batch_norm(dendrite.Tensor(x), None, None, -1, 1e-3, "relu")
    assert relu.value.min() == 0.0


def test_sync_layer_is_batch_normalization_synchronized():
    layer = distribute.SyncBatchNormalization(momentum=0.9)
    assert isinstance(layer, layers.BatchNormalization) and layer.synchronized
    config = layer.get_config()
    assert config["synchronized"] is True and config["momentum"] == 0.9 and config["epsilon"] == 1e-3
    x = np.random.default_rng(1).normal(size=(8, 3)).astype("float32")
    plain = layers.BatchNormalization(momentum=0.9)
    np.testing.assert_array_equal(layer(x, training=True).numpy(), plain(x, training=True).numpy())
    np.testing.assert_array_equal(layer.moving_mean.numpy(), plain.moving_mean.numpy())
