"""The gradient of a scalar network with respect to its input, and the parameter gradient of any
penalty on it: double backprop, written out for the :mod:`losses.network` engine.

A discriminator's gradient penalty (Gulrajani et al., 2017) and the R1 penalty (Mescheder et al.,
2018) are functions of g_i = grad_x s(x_i), the gradient of the network's scalar output s at each
example. Training needs dP/dtheta for P = sum_i psi(g_i): the gradient of a gradient. Nothing here
differentiates numerically or calls an autograd library; every step is written out below and
tests check it against central finite differences of the engine's own forward.

**First order** (:func:`input_gradients`). For each example, backward from ds/ds = 1. Layer j
maps its input h to u = h W^T + b and h' = f(u) (or h + f(u) when residual); the output layer is
linear. Going down from the top, with r_j = ds/dh' at layer j's output (r = 1 at the output):

    delta_j = r_j * f'(u_j)
    r_(j-1) = delta_j W_j   (+ r_j when residual)          and g = r_(-1), the input's

The pass keeps r_j, f'(u_j) and delta_j: the second order is differentiated through them.

**Second order** (:func:`penalty_backward`). Given G_i = dP/dg_i, it returns the gradient of
sum_i <G_i, g_i> with respect to every parameter block. It is reverse mode through the
computation above, then through the forward pass it read. Going up through the first-order
computation, with a = the adjoint of r_(j-1) (a = G at the input):

    dW_j    += delta_j^T a                          (r_(j-1) = delta_j W_j)
    bar_d    = a W_j^T                              (the adjoint of delta_j)
    bar_u_j  = bar_d * r_j * f''(u_j)               (delta_j = r_j f'(u_j) depends on u_j)
    a       <- bar_d * f'(u_j)   (+ a when residual)   (the adjoint of r_j)

and the output layer's r = 1 is a constant, so the climb ends there. Then down through the forward
pass, which is an ordinary backward with bar_u_j injected at every layer (the output s itself does
not enter P, so nothing comes in from the top):

    t_j      = bar_u_j + bar_h_j * f'(u_j)
    dW_j    += t_j^T h_(j-1),   db_j = sum_i t_j
    bar_h_(j-1) = t_j W_j   (+ bar_h_j when residual)

The result is exact (to rounding): for a relu network f'' = 0 away from the kink, as PyTorch's
double backward gives. Normalisation layers couple the examples of a batch, so grad_x s(x_i) is
not one example's gradient there; a network with a learnable norm is refused, by name. A network
whose output is not a scalar is refused too.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .network import Network, Pass


@dataclass
class Tape:
    """What :func:`input_gradients` found: ``g`` (rows, input_dim), and per layer r, f'(u), delta."""
    g: np.ndarray
    r: list
    fp: list
    delta: list


def _check(net: Network, p: Pass) -> None:
    if net.layers[-1].fan_out != 1:
        raise ValueError(f"input gradients need a scalar output; this network has {net.layers[-1].fan_out}")
    if any(layer.norm.learnable for layer in net.layers):
        raise ValueError(f"input gradients are not written out through a normalisation "
                         f"({net.layers[0].norm.name}): it couples the examples of a batch")
    if p.start != 0:
        raise ValueError("input gradients need a pass from the input (start 0)")


def input_gradients(net: Network, params: tuple, p: Pass) -> Tape:
    """g_i = grad_x s(x_i) for every row of the :func:`losses.network.forward` pass ``p``."""
    _check(net, p)
    top = len(net.layers) - 1
    r_list, fp_list, delta_list = [None] * (top + 1), [None] * (top + 1), [None] * (top + 1)
    r = np.ones((p.rows, 1))
    for j in range(top, -1, -1):
        layer, buf = net.layers[j], p.buffers[j]
        fp = layer.activation.der(buf.u)
        delta = r * fp
        below = delta @ params[layer.first]
        if layer.residual:
            below += r
        r_list[j], fp_list[j], delta_list[j] = r, fp, delta
        r = below
    return Tape(r, r_list, fp_list, delta_list)


def penalty_backward(net: Network, params: tuple, p: Pass, tape: Tape, dg: np.ndarray) -> tuple:
    """d/dtheta of sum_i <dg_i, g_i(theta)>: pass dg = dP/dg and get dP/dtheta, block by block
    in :attr:`losses.network.Network.names` order."""
    _check(net, p)
    layers, top = net.layers, len(net.layers) - 1
    grads = [np.zeros(s) for s in net.shapes]
    bar_u = [None] * (top + 1)
    a = dg
    for j, layer in enumerate(layers):  # up through the first-order computation
        w = params[layer.first]
        grads[layer.first] += tape.delta[j].T @ a
        bar_d = a @ w.T
        bar_u[j] = bar_d * tape.r[j] * layer.activation.der2(p.buffers[j].u)
        if j < top:
            a = bar_d * tape.fp[j] + (a if layer.residual else 0.0)
    bar_h = None
    for j in range(top, -1, -1):  # down through the forward pass
        layer, buf = layers[j], p.buffers[j]
        t = bar_u[j] if bar_h is None else bar_u[j] + bar_h * tape.fp[j]
        grads[layer.first] += t.T @ buf.h_in
        grads[layer.first + 1] += t.sum(axis=0)
        if j > 0:
            below = t @ params[layer.first]
            bar_h = below + bar_h if layer.residual and bar_h is not None else below
    return tuple(grads)
