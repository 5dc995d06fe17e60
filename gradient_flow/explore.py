"""The Python API: the product's numbers and pictures in a notebook, through the same functions the
web API calls (:mod:`gradient_flow.losses.reports`, ``dynamics``, ``analysis``), so a notebook and
the page never disagree.

    import gradient_flow as gf
    toy = gf.Loss("toy-discriminator", c=0.5)
    toy.gradient(0.5, -0.3)["gradient"]          # [-1.15, 0.65]
    toy.trajectory("adam", (0.5, -0.3), lr=0.05, steps=200)["status"]
    toy.figure(points=[(0.5, -0.3)], method="gd")  # a plotly Figure of the page's picture
    gf.custom("x^2 + 3y^2").stationary_points()

Text goes through the same whitelisting parser as the page's Expression box. Nothing here imports
Flask; plotly is imported only when a figure is asked for.
"""

from __future__ import annotations

from .losses.analysis import search
from .losses.catalog import CATALOG, custom_game
from .losses.compiled import Compiled, Problem, TooComplex
from .losses.dynamics import METHODS, trajectory
from .losses.magnitude import Thresholds
from .losses.reports import derivation_report, field_report, gradient_report


class Derivation(list):
    """The worked example: a list of steps ({title, text, mathml, latex}) that a notebook shows as MathML."""

    def _repr_html_(self) -> str:
        parts = [f"<h4>Step {i + 1}: {s['title']}</h4><p>{_escape(s['text'])}</p>{s['mathml']}" for i, s in enumerate(self)]
        return "<div>" + "".join(parts) + "</div>"

    @property
    def latex(self) -> str:
        return "\n\n".join(f"% Step {i + 1}: {s['title']}\n{s['latex']}" for i, s in enumerate(self))


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class Loss:
    """A catalog loss or game with its parameters bound, its gradient scale and its class thresholds.

    Parameters out of their declared range, unknown names and bad thresholds raise ValueError naming
    them, as the web API answers 400."""

    def __init__(self, id: str, *, scale: float = 1.0, vanish: float = 0.01, explode: float = 10.0,
                 _game=None, **params):
        game = _game if _game is not None else CATALOG.get(id)
        if game is None:
            raise ValueError(f"no loss {id!r}: the catalog has {', '.join(CATALOG)}; use gf.custom(...) for text")
        self.game = game
        self.thresholds = Thresholds(vanish, explode)
        self.compiled = Compiled(Problem.of(game, params, scale))

    def __repr__(self) -> str:
        values = ", ".join(f"{k}={v:g}" for k, v in self.compiled.problem.values)
        return f"Loss({self.game.title!r}{', ' if values else ''}{values})"

    @property
    def view(self):
        return self.game.view

    def gradient(self, x: float, y: float, lr: float = 0.1) -> dict:
        """Value, v, |v|, class and one plain step's landing point, as /api/gradient gives them."""
        return gradient_report(self.compiled, float(x), float(y), float(lr), self.thresholds)

    def field(self, view=None, n: int = 41) -> dict:
        """The loss and v on an n x n grid (NumPy arrays; row i is y[i]), as /api/field gives them."""
        return field_report(self.compiled, view or self.game.view, int(n), self.thresholds)

    def trajectory(self, method: str = "gd", start=(0.5, -0.3), lr: float = 0.1, steps: int = 100,
                   budget_s: float = 10.0, **options) -> dict:
        """A run of ``method`` (a name from gf.METHODS) with its options by name, as /api/trajectory."""
        if method not in METHODS:
            raise ValueError(f"no method {method!r}: use one of {', '.join(METHODS)}")
        return trajectory(METHODS[method], self.compiled, start, lr, steps, options, self.thresholds, budget_s)

    def search(self, view=None, budget_s: float = 5.0):
        return search(self.compiled, view or self.game.view, budget_s)

    def stationary_points(self, view=None) -> list[dict]:
        """Stationary points with type and eigenvalues, as /api/analysis lists them."""
        return [s.to_json() for s in self.search(view).points]

    def derivation(self, x: float, y: float, lr: float = 0.1) -> Derivation:
        """The worked example of one step from (x, y), shown as MathML in a notebook."""
        try:
            found = search(self.compiled, self.game.view, 5.0)
        except TooComplex:
            found = None
        return Derivation(derivation_report(self.compiled, float(x), float(y), float(lr), found, self.thresholds))

    def figure(self, points=(), method: str = "gd", lr: float = 0.1, steps: int = 100, view=None, n: int = 61,
               **options):
        """A plotly Figure of the page's picture: the loss, arrows by class, each point's run, the
        stationary points."""
        from .landscape import landscape_figure

        runs = [self.trajectory(method, p, lr, steps, **options) for p in points]
        return landscape_figure(self, view or self.game.view, n, points, runs)


def custom(text: str, kind: str = "minimize", text_y: str | None = None, **kwargs) -> Loss:
    """A Loss from a formula in x, y (and the parameters a, b, c, k), through the safe parser; for
    ``kind="pair"`` give y's own loss as ``text_y``."""
    game = custom_game(text, kind, text_y)
    return Loss(game.id, _game=game, **kwargs)


def catalog() -> dict[str, str]:
    """The catalog's ids and titles."""
    return {game.id: game.title for game in CATALOG.values()}
