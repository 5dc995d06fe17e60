"""Gradient Flow's math: pure functions and data, importable without Flask.

A loss is a two-player game in (x, y) (:mod:`losses.game`); the catalog names
some (:mod:`losses.catalog`) and the parser admits others from text
(:mod:`losses.parser`). :mod:`losses.compiled` differentiates once and compiles;
:mod:`losses.dynamics` runs optimisers on the vector field; :mod:`losses.analysis`
finds and classifies stationary points; :mod:`losses.derivation` works a step
by hand; :mod:`losses.magnitude` names gradient sizes.
"""
