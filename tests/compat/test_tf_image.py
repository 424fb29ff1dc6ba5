"""tf.image under the hooks (dendrite.compat.tf_image): Tensors (or NumPy arrays) in give Tensors out, and a GradientTape answers
as TensorFlow's for the ops without a gradient."""
import numpy as np
import pytest


def test_watched_values_through_an_op_without_gradient_raise_lookup_error(tf):
    image = tf.Variable([[[0.5, 0.0, 0.0]]])
    delta = tf.Variable(0.1)
    with tf.GradientTape() as tape:
        new_image = tf.image.adjust_contrast(image, delta)
    assert isinstance(new_image, tf.Tensor)
    with pytest.raises(LookupError, match=r"No gradient defined for operation 'AdjustContrastv2' \(op type: "
                                          r"AdjustContrastv2\), which tf.image.adjust_contrast runs"):
        tape.gradient(new_image, [image, delta])
    x = tf.constant([[[1.0], [3.0]]])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.reduce_sum(tf.image.random_contrast(x, 0.5, 0.6, seed=1) * 2.0)  # the error reaches through later ops
    with pytest.raises(LookupError, match="AdjustContrastv2"):
        tape.gradient(y, x)


def test_values_not_watched_pass_and_stop_gradient_cuts_the_op(tf):
    w = tf.Variable(2.0)
    picture = tf.constant(np.arange(12, dtype="float32").reshape(2, 2, 3))
    with tf.GradientTape() as tape:
        flipped = tf.image.flip_left_right(picture)  # not computed from a watched value: no node
        contrasted = tf.stop_gradient(tf.image.adjust_contrast(picture * w, 2.0))
        loss = tf.reduce_sum(flipped) * w + tf.reduce_sum(contrasted)
    np.testing.assert_allclose(float(tape.gradient(loss, w)), np.arange(12).sum())
    np.testing.assert_array_equal(flipped.numpy(), np.arange(12, dtype="float32").reshape(2, 2, 3)[:, ::-1])
    np.testing.assert_allclose(tf.image.adjust_contrast(picture, 2.0).numpy(),
                               tf.image.adjust_contrast(picture.numpy(), 2.0).numpy())


def test_numpy_images_in_give_tensors_out_as_tensorflow(tf):
    """TensorFlow converts a NumPy image to an EagerTensor, so programs call ``.numpy()`` on the result
    (the applications tutorials' ``tf.image.resize(image, (224, 224)).numpy()``)."""
    batch = np.arange(2 * 8 * 8 * 3, dtype="float32").reshape(2, 8, 8, 3)
    resized = tf.image.resize(batch, (4, 4))
    assert isinstance(resized, tf.Tensor) and resized.shape == (2, 4, 4, 3)
    np.testing.assert_allclose(resized.numpy(), tf.image.resize(tf.constant(batch), (4, 4)).numpy())
    flipped = tf.image.flip_left_right(batch)
    assert isinstance(flipped, tf.Tensor)
    np.testing.assert_array_equal(flipped.numpy(), batch[:, :, ::-1])
    cropped = tf.image.central_crop(batch[0], 0.5)
    assert isinstance(cropped, tf.Tensor) and cropped.shape == (4, 4, 3)


def test_differentiable_tensorflow_ops_are_refused_by_name(tf):
    image = tf.Variable(np.ones((4, 4, 1), "float32"))
    with tf.GradientTape() as tape:
        small = tf.image.resize(image, (2, 2))
    with pytest.raises(NotImplementedError, match="The gradient of tf.image.resize is not supported"):
        tape.gradient(small, image)


def test_a_target_that_is_not_a_tensor_keeps_the_type_error(tf):
    v = tf.Variable(1.0)
    with tf.GradientTape() as tape:
        target = np.ones(3) * 2
    with pytest.raises(TypeError, match="`target` must be a Tensor or Variable"):
        tape.gradient(target, v)
