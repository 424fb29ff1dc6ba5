"""The einsum / tensordot op: values against NumPy, gradients checked for the usual equation shapes."""
import numpy as np
import pytest

from dendrite.autodiff import Tensor
from dendrite.autodiff.ops.einsum import einsum, tensordot
from dendrite.testing import check_grads

rng = np.random.RandomState(0)
CASES = [
    ("ij,jk->ik", [(3, 4), (4, 2)]),
    ("bij,bjk->bik", [(2, 3, 4), (2, 4, 5)]),
    ("...ij,...jk->...ik", [(2, 3, 4), (4, 2)]),  # ellipsis, broadcast batch
    ("bqhd,bkhd->bhqk", [(2, 3, 2, 4), (2, 5, 2, 4)]),  # attention scores
    ("ij->", [(3, 4)]),
    ("ij->j", [(3, 4)]),
    ("i,j->ij", [(3,), (4,)]),
    ("ij,ij", [(3, 4), (3, 4)]),  # implicit output: scalar
    ("ij,kj", [(3, 4), (2, 4)]),  # implicit output: 'ik'
    ("ijk,k->ij", [(2, 3, 4), (4,)]),
    ("ij,k->ik", [(3, 4), (2,)]),  # j summed away in one operand only: broadcast back
]


@pytest.mark.parametrize("optimize", [False, True])
@pytest.mark.parametrize("equation, shapes", CASES)
def test_values_and_gradients(equation, shapes, optimize):
    arrays = [rng.randn(*s) for s in shapes]
    np.testing.assert_allclose(einsum(equation, *[Tensor(a) for a in arrays], optimize=optimize).value,
                               np.einsum(equation, *arrays), rtol=1e-12, atol=1e-12)
    check_grads(lambda *xs: einsum(equation, *xs, optimize=optimize), arrays)


@pytest.mark.parametrize("axes, shapes", [(1, [(3, 4), (4, 5)]), (2, [(2, 3, 4), (3, 4, 2)]),
                                          ([[0], [1]], [(3, 4), (2, 3)]), ([[2, 0], [0, 1]], [(2, 3, 4), (4, 2)])])
def test_tensordot(axes, shapes):
    a, b = (rng.randn(*s) for s in shapes)
    np.testing.assert_allclose(tensordot(Tensor(a), Tensor(b), axes).value, np.tensordot(a, b, axes), atol=1e-12)
    check_grads(lambda x, y: tensordot(x, y, axes), [a, b])


def test_errors_name_the_problem():
    with pytest.raises(ValueError, match="names 2 operand"):
        einsum("ij,jk->ik", Tensor(np.ones((2, 2))))
    with pytest.raises(ValueError, match="name 3 axes"):
        einsum("ijk->i", Tensor(np.ones((2, 2))))
