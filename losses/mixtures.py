"""Data for a GAN in data space: mixtures of K Gaussians, and the rule that says which of their
modes a generator has captured.

**Layouts** (:data:`LAYOUTS`) place the K mode centres; all live on the scale :data:`SCALE` = 1:

* ``ring``: K = 2..12 centres on the circle of radius 1 at the angles 2 pi k / K, k = 0..K-1, so
  every centre is its own (a demo that spaces the angles with linspace(0, 2 pi, K) puts the first
  and the last at the same angle and shows K - 1 modes). This is the unrolled-GAN paper's picture
  (Metz et al., 2017, whose ring has radius 2 and std 0.02: 0.01 of the radius; ours is 0.02).
* ``grid``: K = 4, 9, 16 or 25 centres on the square grid of side sqrt(K) over [-1, 1]^2.
* ``line``: 1D, K = 2..6 centres evenly over [-1, 1]; samples are returned as [x, 0].

Each mode is an isotropic Gaussian with standard deviation ``std``, by default :data:`DEFAULT_STD` =
0.02 = 0.02 of the ring's radius, of the grid's and of the line's half-width alike, and the modes are
equally likely. ``std`` is refused when the balls of radius :data:`CAPTURE_STDS` std about two
neighbouring centres would overlap, i.e. unless 2 CAPTURE_STDS std < the smallest distance between
centres: a sample near two modes would count for both, and "modes captured" would mean nothing.

**The capture rule**, declared once here and handed to /api/config: a generated sample is *near* a
mode when its distance to the centre is at most :data:`CAPTURE_STDS` = 3 std. A mode is *captured*
when at least :data:`CAPTURE_FAIR_SHARE` = 1/4 of its fair share of the samples, i.e. a share
1/(4K) of all generated samples, lies near it. *Quality* is the share of generated samples near any
mode (VEEGAN's "high-quality samples", Srivastava et al., 2017). For a perfect generator that share
is the chance that a 2D Gaussian sample lies within 3 std, 1 - exp(-9/2) = 0.989 (0.997 in 1D), not
1. :func:`outcome` reads a frame from both numbers: *off the data* while the quality is below
:data:`ON_DATA_QUALITY` = 1/2 (most samples are near no mode: the generator has not learned, which
is not collapse); otherwise *collapsed* when at most :data:`COLLAPSE_AT_MOST` = half of the modes
are captured (the samples sit on the data, on few of its modes), and *spread* when more are.

A new layout is one :class:`Layout` row: a name, a label, a sentence, the allowed K, the default K,
the dimension, and ``centres(k) -> (k, 2)`` array (1D layouts put 0 in the second column).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

import numpy as np

SCALE = 1.0
DEFAULT_STD = 0.02 * SCALE
CAPTURE_STDS = 3.0
CAPTURE_FAIR_SHARE = 0.25
COLLAPSE_AT_MOST = 0.5
ON_DATA_QUALITY = 0.5
OFF_DATA, COLLAPSED, SPREAD = "off the data", "collapsed", "spread"
VIEW_MARGIN = 0.5 * SCALE  # the discriminator's picture reaches this far beyond the outermost centres


@dataclass(frozen=True)
class Layout:
    name: str
    label: str
    description: str
    ks: tuple[int, ...]
    default_k: int
    dim: int
    centres: Callable[[int], np.ndarray]

    def describe(self) -> dict:
        return {"name": self.name, "label": self.label, "description": self.description, "ks": list(self.ks),
                "default_k": self.default_k, "dim": self.dim}


def _ring(k):
    angle = 2 * np.pi * np.arange(k) / k
    return SCALE * np.column_stack([np.cos(angle), np.sin(angle)])


def _grid(k):
    side = np.linspace(-SCALE, SCALE, math.isqrt(k))
    x, y = np.meshgrid(side, side)
    return np.column_stack([x.ravel(), y.ravel()])


def _line(k):
    return np.column_stack([np.linspace(-SCALE, SCALE, k), np.zeros(k)])


LAYOUTS_TABLE = (
    Layout("ring", "Ring", "K modes on a circle of radius 1, at the angles 2 pi k / K.", tuple(range(2, 13)), 8, 2,
           _ring),
    Layout("grid", "Grid", "K = n^2 modes on an n x n grid over [-1, 1]^2.", (4, 9, 16, 25), 25, 2, _grid),
    Layout("line", "Line (1D)", "K modes evenly over [-1, 1] on a line; samples are shown as [x, 0].",
           tuple(range(2, 7)), 4, 1, _line),
)
LAYOUTS = {row.name: row for row in LAYOUTS_TABLE}


@dataclass(frozen=True)
class Capture:
    near: np.ndarray  # (K,) samples near each mode
    captured: np.ndarray  # (K,) bool
    quality: float  # share of samples near any mode

    @property
    def count(self) -> int:
        return int(self.captured.sum())


@dataclass(frozen=True)
class Mixture:
    layout: Layout
    modes: np.ndarray  # (K, 2)
    std: float

    @property
    def k(self) -> int:
        return len(self.modes)

    @property
    def dim(self) -> int:
        return self.layout.dim

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        """n samples, (n, dim): a mode drawn uniformly, then its Gaussian."""
        which = rng.integers(self.k, size=n)
        return self.modes[which, :self.dim] + self.std * rng.standard_normal((n, self.dim))

    def capture(self, samples: np.ndarray) -> Capture:
        """The capture rule (module docstring) on samples of shape (n, dim); non-finite ones are near nothing."""
        points = as_plane(samples)
        with np.errstate(invalid="ignore", over="ignore"):
            d2 = ((points[:, None, :] - self.modes[None, :, :]) ** 2).sum(axis=2)
            near = d2 <= (CAPTURE_STDS * self.std) ** 2
        counts = near.sum(axis=0)
        captured = counts >= capture_min_count(len(points), self.k)
        return Capture(counts, captured, float(near.any(axis=1).mean()) if len(points) else 0.0)

    def view(self) -> tuple[tuple[float, float], tuple[float, float]]:
        """The box of data space the discriminator is drawn over: (x range, y range); y is (0, 0) in 1D."""
        lo, hi = self.modes.min(axis=0) - VIEW_MARGIN, self.modes.max(axis=0) + VIEW_MARGIN
        if self.dim == 1:
            return (float(lo[0]), float(hi[0])), (0.0, 0.0)
        return (float(lo[0]), float(hi[0])), (float(lo[1]), float(hi[1]))


def capture_min_count(n: int, k: int) -> float:
    """How many of n samples must lie near a mode for it to count as captured."""
    return CAPTURE_FAIR_SHARE * n / k


def outcome(captured: int, quality: float, k: int) -> str:
    """OFF_DATA, COLLAPSED or SPREAD (module docstring)."""
    if not quality >= ON_DATA_QUALITY:
        return OFF_DATA
    return COLLAPSED if captured <= COLLAPSE_AT_MOST * k else SPREAD


def as_plane(samples: np.ndarray) -> np.ndarray:
    """Samples as points of the plane: 1D ones as [x, 0]."""
    samples = np.asarray(samples, dtype=float)
    return samples if samples.shape[1] == 2 else np.column_stack([samples[:, 0], np.zeros(len(samples))])


def mixture(data: str, k: int | None = None, std: float | None = None) -> Mixture:
    """The mixture of a layout; ValueError names an unknown layout, a K it does not take, or a std so
    large that the modes' capture balls overlap."""
    if data not in LAYOUTS:
        raise ValueError(f"data must be one of {', '.join(LAYOUTS)}; got {str(data)[:40]!r}")
    layout = LAYOUTS[data]
    k = layout.default_k if k is None else k
    if k not in layout.ks:
        raise ValueError(f"k must be one of {', '.join(map(str, layout.ks))} for data={data}; got {k!r}")
    std = DEFAULT_STD if std is None else float(std)
    modes = layout.centres(k)
    spacing = min(math.dist(a, b) for i, a in enumerate(modes) for b in modes[i + 1:])
    if not 2 * CAPTURE_STDS * std < spacing:
        raise ValueError(f"std must lie below {spacing / (2 * CAPTURE_STDS):.4g} for data={data} with k={k}: "
                         f"the modes are {spacing:.4g} apart, and their {CAPTURE_STDS:g}-std balls would overlap")
    return Mixture(layout, modes, std)


def describe() -> dict:
    return {
        "layouts": [row.describe() for row in LAYOUTS_TABLE],
        "default_std": DEFAULT_STD,
        "capture": {"stds": CAPTURE_STDS, "fair_share": CAPTURE_FAIR_SHARE, "collapse_at_most": COLLAPSE_AT_MOST,
                    "on_data_quality": ON_DATA_QUALITY, "outcomes": [OFF_DATA, COLLAPSED, SPREAD],
                    "rule": f"A generated sample is near a mode within {CAPTURE_STDS:g} std of its centre. A mode is "
                            f"captured when at least {CAPTURE_FAIR_SHARE:g} of its fair share 1/K of the generated "
                            f"samples (a share {CAPTURE_FAIR_SHARE:g}/K of them) lies near it. Quality is the share "
                            f"of generated samples near any mode. A frame is off the data while its quality is "
                            f"below {ON_DATA_QUALITY:g}; otherwise collapsed when it captures at most "
                            f"{COLLAPSE_AT_MOST:g} of the K modes, and spread when more."},
    }
