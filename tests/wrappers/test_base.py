"""BaseWrapper through KerasClassifier / KerasRegressor on scikit-learn's iris: parameters (get_params,
set_params, clone), routed parameters reaching the model function, optimizer, loss, callbacks, fit and
predict, the model argument forms, random_state, warm_start, partial_fit, initialize and bad input."""
import numpy as np
import pytest
from sklearn.base import clone
from sklearn.datasets import load_iris
from sklearn.exceptions import NotFittedError

import dendrite as keras
from dendrite.wrappers import KerasClassifier, KerasRegressor

X, Y = load_iris(return_X_y=True)
X = ((X - X.mean(0)) / X.std(0)).astype(np.float32)


def mlp(meta, units=8, activation="relu"):
    return keras.Sequential([keras.Input((meta["n_features_in_"],)), keras.layers.Dense(units, activation=activation),
                             keras.layers.Dense(meta["n_classes_"], activation="softmax")])


def test_get_params_lists_every_parameter_and_clone_round_trips():
    clf = KerasClassifier(mlp, model__units=5, optimizer__learning_rate=0.01, epochs=3, verbose=0)
    params = clf.get_params()
    assert params["model__units"] == 5 and params["optimizer__learning_rate"] == 0.01 and params["epochs"] == 3
    # scikeras 0.13's defaults
    assert {k: params[k] for k in ("optimizer", "loss", "metrics", "batch_size", "verbose", "validation_split",
                                   "shuffle", "run_eagerly", "warm_start", "random_state", "class_weight")} == {
        "optimizer": "rmsprop", "loss": None, "metrics": None, "batch_size": None, "verbose": 0,
        "validation_split": 0.0, "shuffle": True, "run_eagerly": False, "warm_start": False, "random_state": None,
        "class_weight": None}
    copy = clone(clf)
    assert copy is not clf and copy.get_params() == params and not hasattr(copy, "model_")
    clf.fit(X, Y)
    refit = clone(clf)  # fitted state is not copied
    assert not hasattr(refit, "model_") and not hasattr(refit, "history_") and refit.get_params() == params
    clf.set_params(model__units=7, epochs=1, fit__batch_size=16)
    assert clf.get_params()["model__units"] == 7 and clf.get_params()["fit__batch_size"] == 16
    assert "model__units=7" in repr(clf)


def test_set_params_refuses_an_unknown_parameter_with_the_fix():
    clf = KerasClassifier(mlp)
    with pytest.raises(ValueError, match=r"invalid parameter `unitz`.*KerasClassifier\(unitz=3\).*model__unitz"):
        clf.set_params(unitz=3)
    with pytest.raises(ValueError, match="`bogus__x` routes to `bogus`"):
        clf.set_params(bogus__x=1)


def test_routed_parameters_reach_the_model_function_optimizer_and_fit():
    seen = {}

    def build(meta, compile_kwargs, units, activation):
        seen.update(meta=meta, compile_kwargs=compile_kwargs, units=units, activation=activation)
        return mlp(meta, units, activation)
    clf = KerasClassifier(build, model__units=6, model__activation="tanh", optimizer="sgd",
                          optimizer__learning_rate=0.05, optimizer__momentum=0.9, fit__validation_split=0.2,
                          predict__batch_size=7, epochs=2, verbose=0).fit(X, Y)
    assert seen["units"] == 6 and seen["activation"] == "tanh"
    assert seen["meta"]["n_features_in_"] == 4 and seen["meta"]["n_classes_"] == 3
    assert seen["meta"]["target_type_"] == "multiclass" and list(seen["meta"]["classes_"]) == [0, 1, 2]
    opt = clf.model_.optimizer
    assert isinstance(opt, keras.optimizers.SGD) and float(opt.learning_rate) == pytest.approx(0.05)
    assert opt.momentum == pytest.approx(0.9) and isinstance(seen["compile_kwargs"]["optimizer"], keras.optimizers.SGD)
    assert clf.model_.layers[0].units == 6 and clf.model_.layers[0].activation.__name__ == "tanh"
    assert sorted(clf.history_) == ["loss", "val_loss"] and len(clf.history_["loss"]) == 2
    assert clf.current_epoch == 2


def test_loss_and_metrics_by_name_class_and_routed_parameters():
    clf = KerasClassifier(mlp, loss=keras.losses.SparseCategoricalCrossentropy, loss__from_logits=False,
                          metrics=["accuracy"], epochs=1, verbose=0).fit(X, Y)
    assert isinstance(clf.model_.loss, keras.losses.SparseCategoricalCrossentropy)
    assert sorted(clf.history_) == ["accuracy", "loss"]
    clf = KerasClassifier(mlp, loss="categorical_crossentropy", loss__label_smoothing=0.1, epochs=1,
                          verbose=0).fit(X, Y)
    assert isinstance(clf.model_.loss, keras.losses.CategoricalCrossentropy)
    assert clf.model_.loss.label_smoothing == pytest.approx(0.1)


def test_callbacks_as_classes_with_routed_parameters_stop_training():
    clf = KerasClassifier(mlp, callbacks=[keras.callbacks.EarlyStopping], callbacks__monitor="loss",
                          callbacks__0__patience=0, callbacks__0__min_delta=100.0, epochs=20, verbose=0).fit(X, Y)
    assert len(clf.history_["loss"]) == 2  # the second epoch cannot improve by 100, so training stops there
    clf = KerasClassifier(mlp, fit__callbacks=keras.callbacks.TerminateOnNaN(), epochs=1, verbose=0).fit(X, Y)
    with pytest.raises(TypeError, match="`callbacks` must hold dendrite callbacks"):
        KerasClassifier(mlp, callbacks=["early"], epochs=1, verbose=0).fit(X, Y)


