"""The page and its files. The template receives its data through ``|tojson``, never string-built JS."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template, request

from .api import config_payload, losses_payload
from .assets import PLOTLY_URL

bp = Blueprint("pages", __name__)


@bp.get("/")
def index():
    assets = current_app.extensions["assets"]
    return render_template(
        "index.html",
        bootstrap={"config": config_payload(), **losses_payload()},
        asset_url=assets.url,
        importmap=assets.importmap(),
        plotly_url=assets.url(PLOTLY_URL),
    )


@bp.get("/network")
def network():
    """The deep-network view: its own page and state, the same config (its ``network`` section)."""
    assets = current_app.extensions["assets"]
    return render_template("network.html", bootstrap={"config": config_payload()}, asset_url=assets.url,
                           importmap=assets.importmap(), plotly_url=assets.url(PLOTLY_URL))


@bp.get("/gan")
def gan():
    """The GAN in data space: its own page and state, the same config (its ``gan`` section)."""
    assets = current_app.extensions["assets"]
    return render_template("gan.html", bootstrap={"config": config_payload()}, asset_url=assets.url,
                           importmap=assets.importmap(), plotly_url=assets.url(PLOTLY_URL))


@bp.get("/static/<path:filename>")
def static(filename):
    return _asset(f"/static/{filename}")


@bp.get(PLOTLY_URL)
def plotly_js():
    return _asset(PLOTLY_URL)


def _asset(url):
    resp = current_app.extensions["assets"].response(url, request)
    if resp is None:
        abort(404)
    return resp
