"""scikit-learn wrappers (scikit-learn is an optional extra): ``KerasClassifier`` and ``KerasRegressor``
following scikeras 0.13's API, accepting Keras 2's ``build_fn=`` and its sk_params too.

    from dendrite.wrappers import KerasClassifier
    clf = KerasClassifier(model=make_model, model__units=64, optimizer="adam", optimizer__learning_rate=1e-3,
                          epochs=5, batch_size=32, verbose=0)
    GridSearchCV(clf, {"model__units": [32, 64], "optimizer": ["adam", "sgd"]}, cv=2).fit(X, y)

The classes load on first use, so that ``import dendrite`` does not need scikit-learn.
"""
import importlib

_WHERE = {"KerasClassifier": "classifier", "KerasRegressor": "regressor", "BaseWrapper": "base"}
__all__ = sorted(_WHERE)


def __getattr__(name):
    if name not in _WHERE:
        raise AttributeError(f"module 'dendrite.wrappers' has no attribute '{name}'")
    try:
        module = importlib.import_module(f".{_WHERE[name]}", __name__)
    except ImportError as e:
        if "sklearn" not in str(e):
            raise
        raise ImportError(f"dendrite.wrappers.{name} needs scikit-learn, an optional extra: pip install "
                          "scikit-learn.") from e
    value = getattr(module, name)
    globals()[name] = value
    return value
