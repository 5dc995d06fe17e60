"""Magnitude classes and gradient-scale presets: the one place these facts live.

A gradient's magnitude |v| is *vanishing* below ``vanish``, *exploding* above
``explode`` and *normal* in between (both bounds inclusive); a non-finite
magnitude is *undefined*, so NaN never masquerades as a number. The API hands
these names, the default thresholds and the presets to the page, which never
repeats them (``/api/config`` sends them, with how each class is drawn).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

VANISHING = "vanishing"
NORMAL = "normal"
EXPLODING = "exploding"
UNDEFINED = "undefined"

# In order of magnitude, the non-finite class last: the page styles classes by this position
# (dashed, solid, bold, a cross), so the order is part of the API and a test holds it.
# How each class is drawn, wherever it is drawn (the page, a notebook figure): Okabe-Ito colours, told
# apart with any common colour-vision deficiency, and a second cue besides colour (dashed, solid,
# bold, a cross; a glyph in text; an arrow's head open, filled or none; a bar's fill pattern). ``ink`` is the colour darkened
# until white text on it passes WCAG AA (4.5:1), for badges. Dash and marker names are Plotly's.
CLASSES = (
    {"name": VANISHING, "meaning": "Too small to move the parameters: learning stalls.",
     "style": {"color": "#0072B2", "ink": "#0072B2", "dash": "3px,2px", "width": 2, "marker": "circle-open",
               "glyph": "\u25bd", "head": "open", "pattern": "."}},
    {"name": NORMAL, "meaning": "A useful step size: learning proceeds.",
     "style": {"color": "#009E73", "ink": "#007a59", "dash": "solid", "width": 2, "marker": "circle",
               "glyph": "\u25cf", "head": "filled", "pattern": ""}},
    {"name": EXPLODING, "meaning": "So large that a step overshoots: training becomes unstable.",
     "style": {"color": "#D55E00", "ink": "#b34e00", "dash": "solid", "width": 4, "marker": "diamond",
               "glyph": "\u25b2", "head": "filled", "pattern": "x"}},
    {"name": UNDEFINED, "meaning": "Not a finite number (NaN or infinite): the computation broke.",
     "style": {"color": "#CC79A7", "ink": "#a4507f", "dash": "solid", "width": 2, "marker": "x-thin-open",
               "glyph": "\u2715", "head": "none", "pattern": ""}},
)


# The thresholds bound each other: vanishing must start below exploding. Sent to the page as is.
ORDERED = (("vanish", "explode"),)


@dataclass(frozen=True)
class Thresholds:
    vanish: float = 0.01
    explode: float = 10.0

    def __post_init__(self):
        if not (math.isfinite(self.vanish) and math.isfinite(self.explode)):
            raise ValueError("thresholds must be finite numbers")
        if not 0 < self.vanish < self.explode:
            raise ValueError(
                f"thresholds must satisfy 0 < vanish < explode (got vanish={self.vanish}, explode={self.explode})"
            )

    def classify(self, magnitude: float) -> str:
        if not math.isfinite(magnitude):
            return UNDEFINED
        if magnitude < self.vanish:
            return VANISHING
        if magnitude > self.explode:
            return EXPLODING
        return NORMAL

    def classify_array(self, magnitude: np.ndarray) -> np.ndarray:
        """Vectorised :meth:`classify`: an object array of class names."""
        m = np.asarray(magnitude, dtype=float)
        finite = np.isfinite(m)
        with np.errstate(invalid="ignore"):
            return np.select(
                [~finite, m < self.vanish, m > self.explode],
                [UNDEFINED, VANISHING, EXPLODING],
                NORMAL,
            ).astype(object)


DEFAULT_THRESHOLDS = Thresholds()


@dataclass(frozen=True)
class ScalePreset:
    name: str
    label: str
    factor: float


# The Gradient Scale multiplies the loss, and therefore every gradient, by ``factor``.
SCALE_PRESETS = (
    ScalePreset("vanishing", "Vanishing", 0.001),
    ScalePreset("normal", "Normal", 1.0),
    ScalePreset("exploding", "Exploding", 100.0),
)
