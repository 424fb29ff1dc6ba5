"""A TF 2 program in the random-numbers guide's style: virtual CPU devices, a MirroredStrategy over two of
them, and a tf.Module holding a tf.random.Generator saved with tf.saved_model.save and loaded back, its
class defined here (in __main__)."""
import sys

import tensorflow as tf

cpu = tf.config.list_physical_devices("CPU")[0]
tf.config.experimental.set_virtual_device_configuration(
    cpu, [tf.config.experimental.VirtualDeviceConfiguration() for _ in range(3)])
print("logical", [d.name for d in tf.config.list_logical_devices("CPU")])


class Noise(tf.Module):
    def __init__(self):
        super().__init__()
        self.g = tf.random.Generator.from_seed(7)

    @tf.function
    def __call__(self):
        return self.g.normal([2])

    @tf.function
    def state(self):
        return self.g.state


strategy = tf.distribute.MirroredStrategy(devices=["cpu:0", "cpu:1"])
with strategy.scope():
    module = Noise()
    strategy.run(module)
    tf.saved_model.save(module, sys.argv[1])
    after_save = [module().numpy().tolist() for _ in range(2)]

loaded = tf.saved_model.load(sys.argv[1])
print("class", type(loaded).__name__, "state", type(loaded.state()).__name__)
print("same stream", [loaded().numpy().tolist() for _ in range(2)] == after_save)
print("same state", loaded.state().numpy().tolist() == module.state().numpy().tolist())
