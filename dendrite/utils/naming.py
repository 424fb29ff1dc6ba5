"""The one snake-case rule dendrite names things by, Keras's: Conv2D -> conv2d, MaxPooling2D -> max_pooling2d,
ReLU -> re_lu, GlorotUniform -> glorot_uniform.

Layers, losses and metrics take their default names from it, and the initializers their registry names."""
import re


def to_snake_case(name):
    """``name`` in snake case, as Keras's naming rule gives it: characters other than letters, digits and
    underscores are dropped; an underscore goes before each capitalised word (a capital followed by lower-case
    letters) that does not start the name, and between a lower-case letter and a capital; then all is lower
    case. Digits join the word before them (Conv2D -> conv2d)."""
    name = re.sub(r"\W+", "", name)
    name = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub(r"([a-z])([A-Z])", r"\1_\2", name).lower()
