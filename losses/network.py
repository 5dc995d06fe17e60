"""A multilayer perceptron as data: a table of layers, one forward and one backward over it.

A :class:`Network` is a tuple of :class:`Layer` rows: ``depth`` hidden layers of ``width`` units,
then a linear output layer. Each row names its activation (a row of :mod:`losses.activations`), its
normalisation (a row of :data:`NORMS`) and whether it is residual. :func:`forward` and :func:`backward`
loop over the rows and look their behaviour up in them. No loop compares an option's name, and no
autograd library is used: every derivative is written out below, and the tests check it against
finite differences for every combination of activation, initialisation, residual and normalisation.

One hidden layer maps its input h to

    z = h W^T + b                          W is (fan_out, fan_in), as in torch.nn.Linear
    u = norm(z)                            the norm sits between the affine map and the activation
    h' = f(u)          or, residual,       h' = h + f(u)

So a residual layer computes h + f(norm(W h + b)): the norm is inside the branch, before the
activation, and the skip path carries h untouched. It is residual only where its input and output
widths are equal, which means every hidden layer but the first (and the first too when the input
has ``width`` coordinates). The output layer is z = h W^T + b, with no norm, no activation and no
skip.

Normalisation (:data:`NORMS`) is ``none``, ``batch`` or ``layer``, with learnable gamma and beta per
unit and eps = 1e-5. ``batch`` works in training mode: every example is normalised with the batch's
mean and biased variance of each unit. Under batch norm a layer's bias is therefore cancelled by the
mean it subtracts, and its gradient is exactly 0 (up to rounding). Batch norm does the same in
PyTorch, which is why ``bias=False`` is the custom there. ``layer`` normalises each example over its
units. :func:`forward` can also take ``frozen`` statistics, one (mean, var) per layer, kept from a
pass over the training set. That is evaluation mode, used to draw a decision boundary. Such a pass is
not differentiated.

Parameters are a tuple of NumPy arrays (blocks), ordered from input to output and named as in
``model.named_parameters()``: ``layer1.weight``, ``layer1.bias``, ``layer1.norm.gamma``,
``layer1.norm.beta``, ..., ``output.weight``, ``output.bias``. :func:`backward` returns the gradient
of the batch-mean loss with respect to every block, and the backward signal dL/dh at every layer's
output. That last one is the thing that vanishes or explodes from layer to layer. A pass made with
``input_grad`` carries the signal one layer further, to dL/dx (a GAN's generator learns from its
discriminator's); the gradient of a penalty on grad_x s (double backprop) is
:mod:`losses.inputgrad`'s.

Initialisation (:data:`INITS`) draws each layer's (W, b) from a NumPy Generator, layer by layer in
order, W first. A new rule is one row: a name, a label, a sentence and
``draw(rng, fan_in, fan_out, gain) -> (W, b)``. A new normalisation is one :class:`Norm` row with a
``forward(z, gamma, beta, frozen, u, xhat) -> cache``, which writes the normalised ``u`` (and its
``xhat``) into the arrays it is handed, and a ``backward(du, xhat, cache, gamma) -> (dz, dgamma,
dbeta)``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

import numpy as np

from .activations import ACTIVATIONS, Activation

NORM_EPS = 1e-5
DEPTH_RANGE = (1, 64)
WIDTH_RANGE = (2, 128)
GAIN_RANGE = (0.1, 4.0)


# -- initialisation -------------------------------------------------------------------------

@dataclass(frozen=True)
class Init:
    name: str
    label: str
    description: str
    draw: Callable  # (rng, fan_in, fan_out, gain) -> (W of shape (fan_out, fan_in), b of shape (fan_out,))
    uses_gain: bool = False


def _standard(rng, fan_in, fan_out, gain):
    bound = 1.0 / math.sqrt(fan_in)
    return rng.uniform(-bound, bound, (fan_out, fan_in)), rng.uniform(-bound, bound, fan_out)


def _xavier(rng, fan_in, fan_out, gain):
    bound = math.sqrt(6.0 / (fan_in + fan_out))
    return rng.uniform(-bound, bound, (fan_out, fan_in)), np.zeros(fan_out)


def _he(rng, fan_in, fan_out, gain):
    return rng.normal(0.0, math.sqrt(2.0 / fan_in), (fan_out, fan_in)), np.zeros(fan_out)


def _normal(rng, fan_in, fan_out, gain):
    return rng.normal(0.0, gain / math.sqrt(fan_in), (fan_out, fan_in)), np.zeros(fan_out)


INITS_TABLE = (
    Init("standard", "PyTorch default (nn.Linear)",
         "Weights and biases U(-1/sqrt(fan_in), 1/sqrt(fan_in)): fan_in Var(W) = 1/3, so a tanh "
         "network's signal shrinks by sqrt(1/3) a layer.", _standard),
    Init("xavier", "Xavier / Glorot uniform",
         "W ~ U(-a, a), a = sqrt(6 / (fan_in + fan_out)), biases 0 (Glorot and Bengio, 2010).", _xavier),
    Init("he", "He / Kaiming normal",
         "W ~ N(0, 2 / fan_in), biases 0: keeps a ReLU network's variance from layer to layer (He et al., 2015).",
         _he),
    Init("normal", "Scaled normal",
         "W ~ N(0, gain^2 / fan_in), biases 0: a deep linear network's signal changes by gain a layer.",
         _normal, uses_gain=True),
)
INITS = {i.name: i for i in INITS_TABLE}


# -- normalisation --------------------------------------------------------------------------

@dataclass(frozen=True)
class Norm:
    name: str
    label: str
    description: str
    forward: Callable  # (z, gamma, beta, frozen, u, xhat) -> cache; writes u and xhat
    backward: Callable  # (du, xhat, cache, gamma) -> (dz, dgamma, dbeta)
    learnable: bool = True  # has gamma and beta blocks (and buffers of its own: without, u is z)
    freezes: bool = False  # its statistics are the batch's, and evaluation mode freezes them


def _no_norm_forward(z, gamma, beta, frozen, u, xhat):
    return None  # u is z


def _no_norm_backward(du, xhat, cache, gamma):
    return du, None, None


def _normaliser(axis: int):
    """Forward and backward of a norm over ``axis``: 0 normalises each unit over the batch (batch
    norm), 1 each example over its units (layer norm). Same algebra, other axis."""

    def forward(z, gamma, beta, frozen, u, xhat):
        mean = z.mean(axis, keepdims=True) if frozen is None else frozen[0]
        np.subtract(z, mean, out=xhat)
        var = (xhat * xhat).mean(axis, keepdims=True) if frozen is None else frozen[1]
        inv = 1.0 / np.sqrt(var + NORM_EPS)
        xhat *= inv
        np.multiply(xhat, gamma, out=u)
        u += beta
        return inv, mean, var

    def backward(du, xhat, cache, gamma):
        inv = cache[0]
        dgamma = (du * xhat).sum(0)
        dbeta = du.sum(0)
        dx = du * gamma
        # d xhat_i / d z_j = inv (delta_ij - 1/n - xhat_i xhat_j / n) over the normalised axis
        dz = inv * (dx - dx.mean(axis, keepdims=True) - xhat * (dx * xhat).mean(axis, keepdims=True))
        return dz, dgamma, dbeta

    return forward, backward


NORMS_TABLE = (
    Norm("none", "None", "No normalisation: u = z.", _no_norm_forward, _no_norm_backward, learnable=False),
    Norm("batch", "Batch norm", "Each unit normalised over the batch (training mode), then gamma u + beta "
         "(Ioffe and Szegedy, 2015).", *_normaliser(0), freezes=True),
    Norm("layer", "Layer norm", "Each example normalised over the layer's units, then gamma u + beta "
         "(Ba et al., 2016).", *_normaliser(1)),
)
NORMS = {n.name: n for n in NORMS_TABLE}


# -- the layer table ------------------------------------------------------------------------

@dataclass(frozen=True)
class Layer:
    name: str  # "layer1", ..., "output"
    fan_in: int
    fan_out: int
    activation: Activation
    norm: Norm
    residual: bool
    first: int  # index of this layer's weight in the parameter tuple; bias, gamma, beta follow

    @property
    def blocks(self) -> tuple[tuple[str, tuple[int, ...]], ...]:
        own = [("weight", (self.fan_out, self.fan_in)), ("bias", (self.fan_out,))]
        if self.norm.learnable:
            own += [("norm.gamma", (self.fan_out,)), ("norm.beta", (self.fan_out,))]
        return tuple((f"{self.name}.{n}", shape) for n, shape in own)


@dataclass(frozen=True)
class Network:
    layers: tuple[Layer, ...]  # hidden layers, then the output layer

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(n for layer in self.layers for n, _ in layer.blocks)

    @property
    def shapes(self) -> tuple[tuple[int, ...], ...]:
        return tuple(s for layer in self.layers for _, s in layer.blocks)

    @property
    def size(self) -> int:
        return sum(math.prod(s) for s in self.shapes)


def build(input_dim: int, depth: int, width: int, activation: str, norm: str = "none",
          residual: bool = False, output_dim: int = 1) -> Network:
    """The layer table; ValueError names a setting out of range or unknown."""
    _check_range("depth", depth, DEPTH_RANGE)
    _check_range("width", width, WIDTH_RANGE)
    act = _look_up("activation", activation, ACTIVATIONS)
    nrm = _look_up("norm", norm, NORMS)
    layers, first, fan_in = [], 0, input_dim
    for i in range(depth):
        layer = Layer(f"layer{i + 1}", fan_in, width, act, nrm, bool(residual) and fan_in == width, first)
        layers.append(layer)
        first += len(layer.blocks)
        fan_in = width
    layers.append(Layer("output", fan_in, output_dim, ACTIVATIONS["linear"], NORMS["none"], False, first))
    return Network(tuple(layers))


def init(net: Network, rng: np.random.Generator, rule: str = "standard", gain: float = 1.0) -> tuple:
    """Fresh parameters as a tuple of float64 blocks, in :attr:`Network.names` order; gamma = 1, beta = 0."""
    draw = _look_up("init", rule, INITS).draw
    _check_range("gain", gain, GAIN_RANGE)
    blocks = []
    for layer in net.layers:
        w, b = draw(rng, layer.fan_in, layer.fan_out, gain)
        blocks += [w, b]
        if layer.norm.learnable:
            blocks += [np.ones(layer.fan_out), np.zeros(layer.fan_out)]
    return tuple(blocks)


def views(net: Network, flat: np.ndarray) -> tuple:
    """The blocks as views of one flat vector, so one buffer can hold (and an optimiser step) them all."""
    out, start = [], 0
    for shape in net.shapes:
        n = math.prod(shape)
        out.append(flat[start:start + n].reshape(shape))
        start += n
    return tuple(out)


# -- forward and backward ------------------------------------------------------------------

class _Buffers:
    """One layer's arrays for a batch of ``rows``: pre-activation z, normalised u (z itself without
    a norm), xhat, activation output a, residual sum h, and dh_in, the signal handed down."""

    def __init__(self, layer: Layer, rows: int, below: bool):
        shape = (rows, layer.fan_out)
        self.z = np.empty(shape)
        self.u, self.xhat = (np.empty(shape), np.empty(shape)) if layer.norm.learnable else (self.z, None)
        self.a = np.empty(shape)
        self.h = np.empty(shape) if layer.residual else self.a
        self.dh_in = np.empty((rows, layer.fan_in)) if below else None
        self.h_in = None  # the layer's input, set by forward
        self.norm_cache = None


class Pass:
    """A forward pass over layers ``start``, ``start + 1``, ...: what backward needs, kept per layer
    in arrays that the next forward into the same pass overwrites.

    They are allocated once per batch size and reused. Fresh arrays every step cost twice the
    arithmetic at depth 20, because glibc hands freed memory back to the system and takes page
    faults to get it again. ``output`` is the last layer's output (the logit or the prediction);
    ``u(j)`` is layer ``start + j``'s pre-activation. A pass made with ``input_grad`` also has
    :func:`backward` hand the signal through the first layer: ``d_input`` = dL/dx, shaped like x
    (a generator learns from the discriminator's dL/dx)."""

    def __init__(self, net: Network, rows: int, start: int = 0, input_grad: bool = False):
        self.net, self.rows, self.start = net, rows, start
        self.buffers = [_Buffers(layer, rows, j > 0 or input_grad) for j, layer in enumerate(net.layers[start:])]
        self.ones = np.ones(rows)  # sum over the batch as a dot product: 1 us where add.reduce takes 3.5
        self.output = None
        self.d_input = None  # dL/dx, set by backward when the pass was made with input_grad

    def u(self, j: int) -> np.ndarray:
        return self.buffers[j].u


def forward(net: Network, params: tuple, x: np.ndarray, frozen: tuple | None = None, start: int = 0,
            into: Pass | None = None, input_grad: bool = False) -> Pass:
    """Run ``x`` (batch, fan_in of layer ``start``) through layers ``start``, ``start + 1``, ...

    ``start`` > 0 feeds ``x`` in as a hidden layer's output (to probe the network above it).
    ``frozen`` holds, per layer run, (mean, var) for an evaluation-mode batch norm, or None (see
    :func:`norm_statistics`). ``into`` is a pass of the same batch size and start to overwrite;
    ``input_grad`` makes a new pass that :func:`backward` carries down to dL/dx."""
    p = into if into is not None else Pass(net, len(x), start, input_grad)
    h = x
    for j, (layer, buf) in enumerate(zip(net.layers[start:], p.buffers)):
        i = layer.first
        np.matmul(h, params[i].T, out=buf.z)
        buf.z += params[i + 1]
        gamma, beta = (params[i + 2], params[i + 3]) if layer.norm.learnable else (None, None)
        buf.norm_cache = layer.norm.forward(buf.z, gamma, beta, None if frozen is None else frozen[j], buf.u, buf.xhat)
        np.copyto(buf.a, layer.activation.output(buf.u))
        if layer.residual:
            np.add(h, buf.a, out=buf.h)
        buf.h_in = h
        h = buf.h
    p.output = h
    return p


def norm_statistics(net: Network, p: Pass) -> tuple:
    """Per layer (mean, var) of a training-mode pass, to hand to :func:`forward` as ``frozen``."""
    layers = net.layers[p.start:]
    return tuple((b.norm_cache[1], b.norm_cache[2]) if layer.norm.freezes else None
                 for layer, b in zip(layers, p.buffers))


def backward(net: Network, params: tuple, p: Pass, d_output: np.ndarray, out: tuple | None = None,
             param_grads: bool = True):
    """Gradients of the loss given d_output = dL/d(output) of a training-mode :func:`forward`.

    Returns ``(grads, signals)``: ``grads`` one array per parameter block (written into ``out``
    when given, which saves allocating them every step), ``signals[j]`` = dL/dh at the output of
    layer ``start + j``, shaped like that output, the last being ``d_output``. With ``start`` > 0
    the blocks of the layers below ``start`` are left as they were. The signals live in the pass's
    arrays, until the next backward through it, and so does ``p.d_input`` = dL/dx when the pass was
    made with ``input_grad``. ``param_grads=False`` computes only the signals (``grads`` is then
    None): a generator's step needs its discriminator's dL/dx, not the discriminator's own gradient."""
    layers = net.layers[p.start:]
    grads = None if not param_grads else list(out) if out is not None else [np.zeros(s) for s in net.shapes]
    signals = [None] * len(layers)
    dh = d_output
    for j in range(len(layers) - 1, -1, -1):
        signals[j] = dh
        dh = _layer_backward(layers[j], params, p.buffers[j], p.ones, dh, grads)
    p.d_input = dh
    return (tuple(grads) if param_grads else None), tuple(signals)


def _layer_backward(layer, params, buf, ones, dh, grads):
    i = layer.first
    du = layer.activation.der(buf.u)  # a fresh array: multiplied in place
    du *= dh
    gamma = params[i + 2] if layer.norm.learnable else None
    dz, dgamma, dbeta = layer.norm.backward(du, buf.xhat, buf.norm_cache, gamma)
    if grads is not None:
        np.matmul(dz.T, buf.h_in, out=grads[i])
        np.dot(ones, dz, out=grads[i + 1])
        if layer.norm.learnable:
            grads[i + 2][...] = dgamma
            grads[i + 3][...] = dbeta
    if buf.dh_in is None:
        return None
    np.matmul(dz, params[i], out=buf.dh_in)
    if layer.residual:
        buf.dh_in += dh
    return buf.dh_in


# -- helpers ----------------------------------------------------------------------------------

def _check_range(name, value, bounds):
    if not bounds[0] <= value <= bounds[1]:
        raise ValueError(f"{name} must lie in [{bounds[0]:g}, {bounds[1]:g}]; got {value!r}")


def _look_up(name, key, table):
    if key not in table:
        raise ValueError(f"{name} must be one of {', '.join(table)}; got {str(key)[:40]!r}")
    return table[key]
