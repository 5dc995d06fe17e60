"""Stationary points of the vector field v, with their type and eigenvalues.

A stationary point is where v = (df_x/dx, df_y/dy) vanishes: a critical point of L for
a plain loss, a candidate equilibrium for a game. Two ways to find them, within one
wall-clock budget (the search only: lambdify runs first, and is cached on the Compiled):

* **symbolic**, only when provably cheap. ``sympy.solve`` can take minutes on two generic
  conics (measured: 18-34 s), and a thread cannot be killed, so rather than bound solve we
  admit only systems whose cost is bounded in advance: both components polynomial with a
  Bezout bound deg(v_x) * deg(v_y) <= 9. Exact resultants then eliminate y, and x, and
  exact real-root isolation of each (degree <= 9, well under 0.2 s) lists every real x and
  every real y a solution can have; the pairs that satisfy both equations are the solutions.
  The list is complete. Both resultants are nonzero exactly when v_x and v_y share no
  factor, i.e. when the solutions are isolated; a curve of them goes to the numeric search.
  The deadline (half the budget) is checked between stages.
* **numeric** otherwise: damped Newton on v, seeded first from the local minima of |v| on an
  81 x 81 grid (every isolated zero of v is one, so a seed starts inside even a tiny basin),
  then from a 12 x 12 grid over the view. The deadline is checked before every iteration,
  in this thread, so nothing runs after the budget: a late answer is a shorter list.

A point counts only if Newton *converged* there (|v| < 1e-9 per unit of gradient scale, since
scaling L moves no stationary point, with a tiny full Newton step), |v| a pixel away exceeds
that tolerance (else the field is flat there: a region, not a point), and v near it matches
its Jacobian (central differences). A small |v| alone is not enough: the saturated plateau of
a GAN generator loss and the tail of a Gaussian have |v| ~ 1e-16 or less and no zero, and at
the tip of a cone v has a different limit in every direction. The same tests apply to the
symbolic solutions. Points within 1/1000 of the view (a pixel) are one. A symbolic list is complete:
every isolated real solution, however far from the view (Newton polishes each within a window that
holds them all); a numeric search stays in the view widened by 50% and says so (:class:`Search`).
At most 25 points, nearest the centre, are returned.

The type comes from the eigenvalues of the Jacobian J of v, read by a rule per kind
(:data:`RULES`; another kind gets the game rule, which holds for any vector field). For a
loss J is the Hessian and the second-derivative test names minimum, maximum or saddle. For
a game what matters is simultaneous gradient descent p <- p - lr v, which multiplies each
eigen-direction by 1 - lr lambda: that shrinks for a small lr exactly when Re lambda > 0
(attracting), grows at every lr when Re lambda < 0 (repelling), and for purely imaginary
lambda has modulus sqrt(1 + lr^2 |lambda|^2) > 1, a slow outward spiral (rotational: the
cycling of the unregularised Dirac-GAN, Mescheder et al. 2017, 2018). Precedence for mixed
cases: any lambda ~ 0 is degenerate (the linearisation is silent); then any Re lambda < 0
is repelling even if another mode rotates; then any Re lambda ~ 0 is rotational even if
another attracts, since descent still drifts out along that mode. "~ 0" is below 1e-9 of
the largest |lambda| and of the gradient scale (so a J that is 0 up to rounding counts).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, replace
from typing import Callable

import numpy as np
import sympy

from .compiled import Compiled
from .game import GAME, MINIMIZE, X, Y

SYMBOLIC, NUMERIC = "symbolic", "numeric"
TYPES = {  # type -> meaning, for people: minimum, maximum, saddle for a loss; the last three for a game
    "minimum": "The loss curves upward in every direction: gradient descent with a small enough step settles here.",
    "maximum": "The loss curves downward in every direction: gradient descent runs away from it.",
    "saddle": "The gradient is zero but the loss curves up one way and down the other, so descent slides off "
              "downhill.",
    "degenerate": "The Jacobian has a zero eigenvalue, so the linear picture cannot tell what happens: the landscape "
                  "or game is flat in some direction.",
    "attracting": "Every eigenvalue has a positive real part: simultaneous gradient descent converges here for a "
                  "small enough learning rate.",
    "repelling": "Some eigenvalue has a negative real part: simultaneous gradient descent is pushed away from here "
                 "at any learning rate.",
    "rotational": "The eigenvalues are purely imaginary: the players circle each other and simultaneous gradient "
                  "descent spirals slowly outward at any learning rate, as an unregularised GAN does.",
    "curve": "Every point along a curve through here is stationary, not this point alone (a flat valley floor, "
             "ridge or line of equilibria): descent stops wherever it meets the curve.",
}
CURVE = "curve"
MAX_CURVE_MARKS = 4  # stationary curves marked, one mark each
CURVE_NEWTON_STEPS = 8
CURVE_MARK_GAP = 0.25  # of the view size: marks on one curved curve stay this far apart
CURVE_CHECK_S = 0.1  # past the search's budget, for telling curves from points among what it found
CURVE_STEP = 0.05  # of the view size: a step of the walk along a curve of zeros
CURVE_WALK = 100  # steps each way: five view sizes of curve

BEZOUT_MAX = 9  # deg(v_x) * deg(v_y): at most 9 isolated solutions and resultants of degree <= 9
MAX_POINTS = 25
SEEDS = 12  # per axis, the coarse grid over the view
FINE = 81  # the fine grid over the window whose local minima of |v| seed Newton first, per axis
NEWTON_ITERATIONS = 100  # enough for a double root, where Newton converges only linearly
V_TOL = 1e-9  # |v| per unit of gradient scale
STEP_TOL = 1e-12  # final full Newton step, per unit of view size
EIG_TOL = 1e-9  # |lambda| ~ 0, relative
MERGE = 1e-3  # of the view size: a pixel
WIDEN = 0.25  # each side, so the view widened by 50%
PAIR_TOL = 1e-8  # |p(x, y)| relative to the sum of |terms|, to pair resultant roots


@dataclass(frozen=True)
class StationaryPoint:
    point: tuple[float, float]
    type: str
    eigenvalues: tuple[complex, ...]
    method: str  # SYMBOLIC: the list is complete; NUMERIC: found by search, some may be missed
    label: str  # what the plot writes beside it: "minimum", "rotational equilibrium"

    def to_json(self) -> dict:
        return {
            "point": [float(self.point[0]), float(self.point[1])],
            "type": self.type,
            "eigenvalues": [[float(lam.real), float(lam.imag)] for lam in self.eigenvalues],
            "method": self.method,
            "meaning": TYPES[self.type],
            "label": self.label,
        }


def _curvature_type(lams: np.ndarray, tol: float) -> str:
    """The second-derivative test; a zero curvature leaves it undecided."""
    re = lams.real
    if np.any(np.abs(re) <= tol):
        return "degenerate"
    return "minimum" if np.all(re > 0) else "maximum" if np.all(re < 0) else "saddle"


def _dynamics_type(lams: np.ndarray, tol: float) -> str:
    """What simultaneous gradient descent does near the point, for a small learning rate."""
    if np.any(np.abs(lams) <= tol):
        return "degenerate"
    if np.any(lams.real < -tol):
        return "repelling"
    return "rotational" if np.any(np.abs(lams.real) <= tol) else "attracting"


def _hessian_eigenvalues(jac: np.ndarray) -> np.ndarray:
    # The Hessian is symmetric; symmetrising removes rounding between the two mixed partials
    # so the eigenvalues come out exactly real.
    return np.linalg.eigvalsh((jac + jac.T) / 2).astype(complex)


@dataclass(frozen=True)
class Rule:
    eigenvalues: Callable[[np.ndarray], np.ndarray]
    classify: Callable[[np.ndarray, float], str]


RULES = {
    MINIMIZE: Rule(_hessian_eigenvalues, _curvature_type),
    GAME: Rule(lambda jac: np.linalg.eigvals(jac).astype(complex), _dynamics_type),
}


@dataclass(frozen=True)
class Search:
    """What a search found and how far it can be trusted.

    ``complete`` is true only for the symbolic method, whose list holds every isolated real stationary
    point however far from the view (the nearest MAX_POINTS to the view's centre, if there are more);
    a numeric search says which ``region`` it searched, and ``truncated`` says the time budget ran out
    before every seed was tried (such an answer must not be cached)."""

    points: list[StationaryPoint]
    method: str
    region: tuple[tuple[float, float], tuple[float, float]]
    truncated: bool = False

    @property
    def complete(self) -> bool:
        return self.method == SYMBOLIC and not self.truncated

    def to_json(self) -> dict:
        return {"method": self.method, "complete": self.complete, "truncated": self.truncated,
                "region": None if self.complete else [list(self.region[0]), list(self.region[1])]}


def stationary_points(compiled: Compiled, view=None, budget_s: float = 1.0) -> list[StationaryPoint]:
    """The points of :func:`search`."""
    return search(compiled, view, budget_s).points


def search(compiled: Compiled, view=None, budget_s: float = 1.0) -> Search:
    """Symbolic when provably cheap, numeric otherwise; never works past ``budget_s`` (one iteration at most).

    Raises TooComplex for a field too big to differentiate exactly: a type read from an approximate
    Jacobian would be a guess."""
    if not compiled.shared.exact_jacobian:
        raise compiled.shared.too_complex("the search for stationary points")
    (x0, x1), (y0, y1) = view or compiled.problem.game.view
    size = max(x1 - x0, y1 - y0)
    wx, wy = WIDEN * (x1 - x0), WIDEN * (y1 - y0)
    window = ((x0 - wx, x1 + wx), (y0 - wy, y1 + wy))
    compiled.field(x0, y0), compiled.grad(x0, y0), compiled.jacobian_at(x0, y0)  # compile (cached) before the clock
    start = time.monotonic()
    candidates, method = _symbolic(compiled.v, start + budget_s / 2), SYMBOLIC
    if candidates is None:
        candidates, method = _valleys(compiled, window) + _grid((x0, x1), (y0, y1)), NUMERIC
    else:  # every real solution, wherever it lies: Newton only polishes them, within their own bounds
        window = _enclosing(window, candidates)
    scale = abs(compiled.problem.scale) or 1.0
    found: list[tuple[float, float]] = []  # also what later seeds are deduplicated against
    tried = 0
    for seed in candidates:
        if time.monotonic() > start + budget_s:
            break
        tried += 1
        p = _newton(compiled, seed, V_TOL * scale, size, window, start + budget_s, found)
        if p is not None and _genuine(compiled, p, V_TOL * scale, size):
            found.append(p)
    truncated = tried < len(candidates) or time.monotonic() > start + budget_s
    centre = ((x0 + x1) / 2, (y0 + y1) / 2)
    rule = RULES.get(compiled.problem.game.kind, RULES[GAME])
    # Newton lands anywhere on a curve of zeros (x^2 is stationary all along x = 0): one mark per
    # curve says "a curve through here", where 25 scattered points would each claim to be one.
    isolated, marks = [], []  # marks: (point, the path traced along its curve)
    curve_deadline = time.monotonic() + CURVE_CHECK_S if truncated else start + budget_s + CURVE_CHECK_S
    for p in sorted(found, key=lambda p: math.dist(p, centre)):
        if time.monotonic() > curve_deadline:
            truncated = True  # not told apart in time: left out rather than called isolated points
            break
        if not _on_curve(compiled, p, V_TOL * scale, size, window, curve_deadline):
            isolated.append(p)
        elif len(marks) < MAX_CURVE_MARKS and not any(_same_curve(compiled, p, m, V_TOL * scale, size) for m in marks):
            marks.append((p, _trace(compiled, p, V_TOL * scale, size, curve_deadline)))
    marks = [m for m, _ in marks]
    classified = [_classify(compiled, p, rule, method, scale) for p in sorted(isolated[:MAX_POINTS])]
    curves = [replace(s, type=CURVE, label=compiled.problem.game.kind.curve_label)
              for s in (_classify(compiled, p, rule, method, scale) for p in sorted(marks)) if s is not None]
    points = [s for s in classified if s is not None] + curves
    return Search(points, method, window, truncated)


def _enclosing(window, points) -> tuple[tuple[float, float], tuple[float, float]]:
    """The window widened to hold every point, with a margin, so a far solution is polished, not dropped."""
    (x0, x1), (y0, y1) = window
    xs = [x0, x1, *(p[0] for p in points)]
    ys = [y0, y1, *(p[1] for p in points)]
    pad = 0.01 * max(max(xs) - min(xs), max(ys) - min(ys), 1.0)
    return (min(xs) - pad, max(xs) + pad), (min(ys) - pad, max(ys) + pad)


def _same_curve(compiled, p, mark, tol_v: float, size: float) -> bool:
    """Whether p lies on the curve of zeros already marked at ``mark`` (its point and traced path):
    close to it, with v zero at the quarters of the chord between, or near the path traced along it.

    Three points, not the midpoint alone: (x^2 - 1)^2 is stationary on x = -1, 0 and 1, and the
    midpoint of (-1, 0) and (1, 0) lies on the middle line. A curved curve (the circle of
    (x^2 + y^2 - 1)^2) has no straight chord on it: the path traced along it (:func:`_trace`) joins them."""
    q, path = mark
    if math.dist(p, q) < CURVE_MARK_GAP * size:
        return True
    if all(math.hypot(*compiled.grad(p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1]))) <= tol_v
           for t in (0.25, 0.5, 0.75)):
        return True
    return len(path) > 0 and float(np.min(np.hypot(path[:, 0] - p[0], path[:, 1] - p[1]))) < 2 * CURVE_STEP * size


def _null_direction(jac: np.ndarray):
    """The unit direction J does not move along (the curve's tangent), or None where J is not rank 1."""
    if not np.all(np.isfinite(jac)):
        return None
    _, sigma, vt = np.linalg.svd(jac)
    return vt[-1] if sigma[-1] <= 1e-6 * max(float(sigma[0]), 1e-300) else None


def _trace(compiled, p, tol_v: float, size: float, deadline: float) -> np.ndarray:
    """Points along the curve of zeros through p, both ways, in steps of CURVE_STEP of the view: each a
    step along the tangent, then back onto the curve by least-squares Newton. A way ends where the
    curve is lost, where it closes on itself, after CURVE_WALK steps, or at the deadline."""
    h, out = CURVE_STEP * size, []
    for sign in (1.0, -1.0):
        x = np.array(p, dtype=float)
        tangent = _null_direction(compiled.jacobian_at(*x))
        if tangent is None:
            break
        tangent = sign * tangent
        for k in range(CURVE_WALK):
            if time.monotonic() > deadline:
                break
            y = x + h * tangent
            for _ in range(3):
                g, jac = np.array(compiled.grad(*y)), compiled.jacobian_at(*y)
                if not (np.all(np.isfinite(g)) and np.all(np.isfinite(jac))):
                    break
                y = y - np.linalg.lstsq(jac, g, rcond=1e-9)[0]
            turn = _null_direction(compiled.jacobian_at(*y))
            if not math.hypot(*compiled.grad(*y)) <= 100 * tol_v or turn is None:  # off the curve, or NaN
                break
            out.append(y)
            if k > 2 and math.dist(y, p) < h / 2:
                break  # round a closed curve and back
            tangent = turn if float(turn @ tangent) >= 0 else -turn
            x = y
    return np.array(out).reshape(-1, 2)


def _on_curve(compiled, p, tol_v: float, size: float, window, deadline: float) -> bool:
    """Whether p lies on a curve of zeros: a pixel along J's null direction, Newton finds another zero.

    On a line of zeros v stays 0 along it; on a curved one (the circle of (x^2 + y^2 - 1)^2, the
    hyperbola x y^8 = 1 of the deep chain without decay) the step leaves the curve by a pixel
    squared and Newton steps straight back onto it, a pixel from p. An isolated degenerate zero
    (x^4 + y^2 at the origin) has a null direction too, but Newton from there returns to p, or
    creeps back toward p (x shrinks by a third a step: after eight it is within a pixel/20 of p)."""
    jac = compiled.jacobian_at(*p)
    if not np.all(np.isfinite(jac)):
        return False
    _, sigma, vt = np.linalg.svd(jac)
    if sigma[-1] > EIG_TOL * max(float(sigma[0]), 1.0):
        return False
    n, pixel = vt[-1], MERGE * size
    x, y = p[0] + pixel * n[0], p[1] + pixel * n[1]
    for _ in range(CURVE_NEWTON_STEPS):  # plain steps: :func:`_newton` certifies points, not curves
        g = compiled.grad(x, y)
        if not math.hypot(*g) > tol_v or time.monotonic() > deadline:  # NaN stops too
            break
        jac = compiled.jacobian_at(x, y)
        if not np.all(np.isfinite(jac)):
            return False
        step = np.linalg.lstsq(jac, np.array(g), rcond=1e-9)[0]  # min-norm: J is (nearly) singular here
        x, y = x - float(step[0]), y - float(step[1])
    return math.hypot(*compiled.grad(x, y)) <= tol_v and math.dist(p, (x, y)) > pixel / 2


def _classify(compiled, p, rule: Rule, method: str, scale: float) -> StationaryPoint | None:
    jac = compiled.jacobian_at(*p)
    if not np.all(np.isfinite(jac)):
        return None
    lams = rule.eigenvalues(jac)
    tol = EIG_TOL * max(float(np.max(np.abs(lams))), scale)
    lams = sorted(lams, key=lambda z: (z.real, z.imag))
    type_ = rule.classify(np.array(lams), tol)
    label = compiled.problem.game.kind.label(type_)
    return StationaryPoint(p, type_, tuple(complex(z) for z in lams), method, label)


# -- numeric ------------------------------------------------------------------------------------
def _valleys(compiled, window) -> list[tuple[float, float]]:
    """Local minima of |v| on a fine grid over the window, lowest first; flat stretches are none.

    Around the minimum of a saturating generator loss Newton's basin is a fraction of a cell of
    the coarse grid: from farther out it slides down the plateau, where |v| also falls to 0.
    """
    xs, ys = np.linspace(*window[0], FINE), np.linspace(*window[1], FINE)
    _, gx, gy = compiled.field(xs[None, :], ys[:, None])
    m = np.where(np.isfinite(gx) & np.isfinite(gy), np.hypot(gx, gy), np.inf)
    centre = m[1:-1, 1:-1]
    around = [m[1 + di:FINE - 1 + di, 1 + dj:FINE - 1 + dj] for di in (-1, 0, 1) for dj in (-1, 0, 1) if di or dj]
    low = (np.isfinite(centre) & np.all([centre <= a for a in around], axis=0)
           & np.any([centre < a for a in around], axis=0))
    rows, cols = np.nonzero(low)
    order = np.argsort(centre[rows, cols], kind="stable")
    return [(float(xs[cols[k] + 1]), float(ys[rows[k] + 1])) for k in order]


def _grid(xr, yr) -> list[tuple[float, float]]:
    """Cell centres of a SEEDS x SEEDS grid, in a fixed scattered order so any prefix covers the view."""
    xs = np.linspace(*xr, 2 * SEEDS + 1)[1::2]
    ys = np.linspace(*yr, 2 * SEEDS + 1)[1::2]
    grid = [(float(x), float(y)) for x in xs for y in ys]
    return [grid[i] for i in np.random.default_rng(0).permutation(len(grid))]


def _newton(compiled, p, tol_v: float, size: float, window, deadline: float, known=()):
    """The point Newton's method converges to from p (|v| = 0, or |v| < tol_v with a tiny full
    step of a consistent J s = v), or None.

    Steps are halved until |v| decreases. A seed is given up, to save the budget, on the first
    sign that it leads nowhere new: a non-finite value; the deadline; leaving the window; a
    pixel from a ``known`` point (most of the cost at a degenerate zero, where Newton is only
    linear); no step decreasing |v|; |v| falling < 10% in ten steps (crawling along a curved
    valley of |v|; at a degenerate zero it falls by 2/3 a step); |v| negligible yet the zero
    Newton predicts a pixel away or more (a plateau or a tail, which :func:`_genuine` would
    reject anyway).
    """
    (x0, x1), (y0, y1) = window
    x, y = p
    g = compiled.grad(x, y)
    norms = [math.hypot(*g)]
    for _ in range(NEWTON_ITERATIONS):
        norm = norms[-1]
        if (not math.isfinite(norm) or time.monotonic() > deadline or not (x0 <= x <= x1 and y0 <= y <= y1)
                or any(math.dist((x, y), q) <= MERGE * size for q in known)):
            return None
        if norm == 0:
            return (x, y)
        jac = compiled.jacobian_at(x, y)
        if not np.all(np.isfinite(jac)):
            return None
        step = _newton_step(jac, np.array(g))
        length = math.hypot(*step)
        if norm < tol_v and length <= STEP_TOL * size and np.linalg.norm(jac @ step - g) <= 1e-6 * norm:
            return (x - float(step[0]), y - float(step[1]))  # the last step is the most accurate one
        if (norm < tol_v and length > MERGE * size) or (len(norms) > 10 and norm > 0.9 * norms[-11]):
            return None
        t = 1.0
        while True:
            x_next, y_next = x - t * float(step[0]), y - t * float(step[1])
            g_next = compiled.grad(x_next, y_next)
            if math.hypot(*g_next) < norm:  # False for NaN
                break
            t /= 2
            if t < 1e-3:
                return None
        x, y, g = x_next, y_next, g_next
        norms.append(math.hypot(*g))
    return None


def _newton_step(jac: np.ndarray, g: np.ndarray) -> np.ndarray:
    """J^-1 v by Cramer's rule: exact for J = diag(1e-16, 1), where lstsq truncates, and a tenth of
    np.linalg.solve's cost. A singular J gets the least-squares step, along a curve of zeros.
    Both sides are divided by the largest entry of J first, so that a J of size 1e-160 (the far
    tail of a Gaussian) does not underflow the determinant into a spurious, tiny step."""
    m = float(np.max(np.abs(jac)))
    if m == 0:
        return np.zeros(2)
    (a, b), (c, d) = jac / m
    u, w = g[0] / m, g[1] / m
    det = a * d - b * c
    if det != 0:
        step = np.array([d * u - b * w, a * w - c * u]) / det
        if np.all(np.isfinite(step)):
            return step
    return np.linalg.lstsq(jac / m, np.array([u, w]), rcond=None)[0]


def _genuine(compiled, p, tol_v: float, size: float) -> bool:
    """Whether p is a point the picture can show and the type can read.

    A pixel away, along some axis, |v| must exceed the tolerance that counts as zero: else v is
    flat to within that tolerance all around (the far tail of a Gaussian, an underflowed
    region), a region, not a point. And v near p must be what its Jacobian predicts (central
    differences along each axis): at the tip of a cone v passes the Newton test at rounding
    level, but its linearisation, which the type reads, is meaningless.
    """
    pixel = MERGE * size
    around = [compiled.grad(p[0] + dx, p[1] + dy) for dx, dy in ((pixel, 0), (-pixel, 0), (0, pixel), (0, -pixel))]
    if not max(math.hypot(*g) for g in around) > tol_v:  # NaN fails
        return False
    jac, h = compiled.jacobian_at(*p), 1e-6 * size
    near = [compiled.grad(p[0] + dx, p[1] + dy) for dx, dy in ((h, 0.0), (-h, 0.0), (0.0, h), (0.0, -h))]
    for column, (ahead, behind) in enumerate((near[:2], near[2:])):
        slope = np.subtract(ahead, behind) / 2
        expected = h * jac[:, column]
        if not np.linalg.norm(slope - expected) <= 1e-2 * np.linalg.norm(expected) + tol_v:  # NaN fails
            return False
    return True


# -- symbolic -----------------------------------------------------------------------------------
def _degree(expr: sympy.Expr) -> int | None:
    """An upper bound on the total degree in x, y without expanding; None if not a polynomial."""
    if expr in (X, Y):
        return 1
    if expr.is_number:
        return 0
    if expr.is_Add or expr.is_Mul:
        degrees = [_degree(a) for a in expr.args]
        return None if None in degrees else (max if expr.is_Add else sum)(degrees)
    if expr.is_Pow and expr.exp.is_Integer and expr.exp >= 0:
        d = _degree(expr.base)
        return None if d is None else d * int(expr.exp)
    return None


def _rational_poly(expr: sympy.Expr, gens) -> sympy.Poly:
    """expr as a polynomial over QQ; decimal coefficients (0.5, 0.001) become the fractions they name."""
    poly = sympy.Poly(expr, *gens)
    if poly.domain.is_ZZ or poly.domain.is_QQ:
        return poly
    terms = {m: sympy.Rational(repr(float(c))) for m, c in poly.terms()}  # TypeError if complex
    return sympy.Poly.from_dict(terms, *gens, domain=sympy.QQ)


def _symbolic(v, deadline: float) -> list[tuple[float, float]] | None:
    """Every real solution of v = 0 by exact elimination, or None if not provably cheap or too slow."""
    degrees = [_degree(c) for c in v]
    # Each degree bounded on its own too: a component that is 0 makes the product 0 whatever the
    # other's degree, and Poly(x^100000000) is built densely before any deadline is looked at.
    if None in degrees or min(degrees) == 0 or degrees[0] * degrees[1] > BEZOUT_MAX:
        return None
    try:
        p, q = (_rational_poly(c, (X, Y)) for c in v)
        if p.is_zero or q.is_zero:
            return None  # a whole curve (or the plane) is stationary
        in_x = _rational_poly(p.as_expr(), (Y, X)).resultant(_rational_poly(q.as_expr(), (Y, X)))  # y eliminated
        in_y = p.resultant(q)  # x eliminated
        if in_x.is_zero or in_y.is_zero:
            return None  # a common factor: the solutions form a curve
        if time.monotonic() > deadline:
            return None
        xs, ys = ({float(r) for r in resultant.real_roots()} for resultant in (in_x, in_y))
        if time.monotonic() > deadline:
            return None
        terms = [[(float(c), i, j) for (i, j), c in poly.terms()] for poly in (p, q)]
        return [(x, y) for x in xs for y in ys if all(_nearly_zero(t, x, y) for t in terms)]
    except (sympy.polys.polyerrors.BasePolynomialError, NotImplementedError, ArithmeticError, TypeError, ValueError):
        return None  # OverflowError (an ArithmeticError) for astronomically large roots


def _nearly_zero(terms, x: float, y: float) -> bool:
    values = [c * x**i * y**j for c, i, j in terms]
    return abs(math.fsum(values)) <= PAIR_TOL * sum(map(abs, values))
