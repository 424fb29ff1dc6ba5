"""Horovod's spellings: the Horovod-style fit (own data per process, DistributedOptimizer, rank 0's weights
broadcast, logs averaged) on 2 processes reaches one process's weights; on one process they are identities."""
import numpy as np

import dendrite
from dendrite import distribute, layers


def test_horovod_style_fit_matches_one_process(mpirun, tmp_path):
    for n in (2, 1):
        done = mpirun("horovod", tmp_path, n=n)
        assert done.returncode == 0, done.output[-3000:]
    two, one = np.load(tmp_path / "horovod2.npz"), np.load(tmp_path / "horovod1.npz")
    for key in one.files:
        np.testing.assert_allclose(two[key], one[key], atol=1e-5, rtol=0, err_msg=key)


def test_one_process_spellings():
    distribute.init()
    assert (distribute.rank(), distribute.size(), distribute.local_rank(), distribute.local_size()) == (0, 1, 0, 1)
    np.testing.assert_array_equal(distribute.allreduce(np.array([1.0, 2.0])), [1.0, 2.0])
    np.testing.assert_array_equal(distribute.broadcast(np.array([3.0]), 0), [3.0])
    np.testing.assert_array_equal(distribute.allgather(np.ones((2, 3))), np.ones((2, 3)))


def test_distributed_optimizer_is_the_same_optimizer_on_one_process():
    x = np.random.default_rng(0).normal(size=(64, 4)).astype("float32")
    y = x.sum(axis=1, keepdims=True)
    results = []
    for wrap in (False, True):
        dendrite.utils.set_random_seed(3)
        m = dendrite.Sequential([layers.Input((4,)), layers.Dense(1)])
        opt = dendrite.optimizers.Adam(0.01)
        m.compile(optimizer=distribute.DistributedOptimizer(opt) if wrap else opt, loss="mse")
        m.fit(x, y, batch_size=16, epochs=2, verbose=0,
              callbacks=[distribute.callbacks.BroadcastGlobalVariablesCallback(0),
                         distribute.callbacks.MetricAverageCallback()] if wrap else None)
        results.append(m.get_weights())
        if wrap:
            assert isinstance(m.optimizer, dendrite.optimizers.Adam) and type(m.optimizer).__name__ == "Adam"
            assert m.optimizer is not opt and type(opt) is dendrite.optimizers.Adam  # the user's is left alone
    for a, b in zip(*results):
        np.testing.assert_array_equal(a, b)
    with __import__("pytest").raises(ValueError, match="'average' or 'sum'"):
        distribute.allreduce(np.ones(2), op="max")
