r"""Hadamard matrices for balanced repeated replication, chosen as R ``survey`` chooses them.

BRR with :math:`k` strata needs a Hadamard matrix of order at least :math:`k + 1`. Which
matrix is used matters for nonlinear statistics (a ratio's replicate variance depends on the
half-samples), so the default follows R ``survey``'s ``hadamard(k)`` step by step:

1. with :math:`m` the largest multiple of 4 not above :math:`k`, if :math:`m + 4` is one of
   R's base orders 4, 16, 28 or 36, that base matrix;
2. otherwise, for each base order :math:`b`, the smallest :math:`b\,2^j \ge k + 1`; the
   smallest of those (the first base on a tie) is the target order, and
3. when the target exceeds :math:`k` by more than 4, a Paley matrix (below) if one is found,
   else the base matrix doubled by Sylvester's step :math:`H \mapsto [[H, H], [H, -H]]` up to
   the target order.

Paley's construction (type I) for a prime :math:`p \equiv 3 \pmod 4` borders the
:math:`p \times p` matrix with entries :math:`+1` where :math:`(i + j) \bmod p` is a
quadratic non-residue and :math:`-1` where it is zero or a residue, with a row and a column
of :math:`+1`. The search for :math:`p` follows R's ``paley(k)``: when :math:`k \bmod 8 \ge 4`,
the next multiple of 4 above :math:`k`, halved while divisible by 8, minus one, if that is
such a prime (the matrix is then doubled back); otherwise the smallest such prime
:math:`p \ge k`, unless :math:`p + 1` overshoots the next multiple of 4 above :math:`k` by
more than 4 while a smaller order is allowed, in which case the search restarts from that
multiple plus 3. Only primes up to 7919 are tried, as in R.

The base orders 4 and 16 are Sylvester's matrices (:func:`scipy.linalg.hadamard`). For 28
and 36 R ships tabulated matrices (from Sloane's library and from Plackett and Burman 1946)
that this library does not copy; it builds Paley's type II matrix of the same order instead,
for prime :math:`q \equiv 1 \pmod 4` with :math:`2(q + 1)` the order (13 and 17). For
:math:`k` strata where R's choice rests on those two tables (24-27 and 32-35 strata, and the
orders doubled from them, such as 52-55 and 68-71 strata) the replicates therefore differ
from R's; :func:`default_matrix` says so.

References
----------
.. [1] Paley, R. E. A. C. (1933). On orthogonal matrices. *Journal of Mathematics and
   Physics* 12, 311-320.
.. [2] Wolter, K. M. (2007). *Introduction to Variance Estimation*, 2nd ed., chapter 3.
   Springer.
"""

from __future__ import annotations

import functools

import numpy as np
from numpy.typing import NDArray
from scipy import linalg

SignMatrix = NDArray[np.int8]

#: R's base orders, in the order R tries them.
BASE_ORDERS = (4, 16, 28, 36)
#: Largest prime R's Paley search tries.
LARGEST_PRIME = 7919


@functools.cache
def _primes_3_mod_4() -> NDArray[np.intp]:
    sieve = np.ones(LARGEST_PRIME + 1, dtype=bool)
    sieve[:2] = False
    for i in range(2, int(LARGEST_PRIME**0.5) + 1):
        if sieve[i]:
            sieve[i * i :: i] = False
    primes = np.flatnonzero(sieve)
    result: NDArray[np.intp] = primes[primes % 4 == 3]
    return result


def _residues(p: int) -> NDArray[np.bool_]:
    """Whether each of ``0 .. p - 1`` is a non-zero quadratic residue modulo ``p``."""
    square = np.zeros(p, dtype=bool)
    square[(np.arange(1, p) ** 2) % p] = True
    return square


def paley_one(p: int) -> SignMatrix:
    """Paley's type I matrix of order ``p + 1`` for a prime ``p = 3 (mod 4)``, R's layout."""
    index = np.add.outer(np.arange(p), np.arange(p)) % p
    residue = _residues(p)
    core = np.where((index != 0) & ~residue[index], 1, -1).astype(np.int8)
    matrix = np.ones((p + 1, p + 1), dtype=np.int8)
    matrix[1:, 1:] = core
    return matrix


def paley_two(q: int) -> SignMatrix:
    """Paley's type II matrix of order ``2 (q + 1)`` for a prime ``q = 1 (mod 4)``.

    Columns are signed so that the first row is all ``+1``.
    """
    residue = _residues(q)
    difference = np.subtract.outer(np.arange(q), np.arange(q)) % q
    jacobsthal = np.where(difference == 0, 0, np.where(residue[difference], 1, -1))
    conference = np.zeros((q + 1, q + 1), dtype=np.int64)
    conference[0, 1:] = 1
    conference[1:, 0] = 1
    conference[1:, 1:] = jacobsthal
    block = np.array([[1, 1], [1, -1]])
    diagonal = np.array([[1, -1], [-1, -1]])
    matrix = np.kron(conference, block) + np.kron(np.eye(q + 1, dtype=np.int64), diagonal)
    signed: SignMatrix = (matrix * matrix[0]).astype(np.int8)
    return signed


def double(matrix: SignMatrix, order: int) -> SignMatrix:
    """Apply Sylvester's doubling ``H -> [[H, H], [H, -H]]`` until the order is ``order``."""
    while matrix.shape[0] < order:
        matrix = np.block([[matrix, matrix], [matrix, -matrix]]).astype(np.int8)
    return matrix


def _base(order: int) -> tuple[SignMatrix, bool]:
    """R's base matrix of ``order``, and whether it is exactly R's."""
    if order in (4, 16):
        return linalg.hadamard(order).astype(np.int8), True
    return paley_two(13 if order == 28 else 17), False


def _paley(k: int, largest: int) -> SignMatrix | None:
    """R's Paley search for at least ``k + 1`` rows and at most ``largest`` (None if none)."""
    primes = _primes_3_mod_4()
    above = k + 4 - k % 4  # next multiple of 4 strictly above k
    if k % 8 >= 4:
        reduced = above
        while reduced % 8 == 0:
            reduced //= 2
        if reduced - 1 in primes:
            return double(paley_one(reduced - 1), above)
    if k > LARGEST_PRIME:
        return None
    p = int(primes[np.searchsorted(primes, k)])
    if p + 1 > above + 4 and above + 4 < largest:
        return _paley(above + 3, 2 * (above + 3))
    if p > largest:
        return None
    return paley_one(p)


def default_matrix(n_strata: int) -> tuple[SignMatrix, bool]:
    """R ``survey``'s default Hadamard matrix for ``n_strata`` strata, as +1/-1.

    Returns the matrix and whether it is exactly R's (False where R uses its tabulated
    order-28 or order-36 matrix, see the module notes).
    """
    k = n_strata
    low = k - k % 4
    if low + 4 in BASE_ORDERS:
        return _base(low + 4)
    targets = []
    for base in BASE_ORDERS:
        order = base
        while order < k + 1:
            order *= 2
        targets.append(order)
    best = int(np.argmin(np.array(targets) - k))
    order = targets[best]
    if order - k > 4:
        found = _paley(k, order)
        if found is not None:
            return found, True
    matrix, exact = _base(BASE_ORDERS[best])
    return double(matrix, order), exact
