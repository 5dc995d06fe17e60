"""Each method's update map at an equilibrium against central differences of its own step function
(through METHODS[...].step and the PointField adapter, the memory stacked with the point), and the
flow's against differences of the flow runner itself."""

import numpy as np
import pytest

from gradient_flow.losses.analysis import stationary_points
from gradient_flow.losses.catalog import custom_game
from gradient_flow.losses.compiled import Compiled, Problem
from gradient_flow.losses.dynamics import METHODS, PointField, rates, trajectory
from gradient_flow.losses.stability import offered, spectral_radius

# a general-sum pair with a rotating, non-symmetric J at two equilibria, one attracting, one a saddle
GAME = custom_game("x*y + 0.3*x^2 + sin(x) - 0.4*x", "pair", "-x*y + 0.5*y^2 + 0.2*y^3 + x^2*y")
COMPILED = Compiled(Problem.of(GAME))
EQUILIBRIA = [s.point for s in stationary_points(COMPILED, ((-2, 2), (-2, 2)))]
OPTIONS = {"gd": {"lr_ratio": 2.5}, "alternating": {"lr_ratio": 0.5, "y_steps": 3}, "momentum": {"beta": 0.7},
           "consensus": {"consensus": 1.3}, "extragradient": {}, "optimistic": {}}
# the memory a method keeps, stacked after the point: momentum's m, optimistic's previous gradient
MEMORY = {"momentum", "optimistic"}


def step_map(name, opts, lr):
    """The method's update as a map of its whole state (the point, then any memory)."""
    method, field = METHODS[name], PointField(COMPILED)
    lrs = rates(field, lr, method.resolve(opts))

    def update(state):
        p = (float(state[0]), float(state[1]))
        mem = (float(state[2]), float(state[3])) if name in MEMORY else None
        q, mem = method.step(field, p, field.grad(p), lrs, mem, method.resolve(opts))
        return np.array([*q, *(mem if name in MEMORY else ())])

    return update


def differences(f, s, h=1e-6):
    return np.column_stack([(f(s + h * e) - f(s - h * e)) / (2 * h) for e in np.eye(len(s))])


def test_the_game_has_the_two_equilibria_it_is_meant_to():
    assert len(EQUILIBRIA) == 2 and all(np.hypot(*COMPILED.grad(*p)) < 1e-12 for p in EQUILIBRIA)


@pytest.mark.parametrize("point", EQUILIBRIA, ids=["attracting", "saddle"])
@pytest.mark.parametrize("name", list(OPTIONS))
@pytest.mark.parametrize("lr", [0.05, 0.3])
def test_update_map_is_the_step_functions_derivative(name, point, lr):
    opts = OPTIONS[name]
    rest = np.zeros(2) if name in MEMORY else np.zeros(0)  # at rest: no momentum, the gradient there is 0
    state = np.array([*point, *rest])
    expected = differences(step_map(name, opts, lr), state)
    method = METHODS[name]
    m = method.update_map(COMPILED.jacobian_at(*point), lr, method.resolve(opts))
    assert m.shape == expected.shape
    assert m == pytest.approx(expected, abs=1e-7)


def test_update_maps_broadcast_over_a_sweep_of_rates_and_options():
    j = COMPILED.jacobian_at(*EQUILIBRIA[0])
    lrs, betas = np.array([[0.05, 0.3]]), np.array([[0.2], [0.7]])
    batch = METHODS["momentum"].update_map(np.broadcast_to(j, (2, 2, 2, 2)), lrs, {"beta": betas})
    for i, j_ in np.ndindex(2, 2):
        one = METHODS["momentum"].update_map(j, float(lrs[0, j_]), {"beta": float(betas[i, 0])})
        assert batch[i, j_] == pytest.approx(one, abs=1e-15)
    ks = np.array([1, 2, 3])
    steps = METHODS["alternating"].update_map(np.broadcast_to(j, (3, 2, 2)), 0.1, {"lr_ratio": 1.0, "y_steps": ks})
    for k in ks:
        one = METHODS["alternating"].update_map(j, 0.1, {"lr_ratio": 1.0, "y_steps": int(k)})
        assert steps[k - 1] == pytest.approx(one, abs=1e-15)
    assert spectral_radius(steps).shape == (3,)


@pytest.mark.parametrize("lr", [0.05, 0.5])
def test_the_flows_map_is_the_flow_runners_derivative(lr):
    point, h = np.array(EQUILIBRIA[0]), 1e-3  # the integrator's rtol 1e-9 over 2h stays below 1e-6

    def sample(p):
        return np.array(trajectory(METHODS["flow"], COMPILED, tuple(p), lr, 1)["points"][1])

    m = METHODS["flow"].update_map(COMPILED.jacobian_at(*point), lr, {})
    assert m == pytest.approx(differences(sample, point, h), abs=1e-6)


def test_adam_has_no_update_map_and_says_why():
    assert METHODS["adam"].update_jacobian is None
    with pytest.raises(ValueError, match="not differentiable"):
        offered(METHODS["adam"])
