# TF2 low level: GradientTape linear regression, tf.function, tf.Variable, tf.random
import tensorflow as tf

tf.random.set_seed(0)
x = tf.random.normal([200, 1], seed=1)
y = 3.0 * x + 2.0
w = tf.Variable(tf.zeros([1, 1]))
b = tf.Variable(0.0)


@tf.function(jit_compile=True)
def step():
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(tf.square(tf.matmul(x, w) + b - y))
    dw, db = tape.gradient(loss, [w, b])
    w.assign_sub(0.1 * dw)
    b.assign_sub(0.1 * db)
    return loss


for _ in range(200):
    loss = step()
print("w {:.2f} b {:.2f} loss<1e-3 {}".format(float(w.numpy()[0, 0]), float(b.numpy()), float(loss) < 1e-3))
with tf.device("/GPU:0"):
    t = tf.constant([[1.0, 2.0], [3.0, 4.0]])
print("devices", [d.device_type for d in tf.config.list_physical_devices()])
print("argmax", tf.argmax(t).numpy().tolist(), "shape", t.shape, "dtype ok", t.dtype == tf.float32)
with tf.distribute.get_strategy().scope():
    print("replicas", tf.distribute.get_strategy().num_replicas_in_sync)
