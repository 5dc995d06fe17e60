"""Tasks: the data sets' geometry without noise, determinism, and the losses against their textbook
forms and finite differences."""

import math

import numpy as np
import pytest
from scipy.special import expit

from gradient_flow.losses.tasks import GRID_1D, GRID_2D, LOSSES, TASKS, TASKS_TABLE


def data(name, seed=0, n=200, noise=0.1):
    return TASKS[name].data(np.random.default_rng(seed), n, noise)


@pytest.mark.parametrize("name", list(TASKS))
def test_the_same_seed_gives_the_same_data_and_another_seed_other_data(name):
    x, y = data(name)
    x2, y2 = data(name)
    assert np.array_equal(x, x2) and np.array_equal(y, y2)
    assert not np.array_equal(x, data(name, seed=1)[0])
    assert x.shape == (200, TASKS[name].input_dim) and y.shape == (200,)
    assert x.dtype == np.float64 and np.all(np.isfinite(x)) and np.all(np.isfinite(y))


@pytest.mark.parametrize("name", [t.name for t in TASKS_TABLE if t.input_dim == 2])
def test_classification_labels_are_zero_or_one_and_both_present(name):
    _, y = data(name, n=201)
    assert set(np.unique(y)) == {0.0, 1.0}
    assert TASKS[name].loss is LOSSES["bce"]
    if name != "xor":
        assert y.sum() == 101  # n - n // 2 examples of label 1


def test_without_noise_the_shapes_are_exact():
    x, y = data("circles", noise=0.0)
    np.testing.assert_allclose(np.hypot(*x.T), np.where(y == 1, 0.5, 1.0), rtol=1e-14)
    x, y = data("moons", noise=0.0)
    centre = np.where(y[:, None] == 0, [-0.5, -0.25], [0.5, 0.25])  # the moons' centres after the shift
    np.testing.assert_allclose(np.hypot(*(x - centre).T), 1.0, rtol=1e-14)
    assert np.all((x[y == 0, 1] >= -0.25 - 1e-12)) and np.all(x[y == 1, 1] <= 0.25 + 1e-12)  # upper / lower halves
    x, y = data("xor", noise=0.0)
    np.testing.assert_array_equal(y, (np.sign(x[:, 0]) == np.sign(x[:, 1])).astype(float))
    x, y = data("regression", noise=0.0)
    np.testing.assert_allclose(y, np.sin(3 * x[:, 0]), rtol=1e-14)
    x, y = data("spiral", noise=0.0)
    r = np.hypot(*x.T)
    angle = np.arctan2(x[:, 0], x[:, 1])  # x = r sin t, y = r cos t
    want = 1.75 * 2 * math.pi * r + math.pi * y
    np.testing.assert_allclose(np.cos(angle - want), 1.0, atol=1e-12)


def test_cross_entropy_is_the_textbook_one_and_exact_at_extreme_logits():
    s = np.array([[-3.0], [-0.5], [0.0], [2.0], [7.0]])
    y = np.array([[0.0], [1.0], [1.0], [0.0], [1.0]])
    p = expit(s)
    want = -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))
    value, grad = LOSSES["bce"].value_grad(s, y)
    assert value == pytest.approx(want, rel=1e-14)
    np.testing.assert_allclose(grad, (p - y) / 5, rtol=1e-14)
    big = np.array([[1000.0], [-1000.0], [1000.0], [-800.0]])
    value, grad = LOSSES["bce"].value_grad(big, np.array([[0.0], [1.0], [1.0], [0.0]]))
    assert value == pytest.approx((1000 + 1000 + 0 + 0) / 4, rel=1e-15)  # log(1 + e^1000) = 1000
    np.testing.assert_array_equal(grad, [[0.25], [-0.25], [0.0], [0.0]])


@pytest.mark.parametrize("name", list(LOSSES))
def test_loss_derivative_matches_central_differences(name):
    rng = np.random.default_rng(0)
    s = rng.normal(size=(6, 1))
    y = (rng.uniform(size=(6, 1)) > 0.5).astype(float)
    loss = LOSSES[name]
    _, grad = loss.value_grad(s, y)
    h = 1e-6
    for i in range(6):
        up, down = s.copy(), s.copy()
        up[i] += h
        down[i] -= h
        fd = (loss.value_grad(up, y)[0] - loss.value_grad(down, y)[0]) / (2 * h)
        assert grad[i, 0] == pytest.approx(fd, rel=1e-7, abs=1e-10)


def test_squared_error_is_torch_mse_loss():
    s, y = np.array([[1.0], [2.0]]), np.array([[0.0], [4.0]])
    value, grad = LOSSES["squared"].value_grad(s, y)
    assert value == 2.5  # (1 + 4) / 2
    assert grad.tolist() == [[1.0], [-2.0]]


def test_the_drawing_grid_spans_the_window_with_x_fastest():
    axes, points = TASKS["moons"].grid()
    assert [len(a) for a in axes] == [GRID_2D, GRID_2D] and points.shape == (GRID_2D**2, 2)
    assert points[0].tolist() == [-2.0, -1.5] and points[1, 1] == -1.5 and points[GRID_2D, 0] == -2.0
    assert points[-1].tolist() == [2.0, 1.5]
    axes, points = TASKS["regression"].grid()
    assert points.shape == (GRID_1D, 1) and points[0, 0] == -1.25 and points[-1, 0] == 1.25


def test_describe_is_json_ready():
    assert TASKS["regression"].describe() == {
        "name": "regression", "label": "Regression: sin(3x)",
        "description": "y = sin(3x) + noise for x in [-1, 1], squared error.", "input_dim": 1,
        "loss": "squared", "window": [[-1.25, 1.25]]}
