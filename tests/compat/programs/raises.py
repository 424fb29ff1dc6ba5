import tensorflow as tf


def broken():
    raise ValueError("the program's own error")


print("before")
broken()
