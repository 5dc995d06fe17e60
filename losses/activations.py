"""Activations as data: a name -> :class:`Activation` table, each row carrying its own derivative.

This is TensorFlow Playground's ``{output, der}`` pattern. The network's one forward and one backward
look a layer's activation up in this table, so no loop asks which activation it runs. The
statistics also read two flags from the row. ``saturates`` means that a tiny derivative is how the
activation stops a signal (sigmoid, tanh), so the lab reports the fraction of saturated units.
``dies`` means that a unit can switch off for every input (relu, leaky_relu), so the lab reports dead
units.

Every formula keeps its accuracy for large |z|, because the deep-network lab exists to show
saturation and the derivative there is the number it is about. ``1 - tanh(z)**2`` gives exactly 0 from
|z| = 19 on, where tanh(z) rounds to 1 and the true value is 1.3e-16, so it would report a gradient
that has only shrunk as one that has vanished. Both the sigmoid and tanh derivatives are therefore written with
e = exp(-|z|) (or exp(-2|z|)), which lies in (0, 1]. Nothing overflows, nothing cancels, and the
result underflows to 0 only where the true value is below the smallest double:

    sigmoid(z)   = 1 / (1 + e) for z >= 0, e / (1 + e) for z < 0        (e = exp(-|z|))
    sigmoid'(z)  = sigmoid(z) sigmoid(-z) = e / (1 + e)**2               (e = exp(-|z|))
    tanh'(z)     = 1 / cosh(z)**2 = 4 t / (1 + t)**2                     (t = exp(-2|z|))

``gelu`` is the tanh approximation of x Phi(x) (Hendrycks and Gimpel, 2016). It is what
``torch.nn.functional.gelu(x, approximate="tanh")`` computes, and it lies within 5e-4 of the exact
erf form everywhere:

    gelu(x) = x/2 (1 + tanh(k(x))),   k(x) = sqrt(2/pi) (x + 0.044715 x**3)

Because 1/2 (1 + tanh(k)) = sigmoid(2k), it is evaluated as x sigmoid(2k). That form does not cancel
for very negative x, as 1 + tanh(k) does. Its derivative is
sigmoid(2k) + x sigmoid'(2k) 2 k'(x).

relu'(0) is taken as 0, as in PyTorch. Leaky relu's slope for z < 0 is :data:`LEAKY_SLOPE`.

Each row also carries ``der2``, f''(z), which a penalty on the gradient of a network with respect
to its input needs (double backprop, :mod:`losses.inputgrad`). It is written in the same
non-cancelling forms: sigmoid'' = -sigmoid' tanh(z/2) (from 1 - 2 sigmoid(z) = -tanh(z/2)),
tanh'' = -2 tanh(z) tanh'(z), gelu'' = 2 s'(k) k' + x s''(k) k'^2 + x s'(k) k'' with s the sigmoid,
k = 2 sqrt(2/pi) (x + 0.044715 x**3). The piecewise-linear rows have f'' = 0 away from the kink
(and 0 at it, as PyTorch's double backward gives).

A new activation is one row of :data:`ACTIVATIONS_TABLE`: a name, a label, ``output(z)``, ``der(z)``
and ``der2(z)`` (NumPy in, NumPy out, elementwise, accurate for large |z|; ``der`` must hand back a
fresh array, which the backward pass multiplies in place), and the two flags. A test then checks
``der`` against finite differences of ``output`` and ``der2`` against those of ``der``, and all three
against mpmath, for every row.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

import numpy as np

LEAKY_SLOPE = 0.01
_GELU_K = math.sqrt(2.0 / math.pi)
_GELU_C = 0.044715


@dataclass(frozen=True)
class Activation:
    name: str
    label: str
    output: Callable[[np.ndarray], np.ndarray]
    der: Callable[[np.ndarray], np.ndarray]  # f'(z), from the same z
    der2: Callable[[np.ndarray], np.ndarray]  # f''(z), for double backprop through a layer
    description: str = ""
    saturates: bool = False  # its derivative goes to 0 for large |z|: report saturated units
    dies: bool = False  # a unit outputs 0 (or its leak) for every z < 0: report dead units

    def describe(self) -> dict:
        return {"name": self.name, "label": self.label, "description": self.description,
                "saturates": self.saturates, "dies": self.dies}


def sigmoid(z: np.ndarray) -> np.ndarray:
    """1 / (1 + exp(-z)) without overflow: exp is only taken of -|z|."""
    e = np.exp(-np.abs(z))
    r = 1.0 / (1.0 + e)
    return np.where(z >= 0, r, e * r)


def _scaled_bell(z, k, c):
    """c e / (1 + e)^2 with e = exp(-k |z|), in place on one fresh array (this runs every layer of
    every step: two arrays instead of seven)."""
    e = np.abs(z)
    e *= -k
    np.exp(e, out=e)
    d = e + 1.0
    d *= d
    e *= c
    e /= d
    return e


def sigmoid_der(z: np.ndarray) -> np.ndarray:
    """sigmoid(z) sigmoid(-z) = e / (1 + e)^2 with e = exp(-|z|): even in z, no cancellation."""
    return _scaled_bell(z, 1.0, 1.0)


def _tanh_der(z):
    return _scaled_bell(z, 2.0, 4.0)  # 1 / cosh^2 = 4 t / (1 + t)^2 with t = exp(-2|z|)


def _sigmoid_der2(z):
    return -_scaled_bell(z, 1.0, 1.0) * np.tanh(0.5 * z)


def _tanh_der2(z):
    return -2.0 * np.tanh(z) * _tanh_der(z)


def _linear(z):
    return z.copy()


def _ones(z):
    return np.ones_like(z)


def _zeros(z):
    return np.zeros_like(z)


def _relu(z):
    return np.maximum(z, 0.0)


def _relu_der(z):
    return (z > 0).astype(z.dtype)


def _leaky(z):
    return np.where(z > 0, z, LEAKY_SLOPE * z)


def _leaky_der(z):
    return np.where(z > 0, 1.0, LEAKY_SLOPE)


def _gelu_arg(z):
    return 2.0 * _GELU_K * (z + _GELU_C * z * z * z)


def _gelu(z):
    return z * sigmoid(_gelu_arg(z))


def _gelu_der(z):
    k2 = _gelu_arg(z)
    dk2 = 2.0 * _GELU_K * (1.0 + 3.0 * _GELU_C * z * z)
    return sigmoid(k2) + z * sigmoid_der(k2) * dk2


def _gelu_der2(z):
    k2 = _gelu_arg(z)
    dk2 = 2.0 * _GELU_K * (1.0 + 3.0 * _GELU_C * z * z)
    ddk2 = 12.0 * _GELU_K * _GELU_C * z
    s1 = sigmoid_der(k2)
    return 2.0 * s1 * dk2 + z * _sigmoid_der2(k2) * dk2 * dk2 + z * s1 * ddk2


ACTIVATIONS_TABLE = (
    Activation("linear", "Linear (identity)", _linear, _ones, _zeros,
               "f(z) = z: a deep linear network, whose signal only the weights scale."),
    Activation("sigmoid", "Sigmoid", sigmoid, sigmoid_der, _sigmoid_der2,
               "f(z) = 1 / (1 + e^-z); f' <= 1/4, so every layer shrinks the signal at least fourfold.",
               saturates=True),
    Activation("tanh", "Tanh", np.tanh, _tanh_der, _tanh_der2,
               "f(z) = tanh z; f'(0) = 1, but it saturates for |z| > 3.", saturates=True),
    Activation("relu", "ReLU", _relu, _relu_der, _zeros,
               "f(z) = max(z, 0); f' is 1 or 0, and a unit below 0 for every input is dead.", dies=True),
    Activation("leaky_relu", "Leaky ReLU", _leaky, _leaky_der, _zeros,
               f"f(z) = z for z > 0, {LEAKY_SLOPE:g} z otherwise: a unit below 0 still passes a "
               f"{LEAKY_SLOPE:g} share of the signal.", dies=True),
    Activation("gelu", "GELU (tanh approximation)", _gelu, _gelu_der, _gelu_der2,
               "f(z) = z/2 (1 + tanh(sqrt(2/pi) (z + 0.044715 z^3))), as PyTorch's approximate='tanh'."),
)
ACTIVATIONS = {a.name: a for a in ACTIVATIONS_TABLE}
