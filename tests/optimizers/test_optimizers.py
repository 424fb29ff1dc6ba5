"""Optimizers: golden trajectories against independent formulas, Keras defaults, API."""
import math
import tracemalloc

import numpy as np
import pytest

from dendrite import optimizers
from dendrite.autodiff.tensor import Variable
from dendrite.optimizers import (SGD, Adadelta, Adagrad, Adam, Adamax, AdamW, Nadam, RMSprop,
                                 schedules)

W0 = [1.0, -2.0, 3.0, 0.5]
# Three steps of fixed gradients; the last coordinate's gradient drops to 0 so
# that AMSGrad's running maximum differs from plain Adam.
GRADS = [[0.1, -0.2, 0.3, 2.0], [0.5, 0.1, -0.4, 3.0], [-0.3, 0.2, 0.05, 0.0]]
NAMES = ["sgd", "rmsprop", "adam", "adamw", "adamax", "nadam", "adagrad", "adadelta"]


def _variable(values=W0, dtype=np.float32, shape=(2, 2), name="w"):
    return Variable(np.array(values, dtype=dtype).reshape(shape), name=name, dtype=dtype)


# --------------------------------------------------------------------------- references
# Plain-Python versions of the Keras 3 update rules, one coordinate at a time.
# Each takes the initial weights and the gradient list and returns the weights
# after every step.

def ref_sgd(w, grads, lr, momentum=0.0, nesterov=False):
    w, m, out = list(w), [0.0] * len(w), []
    for g in grads:
        for k in range(len(w)):
            if momentum == 0.0:
                w[k] = w[k] - lr * g[k]
                continue
            m[k] = momentum * m[k] - lr * g[k]
            if nesterov:
                w[k] = w[k] + momentum * m[k] - lr * g[k]
            else:
                w[k] = w[k] + m[k]
        out.append(list(w))
    return out


def ref_rmsprop(w, grads, lr, rho=0.9, momentum=0.0, epsilon=1e-7, centered=False):
    n = len(w)
    w, vel, avg, mom, out = list(w), [0.0] * n, [0.0] * n, [0.0] * n, []
    for g in grads:
        for k in range(n):
            vel[k] = rho * vel[k] + (1 - rho) * g[k] ** 2
            if centered:
                avg[k] = rho * avg[k] + (1 - rho) * g[k]
                denominator = vel[k] - avg[k] ** 2 + epsilon
            else:
                denominator = vel[k] + epsilon
            increment = lr * g[k] / math.sqrt(denominator)
            if momentum > 0:
                mom[k] = momentum * mom[k] + increment
                w[k] -= mom[k]
            else:
                w[k] -= increment
        out.append(list(w))
    return out


def ref_adam(w, grads, lr, beta_1=0.9, beta_2=0.999, epsilon=1e-7, amsgrad=False,
             weight_decay=None):
    n = len(w)
    w, m, v, v_max, out = list(w), [0.0] * n, [0.0] * n, [0.0] * n, []
    for t, g in enumerate(grads, start=1):
        for k in range(n):
            if weight_decay is not None:
                w[k] = w[k] - w[k] * weight_decay * lr
            m[k] = beta_1 * m[k] + (1 - beta_1) * g[k]
            v[k] = beta_2 * v[k] + (1 - beta_2) * g[k] ** 2
            v_max[k] = max(v_max[k], v[k])
            # Keras folds both bias corrections into the step size; epsilon is
            # added to the uncorrected root.
            alpha = lr * math.sqrt(1 - beta_2 ** t) / (1 - beta_1 ** t)
            w[k] -= alpha * m[k] / (math.sqrt(v_max[k] if amsgrad else v[k]) + epsilon)
        out.append(list(w))
    return out


def ref_adamax(w, grads, lr, beta_1=0.9, beta_2=0.999, epsilon=1e-7):
    n = len(w)
    w, m, u, out = list(w), [0.0] * n, [0.0] * n, []
    for t, g in enumerate(grads, start=1):
        for k in range(n):
            m[k] = beta_1 * m[k] + (1 - beta_1) * g[k]
            u[k] = max(beta_2 * u[k], abs(g[k]))
            w[k] -= lr / (1 - beta_1 ** t) * m[k] / (u[k] + epsilon)
        out.append(list(w))
    return out


