"""Optimizer state keyed by variable: any order or subset of variables per step, several models on one
optimizer; ``iterations`` a Variable; ``variables`` in Keras 3's order."""
import numpy as np
import pytest

import dendrite
from dendrite import layers, optimizers
from dendrite.autodiff.tensor import Variable
from dendrite.optimizers import SGD, Adam, Nadam, RMSprop, schedules

MAKERS = {  # every optimizer, with its slots in use
    "sgd_momentum": lambda: SGD(0.05, momentum=0.9),
    "rmsprop_centered": lambda: RMSprop(0.01, momentum=0.5, centered=True),
    "adam_amsgrad": lambda: Adam(0.01, amsgrad=True),
    "adamw": lambda: optimizers.AdamW(0.01),
    "adamax": lambda: optimizers.Adamax(0.01),
    "nadam": lambda: Nadam(0.01),
    "adagrad": lambda: optimizers.Adagrad(0.1),
    "adadelta": lambda: optimizers.Adadelta(1.0),
}
rng = np.random.default_rng(7)
A0, B0 = rng.standard_normal((2, 3)).astype(np.float32), rng.standard_normal(4).astype(np.float32)
GRADS = [(rng.standard_normal((2, 3)).astype(np.float32), rng.standard_normal(4).astype(np.float32))
         for _ in range(4)]


def _pair():
    return Variable(A0.copy(), name="a"), Variable(B0.copy(), name="b")


@pytest.mark.parametrize("name", sorted(MAKERS))
def test_variables_in_another_order_each_step_get_their_own_moments(name):
    in_order, shuffled = MAKERS[name](), MAKERS[name]()
    a1, b1 = _pair()
    a2, b2 = _pair()
    for step, (ga, gb) in enumerate(GRADS):
        in_order.apply([ga, gb], [a1, b1])
        if step % 2 == 0:  # the first step builds the slots in the reversed order
            shuffled.apply([gb, ga], [b2, a2])
        else:
            shuffled.apply_gradients([(ga, a2), (gb, b2)])
    np.testing.assert_array_equal(a2.numpy(), a1.numpy())
    np.testing.assert_array_equal(b2.numpy(), b1.numpy())
    assert not np.allclose(a1.numpy(), A0)


def _adam_reference(w, grads, steps, lr=0.01, beta_1=0.9, beta_2=0.999, epsilon=1e-7):
    """Keras 3's Adam on one variable updated at the given optimizer steps (t counts every step)."""
    w, m, v = w.astype(np.float64), np.zeros(w.shape), np.zeros(w.shape)
    for t, g in zip(steps, grads):
        m += (g - m) * (1 - beta_1)
        v += (g * g - v) * (1 - beta_2)
        w -= lr * np.sqrt(1 - beta_2 ** t) / (1 - beta_1 ** t) * m / (np.sqrt(v) + epsilon)
    return w


def test_a_subset_of_the_variables_updates_only_those_with_their_own_moments():
    opt, (a, b) = Adam(0.01), _pair()
    (ga1, gb1), (_, gb2), (ga3, gb3) = GRADS[:3]
    opt.apply([ga1, gb1], [a, b])
    opt.apply([gb2], [b])  # step 2 leaves a (and its moments) alone
    after_two = a.numpy().copy()
    opt.apply([gb3, ga3], [b, a])
    np.testing.assert_allclose(after_two, _adam_reference(A0, [ga1], [1]), rtol=1e-5)
    np.testing.assert_allclose(a.numpy(), _adam_reference(A0, [ga1, ga3], [1, 3]), rtol=1e-5)
    np.testing.assert_allclose(b.numpy(), _adam_reference(B0, [gb1, gb2, gb3], [1, 2, 3]), rtol=1e-5)
    assert opt.iterations == 3


@pytest.mark.parametrize("make", [lambda: SGD(0.05, momentum=0.9), lambda: RMSprop(0.01, momentum=0.5)])
def test_two_models_sharing_one_optimizer_keep_separate_moments(make):
    x = rng.standard_normal((16, 3)).astype(np.float32)
    y = rng.standard_normal((16, 2)).astype(np.float32)

    def model():
        dendrite.utils.set_random_seed(3)  # both start from the same weights
        return dendrite.Sequential([dendrite.Input((3,)), layers.Dense(4, activation="tanh"), layers.Dense(2)])

    shared = make()
    m1, m2 = model(), model()
    m1.compile(optimizer=shared, loss="mse")
    m2.compile(optimizer=shared, loss="mse")
    alone1, alone2 = model(), model()
    alone1.compile(optimizer=make(), loss="mse")
    alone2.compile(optimizer=make(), loss="mse")
    for _ in range(3):  # the two models take turns on the one optimizer
        m1.fit(x, y, batch_size=8, shuffle=False, verbose=0)
        m2.fit(x, 2 * y, batch_size=8, shuffle=False, verbose=0)
        alone1.fit(x, y, batch_size=8, shuffle=False, verbose=0)
        alone2.fit(x, 2 * y, batch_size=8, shuffle=False, verbose=0)
    for mine, expected in ((m1, alone1), (m2, alone2)):
        for w, e in zip(mine.get_weights(), expected.get_weights()):
            np.testing.assert_allclose(w, e, rtol=1e-6, atol=1e-7)
    kinds = 2 if isinstance(shared, RMSprop) else 1  # velocity and momentum, or momentum
    assert shared.iterations == 12 and len(shared.variables) == 2 + 2 * 4 * kinds  # 4 weights a model


