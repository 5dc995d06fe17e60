"""The MLP's backward against central finite differences of its forward, for every activation x
init x residual x norm; the forward against the layer written out by hand; the inits' moments; and
the signal's layer-to-layer ratio against the theory of deep linear and near-linear tanh networks."""

import itertools
import math

import numpy as np
import pytest

from gradient_flow.losses.activations import ACTIVATIONS
from gradient_flow.losses.netlab import signal_norm
from gradient_flow.losses.network import INITS, NORM_EPS, NORMS, backward, build, forward, init, norm_statistics

H = 1e-6  # central-difference step; its error is ~H^2 f''' + 1e-16 / H, about 1e-10 here
COMBOS = list(itertools.product(ACTIVATIONS, INITS, (False, True), NORMS))
KINKED = {"relu", "leaky_relu"}


def _loss(out, target):
    """An arbitrary smooth scalar of the network's output, with its derivative, written here."""
    r = out - target
    return 0.5 * float(np.sum(r * r)) + float(np.sum(np.sin(out))), r + np.cos(out)


def _setup(activation, rule, residual, norm, seed):
    depth, width = (2, 3) if seed % 2 else (3, 4)
    net = build(2, depth, width, activation, norm, residual)
    rng = np.random.default_rng(seed)
    params = init(net, rng, rule, gain=1.3)
    if NORMS[norm].learnable:  # move gamma, beta off 1, 0 so their gradients are checked in general position
        params = tuple(p + rng.uniform(-0.5, 0.5, p.shape) if ".norm." in n else p for n, p in zip(net.names, params))
    x = rng.normal(size=(5, 2))
    target = rng.normal(size=(5, 1))
    return net, params, x, target


def _kink_free(net, params, x):
    """No pre-activation within 1e-3 of relu's kink: a 1e-6 step cannot cross it."""
    p = forward(net, params, x)
    return min(np.abs(p.u(j)).min() for j in range(len(net.layers) - 1)) > 1e-3


def _safe_setup(activation, rule, residual, norm):
    for seed in range(200):
        net, params, x, target = _setup(activation, rule, residual, norm, seed)
        if activation not in KINKED or _kink_free(net, params, x):
            return net, params, x, target
    raise AssertionError("no seed keeps relu away from its kink")


def _fd_grad(f, array):
    """Central differences of f() with respect to every entry of ``array``, perturbed in place."""
    g = np.zeros_like(array)
    for idx in np.ndindex(array.shape):
        keep = array[idx]
        array[idx] = keep + H
        up = f()
        array[idx] = keep - H
        down = f()
        array[idx] = keep
        g[idx] = (up - down) / (2 * H)
    return g


def _close(analytic, fd, what):
    # The differences' error is absolute, ~H^2 f''' (the loss's own scale) plus rounding: 1e-8 of
    # the block's largest entry, and 1e-6 relative, is 100x above what they reach.
    np.testing.assert_allclose(analytic, fd, rtol=1e-6, atol=1e-8 * max(1.0, np.abs(fd).max()), err_msg=what)


@pytest.mark.parametrize("activation, rule, residual, norm", COMBOS,
                         ids=[f"{a}-{i}-{'res' if r else 'plain'}-{n}" for a, i, r, n in COMBOS])
def test_every_parameter_gradient_and_signal_matches_finite_differences(activation, rule, residual, norm):
    net, params, x, target = _safe_setup(activation, rule, residual, norm)
    params = tuple(p.copy() for p in params)
    p = forward(net, params, x)
    _, d_out = _loss(p.output, target)
    grads, signals = backward(net, params, p, d_out)
    grads = tuple(g.copy() for g in grads)
    signals = tuple(s.copy() for s in signals)
    assert max(np.abs(g).max() for g in grads[:2]) > 1e-6  # the first layer learns: no check passes on zeros

    def loss():
        return _loss(forward(net, params, x).output, target)[0]

    for name, param, grad in zip(net.names, params, grads):
        _close(grad, _fd_grad(loss, param), name)
    # dL/dh at each hidden layer's output: perturb that output and run the layers above it
    hidden = [forward(net, params, x).buffers[j].h.copy() for j in range(len(net.layers) - 1)]
    for j, h in enumerate(hidden):
        fd = _fd_grad(lambda: _loss(forward(net, params, h, start=j + 1).output, target)[0], h)
        _close(signals[j], fd, f"signal {j}")
    np.testing.assert_array_equal(signals[-1], d_out)