def ref_nadam(w, grads, lr, beta_1=0.9, beta_2=0.999, epsilon=1e-7):
    n = len(w)
    w, m, v, out = list(w), [0.0] * n, [0.0] * n, []
    mu = [beta_1 * (1 - 0.5 * 0.96 ** s) for s in range(1, len(grads) + 2)]  # mu[s-1] = u_s
    for t, g in enumerate(grads, start=1):
        prod_t = math.prod(mu[:t])
        prod_next = prod_t * mu[t]
        for k in range(n):
            m[k] = beta_1 * m[k] + (1 - beta_1) * g[k]
            v[k] = beta_2 * v[k] + (1 - beta_2) * g[k] ** 2
            m_hat = mu[t] * m[k] / (1 - prod_next) + (1 - mu[t - 1]) * g[k] / (1 - prod_t)
            v_hat = v[k] / (1 - beta_2 ** t)
            w[k] -= lr * m_hat / (math.sqrt(v_hat) + epsilon)
        out.append(list(w))
    return out


def ref_adagrad(w, grads, lr, initial_accumulator_value=0.1, epsilon=1e-7):
    n = len(w)
    w, acc, out = list(w), [initial_accumulator_value] * n, []
    for g in grads:
        for k in range(n):
            acc[k] += g[k] ** 2
            w[k] -= lr * g[k] / math.sqrt(acc[k] + epsilon)
        out.append(list(w))
    return out


def ref_adadelta(w, grads, lr, rho=0.95, epsilon=1e-7):
    n = len(w)
    w, acc_g, acc_d, out = list(w), [0.0] * n, [0.0] * n, []
    for g in grads:
        for k in range(n):
            acc_g[k] = rho * acc_g[k] + (1 - rho) * g[k] ** 2
            delta = -math.sqrt(acc_d[k] + epsilon) * g[k] / math.sqrt(acc_g[k] + epsilon)
            acc_d[k] = rho * acc_d[k] + (1 - rho) * delta ** 2
            w[k] += lr * delta
        out.append(list(w))
    return out


GOLDEN = {
    "sgd": (lambda: SGD(0.1), lambda: ref_sgd(W0, GRADS, 0.1)),
    "sgd_momentum": (lambda: SGD(0.1, momentum=0.9), lambda: ref_sgd(W0, GRADS, 0.1, 0.9)),
    "sgd_nesterov": (lambda: SGD(0.1, momentum=0.9, nesterov=True),
                     lambda: ref_sgd(W0, GRADS, 0.1, 0.9, nesterov=True)),
    "rmsprop": (lambda: RMSprop(0.1), lambda: ref_rmsprop(W0, GRADS, 0.1)),
    "rmsprop_centered_momentum": (lambda: RMSprop(0.1, momentum=0.5, centered=True),
                                  lambda: ref_rmsprop(W0, GRADS, 0.1, momentum=0.5, centered=True)),
    "adam": (lambda: Adam(0.1), lambda: ref_adam(W0, GRADS, 0.1)),
    "adam_amsgrad": (lambda: Adam(0.1, amsgrad=True), lambda: ref_adam(W0, GRADS, 0.1, amsgrad=True)),
    "adamw": (lambda: AdamW(0.1, weight_decay=0.1), lambda: ref_adam(W0, GRADS, 0.1, weight_decay=0.1)),
    "adamax": (lambda: Adamax(0.1), lambda: ref_adamax(W0, GRADS, 0.1)),
    "nadam": (lambda: Nadam(0.1), lambda: ref_nadam(W0, GRADS, 0.1)),
    "adagrad": (lambda: Adagrad(0.1), lambda: ref_adagrad(W0, GRADS, 0.1)),
    "adadelta": (lambda: Adadelta(1.0), lambda: ref_adadelta(W0, GRADS, 1.0)),
}


def _run(opt, grads=GRADS, var=None, dtype=np.float32):
    var = var if var is not None else _variable(dtype=dtype)
    trajectory = []
    for g in grads:
        opt.apply_gradients([(np.array(g, dtype=var.value.dtype).reshape(var.shape), var)])
        trajectory.append(var.value.ravel().tolist())
    return trajectory


