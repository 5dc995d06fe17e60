"""The data-space GAN's presets: settings that show one lesson each, with what they honestly show.

A preset is URL parameters (:mod:`losses.gansettings` names, and optimiser options) plus a
sentence: what to look at, and what the preset does *not* show on a model this small. The numbers
behind each sentence come from ``bench/gan_presets.py``, which runs every preset over eight seeds
with the comparison each needs (the same settings with the other loss; unrolling against as many
real D steps), and counts the outcomes of :func:`losses.mixtures.outcome` at the last frame.

* The minimax generator steps with plain gd against a strong D (10 Adam steps per G step at a
  higher rate). Its gradient is D(G(z)) grad s(G(z)) (:mod:`losses.objectives`), so once D is sure
  the gradient falls below the vanishing threshold, and gd's step lr |g| falls with it. With Adam
  for G the same factor is divided out by Adam's running RMS of the gradient, and the run does not
  show the lesson as a gradient norm: the preset says why it uses gd.
* Non-saturating and unrolled share every setting but ``unroll``. Unrolling is the surrogate
  (:mod:`losses.gan`), and the bench holds it against ``d_steps`` = 1 + unroll, which gives D as
  many real updates per G step: a difference between the two is the unrolling's, not more D.
* WGAN-GP's lesson is its critic's gradient on the interpolates (held near 1 from the first
  hundred steps); its generator, at std 0.02 and a few thousand steps, does not reach the modes.

A new preset is one :class:`Preset` row.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Preset:
    name: str
    label: str
    look: str  # what to look at, and what it does not show
    settings: dict
    options: dict = field(default_factory=dict)

    def describe(self) -> dict:
        return {"name": self.name, "label": self.label, "look": self.look, "settings": dict(self.settings),
                "options": dict(self.options)}


_NS = {"loss": "nonsaturating", "activation": "relu", "g_lr": 0.002, "d_lr": 0.002, "steps": 4000, "record": 100}
_BETA = {"beta1": 0.5}

PRESETS_TABLE = (
    Preset("minimax-vanishes", "Minimax loss: G's gradient vanishes early",
           "G's gradient norm falls below the vanishing line within the first 100 steps on most seeds (7 of 8 "
           "measured; the eighth at step 975) while D(G(z)) goes to 0; switch the loss to non-saturating and it "
           "never does. Neither reaches the data in 1000 steps against so strong a D. G steps with plain gd: Adam "
           "would divide the small gradient by its own size and hide the lesson.",
           {"loss": "minimax", "d_steps": 10, "d_lr": 0.005, "g_method": "gd", "g_lr": 0.01, "steps": 1000,
            "record": 25}, _BETA),
    Preset("nonsaturating-collapses", "Non-saturating: learns, may collapse",
           "The samples reach the ring; on some seeds they sit on a few of its modes (2 of 8 measured, on 3 of "
           "8 modes at step 4000; the others spread over 6 to 8). Count the seeds that collapse.", _NS, _BETA),
    Preset("unrolled-modes", "Unrolled steps: more modes",
           "The same run, with G's loss taken against D five updates ahead (the surrogate gradient): all 8 modes "
           "on 7 of 8 seeds measured (7 on the eighth). d_steps = 6, as many real D updates without unrolling, "
           "also ends every collapse but captures 5 to 8 (all 8 on 2 seeds).", {**_NS, "unroll": 5}, _BETA),
    Preset("wgan-gp-critic", "WGAN-GP: the critic's gradient held near 1 on interpolates",
           "|grad D(x_hat)| on the segments between real and fake samples starts far from 1 (mean distance 0.94 "
           "at step 0) and is held near it from step 100 on (0.05). The generator does not reach these narrow "
           "modes in 2000 steps (quality at most 0.04 on 8 seeds).",
           {"loss": "wasserstein", "d_steps": 5, "d_lr": 0.001, "g_lr": 0.001, "steps": 2000, "record": 50},
           {"beta1": 0.5, "beta2": 0.9}),
)
PRESETS = {row.name: row for row in PRESETS_TABLE}
