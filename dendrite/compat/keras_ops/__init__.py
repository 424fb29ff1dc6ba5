"""The public ``keras.ops`` of Keras 3 (https://keras.io/api/ops/), built on dendrite's tensors and autodiff:
the NumPy-style functions (numpy_math, numpy_array, numpy_stats), ``keras.ops.nn`` (nn), ``keras.ops.core``
(core), ``keras.ops.linalg`` (linalg), ``keras.ops.image`` (image) and ``keras.ops.math`` (gathered from
those). Every function, given a KerasTensor, becomes a Lambda layer of the functional model being built
(layers/symbolic_ops), as Keras records an op applied to a symbolic tensor. dendrite.autodiff.ops stays
dendrite's internal op set."""
from ...layers.symbolic_ops import symbolic_members
from .._namespace import Namespace, names_from
from . import core, ctc, image, linalg, nn, numpy_array, numpy_math, numpy_stats, spectral

_NOT_SYMBOLIC = {"is_tensor", "custom_gradient", "dtype", "shape", "ndim", "convert_to_numpy", "cond", "switch",
                 "while_loop", "fori_loop", "scan", "map", "vectorized_map", "associative_scan", "vectorize"}
MATH_NAMES = ("segment_sum segment_max segment_min segment_prod top_k in_top_k logsumexp qr extract_sequences "
              "rsqrt erf erfinv logdet solve norm")
HINTS = dict(
    jvp="forward-mode differentiation is not part of dendrite; use a GradientTape.",
    map_coordinates="use NumPy (or SciPy's ndimage.map_coordinates) on arrays.",
    view="dtype views are not supported.",
    rearrange="write the reshape / transpose explicitly.", fold="unfold/fold are not supported.",
    unfold="use keras.ops.image.extract_patches.",
)


def _members(*modules):
    members = {}
    for module in modules:
        members.update(names_from(module, module.NAMES))
    return symbolic_members(members, _NOT_SYMBOLIC)


def build(root="keras"):
    """The ``keras.ops`` namespace (with its numpy, nn, core, linalg, image and math modules)."""
    numpy_members = _members(numpy_math, numpy_array, numpy_stats)
    families = {
        "numpy": numpy_members, "nn": dict(_members(nn), **_members(ctc)), "core": _members(core),
        "linalg": _members(linalg),
        "image": _members(image),
    }
    spectral_members = _members(spectral)  # (fft, stft, ..., view_as_complex; polar is keras.ops.nn's)
    families["nn"]["polar"] = spectral_members["polar"]
    everything = {}
    for name in ("numpy", "core", "linalg", "nn"):
        everything.update(families[name])
    everything.update(spectral_members)
    everything.update(symbolic_members(names_from(ctc, ctc.TOP_NAMES), _NOT_SYMBOLIC))  # keras.ops.cdist only
    math = {n: everything[n] for n in MATH_NAMES.split() + spectral.MATH_NAMES.split()}
    subs = {name: Namespace(f"{root}.ops.{name}", f"keras.ops.{name}", members=members, hints=HINTS)
            for name, members in dict(families, math=math).items()}
    return Namespace(f"{root}.ops", __doc__, members=dict(everything, **subs), hints=HINTS)

