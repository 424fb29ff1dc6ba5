"""Running an input again: the passes of repeat(), and the first complete pass kept by an in-memory cache
(shared by the element stages and the index plans of the array path)."""


def repeated(make_iterator, count):
    """The values of ``make_iterator()`` over ``count`` fresh passes (forever when negative); an empty
    pass ends it, so repeating nothing is empty instead of a busy loop."""
    done = 0
    while count < 0 or done < count:
        empty = True
        for value in make_iterator():
            empty = False
            yield value
        done += 1
        if empty:
            return


def first_pass_kept(owner, make_iterator):
    """The values of ``make_iterator()``, kept on ``owner._kept`` once a pass finishes and replayed from
    there afterwards; an unfinished pass keeps nothing."""
    if owner._kept is not None:
        yield from owner._kept
        return
    seen = []
    for value in make_iterator():
        seen.append(value)
        yield value
    owner._kept = seen
