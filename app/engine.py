"""The application's long-lived state: caches of parsed games, compiled problems and analyses."""

from __future__ import annotations

from ..losses.analysis import stationary_points
from ..losses.cache import LRU
from ..losses.catalog import CATALOG, CUSTOM_ID, custom_game
from ..losses.compiled import Compiled, Problem
from ..losses.game import Game


class Engine:
    def __init__(self, config):
        self.games = LRU(config["CACHE_GAMES"])
        self.compiled = LRU(config["CACHE_COMPILED"])
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
        return self.compiled.get(problem, lambda: Compiled(problem))

    def stationary(self, compiled: Compiled, view) -> list:
        key = (compiled.problem, view)
        return self.analyses.get(key, lambda: stationary_points(compiled, view, self.analysis_budget))
