"""What fit / evaluate / predict refuse in the data they are given, each error naming the method, the argument,
what was expected and what was given: text, ragged lists, single values, no samples, and class_weight keys
that are not classes of the model's output."""
import numpy as np
import pytest

import dendrite
from dendrite import layers

rng = np.random.default_rng(0)
X = rng.standard_normal((12, 4)).astype(np.float32)
Y = np.arange(12) % 3
RECT = r"must be numbers in a rectangular array \(one row per sample, every row the same shape\)\. "


def classifier(units=3, activation="softmax", loss="sparse_categorical_crossentropy"):
    m = dendrite.Sequential([dendrite.Input((4,)), layers.Dense(units, activation=activation)], name="clf")
    m.compile("sgd", loss)
    return m


@pytest.mark.parametrize("method", ["fit", "evaluate", "predict", "train_on_batch", "test_on_batch",
                                    "predict_on_batch"])
def test_text_as_x_is_refused_by_every_entry_point(method):
    m = classifier()
    call = getattr(m, method)
    args = (lambda x: (x,)) if "predict" in method else (lambda x: (x, Y[:2]))
    kwargs = {"verbose": 0} if method in ("fit", "evaluate", "predict") else {}
    with pytest.raises(ValueError, match=rf"^Sequential 'clf'\.{method}\(\): `x` {RECT}Received: x='hello' \(a str\)\. "
                                         r"Text must be turned into numbers first"):
        call(*args("hello"), **kwargs)
    with pytest.raises(ValueError, match=rf"^Sequential 'clf'\.{method}\(\): `x` {RECT}Received: an array of strings "
                                         r"\(dtype <U3, shape \(2, 4\), such as np\.str_\('0\.5'\)\)\..*"
                                         r"np\.asarray\(x, dtype='float32'\)"):
        call(*args(np.full((2, 4), "0.5")), **kwargs)
    with pytest.raises(ValueError, match=r"Received: an array of strings \(dtype object, shape \(2, 4\), such as "
                                         r"'a'\)"):
        call(*args(np.full((2, 4), "a", dtype=object)), **kwargs)


def test_ragged_lists_single_values_and_text_labels():
    m = classifier()
    with pytest.raises(ValueError, match=rf"^Sequential 'clf'\.fit\(\): `x` {RECT}Received: a ragged nested list "
                                         r"\(x\[1\] has 2 entries while x\[0\] has 4 entries\)\. Pad the rows"):
        m.fit([[1, 2, 3, 4], [1, 2]], [0, 1], verbose=0)
    with pytest.raises(ValueError, match=r"^Sequential 'clf'\.predict\(\): `x` must be an array with one row per "
                                         r"sample\. Received: x=5 \(a single value\)"):
        m.predict(5, verbose=0)
    with pytest.raises(ValueError, match=rf"^Sequential 'clf'\.fit\(\): `y` {RECT}Received: an array of strings "
                                         r"\(dtype <U3, shape \(12,\), such as np\.str_\('cat'\)\)"):
        m.fit(X, np.array(["cat", "dog", "owl"] * 4), verbose=0)
    with pytest.raises(ValueError, match=r"^Sequential 'clf'\.fit\(\): `validation_data\[0\]` must be numbers .*"
                                         r"Received: a ragged nested list \(validation_data\[0\]\[1\] has 1 entry "
                                         r"while validation_data\[0\]\[0\] has 4 entries\)"):
        m.fit(X, Y, validation_data=([[1.0, 2, 3, 4], [1.0]], [0, 1]), verbose=0)


def test_no_samples_is_an_error_naming_the_argument_and_its_shape():
    m = classifier()
    with pytest.raises(ValueError, match=r"^Sequential 'clf'\.fit\(\): `x` has no samples: its shape is \(0, 4\)\. "
                                         r"Pass at least one sample"):
        m.fit(np.zeros((0, 4)), np.zeros((0,)), verbose=0)  # it used to return an empty history
    with pytest.raises(ValueError, match=r"^Sequential 'clf'\.evaluate\(\): `x` has no samples: its shape is \(0, 4\)"):
        m.evaluate(np.zeros((0, 4)), np.zeros((0,)), verbose=0)
    with pytest.raises(ValueError, match=r"^Sequential 'clf'\.predict\(\): `x` has no samples: its shape is \(0,\)"):
        m.predict([], verbose=0)
    with pytest.raises(ValueError, match=r"^Sequential 'clf'\.fit\(\): `validation_data\[1\]` has no samples: its "
                                         r"shape is \(0,\)"):
        m.fit(X, Y, validation_data=(X, Y[:0]), verbose=0)


def test_class_weight_keys_must_be_classes_of_the_output():
    m = classifier()
    for bad, shown in (({"a": 1.0}, r"key 'a' \(type str\)"), ({0.0: 2.0}, r"key 0\.0 \(type float\)")):
        with pytest.raises(ValueError, match=r"^Sequential 'clf'\.fit\(\): the keys of `class_weight` must be "
                                             r"integer class indices \(0 to 2, as the model's output has 3 units\)\. "
                                             rf"Received: {shown} in class_weight="):
            m.fit(X, Y, class_weight=bad, verbose=0)
    for key in (3, -1):
        with pytest.raises(ValueError, match=rf"^Sequential 'clf'\.fit\(\): `class_weight` key {key} is not a class of "
                                             r"the model's output: the classes are 0 to 2, as the model's output has 3 "
                                             rf"units\. Received: class_weight=\{{0: 1\.0, {key}: 2\.0\}}\."):
            m.fit(X, Y, class_weight={0: 1.0, key: 2.0}, verbose=0)
    with pytest.raises(ValueError, match=r"^Sequential 'clf'\.train_on_batch\(\): `class_weight\[1\]` must be a "
                                         r"number >= 0\. Received: class_weight\[1\]=-1\.0\."):
        m.train_on_batch(X, Y, class_weight={0: 1.0, 1: -1.0, 2: 1.0})
    with pytest.raises(TypeError, match=r"`class_weight` must be a dict from class index to weight.*Received: "
                                        r"class_weight=\[1\.0, 2\.0\] \(type list\)"):
        m.fit(X, Y, class_weight=[1.0, 2.0], verbose=0)
    binary = classifier(1, "sigmoid", "binary_crossentropy")
    with pytest.raises(ValueError, match=r"key 2 is not a class of the model's output: the classes are 0 and 1, the "
                                         r"classes of a binary output"):
        binary.fit(X, (Y > 0).astype(np.float32), class_weight={0: 1.0, 1: 2.0, 2: 3.0}, verbose=0)


def test_class_weight_weighs_the_loss_by_class_for_a_binary_output():
    binary = classifier(1, "sigmoid", "binary_crossentropy")
    y = (Y > 0).astype(np.float32)
    p = binary.predict(X, verbose=0)[:, 0].astype(np.float64)
    nll = -(y * np.log(p) + (1 - y) * np.log(1 - p))
    w = np.where(y == 1, 4.0, 0.5)
    logs = binary.test_on_batch(X, y, return_dict=True)
    assert logs["loss"] == pytest.approx(nll.mean(), rel=1e-5)
    binary.compile(dendrite.optimizers.SGD(0.0), "binary_crossentropy")
    h = binary.fit(X, y, class_weight={0: 0.5, 1: 4.0}, batch_size=12, verbose=0)
    assert h.history["loss"][0] == pytest.approx((nll * w).mean(), rel=1e-5)
