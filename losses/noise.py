"""Expectations over Gaussian instance noise, by Gauss-Hermite quadrature: computed, never sampled.

Instance noise adds N(0, sigma^2) to every sample the discriminator sees, real or fake. The
Dirac-GAN's discriminator is linear in its input, so every expectation the game needs is one
function of two numbers,

    G(a, b) = E_e[ l(a + b e) ],   e ~ N(0, 1),   l(t) = log sigmoid(t) = -softplus(-t),

where a is the logit without noise and b the logit's noise scale. The notebook of Mescheder et
al. (2018) averages 1000 random draws, so its field is noisy to ~1e-2; here the expectation is
the sum over :data:`NODES` Gauss-Hermite nodes, the same number for every call.

The design follows :mod:`losses.functions`: G is a SymPy function that knows its derivatives and
carries its own numerics. Its partials are a table, not a formula to re-derive:
d^i/da^i d^j/db^j G = E[e^j l^(i+j)(a + b e)], the row ``MOMENTS[(i, j)]``, each again a SymPy
function whose derivatives are the next rows, so SymPy's chain rule builds v and J from the
table. Each row prints itself for ``lambdify`` through SymPy's printer hook (``_numpycode`` for
grids, ``_pythoncode`` for the scalar loops), as a call of :func:`moment_np` or :func:`moment_math`
imported by the generated code, so no shared namespace needs to learn its name. A tree of a
few G calls compiles in milliseconds where the quadrature written out as a SymPy sum of 600
softplus terms took 11 s. A new row (a higher derivative) needs only l's next derivative in
:data:`LOGSIG_DERIVATIVES`; MAX_ORDER bounds what is tabulated (J needs order 2).

How many nodes: 300. Against an adaptive quadrature (scipy.integrate.quad) every tabulated
moment up to order 2 is within 2e-11 for |a| <= 8 and |b| <= 4, which covers the Dirac-GAN's
view |theta|, |psi| <= 2 at every sigma <= 2 (a = psi theta, b = psi sigma), so v and J there are
within 1e-9 (tests/test_noise.py). Past |b| = 4 the sigmoid is too sharp for the Gaussian's nodes
and the error grows (1e-5 at |b| = 8): a run that wanders far out is computed less exactly.
"""

from __future__ import annotations

import math

import numpy as np
import sympy

NODES = 300
CHUNK = 128  # points per block of the quadrature: 128 x 300 floats, 300 KB
MAX_ORDER = 3  # l, l', l'', l''': value, v and J need order 2; one more so a derivative of J exists

_z, _w = np.polynomial.hermite.hermgauss(NODES)
_E = np.sqrt(2.0) * _z  # nodes for e ~ N(0, 1)
# weights times e^j, one row per power j, so a moment is one matrix-vector product
_WEIGHTS = np.stack([_w / math.sqrt(math.pi) * _E**j for j in range(MAX_ORDER + 1)])
_E.setflags(write=False)
_WEIGHTS.setflags(write=False)


# l = log sigmoid and its derivatives, all from e = exp(-|t|), which never overflows: NumPy's exp is
# ten times faster than expit on the (points x nodes) arrays a grid makes. With s = sigmoid(t) and
# r = sigmoid(-t): l' = r, l'' = -s r = -e / (1 + e)^2, l''' = -s r (r - s) and r - s = sgn(t) expm1(-|t|) / (1 + e),
# each in a form that neither overflows nor cancels.
def _l0(t, e):
    return np.minimum(t, 0.0) - np.log1p(e)


def _l1(t, e):
    return np.where(t > 0, e, 1.0) / (1.0 + e)


def _l2(t, e):
    return -e / (1.0 + e) ** 2


def _l3(t, e):
    return _l2(t, e) * np.sign(t) * np.expm1(-np.abs(t)) / (1.0 + e)


LOGSIG_DERIVATIVES = (_l0, _l1, _l2, _l3)


def moment_np(i: int, j: int, a, b):
    """E[e^j l^(i+j)(a + b e)] on broadcast arrays a, b.

    The quadrature runs along a new last axis, CHUNK points at a time: (points x nodes) blocks that
    fit the cache take 1 us a point, one pass over a whole grid's 4 MB five to ten times that."""
    a, b = np.broadcast_arrays(np.asarray(a, dtype=float), np.asarray(b, dtype=float))
    shape, a, b = a.shape, a.ravel(), b.ravel()
    out, fn, weights = np.empty(a.shape), LOGSIG_DERIVATIVES[i + j], _WEIGHTS[j]
    with np.errstate(all="ignore"):
        for k in range(0, a.size, CHUNK):
            t = a[k:k + CHUNK, None] + b[k:k + CHUNK, None] * _E
            out[k:k + CHUNK] = fn(t, np.exp(-np.abs(t))) @ weights
    return out.reshape(shape)


def moment_math(i: int, j: int, a: float, b: float) -> float:
    """The same moment for two floats, as the scalar (``math``) code calls it."""
    return float(moment_np(i, j, a, b))


class _Moment(sympy.Function):
    """d^i/da^i d^j/db^j of G(a, b) = E[l(a + b e)]: the rows of :data:`MOMENTS` are its subclasses."""

    i = j = 0
    nargs = 2

    @classmethod
    def eval(cls, a, b):
        return None  # stays a call: its value is a quadrature, computed where it is evaluated

    def fdiff(self, argindex=1):
        i, j = (self.i + 1, self.j) if argindex == 1 else (self.i, self.j + 1)
        if (i, j) not in MOMENTS:
            raise NotImplementedError(f"derivatives of G past order {MAX_ORDER} are not tabulated")
        return MOMENTS[(i, j)](*self.args)

    def _eval_is_real(self):
        return all(a.is_real for a in self.args) or None

    def _eval_evalf(self, prec):
        a, b = self.args
        if a.is_number and b.is_number:
            return sympy.Float(moment_math(self.i, self.j, float(a), float(b)), prec)
        return None

    def _numpycode(self, printer):
        return self._call(printer, "moment_np")

    def _pythoncode(self, printer):
        return self._call(printer, "moment_math")

    def _call(self, printer, name):
        fn = printer._module_format(f"{__name__}.{name}")
        return f"{fn}({self.i}, {self.j}, {printer._print(self.args[0])}, {printer._print(self.args[1])})"

    def _latex(self, printer, exp=None):
        a, b = (printer._print(arg) for arg in self.args)
        weight = "" if self.j == 0 else r"\varepsilon " if self.j == 1 else r"\varepsilon^{%d} " % self.j
        inner = r"\log\sigma" if self.i + self.j == 0 else r"\ell^{(%d)}" % (self.i + self.j)
        body = r"\mathbb{E}_{\varepsilon}\left[%s%s\left(%s + %s\,\varepsilon\right)\right]" % (weight, inner, a, b)
        return body if exp is None else r"%s^{%s}" % (body, exp)


def _row(i: int, j: int):
    # G, Ga, Gb, Gaa, ...: the names the worked example prints, G's partials named by their variables
    return type("G" + "a" * i + "b" * j, (_Moment,), {"i": i, "j": j, "__module__": __name__})


MOMENTS = {(i, j): _row(i, j) for i in range(MAX_ORDER + 1) for j in range(MAX_ORDER + 1 - i)}
expected_logsigmoid = MOMENTS[(0, 0)]  # G itself: E[log sigmoid(a + b e)]
