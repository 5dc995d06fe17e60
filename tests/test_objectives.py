"""The loss and penalty tables against the textbook formulas (written here with logs of the
probability D = sigmoid(s)) and their derivatives against central differences; which penalty each
loss takes."""

import numpy as np
import pytest

import gan_formulas
from gradient_flow.losses.objectives import OBJECTIVES, PENALTIES, objective

TEXTBOOK = gan_formulas.LOSSES

H = 1e-6
rng = np.random.default_rng(0)
S_R, S_F = rng.normal(size=(7, 1)) * 3, rng.normal(size=(5, 1)) * 3


def _fd(f, s):
    g = np.zeros_like(s)
    for i in np.ndindex(s.shape):
        up, down = s.copy(), s.copy()
        up[i] += H
        down[i] -= H
        g[i] = (f(up) - f(down)) / (2 * H)
    return g


@pytest.mark.parametrize("name", list(OBJECTIVES))
def test_each_loss_is_the_textbook_formula_with_its_exact_derivative(name):
    row, (d_book, g_book) = OBJECTIVES[name], TEXTBOOK[name]
    value, d_r, d_f = row.d_loss(S_R, S_F)
    assert value == pytest.approx(d_book(S_R, S_F), rel=1e-12)
    np.testing.assert_allclose(d_r, _fd(lambda r: d_book(r, S_F), S_R), rtol=1e-6, atol=1e-10)
    np.testing.assert_allclose(d_f, _fd(lambda f: d_book(S_R, f), S_F), rtol=1e-6, atol=1e-10)
    value, d_f = row.g_loss(S_F)
    assert value == pytest.approx(g_book(S_F), rel=1e-12)
    np.testing.assert_allclose(d_f, _fd(g_book, S_F), rtol=1e-6, atol=1e-10)


def test_the_minimax_generator_signal_vanishes_with_d_of_g_and_the_non_saturating_one_does_not():
    sure_fake = np.array([[-12.0]])  # D(G(z)) = 6e-6
    assert abs(OBJECTIVES["minimax"].g_loss(sure_fake)[1][0, 0]) == pytest.approx(gan_formulas._p(-12.0), rel=1e-12)
    assert OBJECTIVES["nonsaturating"].g_loss(sure_fake)[1][0, 0] == pytest.approx(-(1 - gan_formulas._p(-12.0)), rel=1e-12)


def test_large_logits_stay_finite():
    big = np.array([[800.0], [-800.0]])
    for row in OBJECTIVES.values():
        assert np.isfinite(row.d_loss(big, big)[0]) and np.isfinite(row.g_loss(big)[0])


PENALTY_BOOK = {k: v for k, v in gan_formulas.PENALTIES.items() if k != "none"}


@pytest.mark.parametrize("name", sorted(PENALTY_BOOK))
def test_each_penalty_is_its_formula_with_its_exact_gradient(name):
    g = rng.normal(size=(6, 2))
    value, dg = PENALTIES[name].value_grad(g, 3.0)
    assert value == pytest.approx(PENALTY_BOOK[name](g, 3.0), rel=1e-12)
    np.testing.assert_allclose(dg, _fd(lambda x: PENALTY_BOOK[name](x, 3.0), g), rtol=1e-6, atol=1e-10)


def test_the_gradient_penalty_is_evaluated_between_each_real_and_fake_pair():
    real, fake = rng.normal(size=(50, 2)), rng.normal(size=(50, 2))
    x_hat = PENALTIES["gp"].points(np.random.default_rng(1), real, fake)
    eps = (x_hat - fake)[:, :1] / (real - fake)[:, :1]
    np.testing.assert_allclose(x_hat, eps * real + (1 - eps) * fake, rtol=1e-12)
    assert np.all((eps >= 0) & (eps <= 1)) and eps.std() > 0.2  # one uniform eps per pair
    assert PENALTIES["r1"].points(None, real, fake) is real


@pytest.mark.parametrize("loss, penalty, words", [
    ("minimax", "gp", "penalty 'gp' is not one the loss 'minimax' takes"),
    ("wasserstein", "none", "takes 'gp'"), ("wasserstein", "r1", "takes 'gp'"),
    ("hinge", None, "loss must be one of"), ("minimax", "l2", "penalty must be one of"),
])
def test_a_penalty_a_loss_does_not_take_is_refused_naming_both(loss, penalty, words):
    with pytest.raises(ValueError, match=words):
        objective(loss, penalty)


def test_each_loss_defaults_to_its_first_penalty():
    assert [objective(n, None)[1].name for n in OBJECTIVES] == ["none", "none", "gp"]
