"""Gradient Flow: see why gradient-based training, and GAN training above all, goes right or wrong.

One distinctive import name for everything the distribution installs, so that a course folder
holding its own ``app.py`` or ``losses.py`` never shadows ours: the math is
``gradient_flow.losses`` and the web layer ``gradient_flow.app``. In the repository those two
live in the top-level folders ``losses/`` and ``app/``; ``pyproject.toml`` maps them under this
package, and ships ``static/`` and ``templates/`` inside it.
"""

__version__ = "0.2.0"
