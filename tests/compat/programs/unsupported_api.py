import tensorflow as tf
x = tf.placeholder(tf.float32, shape=(None, 3))
