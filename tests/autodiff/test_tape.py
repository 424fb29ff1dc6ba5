import numpy as np
import pytest

import dendrite
from dendrite import GradientTape, Variable, constant, ops


def test_gradient_of_variables_is_watched_automatically():
    w = Variable(np.array([[1.0, 2.0], [3.0, 4.0]]))
    x = np.array([[1.0, -1.0]], dtype=np.float32)
    with GradientTape() as tape:
        y = ops.sum(ops.matmul(x, w) ** 2)
    g = tape.gradient(y, w)
    # y = (x@w)^2 summed; x@w = [-2, -2]; dy/dw = x^T @ 2(x@w)
    np.testing.assert_allclose(g, np.array([[1.0], [-1.0]]) @ np.array([[-4.0, -4.0]]))
    assert g.dtype == np.float32


def test_constants_need_watch_and_non_trainable_variables_are_not_watched():
    x = constant([1.0, 2.0, 3.0])
    frozen = Variable(np.ones(3), trainable=False)
    with GradientTape() as tape:
        y = ops.sum(x * frozen)
    assert tape.gradient(y, [x, frozen]) == [None, None]
    with GradientTape() as tape:
        tape.watch(x)
        y = ops.sum(ops.square(x))
    np.testing.assert_allclose(tape.gradient(y, x), [2.0, 4.0, 6.0])


def test_non_persistent_tape_refuses_second_gradient_and_persistent_allows_it():
    w = Variable(np.array(3.0))
    with GradientTape() as tape:
        y = w * w
    assert float(tape.gradient(y, w)) == 6.0
    with pytest.raises(RuntimeError, match="persistent=True"):
        tape.gradient(y, w)
    with GradientTape(persistent=True) as tape:
        y = w * w
        z = y * w
    assert float(tape.gradient(y, w)) == 6.0
    assert float(tape.gradient(z, w)) == 27.0


def test_broadcast_gradients_are_summed_back_to_the_input_shape():
    a = Variable(np.ones((4, 3)))
    b = Variable(np.array([1.0, 2.0, 3.0]))
    c = Variable(np.array([[2.0]]))
    with GradientTape() as tape:
        y = ops.sum((a + b) * c)
    ga, gb, gc = tape.gradient(y, [a, b, c])
    assert ga.shape == (4, 3) and gb.shape == (3,) and gc.shape == (1, 1)
    np.testing.assert_allclose(gb, [8.0, 8.0, 8.0])
    np.testing.assert_allclose(gc, [[4 * 6.0 + 12]])


def test_a_tensor_used_twice_accumulates_both_paths():
    w = Variable(np.array(2.0))
    with GradientTape() as tape:
        y = w * w + w * 3.0
    assert float(tape.gradient(y, w)) == 7.0


def test_unconnected_gradients_and_dict_sources():
    w, v = Variable(np.ones(2)), Variable(np.ones(2))
    with GradientTape(persistent=True) as tape:
        y = ops.sum(w * 2.0)
    assert tape.gradient(y, v) is None
    np.testing.assert_array_equal(tape.gradient(y, v, unconnected_gradients="zero"), [0.0, 0.0])
    grads = tape.gradient(y, {"w": w, "v": v})
    np.testing.assert_array_equal(grads["w"], [2.0, 2.0])


def test_gradient_with_respect_to_an_intermediate_tensor():
    w = Variable(np.array([1.0, 2.0]))
    with GradientTape() as tape:
        h = w * 3.0
        y = ops.sum(h * h)
    gh, gw = tape.gradient(y, [h, w])
    np.testing.assert_allclose(gh, [6.0, 12.0])
    np.testing.assert_allclose(gw, [18.0, 36.0])


def test_stop_recording_and_watch_errors():
    w = Variable(np.array(2.0))
    with GradientTape() as tape:
        with tape.stop_recording():
            y = w * w
    assert tape.gradient(y, w) is None
    with GradientTape() as tape, pytest.raises(TypeError, match="Tensor or Variable"):
        tape.watch(np.ones(2))


def test_layers_and_models_are_callable_inside_a_tape():
    model = dendrite.Sequential([dendrite.layers.Dense(3, activation="relu", input_shape=(4,)),
                                 dendrite.layers.Dense(1)])
    x = np.random.default_rng(0).standard_normal((5, 4)).astype(np.float32)
    y = np.ones((5, 1), dtype=np.float32)
    with GradientTape() as tape:
        loss = dendrite.losses.MeanSquaredError()(y, model(x))
    grads = tape.gradient(loss, model.trainable_weights)
    assert [g.shape for g in grads] == [(4, 3), (3,), (3, 1), (1,)]
    assert [w.path for w in model.trainable_weights] == ["dense/kernel", "dense/bias", "dense_1/kernel",
                                                         "dense_1/bias"]


