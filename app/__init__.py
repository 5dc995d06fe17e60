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
        BASINS_BUDGET_S=2.0,  # a whole convergence map's; an answer cut short says "truncated"
        ANALYSIS_BUDGET_S=1.0,
        NETWORK_BUDGET_S=2.0,  # one deep-network training run; past it the run stops with time_limit
        CACHE_NETWORK_RUNS=32,  # finished runs, which are deterministic: a class opening one link trains once
        # What a request may carry, declared here once: app.protocol refuses more (414, 431, in JSON
        # under /api/), and app.server sets gunicorn's own limits above these so the app answers.
        # The longest URL the page makes (a 300-character expression, percent-encoded, with every
        # parameter) is under 1.5 KB; 16 KB of headers is Node's default and fits any browser's.
        MAX_URL_BYTES=4096,
        MAX_HEADER_BYTES=16 * 1024,
        MAX_HEADER_FIELDS=100,
        # How long a browser or a shared cache may keep a complete API answer, and how many bytes of
        # recent answers each worker keeps to send again without computing them (app.caching).
        API_MAX_AGE_S=3600,
        ANSWER_CACHE_BYTES=32 * 1024 * 1024,
    )
    # GRADIENT_FLOW_<KEY>=<JSON value> overrides a default for a deployment (GRADIENT_FLOW_API_MAX_AGE_S=600)
    app.config.from_prefixed_env("GRADIENT_FLOW")
    if test_config:
        app.config.update(test_config)

    from . import api, assets, caching, engine, errors, gan_api, lab, network_api, pages, protocol, security

    app.extensions["gradient_flow"] = engine.Engine(app.config)
    app.extensions["assets"] = assets.Assets(app.config["STATIC_DIR"])
    app.register_blueprint(api.bp)
    app.register_blueprint(lab.bp)
    app.register_blueprint(pages.bp)
    network_api.register(app)
    app.register_blueprint(gan_api.bp)  # /api/gan: the GAN in data space
    errors.register(app)
    protocol.register(app)
    caching.register(app)
    security.register(app)
    return app
