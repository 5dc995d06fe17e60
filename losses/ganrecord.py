"""What a data-space GAN run records, as lists ready for JSON (None wherever a number is not finite).

A :class:`Scene` is what every frame is measured on and never changes during a run: the fixed set
of z, the real samples shown, and the grid over data space (``grid`` x ``grid`` points over the
mixture's view, row i at y[i] and column j at x[j]; one row at y = 0 for 1D data). A frame at step
k, :meth:`Record.add`, measures S_k's weights on it:

* ``generated``: G(z) for the fixed z, as [x, y] ([x, 0] in 1D), with the capture numbers of
  :mod:`losses.mixtures` computed from exactly these points: ``near`` (samples near each mode),
  ``captured`` (a bool per mode), ``modes_captured``, ``quality``, ``outcome`` (off the data, collapsed
  or spread);
* ``d_grid``: the loss's picture of D on the grid, D(x) = sigmoid(s) or the critic's s;
* the training step's :class:`Numbers`: ``d_loss`` (penalty included), ``d_penalty``, ``d_real`` and
  ``d_fake`` (mean picture value on D's real and generated batch), ``d_grad_norm``, ``g_loss``,
  ``g_grad_norm``, and both norms' magnitude classes (:mod:`losses.magnitude`);
* for a penalty between real and fake (gp): the first :data:`INTERPOLATES_SHOWN` pairs of D's first
  batch, ``interpolate_real`` x, ``interpolate_fake`` x_tilde, ``interpolates`` x_hat and
  ``interpolate_grad_norm`` |grad_x s(x_hat)| under S_k's D.

A new per-frame number is one list in :meth:`Record.__init__` and one append in :meth:`Record.add`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .mixtures import as_plane, capture_min_count, outcome
from .network import Pass, forward, views

INTERPOLATES_SHOWN = 64
_SCALARS = ("d_loss", "d_penalty", "d_real", "d_fake", "d_grad_norm", "g_loss", "g_grad_norm")
_PAIRS = ("interpolate_real", "interpolate_fake", "interpolates", "interpolate_grad_norm")


@dataclass
class Numbers:
    """One training step's measurements (see the module docstring); G's are filled in after D's."""
    d_loss: float
    d_penalty: float
    d_real: float
    d_fake: float
    d_grad_norm: float
    g_loss: float = math.nan
    g_grad_norm: float = math.nan
    pairs: tuple | None = None  # (real, fake, x_hat, |grad s(x_hat)|) of D's first batch

    def total(self) -> float:
        return sum(getattr(self, name) for name in _SCALARS)


def _finite(x) -> float | None:
    x = float(x)
    return x if math.isfinite(x) else None


def listed(a) -> list:
    """A nested list with None where ``a`` is not finite."""
    a = np.asarray(a, dtype=float)
    out = a.astype(object)
    out[~np.isfinite(a)] = None
    return out.tolist()


def recorded(k: int, every: int, steps: int) -> bool:
    """Whether step k is a frame: step 0, every ``every``-th step and the last."""
    return k % every == 0 or k == steps


def frames_between(first: int, last: int, every: int, steps: int) -> int:
    """How many frames steps first..last (0 <= first <= last <= steps) record."""
    count = last // every - (first - 1) // every if first > 0 else last // every + 1
    return count + (last == steps and steps % every != 0)


class Scene:
    def __init__(self, mixture, z: np.ndarray, real: np.ndarray, n: int):
        self.mixture, self.z, self.real = mixture, z, real
        (x0, x1), (y0, y1) = mixture.view()
        self.xs = np.linspace(x0, x1, n)
        self.ys = np.linspace(y0, y1, n) if mixture.dim == 2 else np.zeros(1)
        if mixture.dim == 2:
            gx, gy = np.meshgrid(self.xs, self.ys)
            self.points = np.column_stack([gx.ravel(), gy.ravel()])
        else:
            self.points = self.xs[:, None]


class Record:
    """The recorded frames of one chunk."""

    def __init__(self, scene: Scene, objective, penalty, thresholds, every: int, steps: int):
        self.scene, self.objective, self.penalty, self.thresholds = scene, objective, penalty, thresholds
        self.every, self.steps = every, steps
        self.lists = {name: [] for name in ("steps", "generated", "near", "captured", "modes_captured", "quality",
                                            "outcome", "d_grid", *_SCALARS, "d_grad_class", "g_grad_class")}
        if penalty.interpolates:
            self.lists.update({name: [] for name in _PAIRS})
        self.passes = None
        self.last = None  # (step, G's flat weights, D's flat weights) of the last frame

    def wants(self, k: int) -> bool:
        return recorded(k, self.every, self.steps)

    def add(self, k: int, g_net, d_net, before: tuple, numbers: Numbers) -> None:
        scene, out = self.scene, self.lists
        if self.passes is None:
            self.passes = (Pass(g_net, len(scene.z)), Pass(d_net, len(scene.points)))
        generated = forward(g_net, views(g_net, before[0]), scene.z, into=self.passes[0]).output
        picture = self.objective.output(forward(d_net, views(d_net, before[1]), scene.points,
                                                into=self.passes[1]).output[:, 0])
        cap = scene.mixture.capture(generated)
        out["steps"].append(k)
        out["generated"].append(listed(as_plane(generated)))
        out["near"].append(cap.near.tolist())
        out["captured"].append(cap.captured.tolist())
        out["modes_captured"].append(cap.count)
        out["quality"].append(cap.quality)
        out["outcome"].append(outcome(cap.count, cap.quality, scene.mixture.k))
        out["d_grid"].append(listed(picture.reshape(len(scene.ys), len(scene.xs))))
        for name in _SCALARS:
            out[name].append(_finite(getattr(numbers, name)))
        out["d_grad_class"].append(self.thresholds.classify(numbers.d_grad_norm))
        out["g_grad_class"].append(self.thresholds.classify(numbers.g_grad_norm))
        if self.penalty.interpolates:
            real, fake, x_hat, norms = (a[:INTERPOLATES_SHOWN] for a in numbers.pairs)
            for name, value in zip(_PAIRS, (as_plane(real), as_plane(fake), as_plane(x_hat), norms)):
                out[name].append(listed(value))
        self.last = (k, *before)

    def body(self, settings: dict, options: dict, weights: bool, g_net, d_net) -> dict:
        scene, mix = self.scene, self.scene.mixture
        lists = dict(self.lists)
        grid = {"x": scene.xs.tolist(), "y": scene.ys.tolist(), "label": self.objective.output_label,
                "values": lists.pop("d_grid")}
        body = {"settings": settings, "options": options, "modes": mix.modes.tolist(), "std": mix.std,
                "dim": mix.dim, "real": listed(as_plane(scene.real)),
                "capture_min_count": capture_min_count(len(scene.z), mix.k), **lists, "d_grid": grid}
        if weights:
            body["weights"] = None if self.last is None else {
                "step": self.last[0],
                "generator": {n: listed(b) for n, b in zip(g_net.names, views(g_net, self.last[1]))},
                "discriminator": {n: listed(b) for n, b in zip(d_net.names, views(d_net, self.last[2]))}}
        return body
