"""Write tests/fixtures/tf_signatures/meanings.json with real TensorFlow: the results of the tf.* parameters that
the signature sweep (tools/sweep_tf_signatures.py) found dendrite lacking and that dendrite now honours
(tf.nn.swish's beta, tf.math.top_k's index_type, tf.math.bincount's axis and binary_output, tf.linalg.diag's
k / num_rows / num_cols / padding_value, tf.linalg.matvec's adjoint_a, tf.io.encode_jpeg's options).

    /work/bvenv/bin/python tools/make_tf_arguments_fixtures.py
"""
import json
import pathlib

import numpy as np
import tensorflow as tf

OUT = pathlib.Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "tf_signatures" / "meanings.json"


def main():
    rng = np.random.default_rng(7)
    x = rng.standard_normal(6).astype(np.float32)
    counts = np.array([[1, 1, 2, 5], [0, 3, 3, 3]], np.int32)
    weights = rng.uniform(0, 1, counts.shape).astype(np.float32)
    a = rng.standard_normal((2, 3, 3)).astype(np.float32)
    ac = (a + 1j * rng.standard_normal((2, 3, 3))).astype(np.complex64)
    v = rng.standard_normal((2, 3)).astype(np.float32)
    image = rng.integers(0, 256, (8, 8, 3)).astype(np.uint8)
    top = tf.math.top_k(x, 3, index_type=tf.int64)
    out = {
        "x": x.tolist(),
        "swish_beta": {str(b): tf.nn.swish(x, beta=b).numpy().tolist() for b in (0.5, 2.0)},
        "silu_beta_2": tf.nn.silu(x, 2.0).numpy().tolist(),
        "top_k_int64": {"values": top.values.numpy().tolist(), "indices": top.indices.numpy().tolist(),
                        "dtype": top.indices.dtype.name},
        "counts": counts.tolist(), "weights": weights.tolist(),
        "bincount": {
            "axis_last": tf.math.bincount(counts, axis=-1).numpy().tolist(),
            "axis_last_binary": tf.math.bincount(counts, axis=-1, binary_output=True).numpy().tolist(),
            "binary": tf.math.bincount(counts, binary_output=True).numpy().tolist(),
            "axis_last_weights": tf.math.bincount(counts, weights=weights, axis=-1).numpy().tolist(),
            "axis_last_min8": tf.math.bincount(counts, axis=-1, minlength=8).numpy().tolist(),
            "max3": tf.math.bincount(counts, maxlength=3).numpy().tolist()},
        "diag": {name: tf.linalg.diag(np.array([[1., 2.], [3., 4.]], np.float32), **kw).numpy().tolist()
                 for name, kw in {"k1": dict(k=1), "km1_rows4_pad9": dict(k=-1, num_rows=4, padding_value=9),
                                  "cols3": dict(num_cols=3), "k2": dict(k=2)}.items()},
        "a": a.tolist(), "v": v.tolist(), "ac_real": ac.real.tolist(), "ac_imag": ac.imag.tolist(),
        "matvec_adjoint": tf.linalg.matvec(a, v, adjoint_a=True).numpy().tolist(),
        "matvec_adjoint_complex": [part.tolist() for part in (
            lambda r: (r.real, r.imag))(tf.linalg.matvec(ac, v.astype(np.complex64), adjoint_a=True).numpy())],
        "jpeg_headers": {name: tf.io.encode_jpeg(image, **kw).numpy()[:20].hex() for name, kw in {
            "default": {}, "cm_100_50": dict(density_unit="cm", x_density=100, y_density=50),
            "in_72": dict(x_density=72, y_density=72)}.items()},
        "jpeg_progressive_sof2": b"\xff\xc2" in tf.io.encode_jpeg(image, progressive=True).numpy(),
        "jpeg_baseline_sof2": b"\xff\xc2" in tf.io.encode_jpeg(image).numpy(),
        "jpeg_xmp": [m in tf.io.encode_jpeg(image, xmp_metadata="dendrite-xmp").numpy()
                     for m in (b"http://ns.adobe.com/xap/1.0/", b"dendrite-xmp")],
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(out, indent=1))
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
