"""HTTP before any route: requests larger than the app takes, a parameter given twice, and OPTIONS, answered in JSON.

The limits are the app's own (``MAX_URL_BYTES``, ``MAX_HEADER_BYTES``, ``MAX_HEADER_FIELDS`` in
``create_app``), checked here whatever server runs the app; ``app.server`` sets gunicorn's above
them, so a refusal under ``/api/`` is the app's 414 or 431 in JSON (``app.errors``), not the
server's plain text. An OPTIONS request to an API route answers which methods it allows, as JSON
with an ``Allow`` header, where Flask's automatic answer is an empty body.
"""

from __future__ import annotations

from flask import Flask, request
from werkzeug.exceptions import RequestHeaderFieldsTooLarge, RequestURITooLarge

from .jsonio import respond
from .params import refuse_repeated


def url_bytes(environ) -> int:
    """The request target's length as sent: gunicorn and Werkzeug both keep it in RAW_URI."""
    raw = environ.get("RAW_URI") or environ.get("REQUEST_URI")
    if raw is None:
        query = environ.get("QUERY_STRING", "")
        raw = environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", "") + ("?" + query if query else "")
    return len(raw.encode("latin-1", "replace"))


def header_bytes(headers) -> int:
    """Bytes of the header section: each field as 'Name: value' and its CRLF."""
    return sum(len(name) + len(value) + 4 for name, value in headers.items())


def register(app: Flask) -> None:
    max_url, max_headers, max_fields = (app.config[k] for k in ("MAX_URL_BYTES", "MAX_HEADER_BYTES", "MAX_HEADER_FIELDS"))

    @app.before_request
    def refuse_oversized():
        size = url_bytes(request.environ)
        if size > max_url:
            raise RequestURITooLarge(f"the URL is {size} bytes; this server takes at most {max_url}")
        fields = len(request.headers)
        size = header_bytes(request.headers)
        if size > max_headers or fields > max_fields:
            raise RequestHeaderFieldsTooLarge(
                f"the headers are {size} bytes in {fields} fields; this server takes at most "
                f"{max_headers} bytes in {max_fields} fields")

    @app.before_request
    def repeated():
        if request.path.startswith("/api/"):
            refuse_repeated(request.args)

    @app.before_request
    def options():
        if request.method == "OPTIONS" and request.url_rule is not None and request.path.startswith("/api/"):
            allowed = sorted(request.url_rule.methods | {"OPTIONS"})
            resp = respond({"allow": allowed})
            resp.headers["Allow"] = ", ".join(allowed)
            return resp
        return None
