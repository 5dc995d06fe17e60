"""The web layer: a Flask application factory, after Flask's tutorial (flaskr).

Routes are thin: they parse and validate (``app.params``), call ``losses``, and
serialise (``app.jsonio``). State that outlives a request (caches) belongs to
the application's :class:`app.engine.Engine`, never to a module.
"""

from __future__ import annotations

from pathlib import Path

from flask import Flask

# The page's files sit beside this package: in the repository app/ has static/ and templates/ as
# siblings, and an installed wheel puts both inside gradient_flow/, next to gradient_flow/app/.
ROOT = Path(__file__).resolve().parent.parent


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(__name__, static_folder=None, template_folder=str(ROOT / "templates"))
    app.config.from_mapping(
        STATIC_DIR=str(ROOT / "static"),
        CACHE_GAMES=256,  # parsed custom expressions
        CACHE_COMPILED=128,  # differentiated and compiled losses
        CACHE_BOUND=512,  # ...bound to parameter values and a scale: cheap, so many
        CACHE_ANALYSES=128,
        TRAJECTORY_BUDGET_S=2.0,
        ANALYSIS_BUDGET_S=1.0,
        JSON_SORT_KEYS=False,
    )
    if test_config:
        app.config.update(test_config)

    from . import api, assets, engine, errors, gan_api, pages

    app.extensions["gradient_flow"] = engine.Engine(app.config)
    app.extensions["assets"] = assets.Assets(app.config["STATIC_DIR"])
    app.register_blueprint(api.bp)
    app.register_blueprint(pages.bp)
    app.register_blueprint(gan_api.bp)  # /api/gan: the GAN in data space
    errors.register(app)
    return app
