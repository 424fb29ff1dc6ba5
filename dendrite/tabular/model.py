"""The network ``dendrite train csv`` builds: one named input per CSV column, the preprocessing learned on the
training rows as layers, then the dense stack of ``--model``.

The saved ``.keras`` file therefore carries all the preprocessing, and a model can be used on new rows with
nothing else (``model.predict({"alcohol": ..., "colour": ...})``):

- numeric columns: each an ``Input((1,), name=<column>)``, concatenated, then ``Normalization(mean=...,
  variance=...)`` with the fixed statistics of the training rows (min-max: mean = minimum, variance =
  range**2, so the layer computes (x - min) / (max - min); standard: their mean and variance);
- categorical columns: each an ``Input((1,), dtype="string", name=<column>)`` and ``StringLookup(vocabulary=
  <training categories>, output_mode="one_hot")``; a category not seen in training goes to the lookup's
  out-of-vocabulary slot (index 0), which training never activated.

Input names are the column names with anything but letters, digits and '_' replaced by '_'
(``features.input_name``). Only the target's name and classes live outside the model, in the JSON sidecar
written next to it (see tabular.command).
"""
from .features import input_name

DEFAULT_SPEC = "dense:512,512,512"


def parse_spec(text):
    """``--model`` as a list of hidden layer widths: 'dense:512,512,512' -> [512, 512, 512]; 'linear' (or
    'dense:') -> [] (the inputs straight to the output: a linear or logistic model)."""
    spec = (text or "").strip().lower()
    if spec == "linear":
        return []
    kind, _, widths = spec.partition(":")
    if kind == "dense" and _:
        try:
            units = [int(w) for w in widths.split(",") if w.strip()]
        except ValueError:
            units = None
        if units is not None and all(u > 0 for u in units):
            return units
    raise ValueError(f"--model: expected 'dense:W1,W2,...' (positive layer widths, e.g. {DEFAULT_SPEC!r}) or "
                     f"'linear'; received {text!r}.")


def build_model(plan, target, hidden, name="csv_model"):
    """The functional model for a FeaturePlan and a TargetPlan: preprocessing layers, ``hidden`` Dense relu
    layers, then Dense(1) (regression) or Dense(classes, softmax) (classification)."""
    import dendrite
    from dendrite import layers

    inputs, parts = {}, []
    if plan.numeric:
        numeric = [dendrite.Input((1,), name=input_name(c)) for c in plan.numeric]
        inputs.update({t.name: t for t in numeric})
        joined = numeric[0] if len(numeric) == 1 else layers.Concatenate(name="numeric_columns")(numeric)
        parts.append(layers.Normalization(mean=plan.mean.tolist(), variance=plan.variance.tolist(),
                                          name=f"{plan.scaling}_scaling")(joined))
    for column, categories in plan.categorical.items():
        key = input_name(column)
        inputs[key] = dendrite.Input((1,), dtype="string", name=key)
        parts.append(layers.StringLookup(vocabulary=categories, output_mode="one_hot",
                                         name=f"one_hot_{key}")(inputs[key]))
    x = parts[0] if len(parts) == 1 else layers.Concatenate(name="features")(parts)
    for i, units in enumerate(hidden):
        x = layers.Dense(units, activation="relu", name=f"hidden_{i + 1}")(x)
    if target.task == "regression":
        out = layers.Dense(1, name=f"{input_name(target.name)}_out")(x)
    else:
        out = layers.Dense(len(target.classes), activation="softmax", name=f"{input_name(target.name)}_out")(x)
    return dendrite.Model(inputs, out, name=name)
