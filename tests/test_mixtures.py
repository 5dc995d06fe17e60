"""The mixtures' geometry worked by hand, their samples' moments, and the capture rule on points
placed by hand."""

import math

import numpy as np
import pytest

from gradient_flow.losses.mixtures import (CAPTURE_STDS, COLLAPSED, DEFAULT_STD, LAYOUTS, OFF_DATA, SPREAD, as_plane,
                                           capture_min_count, describe, mixture, outcome)


@pytest.mark.parametrize("k", range(2, 13))
def test_ring_modes_are_distinct_and_evenly_spaced_on_the_unit_circle(k):
    modes = mixture("ring", k).modes
    assert modes.shape == (k, 2)
    np.testing.assert_allclose(np.hypot(modes[:, 0], modes[:, 1]), 1.0, rtol=1e-15)
    angles = np.sort(np.mod(np.arctan2(modes[:, 1], modes[:, 0]), 2 * math.pi))
    np.testing.assert_allclose(np.diff(np.append(angles, angles[0] + 2 * math.pi)), 2 * math.pi / k, rtol=1e-12)
    gaps = [math.dist(a, b) for i, a in enumerate(modes) for b in modes[i + 1:]]
    assert min(gaps) == pytest.approx(2 * math.sin(math.pi / k), rel=1e-12)  # the chord between neighbours


def test_grid_and_line_modes_by_hand():
    np.testing.assert_allclose(mixture("grid", 4).modes, [[-1, -1], [1, -1], [-1, 1], [1, 1]])
    assert len({tuple(m) for m in mixture("grid", 25).modes}) == 25
    np.testing.assert_allclose(mixture("line", 3).modes, [[-1, 0], [0, 0], [1, 0]])
    assert mixture("line", 3).dim == 1 and mixture("ring").k == 8 and mixture("grid").k == 25


def test_the_default_std_is_two_hundredths_of_the_ring_radius():
    assert DEFAULT_STD == 0.02 and mixture("ring").std == 0.02


@pytest.mark.parametrize("data, k", [("ring", 8), ("grid", 9), ("line", 4)])
def test_samples_are_equally_likely_modes_with_the_declared_spread(data, k):
    mix = mixture(data, k, 0.05)
    x = mix.sample(np.random.default_rng(0), 40_000)
    assert x.shape == (40_000, mix.dim)
    nearest = np.argmin(((as_plane(x)[:, None, :] - mix.modes[None]) ** 2).sum(axis=2), axis=1)
    share = np.bincount(nearest, minlength=k) / len(x)
    assert np.all(np.abs(share - 1 / k) < 4 * math.sqrt((1 / k) * (1 - 1 / k) / len(x)))  # ~4 standard errors
    offset = x - mix.modes[nearest, :mix.dim]
    assert offset.std(axis=0) == pytest.approx([0.05] * mix.dim, rel=0.02)


@pytest.mark.parametrize("args, words", [
    (("moons",), "data must be one of"), (("ring", 13), "k must be one of"), (("grid", 8), "4, 9, 16, 25"),
    (("line", 7), "k must be one of"), (("ring", 12, 0.09), "std must lie below 0.08627"),
])
def test_what_cannot_be_drawn_is_refused_by_name(args, words):
    with pytest.raises(ValueError, match=words):
        mixture(*args)


def test_the_capture_rule_on_points_placed_by_hand():
    mix = mixture("ring", 4, 0.1)  # modes (1, 0), (0, 1), (-1, 0), (0, -1); near means within 0.3
    n = 40  # a mode needs 1/4 of its fair share 10: 2.5 samples, so 3
    assert capture_min_count(n, 4) == 2.5
    points = np.array([[1.0, 0.0]] * 30 + [[0.0, 1.29]] * 3 + [[-1.0, 0.31]] * 5 + [[5.0, 5.0]] * 2)
    cap = mix.capture(points)
    assert cap.near.tolist() == [30, 3, 0, 0]
    assert cap.captured.tolist() == [True, True, False, False] and cap.count == 2
    assert cap.quality == pytest.approx(33 / 40)
    assert outcome(2, 0.5, 4) == COLLAPSED and outcome(3, 0.5, 4) == SPREAD  # at most half the modes
    assert outcome(4, 0.49, 4) == OFF_DATA and outcome(1, float("nan"), 4) == OFF_DATA  # most samples on no mode
    assert mix.capture(np.array([[np.nan, 0.0], [1.0, 0.0]])).near.tolist() == [1, 0, 0, 0]
    assert CAPTURE_STDS == 3


def test_one_dimensional_samples_are_points_on_the_x_axis():
    mix = mixture("line", 2, 0.1)
    cap = mix.capture(np.array([[-1.0], [-0.75], [1.31]]))
    assert cap.near.tolist() == [2, 0] and as_plane(np.array([[2.0]])).tolist() == [[2.0, 0.0]]
    assert mix.view() == ((-1.5, 1.5), (0.0, 0.0))


def test_the_rule_is_declared_for_the_page():
    d = describe()
    assert d["capture"]["stds"] == 3 and d["capture"]["fair_share"] == 0.25 and "3 std" in d["capture"]["rule"]
    assert [row["name"] for row in d["layouts"]] == list(LAYOUTS)
