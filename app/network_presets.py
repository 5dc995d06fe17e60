"""The deep-network view's Insights: runs worth opening, each with one sentence about what it shows.

Every number in a sentence was read from the engine's answer for the preset's settings (seed 0, the
engine's other defaults), and tests/test_network_presets.py runs each preset through the API and holds
every claim to that answer, so a change to the engine that changes the picture fails a test instead
of leaving a sentence that is no longer true. They share one shape, 20 hidden layers of 32 units
trained by plain gradient descent with lr 0.1, so that one knob differs between neighbours and
the step a layer takes is lr times its gradient: Adam would rescale a tiny gradient and hide
the point (and at eps = 1e-8 it cannot rescale a 1e-18 one either).

A new preset is one :class:`Preset` row: settings by the names of ``netlab.NETWORK_PARAMS``, and a
sentence whose numbers a test checks.
"""

from __future__ import annotations

from dataclasses import dataclass, field

DEEP = {"depth": 20, "width": 32, "method": "gd", "lr": 0.1}


@dataclass(frozen=True)
class Preset:
    id: str
    title: str
    sentence: str
    settings: dict = field(default_factory=dict)

    def describe(self) -> dict:
        return {"id": self.id, "title": self.title, "sentence": self.sentence, "settings": dict(self.settings)}


PRESETS = (
    Preset("sigmoid-deep", "20 sigmoid layers, standard init: the first layers barely learn",
           "Each layer multiplies the backward signal by sigmoid' (about 1/4) times weights of variance "
           "1/(3 fan_in), about 7 times less a layer, though no unit is saturated: at step 0 layer 1's "
           "gradient norm is 1.5e-18 against the output layer's 0.22, and in 500 steps the loss only goes "
           "from 0.70 to 0.69.",
           {**DEEP, "activation": "sigmoid", "init": "standard"}),
    Preset("relu-he", "The same with ReLU and He init",
           "He init's weight variance 2/fan_in makes up for the half of the signal ReLU drops: at step 0 "
           "every layer's gradient is normal (layer 1's norm 0.16, the output's 0.17) and the loss falls "
           "from 0.71 to 0.017, although 38% of layer 20's units are dead from the start.",
           {**DEEP, "activation": "relu", "init": "he"}),
    Preset("linear-gain", "Linear layers with gain 1.5: exploding",
           "Each linear layer multiplies the backward signal by about its gain (1.6 a layer here, for 1.5), "
           "so at step 0 every layer's gradient is exploding, layer 1's norm 1.2e3, and the first steps "
           "overshoot so far that training diverges at step 2.",
           {**DEEP, "activation": "linear", "init": "normal", "gain": 1.5}),
    Preset("residual-sigmoid", "Residual connections rescue the deep sigmoid net",
           "The skip path h + f(W h + b) hands the signal down untouched, so at step 0 layer 1's gradient "
           "norm is 0.056 instead of 1.5e-18, every layer's is normal, and the loss falls from 0.70 to 0.30.",
           {**DEEP, "activation": "sigmoid", "init": "standard", "residual": "on"}),
    Preset("batch-norm", "Batch norm",
           "Normalising each unit over the batch undoes the shrinking weights of the same sigmoid net: at "
           "step 0 layer 1's gradient norm is 0.50 rather than 1.5e-18, every layer's is normal, and the "
           "loss falls from 0.71 to 0.091.",
           {**DEEP, "activation": "sigmoid", "init": "standard", "norm": "batch"}),
)
