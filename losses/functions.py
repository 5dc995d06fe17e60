"""The named functions a loss may use, each travelling with its derivative and numerics.

Like TensorFlow Playground's activations, a function here is data: a name, the
SymPy object that builds it (and so knows its derivative), and the NumPy and
``math`` implementations that compiled code calls. The safe parser accepts
exactly the names in :data:`FUNCTIONS`; the compiler hands
:data:`NUMPY_NAMESPACE` and :data:`MATH_NAMESPACE` to ``lambdify``.

``sigmoid`` and ``softplus`` are SymPy functions of their own rather than
their ``exp`` forms so that derivations print sigma(z), as a GAN paper would,
and so that their numerics stay stable for large |z|: the saturating and
non-saturating generator losses are exactly where 1/(1+exp(-z)) overflows.
"""

from __future__ import annotations

import math

import numpy as np
import sympy


class sigmoid(sympy.Function):  # noqa: N801 - the name users type
    """The logistic function 1/(1 + exp(-z)); d/dz = sigmoid(z) sigmoid(-z).

    sigmoid(z) (1 - sigmoid(z)) is the same number, but 1 - sigmoid(z) cancels: at z = 30 it keeps
    three digits and past z = 37 it is exactly 0, where sigmoid(-z) is still 4e-17."""

    @classmethod
    def eval(cls, z):
        if z.is_Number:
            return 1 / (1 + sympy.exp(-z))
        return None

    def fdiff(self, argindex=1):
        z = self.args[0]
        return sigmoid(z) * sigmoid(-z)

    def _eval_rewrite_as_exp(self, z, **kwargs):
        return 1 / (1 + sympy.exp(-z))

    def _eval_is_real(self):
        return self.args[0].is_real

    def _latex(self, printer, exp=None):
        inner = printer._print(self.args[0])
        base = r"\sigma\left(%s\right)" % inner
        return base if exp is None else r"\sigma^{%s}\left(%s\right)" % (exp, inner)


class softplus(sympy.Function):  # noqa: N801 - the name users type
    """log(1 + exp(z)), the smooth ReLU; d/dz = sigmoid(z). Note -log(sigmoid(z)) = softplus(-z)."""

    @classmethod
    def eval(cls, z):
        if z.is_Number:
            return sympy.log(1 + sympy.exp(z))
        return None

    def fdiff(self, argindex=1):
        return sigmoid(self.args[0])

    def _eval_rewrite_as_exp(self, z, **kwargs):
        return sympy.log(1 + sympy.exp(z))

    def _eval_is_real(self):
        return self.args[0].is_real

    def _latex(self, printer, exp=None):
        inner = printer._print(self.args[0])
        base = r"\operatorname{softplus}\left(%s\right)" % inner
        return base if exp is None else r"\operatorname{softplus}^{%s}\left(%s\right)" % (exp, inner)


class tanh(sympy.tanh):  # noqa: N801 - the name users type
    """SymPy's tanh with the derivative sech(z)^2, which is exact where 1 - tanh(z)^2 cancels
    (four digits lost at z = 17, exactly 0 past z = 19)."""

    def fdiff(self, argindex=1):
        return sech(self.args[0]) ** 2


class sech(sympy.Function):  # noqa: N801
    """1/cosh(z), only ever made by differentiating tanh; computed as 2 e^-|z| / (1 + e^-2|z|), which
    neither overflows (cosh(800) does) nor cancels."""

    @classmethod
    def eval(cls, z):
        if z.is_number:
            return 1 / sympy.cosh(z)
        if z.could_extract_minus_sign():
            return cls(-z)
        return None

    def fdiff(self, argindex=1):
        z = self.args[0]
        return -tanh(z) * sech(z)

    def _eval_is_real(self):
        return self.args[0].is_real

    def _eval_is_positive(self):
        return self.args[0].is_real

    def _latex(self, printer, exp=None):
        inner = printer._print(self.args[0])
        base = r"\operatorname{sech}\left(%s\right)" % inner
        return base if exp is None else r"\operatorname{sech}^{%s}\left(%s\right)" % (exp, inner)


class absval(sympy.Function):  # noqa: N801
    """|u| with the derivative sgn(u), which does not exist at u = 0 (:class:`sgn` is undefined there).

    SymPy's Abs differentiates to re and im parts wherever it cannot prove u real (|x^0.5|), which
    no numeric module evaluates; and its sign(0) = 0 would call the kink of |x| a vanishing gradient
    where the cone sqrt(x^2 + y^2) calls its tip undefined. One rule for kinks: undefined."""

    @classmethod
    def eval(cls, u):
        if u.is_number:  # |tan(pi)| is 0, as typed: a constant is worked out at once
            return sympy.Abs(u)
        if u.could_extract_minus_sign():
            return cls(-u)
        return None

    def fdiff(self, argindex=1):
        return sgn(self.args[0])

    def _eval_is_real(self):
        return self.args[0].is_real

    def _eval_is_nonnegative(self):
        return self.args[0].is_real

    def _latex(self, printer, exp=None):
        base = r"\left|%s\right|" % printer._print(self.args[0])
        return base if exp is None else r"%s^{%s}" % (base, exp)