@pytest.mark.parametrize("case", sorted(GOLDEN))
@pytest.mark.parametrize("dtype, rtol", [(np.float64, 1e-10), (np.float32, 2e-6)])
def test_golden_trajectory(case, dtype, rtol):
    make, reference = GOLDEN[case]
    got = _run(make(), dtype=dtype)
    expected = reference()
    for step, (g, e) in enumerate(zip(got, expected), start=1):
        # compare the displacement from the start, so float32 tests stay meaningful
        np.testing.assert_allclose(np.subtract(g, W0), np.subtract(e, W0), rtol=rtol,
                                   atol=1e-13 if dtype == np.float64 else 1e-6,
                                   err_msg=f"{case}, step {step}")


def test_keras_documented_rmsprop_example():
    # keras.optimizers.RMSprop docstring: var1 = 10.0, loss = var1**2 / 2 -> 9.683772
    var = Variable(np.array(10.0, dtype=np.float32), name="var1")
    RMSprop(learning_rate=0.1).apply_gradients([(np.array(10.0, dtype=np.float32), var)])
    assert float(var.value) == pytest.approx(9.683772, abs=1e-6)


# --------------------------------------------------------------------------- defaults
KERAS_DEFAULTS = [
    (SGD, dict(learning_rate=0.01, momentum=0.0, nesterov=False, name="SGD")),
    (RMSprop, dict(learning_rate=0.001, rho=0.9, momentum=0.0, epsilon=1e-7, centered=False,
                   name="rmsprop")),
    (Adam, dict(learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7, amsgrad=False,
                weight_decay=None, name="adam")),
    (AdamW, dict(learning_rate=0.001, weight_decay=0.004, beta_1=0.9, beta_2=0.999, epsilon=1e-7,
                 amsgrad=False, name="adamw")),
    (Adagrad, dict(learning_rate=0.001, initial_accumulator_value=0.1, epsilon=1e-7,
                   name="adagrad")),
    (Adadelta, dict(learning_rate=0.001, rho=0.95, epsilon=1e-7, name="adadelta")),
    (Adamax, dict(learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7, name="adamax")),
    (Nadam, dict(learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7, name="nadam")),
]


@pytest.mark.parametrize("cls, expected", KERAS_DEFAULTS, ids=lambda x: getattr(x, "__name__", ""))
def test_keras_defaults(cls, expected):
    opt = cls()
    for key, value in expected.items():
        assert getattr(opt, key) == value, key
    assert opt.iterations == 0
    assert opt.clipnorm is None and opt.clipvalue is None and opt.global_clipnorm is None
    assert type(opt.learning_rate) is float


def test_epsilon_none_means_keras_epsilon():
    assert Adam(epsilon=None).epsilon == 1e-7  # Keras 2 tutorials write epsilon=None


# --------------------------------------------------------------------------- in place, no allocation
@pytest.mark.parametrize("name", NAMES)
def test_update_is_in_place(name):
    opt = optimizers.get(name)
    var = _variable()
    before = var.value
    _run(opt, var=var)
    assert var.value is before
    assert not np.array_equal(before, np.array(W0, np.float32).reshape(2, 2))


@pytest.mark.parametrize("name", NAMES + ["sgd_momentum", "sgd_nesterov", "rmsprop_centered_momentum",
                                          "adam_amsgrad"])
def test_step_allocates_no_arrays(name):
    opt = GOLDEN[name][0]() if name in GOLDEN else optimizers.get(name)
    var = Variable(np.ones((500, 200), np.float32), name="kernel")  # 400 kB
    grad = np.full((500, 200), 0.01, np.float32)
    opt.apply_gradients([(grad, var)])  # builds the slots
    tracemalloc.start()
    try:
        opt.apply_gradients([(grad, var)])
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 20_000, f"{name}: a step allocated {peak} bytes"


# --------------------------------------------------------------------------- legacy arguments
def test_legacy_lr_maps_to_learning_rate():
    opt = SGD(lr=0.5)
    assert opt.learning_rate == 0.5 and opt.lr == 0.5
    assert Adam(lr=0.02).get_config()["learning_rate"] == 0.02


@pytest.mark.parametrize("kwargs", [dict(learning_rate=0.1, lr=0.2), dict(learning_rate=0.001, lr=0.2)])
def test_legacy_lr_with_learning_rate_is_refused(kwargs):
    with pytest.raises(ValueError, match=r"learning_rate.*lr"):
        Adam(**kwargs)


