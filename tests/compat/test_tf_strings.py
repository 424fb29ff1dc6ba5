"""tf.strings under the compatibility hooks: Tensors inside the list arguments (tf.strings.join)."""


def test_join_takes_tensors_and_python_strings_in_its_list(tf):
    words = tf.constant(["x", "y"])
    assert tf.strings.join([tf.constant("x"), "q"]).numpy() == b"xq"
    assert tf.strings.join([words, "q"], separator="-").numpy().tolist() == [b"x-q", b"y-q"]
    assert tf.strings.join([words, words]).numpy().tolist() == [b"xx", b"yy"]
    # + on string tensors is the same concatenation (TensorFlow 2.21 gives these)
    assert (tf.constant("x") + "z").numpy() == b"xz"
    assert ("z" + words).numpy().tolist() == [b"zx", b"zy"]
