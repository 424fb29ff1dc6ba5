"""Element counts through each stage, with tf.data's rules for infinite (-1) and unknown (-2) inputs."""
INFINITE = -1
UNKNOWN = -2


def repeat(n, count):
    if count < 0:
        return 0 if n == 0 else INFINITE
    if count == 0:
        return 0
    return n if n < 0 else n * count


def take(n, count):
    if count < 0:
        return n
    if n == UNKNOWN:
        return UNKNOWN
    return count if n == INFINITE else min(n, count)


def skip(n, count):
    if n < 0:
        return n
    return 0 if count < 0 else max(0, n - count)


def shard(n, num_shards, index):
    if n < 0:
        return n
    return n // num_shards + (1 if index < n % num_shards else 0)


def batch(n, batch_size, drop_remainder):
    if n < 0:
        return n
    return n // batch_size if drop_remainder else -(-n // batch_size)


def window(n, size, shift, stride, drop_remainder):
    if n < 0:
        return n
    if not drop_remainder:
        return -(-n // shift)
    span = (size - 1) * stride + 1
    return 0 if n < span else (n - span) // shift + 1


def zip_(counts):
    result = INFINITE
    for n in counts:
        if n == UNKNOWN:
            return UNKNOWN
        if n != INFINITE:
            result = n if result == INFINITE else min(result, n)
    return result


def concatenate(a, b):
    if UNKNOWN in (a, b):
        return UNKNOWN
    if INFINITE in (a, b):
        return INFINITE
    return a + b