def test_legacy_decay_uses_keras2_formula():
    var = Variable(np.array([0.0], np.float32), name="w")
    opt = SGD(learning_rate=0.1, decay=0.5)
    for _ in range(3):
        opt.apply_gradients([(np.array([1.0], np.float32), var)])
    # lr_t = lr / (1 + decay * iterations) with iterations 0, 1, 2
    expected = -(0.1 / 1.0 + 0.1 / 1.5 + 0.1 / 2.0)
    assert float(var.value[0]) == pytest.approx(expected, rel=1e-6)
    assert opt.get_config()["decay"] == 0.5
    with pytest.raises(ValueError, match="decay"):
        SGD(decay=-1.0)


def test_unknown_kwarg_is_named_with_the_valid_ones():
    with pytest.raises(ValueError) as info:
        Adam(learning_rate=0.1, beta1=0.9)
    message = str(info.value)
    assert "Argument(s) not recognized" in message and "beta1" in message
    assert "beta_1" in message and "learning_rate" in message


def test_keras3_step_options_accepted_and_checked():
    # (tests/optimizers/test_step_options.py checks what they do against Keras)
    opt = Adam(use_ema=True, ema_momentum=0.9, gradient_accumulation_steps=4, loss_scale_factor=128.0)
    assert (opt.use_ema, opt.ema_momentum, opt.gradient_accumulation_steps, opt.loss_scale_factor) == \
        (True, 0.9, 4, 128.0)
    with pytest.raises(ValueError, match="gradient_accumulation_steps"):
        Adam(gradient_accumulation_steps=1)
    with pytest.raises(ValueError, match="ema_momentum"):
        Adam(use_ema=True, ema_momentum=1.5)


# --------------------------------------------------------------------------- learning rate
def test_learning_rate_settable_between_steps():
    var = Variable(np.array([0.0], np.float32), name="w")
    opt = SGD(learning_rate=0.1)
    opt.apply_gradients([(np.array([1.0], np.float32), var)])
    opt.learning_rate = 0.5  # what LearningRateScheduler does
    assert opt.learning_rate == 0.5
    opt.apply_gradients([(np.array([1.0], np.float32), var)])
    opt.lr = np.float64(0.25)  # the Keras 2 alias, with a NumPy scalar
    assert type(opt.learning_rate) is float and opt.lr == 0.25
    opt.apply_gradients([(np.array([1.0], np.float32), var)])
    assert float(var.value[0]) == pytest.approx(-0.85, rel=1e-6)
    with pytest.raises(TypeError, match="learning_rate"):
        opt.learning_rate = "fast"


def test_schedule_learning_rate_advances_with_iterations():
    schedule = schedules.ExponentialDecay(0.1, decay_steps=1, decay_rate=0.5)
    opt = SGD(learning_rate=schedule)
    var = Variable(np.array([0.0], np.float32), name="w")
    seen = []
    for _ in range(3):
        seen.append(opt.learning_rate)
        opt.apply_gradients([(np.array([1.0], np.float32), var)])
    assert seen == pytest.approx([0.1, 0.05, 0.025])
    assert opt.iterations == 3 and opt.learning_rate == pytest.approx(0.0125)
    assert float(var.value[0]) == pytest.approx(-0.175, rel=1e-6)
    with pytest.raises(TypeError, match="LearningRateSchedule"):
        opt.learning_rate = 0.01


def test_callable_learning_rate():
    opt = SGD(learning_rate=lambda: 0.3)
    assert opt.learning_rate == 0.3


# --------------------------------------------------------------------------- clipping
def _one_sgd_step(grads, **kwargs):
    variables = [Variable(np.zeros(np.shape(g), np.float32), name=f"w{i}") for i, g in enumerate(grads)]
    SGD(learning_rate=1.0, **kwargs).apply_gradients(
        [(np.array(g, np.float32), v) for g, v in zip(grads, variables)])
    return [-v.value for v in variables]  # with lr 1 the step is minus the (clipped) gradient


def test_clipnorm_clips_each_gradient_by_its_own_norm():
    big, small = _one_sgd_step([[3.0, 4.0], [0.3, 0.4]], clipnorm=1.0)
    np.testing.assert_allclose(big, [0.6, 0.8], rtol=1e-6)
    np.testing.assert_allclose(small, [0.3, 0.4], rtol=1e-6)


