"""Gradient statistics: a name -> gradient mapping in, per-entry and per-layer numbers out.

This is the one implementation. The "your own model" view calls it on what PyTorch gives,
``{n: p.grad.numpy() for n, p in model.named_parameters()}``, and the deep-network lab calls it on its
own gradients at every recorded step, so the two views cannot disagree about what a number means.

For each entry it gives the size, the norm ||g|| (Euclidean, Frobenius for a matrix), the RMS
||g|| / sqrt(size), the mean and the standard deviation (ddof = 0, the population's). PyTorch's
``tensor.std()`` uses ddof = 1 and so is NaN for a one-element bias. It also gives the magnitude
class and a histogram of |g|.

**The norm is what gets classed**, with :class:`losses.magnitude.Thresholds`. Those thresholds were
set on |v|, the length of the 2D views' gradient, which is the length of the step gradient descent
takes (lr |v|). A block's norm is that same quantity for a block of parameters: the step plain
gradient descent takes on the layer is lr ||g||. The mean does not measure size (positive and
negative entries cancel) and the std ignores a common offset. The RMS is an average entry, which
the product's thresholds were not set on. A wide layer does have a larger norm than a narrow one
with the same entries, so compare layers of different sizes by RMS, which is given next to the norm.
Adam's step does not follow ||g|| at all: it rescales each coordinate.

**The histogram bins are fixed**, declared once in :data:`HISTOGRAM_EDGES`: decades from 1e-12 to 1e4,
so histograms of different steps and layers line up bin for bin (and a layer's histogram is the
sum of its entries'). ``counts`` has len(edges) + 2 bins:

    counts[0]                exactly 0 (a dead unit's row, a cancelled bias)
    counts[1]                0 < |g| < 1e-12 (underflow)
    counts[1 + j]            edges[j-1] <= |g| < edges[j], for j = 1 .. len(edges) - 1
    counts[-1]               |g| >= 1e4, infinities included (overflow)

NaN is left out of every bin. Any non-finite entry makes norm, RMS, mean and std None, and makes
the class ``undefined``.

**Layers** group entries by the module path, which is everything before the last dot, as in
``named_parameters()``. ``layer1.weight`` and ``layer1.bias`` form ``layer1``, ``layer1.norm.gamma``
belongs to ``layer1.norm``, and PyTorch's ``net.0.weight`` belongs to ``net.0``. A layer's numbers are
those of its entries joined together.

All statistics of all entries come from one pass over a single concatenated vector: per-segment
reductions with ``np.add.reduceat`` and one ``bincount`` for every histogram. At a recorded step
the lab pays a few NumPy calls, not a few per layer. A new statistic is one more reduction in
:func:`_segment_stats` and one more key in its rows.
"""

from __future__ import annotations

import math
from typing import Mapping

import numpy as np

from .magnitude import DEFAULT_THRESHOLDS, UNDEFINED, Thresholds

HISTOGRAM_EDGES = tuple(10.0 ** k for k in range(-12, 5))  # 1e-12, 1e-11, ..., 1e4
HISTOGRAM_BINS = len(HISTOGRAM_EDGES) + 2
_SEARCH_EDGES = np.array((5e-324, *HISTOGRAM_EDGES))  # the smallest positive double first: 0 sorts below it


def histogram_bins() -> list[str]:
    """A label per bin, as :data:`HISTOGRAM_EDGES` and the module docstring define them."""
    decades = [f"[{lo:.0e}, {hi:.0e})" for lo, hi in zip(HISTOGRAM_EDGES, HISTOGRAM_EDGES[1:])]
    return ["0", f"(0, {HISTOGRAM_EDGES[0]:.0e})", *decades, f"[{HISTOGRAM_EDGES[-1]:.0e}, inf]"]


def histogram(values) -> list[int]:
    """Counts of |values| on the fixed bins (NaN left out)."""
    flat = np.ravel(np.asarray(values, dtype=float))
    return _segment_stats(flat, np.array([flat.size]), DEFAULT_THRESHOLDS)[0]["histogram"]


def gradient_stats(grads: Mapping[str, object], thresholds: Thresholds = DEFAULT_THRESHOLDS) -> dict[str, dict]:
    """Per entry: ``{"size", "norm", "rms", "mean", "std", "class", "histogram"}``, JSON-ready
    (floats, None where not finite, the class a name from :mod:`losses.magnitude`), in the mapping's order.

    An entry whose gradient is None (PyTorch leaves ``p.grad`` None for a parameter the loss never
    reached) is left out."""
    names = [n for n in grads if grads[n] is not None]
    arrays = [np.ravel(np.asarray(grads[n], dtype=float)) for n in names]
    sizes = np.array([a.size for a in arrays], dtype=np.int64)
    flat = np.concatenate(arrays) if arrays else np.zeros(0)
    return dict(zip(names, _segment_stats(flat, sizes, thresholds)))