class sgn(sympy.Function):  # noqa: N801
    """The sign of u, undefined (NaN) at u = 0, where |u| has no derivative; its own derivative is 0
    away from 0 and undefined at it (:class:`kink`)."""

    @classmethod
    def eval(cls, u):
        if u.is_number and u.is_zero is not None:
            return sympy.sign(u) if not u.is_zero else sympy.nan
        if u.could_extract_minus_sign():
            return -cls(-u)
        return None

    def fdiff(self, argindex=1):
        return kink(self.args[0])

    def _eval_is_real(self):
        return self.args[0].is_real

    def _latex(self, printer, exp=None):
        base = r"\operatorname{sgn}\left(%s\right)" % printer._print(self.args[0])
        return base if exp is None else r"%s^{%s}" % (base, exp)


class kink(sympy.Function):  # noqa: N801
    """0 where u != 0, undefined where u = 0: the derivative of sgn(u)."""

    @classmethod
    def eval(cls, u):
        if u.is_number and u.is_zero is not None:
            return sympy.S.Zero if not u.is_zero else sympy.nan
        return None

    def fdiff(self, argindex=1):
        return kink(self.args[0])

    def _eval_is_real(self):
        return self.args[0].is_real


def condition(node: sympy.Expr):
    """Where ``node`` is defined over the reals, as a SymPy condition, or None where it always is:
    log(u) needs u > 0; u^r with r not an integer needs u >= 0 (u > 0 when r may be negative), and a
    parameter r (the deep chain's depth) only where its value is not a whole number."""
    if isinstance(node, sympy.log):
        return node.args[0] > 0
    if node.is_Pow and node.base.free_symbols and not node.exp.is_integer:
        base, exp = node.base, node.exp
        needed = base >= 0 if exp.is_positive else base > 0
        if exp.free_symbols:
            return sympy.Or(needed, sympy.Eq(exp, sympy.floor(exp)), evaluate=False)
        return needed
    return None


def domain_of(expr: sympy.Expr) -> list:
    """Every condition (:func:`condition`) the tree of ``expr`` shows."""
    found = (condition(node) for node in sympy.preorder_traversal(expr))
    return [c for c in found if c is not None and c is not sympy.true]


FUNCTIONS = {
    "exp": sympy.exp,
    "log": sympy.log,
    "sqrt": sympy.sqrt,
    "sin": sympy.sin,
    "cos": sympy.cos,
    "tan": sympy.tan,
    "tanh": tanh,
    "sigmoid": sigmoid,
    "softplus": softplus,
    "abs": absval,
}

CONSTANTS = {"pi": sympy.pi, "e": sympy.E}


class _Indicator(sympy.Function):
    """1 where a condition on u holds, else 0: the loss's domain, compiled (:mod:`losses.compiled`)."""

    def _eval_is_real(self):
        return True


class positive(_Indicator):  # noqa: N801
    """1 where u > 0."""


class nonnegative(_Indicator):  # noqa: N801
    """1 where u >= 0."""


class whole(_Indicator):  # noqa: N801
    """1 where u is a whole number."""


# The NumPy forms are the ``math`` ones below, branch for branch, on e = exp(-|z|), which never overflows:
# exact down to the smallest floats (0.5 (1 + tanh(z/2)) rounds to 0 there), and on a grid's arrays
# NumPy's exp is several times faster than scipy's expit or np.logaddexp (4096 points: 11 us against
# 22 us for sigmoid, 10 us against 64 us for softplus), which a convergence map pays on every step.
def _sigmoid_np(z):
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0, e) / (1.0 + e)


def _softplus_np(z):
    return np.maximum(z, 0.0) + np.log1p(np.exp(-np.abs(z)))


def _sech_np(z):
    e = np.exp(-np.abs(z))
    return 2 * e / (1 + e * e)


def _sgn_np(u):
    return np.where(u == 0, np.nan, np.sign(u))


def _kink_np(u):
    return np.where(u == 0, np.nan, 0.0)


def _sigmoid_math(z):
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    ez = math.exp(z)
    return ez / (1.0 + ez)


def _softplus_math(z):
    return max(z, 0.0) + math.log1p(math.exp(-abs(z)))


def _sech_math(z):
    e = math.exp(-abs(z))
    return 2 * e / (1 + e * e)


def _sgn_math(u):
    return math.copysign(1.0, u) if u else math.nan


def _kink_math(u):
    return 0.0 if u else math.nan


NUMPY_NAMESPACE = {"sigmoid": _sigmoid_np, "softplus": _softplus_np, "sech": _sech_np, "absval": np.abs,
                   "sgn": _sgn_np, "kink": _kink_np, "positive": lambda u: (u > 0) * 1.0,
                   "nonnegative": lambda u: (u >= 0) * 1.0, "whole": lambda u: (np.floor(u) == u) * 1.0}
MATH_NAMESPACE = {"sigmoid": _sigmoid_math, "softplus": _softplus_math, "sech": _sech_math, "absval": abs,
                  "sgn": _sgn_math, "kink": _kink_math, "positive": lambda u: float(u > 0),
                  "nonnegative": lambda u: float(u >= 0), "whole": lambda u: float(math.floor(u) == u)}