def test_iterations_is_a_non_trainable_int64_variable():
    opt, (a, b) = Adam(0.01, name="opt"), _pair()
    assert isinstance(opt.iterations, Variable) and opt.iterations.dtype == np.int64
    assert not opt.iterations.trainable and opt.iterations.path == "opt/iteration"
    assert opt.iterations == 0 and int(opt.iterations) == 0 and f"{opt.iterations}" == "0"
    returned = opt.apply_gradients([(GRADS[0][0], a)])
    assert returned is opt.iterations and opt.iterations == 1 and len(range(opt.iterations)) == 1
    opt.iterations.assign(10)  # restoring the step count restores the bias correction
    opt.apply_gradients([(GRADS[1][1], b)])
    np.testing.assert_allclose(b.numpy(), _adam_reference(B0, [GRADS[1][1]], [11]), rtol=1e-5)
    assert repr(opt) == "<Adam name='opt' learning_rate=0.01 iterations=11>"


def test_variables_list_the_state_in_keras_order():
    model = dendrite.Sequential([dendrite.Input((3,)), layers.Dense(2, name="d1")])
    opt = Adam(amsgrad=True)
    opt.build(model.trainable_weights)
    # Keras 3.15.1 lists adam/iteration, adam/learning_rate, then <path>_momentum and _velocity per variable,
    # then _velocity_hat per variable (its paths carry the model's name: sequential_d1_kernel_momentum)
    assert [v.path for v in opt.variables] == [
        "adam/iteration", "adam/learning_rate", "adam/d1_kernel_momentum", "adam/d1_kernel_velocity",
        "adam/d1_bias_momentum", "adam/d1_bias_velocity", "adam/d1_kernel_velocity_hat", "adam/d1_bias_velocity_hat"]
    assert all(not v.trainable for v in opt.variables)
    assert [v.shape for v in opt.variables[2:4]] == [(3, 2), (3, 2)]
    later = Variable(np.zeros(5, np.float32), name="later")
    opt.apply_gradients([(np.ones(5, np.float32), later)])  # a variable met later: its slots follow, per kind
    assert [v.name for v in opt.variables[2:]] == [
        "d1_kernel_momentum", "d1_kernel_velocity", "d1_bias_momentum", "d1_bias_velocity", "later_momentum",
        "later_velocity", "d1_kernel_velocity_hat", "d1_bias_velocity_hat", "later_velocity_hat"]
    np.testing.assert_allclose(opt.variables[6].numpy(), 0.1)  # the live moment: (1 - beta_1) * 1

    scheduled = SGD(schedules.ExponentialDecay(0.1, 10, 0.9), momentum=0.9, name="sgd")
    scheduled.build(model.trainable_weights)
    assert [v.path for v in scheduled.variables] == ["sgd/iteration", "sgd/d1_kernel_momentum",
                                                     "sgd/d1_bias_momentum"]
    nadam = Nadam(name="nadam")
    nadam.build(model.trainable_weights)
    assert nadam.variables[-1].path == "nadam/u_product"  # Keras lists its momentum-schedule product last


def test_state_restored_into_the_variables_continues_the_same_trajectory():
    """What saving will rely on: copying ``variables`` into a fresh optimizer of the same kind gives the
    next step the first optimizer would take."""
    for name in sorted(MAKERS):
        first, (a1, b1) = MAKERS[name](), _pair()
        for ga, gb in GRADS[:2]:
            first.apply([ga, gb], [a1, b1])
        second, (a2, b2) = MAKERS[name](), _pair()
        second.build([a2, b2])
        a2.assign(a1.numpy())
        b2.assign(b1.numpy())
        assert [v.path.split("/", 1)[1] for v in second.variables] == \
            [v.path.split("/", 1)[1] for v in first.variables]
        for mine, theirs in zip(second.variables, first.variables):
            mine.assign(theirs.numpy())
        first.apply(list(GRADS[2]), [a1, b1])
        second.apply(list(GRADS[2]), [a2, b2])
        np.testing.assert_array_equal(a2.numpy(), a1.numpy(), err_msg=name)
        np.testing.assert_array_equal(b2.numpy(), b1.numpy(), err_msg=name)


def test_learning_rate_lives_in_one_variable():
    opt = SGD(0.1)
    rate = opt.variables[1]
    assert rate.path == "SGD/learning_rate" and rate.dtype == np.float64 and float(rate) == 0.1
    opt.learning_rate = 0.5  # a callback's assignment writes into the same variable
    assert opt.variables[1] is rate and float(rate) == 0.5
    rate.assign(0.25)  # and restoring the variable sets the rate
    assert opt.learning_rate == 0.25 and opt.get_config()["learning_rate"] == 0.25
