"""The data-space GAN trainer: every loss and penalty's parameter gradients against differences of
the engine's forward alone, the unrolled surrogate against its definition, determinism, chunks
against the long run, stops, and refusals."""

import json

import numpy as np
import pytest

import gan_formulas as book
from gradient_flow.losses.dynamics import METHODS
from gradient_flow.losses.gan import Run, train
from gradient_flow.losses.gansettings import configure
from gradient_flow.losses.network import forward, views

TINY = {"g_depth": 2, "g_width": 8, "d_depth": 2, "d_width": 8, "batch": 16, "steps": 12, "record": 4,
        "samples": 64, "grid": 11}
COMBOS = [("minimax", "none"), ("minimax", "r1"), ("nonsaturating", "none"), ("nonsaturating", "r1"),
          ("wasserstein", "gp")]


def _s(run, flat, x):
    return forward(run.d.net, views(run.d.net, flat), x).output[:, 0]


def _moved_off_init(run, seed=5):
    """Weights in general position: a few updates, then a random nudge, so no check passes on a symmetry."""
    for _ in range(3):
        run.train_step()
    rng = np.random.default_rng(seed)
    run.d.flat += rng.normal(scale=0.2, size=run.d.flat.shape)
    run.g.flat += rng.normal(scale=0.2, size=run.g.flat.shape)


