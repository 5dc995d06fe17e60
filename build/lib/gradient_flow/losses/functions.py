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
from scipy.special import expit


class sigmoid(sympy.Function):  # noqa: N801 - the name users type
    """The logistic function 1/(1 + exp(-z)); d/dz = sigmoid(z) (1 - sigmoid(z))."""

    @classmethod
    def eval(cls, z):
        if z.is_Number:
            return 1 / (1 + sympy.exp(-z))
        return None

    def fdiff(self, argindex=1):
        s = sigmoid(self.args[0])
        return s * (1 - s)

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


FUNCTIONS = {
    "exp": sympy.exp,
    "log": sympy.log,
    "sqrt": sympy.sqrt,
    "sin": sympy.sin,
    "cos": sympy.cos,
    "tan": sympy.tan,
    "tanh": sympy.tanh,
    "sigmoid": sigmoid,
    "softplus": softplus,
    "abs": sympy.Abs,
}

CONSTANTS = {"pi": sympy.pi, "e": sympy.E}


def _sigmoid_np(z):
    return expit(z)  # exact down to the smallest floats, where 0.5 (1 + tanh(z/2)) rounds to 0


def _softplus_np(z):
    return np.logaddexp(0.0, z)


def _sigmoid_math(z):
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    ez = math.exp(z)
    return ez / (1.0 + ez)


def _softplus_math(z):
    return max(z, 0.0) + math.log1p(math.exp(-abs(z)))


NUMPY_NAMESPACE = {"sigmoid": _sigmoid_np, "softplus": _softplus_np}
MATH_NAMESPACE = {"sigmoid": _sigmoid_math, "softplus": _softplus_math}
