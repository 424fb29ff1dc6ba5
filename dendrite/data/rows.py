"""Rows: a completed in-memory cache of fixed-shape elements served as stacked arrays.

After the first full pass, ``cache()`` stacks each component of the kept elements into one array (when
every element has the same nesting and every component is a numeric array or scalar of one shape and
dtype) and from then on a pass is an *index pass*: the stacked arrays (an ``ArraySource`` plan) and a
stream of int index chunks into them. The stages that only reorder elements carry index passes
(``shuffle`` makes the same draws as over elements, so the order is the same), ``repeat`` hands on
whatever each of its passes is, and ``batch`` gathers a whole batch with one fancy index per array. A
stream may mix elements and index chunks (the first pass of a repeat is elements, the later ones chunks);
a batch that straddles the two is stacked from elements, as before.
"""
import numpy as np

from . import structure


class IndexPass:
    """One pass over the rows of ``plan`` (an ``ArraySource``), in the order of the int arrays ``chunks``."""

    def __init__(self, plan, chunks):
        self.plan, self.chunks = plan, chunks

    def pieces(self):
        for idx in self.chunks:
            if len(idx):
                yield Rows(self.plan, idx)

    def elements(self):
        return self.plan._elements(self.chunks)


class Rows:
    """Some rows of a plan, a piece of a stream that may also hold plain elements."""

    __slots__ = ("plan", "idx")

    def __init__(self, plan, idx):
        self.plan, self.idx = plan, idx

    def __len__(self):
        return len(self.idx)

    def part(self, start, stop=None):
        return Rows(self.plan, self.idx[start:stop])


def _stackable(values):
    """Whether the values of one component stack into one array that gives each value back: all NumPy
    scalars of one numeric type, or all numeric arrays (rank >= 1) of one shape and dtype."""
    first = values[0]
    if isinstance(first, np.generic):
        kind = type(first)
        return first.dtype.kind in "biufc" and all(type(v) is kind for v in values)
    if type(first) is not np.ndarray or first.ndim == 0 or first.dtype.kind not in "biufc":
        return False
    shape, dtype = first.shape, first.dtype
    return all(type(v) is np.ndarray and v.shape == shape and v.dtype == dtype for v in values)


def _columns(elements, first):
    """The components of the elements, one list per component, or None when the nestings differ (a flat
    tuple, the usual element, is checked by type and length: _stackable then refuses nested values)."""
    if not structure.is_structure(first):
        return [elements]
    kind = type(first)
    if isinstance(first, tuple):
        if not any(structure.is_structure(v) for v in first):
            n = len(first)
            if any(type(e) is not kind or len(e) != n for e in elements):
                return None
            return list(zip(*elements))
    if any(type(e) is not kind or not structure.same_nesting(e, first) for e in elements):
        return None
    return list(zip(*[structure.flatten(e) for e in elements]))


def stacked(elements):
    """The kept elements as an ``ArraySource`` over their stacked components, or None when they are not
    all of one nesting with fixed-shape numeric components (text, ragged shapes, mixed dtypes)."""
    from .arrays import ArraySource
    if not elements:
        return None
    first = elements[0]
    columns = _columns(elements, first)
    if columns is None:
        return None
    if not all(_stackable(c) for c in columns):
        return None
    leaves = [np.stack(c) for c in columns]
    return ArraySource(structure.pack_as(first, leaves) if structure.is_structure(first) else leaves[0])


def assemble(pieces, stack_elements):
    """One batch from pending pieces: a single gather when all are rows of one plan, else the elements
    stacked as the element path does."""
    plans = {id(p.plan) for p in pieces if isinstance(p, Rows)}
    if len(plans) == 1 and all(isinstance(p, Rows) for p in pieces):
        return pieces[0].plan.gather(np.concatenate([p.idx for p in pieces]))
    elements = []
    for p in pieces:
        if isinstance(p, Rows):
            elements.extend(p.plan._elements([p.idx]))
        else:
            elements.append(p)
    return stack_elements(elements)


def batched(pieces, size, drop_remainder, stack_elements):
    """Batches of ``size`` from a stream of elements and ``Rows``: rows gathered a whole batch at a time."""
    pending, have = [], 0
    for piece in pieces:
        if not isinstance(piece, Rows):
            pending.append(piece)
            have += 1
            if have == size:
                yield assemble(pending, stack_elements)
                pending, have = [], 0
            continue
        n, start = len(piece), 0
        if have:  # complete the batch begun by earlier pieces
            start = min(size - have, n)
            pending.append(piece.part(0, start))
            have += start
            if have < size:
                continue
            yield assemble(pending, stack_elements)
            pending, have = [], 0
        stop = start + (n - start) // size * size
        gather, idx = piece.plan.gather, piece.idx
        for s in range(start, stop, size):
            yield gather(idx[s:s + size])
        if stop < n:
            pending, have = [piece.part(stop)], n - stop
    if have and not drop_remainder:
        yield assemble(pending, stack_elements)