def test_clipvalue_clips_elementwise():
    (step,) = _one_sgd_step([[-2.0, 0.1, 3.0]], clipvalue=0.5)
    np.testing.assert_allclose(step, [-0.5, 0.1, 0.5], rtol=1e-6)


def test_global_clipnorm_clips_over_all_gradients():
    a, b = _one_sgd_step([[3.0], [4.0]], global_clipnorm=1.0)
    np.testing.assert_allclose([a[0], b[0]], [0.6, 0.8], rtol=1e-6)
    a, b = _one_sgd_step([[0.3], [0.4]], global_clipnorm=1.0)
    np.testing.assert_allclose([a[0], b[0]], [0.3, 0.4], rtol=1e-6)


def test_clipping_leaves_the_callers_gradient_alone():
    grad = np.array([3.0, 4.0], np.float32)
    SGD(clipnorm=1.0).apply_gradients([(grad, Variable(np.zeros(2, np.float32)))])
    np.testing.assert_array_equal(grad, [3.0, 4.0])


def test_only_one_clip_argument():
    with pytest.raises(ValueError, match="only one of"):
        SGD(clipnorm=1.0, clipvalue=0.5)
    with pytest.raises(ValueError, match="clipnorm"):
        SGD(clipnorm=-1.0)


# --------------------------------------------------------------------------- errors and edge cases
def test_wrong_gradient_shape_names_variable_and_shapes():
    var = Variable(np.zeros((3, 2), np.float32), name="dense/kernel")
    with pytest.raises(ValueError) as info:
        Adam().apply_gradients([(np.zeros((2, 3), np.float32), var)])
    message = str(info.value)
    assert "dense/kernel" in message and "(2, 3)" in message and "(3, 2)" in message


def test_none_gradients_are_skipped_with_a_warning():
    a, b = _variable(name="a"), _variable(name="b")
    opt = SGD(0.1)
    with pytest.warns(UserWarning, match="'b'"):
        opt.apply_gradients([(np.ones((2, 2), np.float32), a), (None, b)])
    np.testing.assert_array_equal(b.value, np.array(W0, np.float32).reshape(2, 2))
    assert not np.array_equal(a.value, b.value)
    with pytest.raises(ValueError, match="no gradients"):
        opt.apply_gradients([(None, a)])


def test_apply_without_variables_uses_the_built_ones():
    var = _variable()
    opt = SGD(0.1)
    with pytest.raises(ValueError, match="build"):
        opt.apply([np.ones((2, 2), np.float32)])
    opt.build([var])
    opt.build([var])  # building twice creates nothing new
    opt.apply([np.ones((2, 2), np.float32)])
    np.testing.assert_allclose(var.value.ravel(), np.subtract(W0, 0.1), rtol=1e-6)
    assert opt.iterations == 1


def test_new_variables_get_slots_later():
    opt = Adam(0.1)
    a, b = _variable(name="a"), _variable(name="b")
    opt.apply_gradients([(np.ones((2, 2), np.float32), a)])
    opt.apply_gradients([(np.ones((2, 2), np.float32), a), (np.ones((2, 2), np.float32), b)])
    assert len(opt._momentums) == 2 and opt.iterations == 2


def test_float64_gradient_is_cast_to_the_variable_dtype():
    var = _variable()
    SGD(0.1).apply_gradients([(np.ones((2, 2), np.float64), var)])
    assert var.value.dtype == np.float32


def test_exclude_from_weight_decay():
    kernel, bias = _variable(name="dense/kernel"), _variable(name="dense/bias")
    opt = AdamW(learning_rate=0.1, weight_decay=0.5)
    opt.exclude_from_weight_decay(var_names=["bias"])
    zero = np.zeros((2, 2), np.float32)
    opt.apply_gradients([(zero, kernel), (zero, bias)])
    np.testing.assert_allclose(kernel.value.ravel(), np.multiply(W0, 1 - 0.05), rtol=1e-6)
    np.testing.assert_array_equal(bias.value.ravel(), np.array(W0, np.float32))


def test_bad_hyperparameters():
    with pytest.raises(ValueError, match="weight_decay"):
        AdamW(weight_decay=None)
    with pytest.raises(ValueError, match="momentum"):
        SGD(momentum=1.5)
    with pytest.raises(TypeError, match="learning_rate"):
        Adam(learning_rate=[0.1])
    with pytest.raises(TypeError, match="Variables"):
        Adam().apply_gradients([(np.zeros(2), np.zeros(2))])