def test_variable_assign_checks_shape():
    v = Variable(np.zeros((2, 2)), name="w")
    v.assign(np.ones((2, 2)))
    v.assign_add(np.ones((2, 2)))
    np.testing.assert_array_equal(v.numpy(), np.full((2, 2), 2.0))
    with pytest.raises(ValueError, match=r"'w'.*\(2, 2\).*\(3,\)"):
        v.assign(np.ones(3))


def test_an_op_knows_whether_a_tape_records_it():
    """Op.recording is False outside any tape (forward may skip what only vjp needs, e.g. relu's mask) and
    True inside one."""
    from dendrite.autodiff import Op

    class Probe(Op):
        def forward(self, x):
            self.seen = self.recording
            return x * 2

        def vjp(self, g, needed):
            return (g * 2,)
    x = Variable(np.ones(3))
    op = Probe()
    op(x)
    assert op.seen is False
    with GradientTape() as tape:
        y = op(x)
    assert op.seen is True
    np.testing.assert_array_equal(tape.gradient(y, x), np.full(3, 2.0))


def test_nested_sources_come_back_in_their_structure_on_a_non_persistent_tape():
    a, b, c = Variable(np.array([1.0, 2.0])), Variable(np.array(3.0)), Variable(np.array([[0.5]]))
    with GradientTape() as tape:  # not persistent: one gradient call must still work for a dict
        y = ops.sum(a * a) * b + ops.sum(c)
    grads = tape.gradient(y, {"w": a, "rest": [b, (c,)]})
    assert list(grads) == ["w", "rest"] and isinstance(grads["rest"], list) and isinstance(grads["rest"][1], tuple)
    np.testing.assert_allclose(grads["w"], 2 * np.array([1.0, 2.0]) * 3.0)
    np.testing.assert_allclose(grads["rest"][0], 5.0)
    np.testing.assert_allclose(grads["rest"][1][0], [[1.0]])
    with pytest.raises(RuntimeError, match="only be called once"):
        tape.gradient(y, {"w": a})


def test_a_list_of_targets_gives_the_gradient_of_their_sum_with_matching_output_gradients():
    x = Variable(np.array([1.0, 2.0, 3.0]))
    with GradientTape(persistent=True) as tape:
        y1, y2 = x * 2.0, ops.square(x)
    np.testing.assert_allclose(tape.gradient([y1, y2], x), 2.0 + 2 * np.array([1.0, 2.0, 3.0]))
    weights = [np.array([1.0, 0.0, 1.0]), np.array([0.0, 1.0, 0.0])]
    np.testing.assert_allclose(tape.gradient([y1, y2], x, output_gradients=weights), [2.0, 4.0, 2.0])
    with pytest.raises(ValueError, match="output_gradients.*2 target"):
        tape.gradient([y1, y2], x, output_gradients=[weights[0]])
    with pytest.raises(ValueError, match=r"output_gradients\[0\] has shape \(2,\).*\(3,\)"):
        tape.gradient(y1, x, output_gradients=np.ones(2))
    with pytest.raises(TypeError, match="`sources` must be a Tensor.*ndarray"):
        tape.gradient(y1, [x, np.ones(3)])


def test_ops_on_another_thread_are_not_recorded_on_this_threads_tape():
    import threading

    x = Variable(np.array([1.0, 2.0]))
    seen = {}

    def worker():  # runs while the main thread's tape is open
        seen["recording"] = dendrite.autodiff.tape.recording()
        seen["value"] = ops.sum(x * x)
        with GradientTape() as inner:  # a tape of the worker's own records the worker's ops only
            z = ops.sum(x * 3.0)
        seen["inner"] = inner.gradient(z, x)

    with GradientTape() as tape:
        y = ops.sum(x * 2.0)
        nodes_before = len(tape._nodes)
        t = threading.Thread(target=worker)
        t.start()
        t.join(timeout=30)
        assert dendrite.autodiff.tape.recording()
    assert seen["recording"] is False
    assert len(tape._nodes) == nodes_before  # nothing of the worker's computation on the main tape
    np.testing.assert_allclose(seen["inner"], [3.0, 3.0])
    assert tape.gradient(seen["value"], x) is None  # not connected through this tape
    with GradientTape() as tape2:
        y = ops.sum(x * 2.0)
    np.testing.assert_allclose(tape2.gradient(y, x), [2.0, 2.0])


def test_sources_given_as_a_dicts_values_view_give_a_list():
    """``tape.gradient(loss, weights.values())``, as TensorFlow takes it (tf.nest reads a dict view as a list)."""
    weights = {"a": Variable(np.array(1.0), name="a"), "b": Variable(np.array(2.0), name="b")}
    with GradientTape() as tape:
        y = ops.add(ops.multiply(weights["a"], 3.0), ops.square(weights["b"]))
    grads = tape.gradient(y, weights.values())
    assert isinstance(grads, list) and [float(g) for g in grads] == [3.0, 4.0]