def layer_of(name: str) -> str:
    """The module a parameter belongs to: its name up to the last dot."""
    return name.rsplit(".", 1)[0]


def group_layers(names) -> dict[str, list[str]]:
    """Layer -> its entries' names, both in order of first appearance."""
    groups: dict[str, list[str]] = {}
    for n in names:
        groups.setdefault(layer_of(n), []).append(n)
    return groups


def layer_stats(grads: Mapping[str, object], thresholds: Thresholds = DEFAULT_THRESHOLDS) -> list[dict]:
    """Per layer: ``{"name", "parameters": [entry names], **stats of its entries joined}``, in order."""
    groups = group_layers(n for n in grads if grads[n] is not None)
    joined = {layer: np.concatenate([np.ravel(np.asarray(grads[n], dtype=float)) for n in members])
              for layer, members in groups.items()}
    stats = gradient_stats(joined, thresholds)
    return [{"name": layer, "parameters": members, **stats[layer]} for layer, members in groups.items()]


def _segment_stats(flat: np.ndarray, sizes: np.ndarray, thresholds: Thresholds) -> list[dict]:
    """The statistics of consecutive segments of ``flat`` with the given sizes (zero sizes allowed)."""
    starts = np.cumsum(sizes) - sizes
    seg = np.repeat(np.arange(len(sizes)), sizes)
    finite, norm, mean, std = _moments(flat, sizes, starts, seg)
    counts = _histograms(flat, seg, len(sizes), bool(finite.all()))
    rows = []
    # Python floats from here on: one tolist() is cheaper than a NumPy scalar per number
    for ok, size, nrm, mu, sd, hist in zip(finite.tolist(), sizes.tolist(), norm.tolist(), mean.tolist(),
                                           std.tolist(), counts):
        nrm = nrm if ok else None
        some = ok and size > 0
        rows.append({
            "size": size,
            "norm": nrm,
            "rms": nrm / math.sqrt(size) if some else None,
            "mean": mu if some and math.isfinite(mu) else None,
            "std": sd if some and math.isfinite(sd) else None,
            "class": thresholds.classify(nrm) if ok else UNDEFINED,
            "histogram": hist,
        })
    return rows


def _moments(flat, sizes, starts, seg):
    """Per segment: whether all finite, norm, mean and std (two passes, so std does not cancel)."""
    keep = sizes > 0
    n = np.maximum(sizes, 1)
    with np.errstate(over="ignore", invalid="ignore"):
        finite = ~_reduce(np.logical_or, ~np.isfinite(flat), starts, keep).astype(bool)
        norm = np.sqrt(_reduce(np.add, flat * flat, starts, keep))
        mean = _reduce(np.add, flat, starts, keep) / n
        dev = flat - mean[seg]
        std = np.sqrt(_reduce(np.add, dev * dev, starts, keep) / n)
    # sum(g^2) overflows for entries past 1e154; the few such segments are rescaled by their peak
    for i in np.flatnonzero(finite & ~np.isfinite(norm)):
        s = flat[starts[i]:starts[i] + sizes[i]]
        peak = np.abs(s).max()
        norm[i] = peak * np.sqrt(np.dot(s / peak, s / peak))
        mean[i] = peak * np.mean(s / peak)
        std[i] = peak * np.std(s / peak)
    return finite, norm, mean, std


def _histograms(flat, seg, count, all_finite):
    """Per segment, the counts of |g| on the fixed bins, as lists.

    One search over [smallest positive double, 1e-12, ..., 1e4] puts 0 in bin 0, (0, 1e-12) in bin 1,
    the decades after them and [1e4, inf) in the last bin. Infinities and NaN need a second look only
    when there are any: inf goes in the last bin and NaN in none."""
    a = np.abs(flat)
    bins = np.searchsorted(_SEARCH_EDGES, a, side="right")
    if not all_finite:
        bins[np.isinf(a)] = HISTOGRAM_BINS - 1
        bins[np.isnan(a)] = HISTOGRAM_BINS  # one past the last, dropped below
    width = HISTOGRAM_BINS + 1
    counts = np.bincount(seg * width + bins, minlength=count * width)
    return counts.reshape(count, width)[:, :HISTOGRAM_BINS].tolist()


def _reduce(ufunc, values, starts, keep):
    """ufunc.reduceat over segments, 0 for the empty ones (reduceat would hand back a neighbour)."""
    out = np.zeros(len(starts))
    if keep.any():
        out[keep] = ufunc.reduceat(values, starts[keep])
    return out