def test_residual_layers_are_the_hidden_ones_of_equal_width():
    net = build(2, 3, 4, "tanh", residual=True)
    assert [layer.residual for layer in net.layers] == [False, True, True, False]
    assert build(2, 2, 2, "tanh", residual=True).layers[0].residual  # input as wide as the layer


def test_names_and_shapes_follow_named_parameters():
    net = build(2, 2, 3, "relu", "layer")
    assert net.names == ("layer1.weight", "layer1.bias", "layer1.norm.gamma", "layer1.norm.beta",
                         "layer2.weight", "layer2.bias", "layer2.norm.gamma", "layer2.norm.beta",
                         "output.weight", "output.bias")
    assert net.shapes == ((3, 2), (3,), (3,), (3,), (3, 3), (3,), (3,), (3,), (1, 3), (1,))


@pytest.mark.parametrize("norm", ["none", "batch", "layer"])
def test_forward_equals_the_layer_written_out_by_hand(norm):
    net = build(2, 1, 2, "tanh", norm, residual=True)  # 2 -> 2: the one hidden layer is residual
    rng = np.random.default_rng(3)
    params = tuple(rng.normal(size=s) for s in net.shapes)
    x = rng.normal(size=(6, 2))
    w, b = params[0], params[1]
    z = x @ w.T + b
    if norm == "none":
        u, (w2, b2) = z, params[2:]
    else:
        gamma, beta, w2, b2 = params[2:]
        axis = 0 if norm == "batch" else 1
        mean = z.mean(axis=axis, keepdims=True)
        var = ((z - mean) ** 2).mean(axis=axis, keepdims=True)
        u = gamma * (z - mean) / np.sqrt(var + 1e-5) + beta
    want = (x + np.tanh(u)) @ w2.T + b2
    np.testing.assert_allclose(forward(net, params, x).output, want, rtol=1e-14, atol=1e-14)


def test_batch_norm_cancels_the_bias_and_frozen_statistics_reproduce_the_batch():
    net = build(2, 2, 4, "tanh", "batch")
    params = init(net, np.random.default_rng(0), "standard")
    x = np.random.default_rng(1).normal(size=(8, 2))
    p = forward(net, params, x)
    grads, _ = backward(net, params, p, np.ones((8, 1)))
    assert np.abs(grads[1]).max() < 1e-15 and np.abs(grads[5]).max() < 1e-15  # layer1.bias, layer2.bias
    assert NORM_EPS == 1e-5
    frozen = norm_statistics(net, p)
    out = p.output.copy()
    np.testing.assert_allclose(forward(net, params, x, frozen=frozen).output, out, rtol=1e-14)
    one = forward(net, params, x[:1], frozen=frozen).output  # evaluation mode: one example alone
    np.testing.assert_allclose(one, out[:1], rtol=1e-14)


def test_inits_draw_the_documented_distributions():
    n = 128
    for rule, bound, std in (("standard", 1 / math.sqrt(n), 1 / math.sqrt(3 * n)),
                             ("xavier", math.sqrt(6 / (2 * n)), math.sqrt(2 / (2 * n))),
                             ("he", None, math.sqrt(2 / n)), ("normal", None, 2.5 / math.sqrt(n))):
        net = build(n, 1, n, "relu")
        w, b = init(net, np.random.default_rng(0), rule, gain=2.5)[:2]
        assert w.std() == pytest.approx(std, rel=0.03), rule  # 16,384 draws: 3% is ~4 standard errors
        assert abs(w.mean()) < 4 * std / n, rule
        if bound:
            assert np.abs(w).max() <= bound and np.abs(w).max() > 0.99 * bound, rule
        if rule == "standard":
            assert 0 < np.abs(b).max() <= bound
        else:
            assert not b.any(), rule


def test_the_same_generator_state_gives_the_same_parameters():
    net = build(2, 3, 5, "gelu", "layer")
    a = init(net, np.random.default_rng(7), "he")
    b = init(net, np.random.default_rng(7), "he")
    assert all(np.array_equal(x, y) for x, y in zip(a, b))


@pytest.mark.parametrize("kwargs, setting", [
    ({"depth": 65}, "depth"), ({"depth": 0}, "depth"), ({"width": 1}, "width"), ({"width": 129}, "width"),
    ({"activation": "swish"}, "activation"), ({"norm": "group"}, "norm"),
])
def test_build_refuses_what_it_cannot_build_and_names_the_setting(kwargs, setting):
    args = {"input_dim": 2, "depth": 2, "width": 4, "activation": "tanh", **kwargs}
    with pytest.raises(ValueError, match=setting):
        build(**args)