def test_model_argument_forms_prebuilt_model_build_fn_and_compiled_in_the_function():
    net = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3, activation="softmax")])
    clf = KerasClassifier(net, epochs=1, verbose=0).fit(X, Y)
    assert clf.model_ is net  # a given model is trained as it is (scikeras)

    def compiled(hidden):
        model = mlp({"n_features_in_": 4, "n_classes_": 3}, hidden)
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
        return model
    clf = KerasClassifier(build_fn=compiled, hidden=5, epochs=1, verbose=0).fit(X, Y)  # Keras 2's spelling
    assert isinstance(clf.model_.optimizer, keras.optimizers.Adam) and clf.model_.layers[0].units == 5
    with pytest.raises(ValueError, match="loss='binary_crossentropy', but the model-building function compiled the "
                                         "model with loss='sparse_categorical_crossentropy'"):
        KerasClassifier(build_fn=compiled, hidden=5, loss="binary_crossentropy", verbose=0).fit(X, Y)


def test_bad_input_names_the_problem():
    with pytest.raises(TypeError, match="the model-building function returned list .*not a dendrite Model"):
        KerasClassifier(lambda: [keras.layers.Dense(3)], verbose=0).fit(X, Y)
    with pytest.raises(ValueError, match=r"`model__depth=3` is routed to the model-building function mlp\(\), which "
                                         r"takes no argument `depth`"):
        KerasClassifier(mlp, model__depth=3, verbose=0).fit(X, Y)
    with pytest.raises(ValueError, match="`depth=3` is not a legal parameter"):
        KerasClassifier(mlp, depth=3, verbose=0).fit(X, Y)
    with pytest.raises(TypeError, match="model= must be a dendrite Model or a function returning one; received 3"):
        KerasClassifier(3).fit(X, Y)
    with pytest.raises(NotFittedError, match="not fitted yet"):
        KerasClassifier(mlp).predict(X)
    with pytest.raises(ValueError, match="requires y to be passed, but the target y is None"):
        KerasClassifier(mlp).fit(X, None)
    with pytest.raises(ValueError, match="X has 3 features, but KerasClassifier is expecting 4"):
        KerasClassifier(mlp, epochs=1, verbose=0).fit(X, Y).predict(X[:, :3])


def test_random_state_repeats_fits_and_leaves_the_global_generators_alone():
    def fit_once():
        return KerasClassifier(mlp, random_state=3, epochs=2, verbose=0).fit(X, Y).predict_proba(X)
    before = np.random.get_state()[1].copy(), keras.backend.rng().bit_generator.state
    first, second = fit_once(), fit_once()
    np.testing.assert_array_equal(first, second)
    assert np.array_equal(np.random.get_state()[1], before[0]) and keras.backend.rng().bit_generator.state == before[1]
    other = KerasClassifier(mlp, random_state=4, epochs=2, verbose=0).fit(X, Y).predict_proba(X)
    assert not np.allclose(first, other)
    rs = KerasClassifier(mlp, random_state=np.random.RandomState(0), epochs=1, verbose=0)
    np.testing.assert_array_equal(clone(rs).fit(X, Y).predict_proba(X), clone(rs).fit(X, Y).predict_proba(X))


def test_warm_start_keeps_the_model_and_partial_fit_adds_one_epoch():
    clf = KerasClassifier(mlp, warm_start=True, optimizer="adam", epochs=3, verbose=0, random_state=0).fit(X, Y)
    model, first = clf.model_, clf.history_["loss"]
    clf.fit(X, Y)
    assert clf.model_ is model and clf.history_["loss"][0] < first[0]  # it continued, not restarted
    assert len(clf.history_["loss"]) == 3  # warm_start resets the epoch count (scikeras)
    cold = KerasClassifier(mlp, epochs=1, verbose=0).fit(X, Y)
    model = cold.model_
    assert cold.fit(X, Y).model_ is not model
    part = KerasClassifier(mlp, optimizer="adam", verbose=0)
    for expected in (1, 2, 3):
        part.partial_fit(X, Y)
        assert part.current_epoch == expected and len(part.history_["loss"]) == expected
    assert part.history_["loss"][2] < part.history_["loss"][0]
    with pytest.raises(TypeError, match="partial_fit always trains one epoch"):
        part.partial_fit(X, Y, epochs=2)


def test_initialize_builds_without_training_and_sample_weight_zero_drops_samples():
    clf = KerasClassifier(mlp, verbose=0).initialize(X, Y)
    assert clf.predict(X).shape == (150,) and not hasattr(clf, "history_")
    with pytest.raises(ValueError, match="Sample weights must contain at least one non-zero number"):
        KerasClassifier(mlp, verbose=0).fit(X, Y, sample_weight=np.zeros(150))
    weights = (Y != 2).astype(float)  # class 2 weighs nothing
    clf = KerasClassifier(mlp, optimizer="adam", epochs=20, verbose=0, random_state=0).fit(X, Y, sample_weight=weights)
    assert (clf.predict(X) == 2).sum() < 5


def test_batch_size_minus_one_uses_the_whole_set_as_one_batch():
    clf = KerasRegressor(lambda: keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)]), batch_size=-1,
                         optimizer="sgd", epochs=1, verbose=0, random_state=0)
    clf.fit(X[:, :3], X[:, 3])
    net = clf.model_
    assert int(net.optimizer.iterations.value) == 1  # one step: one batch of all 150 samples
