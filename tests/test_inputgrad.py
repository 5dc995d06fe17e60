"""Double backprop against finite differences of the engine's forward alone: grad_x s against
differences in x, and the parameter gradient of sum_i <c_i, grad_x s(x_i)> against differences in
the parameters of a directional difference in x (which is that sum, with no input gradient code
in it), for every activation, plain and residual."""

import itertools

import numpy as np
import pytest

from gradient_flow.losses.activations import ACTIVATIONS
from gradient_flow.losses.inputgrad import input_gradients, penalty_backward
from gradient_flow.losses.network import build, forward, init

COMBOS = list(itertools.product(ACTIVATIONS, (False, True)))
KINKED = {"relu", "leaky_relu"}


def _d(f, h):
    """f'(0) by the fourth-order central stencil: error ~h^4 f^(5), rounding ~1e-16 |f| / h."""
    return (f(-2 * h) - 8 * f(-h) + 8 * f(h) - f(2 * h)) / (12 * h)


def _total(net, params, x):
    return float(forward(net, params, x).output.sum())


def _setup(activation, residual):
    """A net 2 -> 3 -> 3 -> 1 in general position; for relu, one whose pre-activations all keep
    0.05 from the kink, which the steps below (<= 2e-3 in x, 2e-4 in a parameter) cannot cross."""
    net = build(2, 2, 3, activation, residual=residual)
    for seed in range(500):
        rng = np.random.default_rng(seed)
        params = tuple(b + rng.uniform(-0.3, 0.3, b.shape) for b in init(net, rng, "normal", gain=1.5))
        x = rng.normal(size=(5, 2))
        p = forward(net, params, x)
        if activation not in KINKED or min(np.abs(p.u(j)).min() for j in range(2)) > 0.05:
            return net, params, x, rng.normal(size=(5, 2))
    raise AssertionError("no seed keeps relu away from its kink")


@pytest.mark.parametrize("activation, residual", COMBOS, ids=[f"{a}-{'res' if r else 'plain'}" for a, r in COMBOS])
def test_the_input_gradient_matches_differences_of_the_output(activation, residual):
    net, params, x, _ = _setup(activation, residual)
    g = input_gradients(net, params, forward(net, params, x)).g
    h = 1e-4 if activation in KINKED else 1e-3
    for i, k in np.ndindex(x.shape):
        def s(t):
            y = x.copy()
            y[i, k] += t
            return float(forward(net, params, y).output[i, 0])
        assert g[i, k] == pytest.approx(_d(s, h), rel=1e-8, abs=1e-10), (i, k)


@pytest.mark.parametrize("activation, residual", COMBOS, ids=[f"{a}-{'res' if r else 'plain'}" for a, r in COMBOS])
def test_the_parameter_gradient_of_a_penalty_on_it_matches_nested_differences(activation, residual):
    net, params, x, c = _setup(activation, residual)
    p = forward(net, params, x)
    tape = input_gradients(net, params, p)
    grads = penalty_backward(net, params, p, tape, c)
    hx, hp = (1e-3, 2e-4) if activation in KINKED else (1e-3, 1e-3)

    def pairing(blocks):  # sum_i <c_i, grad_x s(x_i)> = d/dt sum_i s(x_i + t c_i) at t = 0
        return _d(lambda t: _total(net, blocks, x + t * c), hx)

    assert max(np.abs(g).max() for g in grads[:2]) > 1e-3  # the first layer's gradient is not 0
    for name, block, grad in zip(net.names, params, grads):
        fd = np.zeros_like(block)
        for idx in np.ndindex(block.shape):
            def moved(t):
                b = block.copy()
                b[idx] += t
                return pairing(tuple(b if q is block else q for q in params))
            fd[idx] = _d(moved, hp)
        np.testing.assert_allclose(grad, fd, rtol=1e-6, atol=1e-8, err_msg=name)


def test_the_output_bias_does_not_move_the_input_gradient():
    net, params, x, c = _setup("tanh", False)
    p = forward(net, params, x)
    grads = penalty_backward(net, params, p, input_gradients(net, params, p), c)
    assert not grads[-1].any()


@pytest.mark.parametrize("kwargs, words", [({"norm": "layer"}, "normalisation"), ({"output_dim": 2}, "scalar output")])
def test_what_is_not_written_out_is_refused_by_name(kwargs, words):
    net = build(2, 2, 3, "tanh", **kwargs)
    params = init(net, np.random.default_rng(0))
    with pytest.raises(ValueError, match=words):
        input_gradients(net, params, forward(net, params, np.zeros((4, 2))))
