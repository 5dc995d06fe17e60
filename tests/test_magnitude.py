import math

import numpy as np
import pytest

from gradient_flow.losses.magnitude import CLASSES, DEFAULT_THRESHOLDS, SCALE_PRESETS, Thresholds


@pytest.mark.parametrize("magnitude, expected", [
    (0.0, "vanishing"), (0.00999, "vanishing"), (0.01, "normal"), (1.32, "normal"), (10.0, "normal"),
    (10.0001, "exploding"), (132.0, "exploding"), (math.nan, "undefined"), (math.inf, "undefined"),
])
def test_default_classes_follow_the_seed_thresholds(magnitude, expected):
    assert DEFAULT_THRESHOLDS.classify(magnitude) == expected


def test_array_classification_agrees_with_the_scalar_one():
    values = np.array([[0.0, 0.01, 5.0], [10.0, 11.0, np.nan]])
    t = Thresholds(0.01, 10)
    assert t.classify_array(values).tolist() == [[t.classify(v) for v in row] for row in values.tolist()]


@pytest.mark.parametrize("vanish, explode", [(0, 1), (1, 1), (2, 1), (-1, 5), (math.nan, 1), (0.1, math.inf)])
def test_thresholds_must_be_ordered_and_finite(vanish, explode):
    with pytest.raises(ValueError):
        Thresholds(vanish, explode)


def test_scale_presets_are_the_documented_factors():
    assert [(p.label, p.factor) for p in SCALE_PRESETS] == [("Vanishing", 0.001), ("Normal", 1.0), ("Exploding", 100.0)]


def test_classes_run_in_order_of_magnitude_with_the_non_finite_one_last():
    # The page styles classes by position (dashed, solid, bold, a cross): the order is API.
    t = Thresholds(0.01, 10)
    names = [c["name"] for c in CLASSES]
    assert names == [t.classify(m) for m in (0.001, 1.0, 100.0, math.nan)]
