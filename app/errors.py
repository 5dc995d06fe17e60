"""Every failure answers JSON that names the problem: 400 for bad input, 404/405 for bad routes,
414/431 for requests over the app's limits (app.protocol), and a bare 500 message (never a
traceback) for our own bugs."""

from __future__ import annotations

from flask import request
from werkzeug.exceptions import HTTPException

from .jsonio import error
from .params import BadRequest


def register(app):
    @app.errorhandler(BadRequest)
    def bad_request(exc):
        return error(str(exc), 400)

    @app.errorhandler(HTTPException)
    def http_error(exc):
        if request.path == "/api" or request.path.startswith("/api/") or exc.code >= 500:
            resp = error(_message(exc), exc.code)
            for name, value in exc.get_headers():  # a 405's Allow, a redirect's Location
                if name.lower() != "content-type":
                    resp.headers[name] = value
            return resp
        return exc

    @app.errorhandler(Exception)
    def unexpected(exc):
        app.logger.exception("unhandled error on %s", request.full_path)
        return error("internal error: the server could not compute this request", 500)


def _message(exc: HTTPException) -> str:
    """The status's name, and what was wrong when the app said (a 414's URL length, say)."""
    if exc.code == 404:
        return f"{exc.name}: {request.path}"
    if exc.description != type(exc).description:
        return f"{exc.name}: {exc.description}"
    return exc.name