@pytest.mark.parametrize("make, message", [
    (lambda: SGD(-0.1), r"SGD: `learning_rate` must be a number >= 0\. Received: learning_rate=-0\.1\. A negative"),
    (lambda: Adam(learning_rate=float("nan")), r"Adam: `learning_rate` must be a number >= 0\. Received: "
                                               r"learning_rate=nan\."),
    (lambda: Adam(beta_1=1.0), r"Adam: `beta_1` must be a number in \[0, 1\)\. Received: beta_1=1\.0\."),
    (lambda: Nadam(beta_2=-0.1), r"Nadam: `beta_2` must be a number in \[0, 1\)\. Received: beta_2=-0\.1\."),
    (lambda: Adamax(beta_2=1), r"Adamax: `beta_2` must be a number in \[0, 1\)\. Received: beta_2=1\."),
    (lambda: AdamW(beta_1=1.5), r"AdamW: `beta_1` must be a number in \[0, 1\)\. Received: beta_1=1\.5\."),
    (lambda: RMSprop(rho=1.2), r"RMSprop: `rho` must be a number in \[0, 1\]\. Received: rho=1\.2\."),
    (lambda: RMSprop(momentum=-0.5), r"RMSprop: `momentum` must be a number in \[0, 1\]\. Received: momentum=-0\.5\."),
    (lambda: Adadelta(rho=-0.1), r"Adadelta: `rho` must be a number in \[0, 1\]\. Received: rho=-0\.1\."),
    (lambda: Adam(epsilon=-1e-7), r"Adam: `epsilon` must be a number >= 0\. Received: epsilon=-1e-07\."),
    (lambda: Adagrad(epsilon="small"), r"Adagrad: `epsilon` must be a number >= 0\. Received: epsilon='small' "
                                       r"\(type str\)\."),
    (lambda: Adagrad(initial_accumulator_value=-1), r"Adagrad: `initial_accumulator_value` must be a number >= 0\."),
    (lambda: SGD(momentum=1.5), r"SGD: `momentum` must be a number in \[0, 1\]\. Received: momentum=1\.5\."),
    (lambda: Adam(clipnorm=0), r"Adam: `clipnorm` must be a number > 0 or None\. Received: clipnorm=0\."),
    (lambda: SGD(clipvalue=-1.0), r"SGD: `clipvalue` must be a number > 0 or None\. Received: clipvalue=-1\.0\."),
    (lambda: RMSprop(global_clipnorm=0.0), r"RMSprop: `global_clipnorm` must be a number > 0 or None\. Received: "
                                           r"global_clipnorm=0\.0\."),
    (lambda: Adam(weight_decay=-0.01), r"Adam: `weight_decay` must be a number >= 0 or None\. Received: "
                                       r"weight_decay=-0\.01\."),
    (lambda: SGD(decay=-1.0), r"SGD: `decay` must be a number >= 0\. Received: decay=-1\.0\. `decay` is Keras 2's"),
])
def test_hyperparameters_that_cannot_be_right_are_refused_at_construction(make, message):
    with pytest.raises(ValueError, match="^" + message):
        make()


def test_edges_of_the_ranges_are_accepted():
    assert Adam(beta_1=0.0, beta_2=0.0, epsilon=0.0).get_config()["beta_2"] == 0.0
    assert RMSprop(rho=1.0).rho == 1.0 and Adadelta(rho=0.0).rho == 0.0 and SGD(0.0).learning_rate == 0.0
    assert Adam(epsilon=None).epsilon == 1e-7  # Keras 2's None: the backend epsilon


def test_a_negative_learning_rate_assigned_later_is_refused():
    opt = SGD(0.1)
    with pytest.raises(ValueError, match=r"^SGD: `learning_rate` must be a number >= 0\. Received: learning_rate=-1\.0"):
        opt.learning_rate = -1.0
    assert opt.learning_rate == 0.1


