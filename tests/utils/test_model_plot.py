"""utils.plot_model and model_to_dot: a model's layer graph as Keras draws it, without Graphviz."""
import numpy as np
import pytest

import dendrite
from dendrite import layers, utils


def _two_inputs():
    a, b = dendrite.Input((8,), name="image_features"), dendrite.Input((3,), name="meta")
    h = layers.Dense(16, activation="relu", name="hidden")(a)
    joined = layers.Concatenate(name="joined")([h, b])
    cls = layers.Dense(4, activation="softmax", name="cls")(joined)
    reg = layers.Dense(1, name="reg")(joined)
    return dendrite.Model([a, b], [cls, reg], name="two_heads")


def test_dot_of_a_multi_input_model_has_every_layer_and_connection():
    dot = utils.model_to_dot(_two_inputs(), show_shapes=True, show_layer_activations=True, rankdir="LR")
    assert dot.startswith('digraph "two_heads" {') and "rankdir=LR" in dot
    for label in ("image_features (InputLayer)", "meta (InputLayer)", "hidden (Dense)", "joined (Concatenate)",
                  "cls (Dense)", "reg (Dense)", "Output shape: (None, 19)", "Activation: relu"):
        assert label in dot
    assert dot.count("->") == 5
    names = {line.split(" [")[0].strip(): line for line in dot.splitlines() if "[label=" in line}
    by_layer = {line.split("label=\"")[1].split(" (")[0]: key for key, line in names.items()}
    edges = {tuple(e.strip(" ;").split(" -> ")) for e in dot.splitlines() if "->" in e}
    expected = [("image_features", "hidden"), ("hidden", "joined"), ("meta", "joined"), ("joined", "cls"),
                ("joined", "reg")]
    assert {(by_layer[s], by_layer[d]) for s, d in expected} <= edges


def test_plot_model_draws_with_matplotlib_and_writes_dot(tmp_path):
    import matplotlib.image
    model = _two_inputs()
    assert utils.plot_model(model, to_file=tmp_path / "m.png", show_shapes=True, show_dtype=True) is None
    img = matplotlib.image.imread(tmp_path / "m.png")
    assert img.shape[0] > 200 and img.shape[1] > 200 and img[..., :3].std() > 0.02
    utils.plot_model(model, to_file=tmp_path / "m.dot")
    assert (tmp_path / "m.dot").read_text() == utils.model_to_dot(model)


def test_model_to_dot_answers_pydots_rendering_calls(tmp_path):
    """Keras 2 notebooks show ``SVG(model_to_dot(model).create(prog='dot', format='svg'))`` and call write_png."""
    dot = utils.model_to_dot(_two_inputs(), show_shapes=True)
    svg = dot.create(prog="dot", format="svg")
    assert svg.lstrip().startswith((b"<?xml", b"<svg")) and b"</svg>" in svg and b"</svg>" in dot.create_svg()
    assert dot.create_png()[:8] == b"\x89PNG\r\n\x1a\n" and dot.create(format="raw") == str(dot).encode()
    assert dot.to_string() == str(dot) and dot.write(tmp_path / "g.dot") is True
    assert (tmp_path / "g.dot").read_text() == str(dot)  # pydot's write defaults to the DOT text
    dot.write_png(tmp_path / "g.png")
    assert (tmp_path / "g.png").read_bytes()[:4] == b"\x89PNG"
    with pytest.raises(AttributeError, match="create_svg, write_png"):
        dot.get_node_list()


def test_sequential_and_nested_models(tmp_path):
    seq = dendrite.Sequential([dendrite.Input((4,)), layers.Dense(3, name="d1"), layers.Dense(2, name="d2")],
                              name="stack")
    dot = utils.model_to_dot(seq, show_shapes=True)
    assert "stack_input (InputLayer)" in dot and "Output shape: (None, 3)" in dot and dot.count("->") == 2
    outer_in = dendrite.Input((4,), name="x")
    outer = dendrite.Model(outer_in, layers.Dense(1, name="head")(seq(outer_in)), name="outer")
    flat = utils.model_to_dot(outer)
    assert "stack (Sequential)" in flat and "d1" not in flat
    nested = utils.model_to_dot(outer, expand_nested=True)
    assert "stack/d1 (Dense)" in nested and "stack (Sequential)" not in nested
    assert 'subgraph "cluster_stack"' in nested
    utils.plot_model(outer, to_file=tmp_path / "nested.png", expand_nested=True, rankdir="LR")
    assert (tmp_path / "nested.png").stat().st_size > 1000


def test_plot_model_errors():
    with pytest.raises(ValueError, match="not built"):
        utils.plot_model(dendrite.Sequential([layers.Dense(2)]))
    with pytest.raises(ValueError, match="rankdir"):
        utils.model_to_dot(_two_inputs(), rankdir="BT")
