"""Convergence maps: every cell classed exactly as its own trajectory is (status and steps), on
losses and methods that reach every status, with frozen cells, bounds, a budget and the grid's
orientation checked too."""

import math

import numpy as np
import pytest
import sympy

from gradient_flow.losses.basins import basins
from gradient_flow.losses.catalog import CATALOG, custom_game
from gradient_flow.losses.compiled import Compiled, Problem
from gradient_flow.losses.dynamics import METHODS, trajectory
from gradient_flow.losses.game import MINIMIZE, Game, X, Y

CASES = [  # (loss or game, params, method, options, lr, steps, view): together they reach every status
    ("dirac-gan", {"gamma": 0.5}, "gd", {}, 0.1, 800, ((-2, 2), (-2, 2))),
    ("toy-discriminator", {}, "gd", {}, 0.85, 300, ((-1, 3), (-2.5, 1.5))),  # |1 - 0.85 * 2.5| > 1: diverged
    ("toy-discriminator", {}, "adam", {"beta1": 0.5, "eps": 1e-3}, 0.1, 400, ((-1, 3), (-2.5, 1.5))),
    ("gan-saturating", {"k": 12.0}, "gd", {}, 0.1, 200, ((-3, 3), (-3, 3))),  # stalled on the plateau
    ("dirac-wgan", {}, "alternating", {"y_steps": 2, "lr_ratio": 1.5}, 0.1, 300, ((-2, 2), (-2, 2))),
    ("bilinear-game", {}, "extragradient", {}, 0.3, 400, ((-2, 2), (-2, 2))),
    ("dirac-nsgan", {"gamma": 0.2}, "consensus", {"consensus": 1.0}, 0.2, 600, ((-2, 2), (-2, 2))),
    ("dirac-gan", {"gamma": 1.0}, "momentum", {"beta": 0.5}, 0.2, 500, ((-2, 2), (-2, 2))),
    ("dirac-gan", {"gamma": 1.0}, "optimistic", {}, 0.2, 500, ((-2, 2), (-2, 2))),
    ("log", {}, "gd", {}, 0.6, 50, ((0.1, 2), (-1, 1))),  # leaves log's domain: diverged at a finite v
]
LOG = Game("log", "log", MINIMIZE, sympy.log(X) + Y**2)


def problem(loss, params):
    return Compiled(Problem.of(LOG if loss == "log" else CATALOG[loss], params))


def grid(view, nx=9, ny=11):
    (x0, x1), (y0, y1) = view
    return np.linspace(x0, x1, nx), np.linspace(y0, y1, ny)


@pytest.mark.parametrize("case", CASES, ids=[f"{c[0]}-{c[2]}" for c in CASES])
def test_every_cell_is_what_its_trajectory_says(case):
    loss, params, name, opts, lr, steps, view = case
    c, method = problem(loss, params), METHODS[name]
    xs, ys = grid(view)
    body = basins(method, c, xs, ys, lr, steps, opts, equilibria=[(0.0, 0.0)])
    assert not body["truncated"] and np.shape(body["status"]) == np.shape(body["steps"]) == (len(ys), len(xs))
    rng = np.random.default_rng(3)
    for i, j in zip(rng.integers(len(ys), size=25), rng.integers(len(xs), size=25)):
        run = trajectory(method, c, (xs[j], ys[i]), lr, steps, opts, budget_s=30)
        assert (body["status"][i][j], body["steps"][i, j]) == (run["status"], len(run["points"]) - 1), (i, j)
        end = run["points"][-1]
        if all(map(math.isfinite, end)):  # a stopped cell is frozen where its run stopped
            assert body["distance"][i, j] == pytest.approx(math.hypot(*end), rel=1e-9, abs=1e-12)


def test_the_cases_reach_every_status_a_run_can_end_with():
    seen = set()
    for loss, params, name, opts, lr, steps, view in CASES:
        body = basins(METHODS[name], problem(loss, params), *grid(view, 7, 7), lr, steps, opts)
        seen |= {s for row in body["status"] for s in row}
    assert seen == {"converged", "stalled", "diverged", "max_steps"}


def test_row_i_is_y_i_and_column_j_is_x_j():
    # gd on the toy loss from (x, y) with lr 0.1 for one step: converged only where it starts at the minimum
    xs, ys = np.array([0.0, 1.2, 2.0]), np.array([-0.8, 0.0, 0.5, 1.0])
    body = basins(METHODS["gd"], problem("toy-discriminator", {}), xs, ys, 0.1, 1, equilibria=[(1.2, -0.8)])
    assert body["status"][0][1] == "converged" and body["steps"][0, 1] == 0
    assert sum(s == "converged" for row in body["status"] for s in row) == 1
    assert body["distance"][3, 2] == pytest.approx(math.dist(trajectory(METHODS["gd"], problem("toy-discriminator", {}),
                                                                         (2.0, 1.0), 0.1, 1)["points"][-1], (1.2, -0.8)))


def test_bounds_are_held_on_the_grid_too():
    body = basins(METHODS["gd"], problem("dirac-wgan", {"clip": 0.5}), *grid(((-2, 2), (-2, 2)), 5, 5), 0.1, 10)
    assert body["bounds"] == [[-math.inf, math.inf], [-0.5, 0.5]]


def test_a_map_cut_short_by_its_budget_says_so():
    xs, ys = grid(((-2, 2), (-2, 2)), 5, 5)
    body = basins(METHODS["gd"], problem("dirac-gan", {}), xs, ys, 0.1, 2000, budget_s=0.0)
    assert body["truncated"] is True
    statuses = [s for row in body["status"] for s in row]
    assert statuses.count("converged") == 1 and statuses.count("time_limit") == 24  # (0, 0) stopped at step 0


def test_no_known_equilibrium_means_no_distance():
    body = basins(METHODS["gd"], problem("dirac-gan", {}), *grid(((-2, 2), (-2, 2)), 3, 3), 0.1, 5)
    assert np.all(np.isnan(body["distance"]))


def test_the_flow_cannot_draw_a_map():
    with pytest.raises(ValueError, match="adaptively"):
        basins(METHODS["flow"], problem("dirac-gan", {}), [0.0, 1.0], [0.0, 1.0], 0.1, 10)


def test_a_pair_typed_in_runs_on_the_grid_as_its_trajectory_does():
    c = Compiled(Problem.of(custom_game("softplus(x*y)", "pair", "softplus(-x*y) + 0.3y^2")))
    xs, ys = grid(((-2, 2), (-2, 2)), 5, 5)
    body = basins(METHODS["gd"], c, xs, ys, 0.2, 400)
    for i, j in [(0, 0), (1, 3), (4, 2)]:
        run = trajectory(METHODS["gd"], c, (xs[j], ys[i]), 0.2, 400)
        assert (body["status"][i][j], body["steps"][i, j]) == (run["status"], len(run["points"]) - 1)