@pytest.mark.parametrize("rule, gain, setting", [("glorot", 1.0, "init"), ("normal", 5.0, "gain"),
                                                 ("normal", 0.05, "gain")])
def test_init_refuses_an_unknown_rule_or_a_gain_out_of_range(rule, gain, setting):
    with pytest.raises(ValueError, match=setting):
        init(build(2, 2, 4, "tanh"), np.random.default_rng(0), rule, gain)


def _signal_ratios(activation, rule, gain, depth, width=128, batch=16, scale=1.0):
    """signal(layer l-1) / signal(layer l) for the hidden layers, from a random dL/d(output)."""
    net = build(width, depth, width, activation)
    params = init(net, np.random.default_rng(0), rule, gain)
    x = scale * np.random.default_rng(1).normal(size=(batch, width))
    p = forward(net, params, x)
    _, signals = backward(net, params, p, np.random.default_rng(2).normal(size=(batch, 1)))
    norms = np.array([signal_norm(s) for s in signals[:-1]])
    return norms[:-1] / norms[1:]


def _geometric_mean(r):
    return float(np.exp(np.mean(np.log(r))))


@pytest.mark.parametrize("gain", [0.5, 1.0, 2.0, 4.0])
def test_a_deep_linear_network_scales_the_signal_by_the_gain_each_layer(gain):
    # dh_(l-1) = dh_l W with W ~ N(0, g^2/n): E|v W|^2 = g^2 |v|^2, and log of the ratio has std
    # 1/sqrt(2n) = 6% at n = 128 per layer (the signal is one direction for the whole batch, since the
    # network is linear), so 1.3% over 23 layers: 5% is about 4 standard deviations.
    # Measured: 0.996 g, every layer within [0.85 g, 1.07 g].
    r = _signal_ratios("linear", "normal", gain, depth=24)
    assert _geometric_mean(r) == pytest.approx(gain, rel=0.05)
    assert np.all(np.abs(np.log(r / gain)) < 4 / math.sqrt(2 * 128))


def test_standard_init_shrinks_a_near_linear_tanh_signal_by_sqrt_one_third():
    # fan_in Var(W) = fan_in (1/sqrt(fan_in))^2 / 3 = 1/3 (Glorot and Bengio, 2010), and tanh' ~ 1 on
    # inputs of size 0.01; same statistics as above, so 5% is ~4 standard deviations.
    # Measured: 0.5759 = 0.997 sqrt(1/3).
    r = _signal_ratios("tanh", "standard", 1.0, depth=24, scale=0.01)
    assert _geometric_mean(r) == pytest.approx(math.sqrt(1 / 3), rel=0.05)


@pytest.mark.parametrize("residual", [False, True])
def test_a_pass_made_for_it_carries_the_signal_down_to_the_input(residual):
    # what a generator learns from: dL/dx of the discriminator, against differences in x
    net = build(3, 2, 3, "gelu", residual=residual)  # 3 -> 3: residual from the first layer on
    rng = np.random.default_rng(4)
    params = init(net, rng, "normal", gain=1.3)
    x, target = rng.normal(size=(5, 3)), rng.normal(size=(5, 1))
    p = forward(net, params, x, input_grad=True)
    backward(net, params, p, _loss(p.output, target)[1])
    assert p.d_input.shape == x.shape
    _close(p.d_input.copy(), _fd_grad(lambda: _loss(forward(net, params, x).output, target)[0], x), "dL/dx")
    plain = forward(net, params, x)
    backward(net, params, plain, _loss(plain.output, target)[1])
    assert plain.d_input is None  # no pass asked for it pays for it


def test_signals_alone_are_the_signals_of_the_full_backward():
    net = build(2, 2, 4, "tanh")
    params = init(net, np.random.default_rng(0))
    x, d_out = np.random.default_rng(1).normal(size=(6, 2)), np.random.default_rng(2).normal(size=(6, 1))
    full = forward(net, params, x, input_grad=True)
    _, signals = backward(net, params, full, d_out)
    alone = forward(net, params, x, input_grad=True)
    grads, only = backward(net, params, alone, d_out, param_grads=False)
    assert grads is None and all(np.array_equal(a, b) for a, b in zip(signals, only))
    assert np.array_equal(alone.d_input, full.d_input)
