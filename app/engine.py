"""The application's long-lived state: caches of parsed games, compiled problems and analyses."""

from __future__ import annotations

from ..losses.analysis import Search, search
from ..losses.cache import LRU
from ..losses.catalog import CATALOG, CUSTOM_ID, custom_game
from ..losses.compiled import Compiled, CompiledGame, Problem, structural
from ..losses.game import Game


class Engine:
    def __init__(self, config):
        self.games = LRU(config["CACHE_GAMES"])
        self.shared = LRU(config["CACHE_COMPILED"])  # one differentiation and compile per loss
        self.compiled = LRU(config["CACHE_BOUND"])  # ...bound to parameter values and a scale
        self.analyses = LRU(config["CACHE_ANALYSES"])
        self.analysis_budget = config["ANALYSIS_BUDGET_S"]

    def game(self, loss: str, expr: str, kind: str, expr_y: str | None = None) -> Game:
        """A catalog game, or a parsed custom one; raises ValueError naming the problem."""
        if loss != CUSTOM_ID:
            return CATALOG[loss]
        if not expr.strip():
            raise ValueError("loss=custom needs an expression in 'expr'")
        key = (expr.strip(), kind, None if expr_y is None else expr_y.strip())
        return self.games.get(key, lambda: custom_game(expr, kind, expr_y))

    def compile(self, problem: Problem) -> Compiled:
        """The problem's compiled form: a new parameter value or scale binds, never differentiates."""
        def bind():
            fixed = tuple((n, v) for n, v in problem.values if n in structural(problem.game))
            shared = self.shared.get((problem.game, fixed), lambda: CompiledGame(problem.game, fixed))
            return Compiled(problem, shared)

        return self.compiled.get(problem, bind)

    def stationary(self, compiled: Compiled, view) -> Search:
        """The stationary points in and (for a complete symbolic list) beyond ``view``.

        A search the budget cut short is not kept: asked again, with more time to spare, it may find more."""
        key = (compiled.problem, view)
        return self.analyses.get(key, lambda: search(compiled, view, self.analysis_budget),
                                 keep=lambda found: not found.truncated)
