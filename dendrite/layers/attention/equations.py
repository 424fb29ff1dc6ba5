"""The einsum equations of multi-head attention, as Keras lays its tensors out.

A projection maps an input ``(batch, <steps...>, features)`` to ``(batch, <steps...>, heads, size)`` with a
kernel ``(features, heads, size)`` (query, key and value), and the output projection maps ``(batch, <steps...>,
heads, size)`` back to ``(batch, <steps...>, <output_shape>)`` with a kernel ``(heads, size, <output_shape>)``.

Attention runs over ``attention_axes``, some of the step axes (all of them by default). The scores have the
axes that are not attended over first (batch, other step axes, heads, in order), then the query's attended
axes, then the key's: ``(batch, heads, T, S)`` for sequences. The softmax normalises over the key's attended
axes.
"""
import string

_LETTERS = string.ascii_lowercase


def projection_equation(free, bound, added):
    """``(equation, bias_axes)`` of a projection whose input keeps its ``free`` leading axes, contracts its
    ``bound`` trailing ones with the kernel, and gains the kernel's ``added`` axes (which the bias spans)."""
    kept, contracted = _LETTERS[:free], _LETTERS[free:free + bound]
    new = _LETTERS[free + bound:free + bound + added]
    return f"{kept}{contracted},{contracted}{new}->{kept}{new}", new


def attention_equations(rank, axes):
    """``(scores equation, combine equation, softmax axes)`` for projected tensors of ``rank`` axes (batch,
    steps, heads, size) attending over ``axes``: scores = einsum(query, key), output = einsum(scores, value)."""
    query = _LETTERS[:rank]
    fresh = iter(_LETTERS[rank:])
    key = "".join(next(fresh) if i in axes else query[i] for i in range(rank))
    others = [i for i in range(rank - 1) if i not in axes]
    scores = "".join(query[i] for i in others) + "".join(query[i] for i in axes) + "".join(key[i] for i in axes)
    softmax_axes = tuple(range(len(scores) - len(axes), len(scores)))
    return f"{query},{key}->{scores}", f"{scores},{key}->{query}", softmax_axes


def resolve_attention_axes(attention_axes, query_rank, who):
    """The attended axes as non-negative axes of the query (negative ones count from its end), checked to be
    step axes: neither the batch axis nor the feature axis. None means every step axis. The order is kept (it
is the order of those axes in the scores)."""
    if attention_axes is None:
        return tuple(range(1, query_rank - 1))
    axes = tuple(a + query_rank if a < 0 else a for a in attention_axes)
    if not axes or any(not 1 <= a <= query_rank - 2 for a in axes) or len(set(axes)) != len(axes):
        raise ValueError(f"{who}: `attention_axes` must name distinct step axes of the query (not the batch axis "
                         f"0 nor the feature axis -1); for a query of rank {query_rank} they lie in 1..{query_rank - 2}"
                         f". Received attention_axes={tuple(attention_axes)}.")
    return axes
