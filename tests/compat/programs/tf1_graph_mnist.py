"""A TensorFlow 1 tutorial in its own style, through tf.compat.v1: placeholders, variables from
get_variable and tf.Variable, a training op from minimize run with feed_dict, accuracy fetched by name,
a Saver, and an InteractiveSession's eval."""
import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()
print("eager", tf.executing_eagerly())

(x_train, y_train), (x_test, y_test) = tf.keras.datasets.mnist.load_data()
x_train = x_train[:6000].reshape(-1, 784).astype("float32") / 255.0
x_test = x_test[:1000].reshape(-1, 784).astype("float32") / 255.0
y_train, y_test = np.eye(10)[y_train[:6000]], np.eye(10)[y_test[:1000]]

x = tf.placeholder(tf.float32, [None, 784], name="x")
y_ = tf.placeholder(tf.float32, [None, 10], name="labels")
keep_prob = tf.placeholder(tf.float32)
with tf.variable_scope("hidden"):
    W1 = tf.get_variable("W", [784, 64], initializer=tf.truncated_normal_initializer(stddev=0.1))
    b1 = tf.get_variable("b", [64], initializer=tf.zeros_initializer())
hidden = tf.nn.dropout(tf.nn.relu(tf.matmul(x, W1) + b1), keep_prob)
W2 = tf.Variable(tf.truncated_normal([64, 10], stddev=0.1), name="W2")
b2 = tf.Variable(tf.zeros([10]), name="b2")
logits = tf.matmul(hidden, W2) + b2
print("logits", logits.shape.as_list(), W1.name)
loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(labels=y_, logits=logits))
global_step = tf.Variable(0, trainable=False, name="global_step")
train_op = tf.train.AdamOptimizer(1e-3).minimize(loss, global_step=global_step)
correct = tf.equal(tf.argmax(logits, 1), tf.argmax(y_, 1))
accuracy = tf.reduce_mean(tf.to_float(correct), name="accuracy")
saver = tf.train.Saver()

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    first = None
    for step in range(300):
        batch = np.random.randint(0, len(x_train), 64)
        _, value = sess.run([train_op, loss], feed_dict={x: x_train[batch], y_: y_train[batch], keep_prob: 0.9})
        first = value if first is None else first
    print("steps", sess.run(global_step), "loss fell", value < first)
    test = sess.run("accuracy:0", feed_dict={"x:0": x_test, y_: y_test, keep_prob: 1.0})
    print("test accuracy %.3f" % test)
    path = saver.save(sess, "./tf1_model.ckpt", global_step=global_step)
    print("saved", path)

sess = tf.InteractiveSession()
sess.run(tf.global_variables_initializer())  # fresh weights: chance accuracy again
print("fresh below", accuracy.eval(feed_dict={x: x_test, y_: y_test, keep_prob: 1.0}) < 0.5)
saver.restore(sess, path)
print("restored same", abs(accuracy.eval(feed_dict={x: x_test, y_: y_test, keep_prob: 1.0}) - test) < 1e-6)
