"""Gradient Flow: see why gradient-based training, and GAN training above all, goes right or wrong.

One distinctive import name for everything the distribution installs, so that a course folder
holding its own ``app.py`` or ``losses.py`` never shadows ours: the math is
``gradient_flow.losses`` and the web layer ``gradient_flow.app``. In the repository those two
live in the top-level folders ``losses/`` and ``app/``; ``pyproject.toml`` maps them under this
package, and ships ``static/`` and ``templates/`` inside it.

The Python API for notebooks is :class:`Loss` (a catalog loss: ``gf.Loss("dirac-gan", gamma=0.5)``) and
:func:`custom` (a formula: ``gf.custom("x^2 + 3y^2")``); see :mod:`gradient_flow.explore`.
"""

__version__ = "0.2.0"

from .explore import Derivation, Loss, catalog, custom  # noqa: E402  (the Python API, after the version)
from .losses.dynamics import METHODS  # noqa: E402

__all__ = ["Loss", "custom", "catalog", "Derivation", "METHODS", "__version__"]