@pytest.mark.parametrize("loss, penalty", COMBOS)
def test_the_discriminators_gradient_matches_differences_of_its_loss_and_penalty(loss, penalty):
    run = Run({**TINY, "loss": loss, "penalty": penalty, "gamma": 2.0} if penalty == "r1" else
              {**TINY, "loss": loss, "penalty": penalty})
    _moved_off_init(run)
    real, fake = run._fakes(run.g_pass)
    fake = fake.copy()
    rng = np.random.default_rng()
    rng.bit_generator.state = run.rng.bit_generator.state
    points = run.penalty.points(rng, real, fake) if run.penalty.points else None  # where the trainer will look
    run._d_gradient(real, fake, keep=True)
    d_book, _ = book.LOSSES[loss]
    weight = run.weight

    def objective(flat):
        value = d_book(_s(run, flat, real), _s(run, flat, fake))
        if points is not None:
            value += book.PENALTIES[penalty](book.input_gradient_fd(lambda x: _s(run, flat, x), points), weight)
        return value

    fd = book.gradient_fd(objective, run.d.flat.copy(), 1e-4)
    assert np.abs(fd).max() > 1e-3
    np.testing.assert_allclose(run.d.flat_grad, fd, rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("loss", ["minimax", "nonsaturating", "wasserstein"])
def test_the_generators_gradient_matches_differences_of_its_loss_through_d(loss):
    run = Run({**TINY, "loss": loss, "data": "line", "z_dim": 3})  # 1D data: G has one output
    _moved_off_init(run)
    run._fakes(run.g_pass)
    z = run.g_pass.buffers[0].h_in.copy()
    run._g_gradient()
    _, g_book = book.LOSSES[loss]
    d_flat = run.d.flat.copy()

    def objective(flat):
        return g_book(_s(run, d_flat, forward(run.g.net, views(run.g.net, flat), z).output))

    fd = book.gradient_fd(objective, run.g.flat.copy(), 1e-5)
    np.testing.assert_allclose(run.g.flat_grad, fd, rtol=1e-6, atol=1e-9)


def test_unrolled_steps_are_the_surrogate_and_leave_d_as_it_was():
    # G's gradient is that of its loss against D after 2 more updates (as a run with 1 + 2 D steps makes
    # them, on the same batches), with those weights held constant; D itself takes only its 1 update
    settings = {**TINY, "loss": "wasserstein"}
    unrolled, ahead, plain = Run({**settings, "unroll": 2}), Run({**settings, "d_steps": 3}), Run(settings)
    theta = unrolled.g.flat.copy()
    unrolled.train_step(), ahead.train_step(), plain.train_step()
    z = unrolled.g_pass.buffers[0].h_in.copy()
    d_u = ahead.d.flat.copy()
    fd = book.gradient_fd(lambda flat: -np.mean(_s(unrolled, d_u, forward(unrolled.g.net, views(unrolled.g.net, flat), z)
                                                   .output)), theta, 1e-5)
    np.testing.assert_allclose(unrolled.g.flat_grad, fd, rtol=1e-6, atol=1e-9)
    np.testing.assert_array_equal(unrolled.d.flat, plain.d.flat)
    assert not np.array_equal(unrolled.g.flat, plain.g.flat)


def test_each_player_steps_with_its_own_method_and_rate():
    run = Run({**TINY, "g_method": "gd", "d_method": "adam", "g_lr": 0.05, "d_lr": 0.002}, {"beta1": 0.5})
    assert run.g.method is METHODS["gd"] and run.d.method is METHODS["adam"]
    assert run.g.lrs == (0.05,) and run.d.lrs == (0.002,) and run.d.options["beta1"] == 0.5
    g0 = run.g.flat.copy()
    run.train_step()
    np.testing.assert_allclose(run.g.flat, g0 - 0.05 * run.g.flat_grad, rtol=1e-15, atol=1e-17)


def _series(body):
    return {k: v for k, v in body.items() if k not in ("from", "to", "next", "status")}


def test_the_same_settings_give_the_same_numbers_bit_for_bit():
    a, _ = train({**TINY, "loss": "wasserstein"})
    b, _ = train({**TINY, "loss": "wasserstein"})
    assert json.dumps(a) == json.dumps(b)
    c, _ = train({**TINY, "loss": "wasserstein", "seed": 1})
    assert c["g_loss"] != a["g_loss"]


def _joined(chunks):
    out = {k: [] for k in chunks[0] if isinstance(chunks[0][k], list) and k not in ("modes", "real")}
    for chunk in chunks:
        for k in out:
            out[k] += chunk[k]
    return out


@pytest.mark.parametrize("resume", [True, False], ids=["from-state", "replayed"])
def test_chunks_are_the_same_steps_of_one_long_run(resume):
    settings = {**TINY, "steps": 30, "record": 3, "loss": "wasserstein", "unroll": 1, "d_steps": 2}
    whole, _ = train(settings)
    chunks, state, start = [], None, 0
    for last in (0, 7, 8, 20, 30):
        body, state = train(settings, first=start, last=last, state=state if resume else None)
        chunks.append(body)
        assert body["from"] == start and body["to"] == last and body["next"] == (last + 1 if last < 30 else None)
        start = last + 1
    assert [c["status"] for c in chunks] == ["running"] * 4 + ["max_steps"] and state is None
    joined = _joined(chunks)
    assert joined["steps"] == whole["steps"] == [0, 3, 6, 9, 12, 15, 18, 21, 24, 27, 30]
    for key, values in joined.items():
        assert values == whole[key], key


def test_what_is_recorded_does_not_change_what_is_trained():
    a, _ = train({**TINY, "steps": 12, "record": 2})
    b, _ = train({**TINY, "steps": 12, "record": 3, "samples": 80, "grid": 13})
    common = [a["steps"].index(k) for k in (0, 6, 12)], [b["steps"].index(k) for k in (0, 6, 12)]
    for key in ("g_loss", "d_loss", "g_grad_norm", "d_grad_norm", "d_real"):
        assert [a[key][i] for i in common[0]] == [b[key][i] for i in common[1]], key


def test_a_frame_holds_what_the_module_says():
    body, _ = train({**TINY, "loss": "wasserstein", "steps": 4, "record": 2})
    frames = len(body["steps"])
    assert body["steps"] == [0, 2, 4] and body["status"] == "max_steps" and body["next"] is None
    assert len(body["modes"]) == 8 and len(body["real"]) == 64 and body["std"] == 0.02
    assert all(len(body[k]) == frames for k in ("generated", "captured", "modes_captured", "quality", "g_loss",
                                                "d_grad_class", "interpolates", "interpolate_grad_norm"))
    assert np.array(body["generated"]).shape == (frames, 64, 2)
    assert np.array(body["d_grid"]["values"]).shape == (frames, 11, 11) and len(body["d_grid"]["x"]) == 11
    assert np.array(body["interpolates"]).shape == (frames, 16, 2)  # the whole batch of 16: below 64 shown
    assert set(body["g_grad_class"]) <= {"vanishing", "normal", "exploding"}
    one_d, _ = train({**TINY, "data": "line", "steps": 0})
    assert np.array(one_d["generated"]).shape == (1, 64, 2) and not np.array(one_d["generated"])[0, :, 1].any()
    assert np.array(one_d["d_grid"]["values"]).shape == (1, 1, 11) and "interpolates" not in one_d


def test_a_run_that_goes_non_finite_stops_with_a_status_and_keeps_what_it_recorded():
    body, state = train({**TINY, "loss": "wasserstein", "lam": 100.0, "method": "gd", "d_lr": 1.0, "g_lr": 1.0, "activation": "relu",
                         "steps": 200, "record": 50})
    assert body["status"] == "diverged" and state is None and body["next"] is None
    k = body["diverged_at"]
    assert 0 < k < 200 and body["steps"][-1] == k and body["steps"][:-1] == [s for s in (0, 50, 100, 150) if s < k]
    assert None in [body[key][-1] for key in ("d_loss", "g_loss", "d_grad_norm", "g_grad_norm")]
    assert json.dumps(body, allow_nan=False)
    later, _ = train({**TINY, "loss": "wasserstein", "lam": 100.0, "method": "gd", "d_lr": 1.0, "g_lr": 1.0, "activation": "relu",
                      "steps": 200, "record": 50}, first=k + 5)
    assert later["status"] == "diverged" and later["diverged_at"] == k and later["steps"] == []


def test_a_spent_budget_ends_the_chunk_at_a_step_and_says_where_to_go_on():
    body, state = train({**TINY, "steps": 50}, budget_s=0.0)
    assert body["status"] == "time_limit" and body["next"] == 1 and body["steps"] == [0] and state.step == 1
    replay, state = train({**TINY, "steps": 50}, first=10, budget_s=0.0)  # one replayed step a request
    assert replay["status"] == "time_limit" and replay["next"] == 10 and replay["steps"] == [] and state.step == 1


@pytest.mark.parametrize("settings, words", [
    ({"data": "grid", "k": 8}, "k must be one of 4, 9, 16, 25"), ({"loss": "minimax", "penalty": "gp"}, "not one"),
    ({"g_width": 256}, "g_width must lie in"), ({"z_dim": 5}, "z_dim"), ({"loss": "hinge"}, "loss must be one of"),
    ({"penalty": "r1", "lam": 5.0}, "lam weighs a penalty not chosen"), ({"std": 0.2}, "std must lie in"),
    ({"data": "ring", "k": 12, "std": 0.09}, "balls would overlap"), ({"depth": 2}, "no setting 'depth'"),
])
def test_settings_that_cannot_be_trained_are_refused_by_name(settings, words):
    with pytest.raises(ValueError, match=words):
        configure(settings)


def test_an_option_no_chosen_optimiser_has_is_refused():
    with pytest.raises(ValueError, match="has the option 'beta1'"):
        configure({"method": "gd"}, {"beta1": 0.5})
    with pytest.raises(ValueError, match="lr_ratio"):
        configure({"method": "gd"}, {"lr_ratio": 2.0})
    assert configure({}, {"beta1": 0.5})[1]["beta1"] == 0.5


@pytest.mark.parametrize("every, steps", [(1, 7), (3, 10), (5, 10), (7, 30), (50, 49)])
def test_the_frame_count_is_the_count_of_recorded_steps(every, steps):
    from gradient_flow.losses.ganrecord import frames_between, recorded
    for first in range(steps + 1):
        for last in range(first, steps + 1):
            want = sum(recorded(k, every, steps) for k in range(first, last + 1))
            assert frames_between(first, last, every, steps) == want, (first, last)


def test_the_training_key_ignores_what_is_measured():
    from gradient_flow.losses.gan import training_key
    assert training_key({"record": 3, "grid": 21, "samples": 100})[0] == training_key({})[0]
    assert training_key({"seed": 1})[0] != training_key({})[0]
    assert training_key({}, {"beta1": 0.5})[0] != training_key({})[0]


def test_the_gan_math_imports_without_flask():
    import subprocess
    import sys
    code = "import sys, gradient_flow.losses.gan, gradient_flow.losses.inputgrad; print('flask' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip() == "False"