def test_a_schedule_going_negative_is_refused_at_that_step():
    var = _variable()
    opt = SGD(schedules.PiecewiseConstantDecay([1], [0.1, -0.1]))
    opt.apply_gradients([(np.ones((2, 2), np.float32), var)])  # steps 0 and 1 take 0.1
    opt.apply_gradients([(np.ones((2, 2), np.float32), var)])
    before = var.value.copy()
    with pytest.raises(ValueError, match=r"^SGD 'SGD': the learning rate that the schedule PiecewiseConstantDecay gave "
                                         r"at step 2 \(optimizer\.iterations\) must be a number >= 0\. Received: -0\.1\."):
        opt.apply_gradients([(np.ones((2, 2), np.float32), var)])
    np.testing.assert_array_equal(var.value, before)  # the refused step changed nothing
    assert opt.iterations == 2

    def fast():
        return "fast"
    with pytest.raises(ValueError, match=r"^Adam 'adam': the learning rate that the callable fast gave at step 0 "
                                         r"\(optimizer\.iterations\) must be a number >= 0\. Received: 'fast' \(type str\)"):
        Adam(fast).apply_gradients([(np.ones((2, 2), np.float32), _variable())])


# --------------------------------------------------------------------------- registry and config
@pytest.mark.parametrize("name", NAMES)
def test_get_by_name_any_case(name):
    cls = optimizers.get(name).__class__
    assert optimizers.get(name.upper()).__class__ is cls
    assert optimizers.get(cls.__name__).__class__ is cls
    assert cls.__name__.lower() == name


def test_get_instance_and_dict():
    opt = Adam()
    assert optimizers.get(opt) is opt
    assert optimizers.get(None) is None
    sgd = optimizers.get({"class_name": "SGD", "config": {"learning_rate": 0.2, "momentum": 0.5}})
    assert isinstance(sgd, SGD) and sgd.learning_rate == 0.2 and sgd.momentum == 0.5


def test_unknown_name_lists_valid_names():
    with pytest.raises(ValueError) as info:
        optimizers.get("adamm")
    message = str(info.value)
    assert "'adamm'" in message and "Did you mean 'adam'" in message
    for name in NAMES:
        assert name in message
    with pytest.raises(ValueError, match="Could not interpret"):
        optimizers.get(42)


@pytest.mark.parametrize("case", sorted(GOLDEN))
def test_get_config_round_trip(case):
    opt = GOLDEN[case][0]()
    config = opt.get_config()
    clone = type(opt).from_config(config)
    assert clone.get_config() == config
    again = optimizers.deserialize(optimizers.serialize(opt))
    assert type(again) is type(opt) and again.get_config() == config


def test_get_config_with_schedule_and_clipping():
    schedule = schedules.PiecewiseConstantDecay([10, 20], [0.1, 0.01, 0.001])
    opt = Adam(learning_rate=schedule, global_clipnorm=2.0, name="my_adam")
    config = opt.get_config()
    # as Keras 3.15.1 writes a schedule inside an optimizer's config
    assert config["learning_rate"] == {"module": "keras.optimizers.schedules", "class_name": "PiecewiseConstantDecay",
                                       "config": schedule.get_config(), "registered_name": None}
    clone = Adam.from_config(config)
    assert isinstance(clone._learning_rate, schedules.PiecewiseConstantDecay)
    assert clone.get_config() == config and clone.name == "my_adam"


def test_keras_config_keys_load():
    # what tf.keras 2.11+ and Keras 3 write into a saved optimizer config
    config = {"name": "Adam", "learning_rate": 0.001, "weight_decay": None, "clipnorm": None,
              "global_clipnorm": None, "clipvalue": None, "use_ema": False, "ema_momentum": 0.99,
              "ema_overwrite_frequency": None, "jit_compile": True, "is_legacy_optimizer": False,
              "beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-07, "amsgrad": False}
    opt = optimizers.deserialize({"module": "keras.optimizers", "class_name": "Adam",
                                  "config": config, "registered_name": None})
    assert isinstance(opt, Adam) and opt.learning_rate == 0.001


# --------------------------------------------------------------------------- convergence
def test_adam_minimises_a_quadratic():
    target = np.array([[1.5, -2.0, 0.25], [3.0, 0.0, -1.0]], np.float32)
    var = Variable(np.zeros((2, 3), np.float32), name="x")
    opt = Adam(learning_rate=0.1)
    for _ in range(300):
        opt.apply_gradients([(2.0 * (var.value - target), var)])
    loss = float(np.sum((var.value - target) ** 2))
    assert loss < 1e-4, loss
