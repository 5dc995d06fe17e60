"""HTTP caching of the API, decided in one place: an ``after_request`` hook on every answer.

Every GET under ``/api/`` is a pure function of its query and of the code, so a complete answer
carries a strong ETag made of the app's version and the canonical query (path and sorted
parameters) and ``Cache-Control: public, max-age=API_MAX_AGE_S``: a browser, and nginx in front
(deploy/nginx.conf), may serve it again for that long, and after that revalidate it with
If-None-Match, which answers 304 with no body. A gzipped answer is another representation of the
same query, so its ETag says so (``-gz``).

Two kinds of answer must never be stored, by the browser or by a shared cache: errors, and answers
a time budget cut short (they depend on the server's load, not only on the query). Both answer
``Cache-Control: no-store`` without an ETag. Whether an answer is complete is read from its payload
by :func:`complete` when ``app.jsonio`` serialises it, so a route cannot forget to say so; a new
marker of a cut answer is one more line in BUDGET_CUT. Anything under ``/api/`` not serialised by
jsonio is treated as not cacheable.

Why an hour: the answers change only when a new version is deployed, whose ETags differ but whose
URLs do not, so max-age is how stale an answer may be after an upgrade; an hour covers a lecture,
in which most repeats happen, and bounds the staleness to one. (deploy/nginx.conf clears its cache
on a deploy, which makes the shared cache exact; only browsers keep the hour.)
"""

from __future__ import annotations

import hashlib
from urllib.parse import urlencode

from flask import Flask, Response, request

from .. import __version__

# top-level payload keys, and the values that mean a time budget cut the answer short
BUDGET_CUT = {"status": "time_limit", "truncated": True}


def complete(payload) -> bool:
    """False for an answer a time budget cut short (its body says so), True otherwise."""
    return not (isinstance(payload, dict) and any(payload.get(k) == v for k, v in BUDGET_CUT.items()))


def etag(path: str, args) -> str:
    """The app's version and a digest of the canonical query: the same parameters in any order
    name the same answer."""
    canonical = urlencode(sorted(args.items(multi=True)))
    return f"{__version__}-{hashlib.sha256(f'{path}?{canonical}'.encode()).hexdigest()[:24]}"


def register(app: Flask) -> None:
    public = f"public, max-age={app.config['API_MAX_AGE_S']}"

    @app.after_request
    def cache_headers(resp: Response) -> Response:
        if not request.path.startswith("/api/"):
            return resp
        if request.method in ("GET", "HEAD") and resp.status_code == 200 and getattr(resp, "complete", False):
            gz = "-gz" if resp.headers.get("Content-Encoding") == "gzip" else ""
            resp.set_etag(etag(request.path, request.args) + gz)
            resp.headers["Cache-Control"] = public
            return resp.make_conditional(request)
        resp.headers.pop("ETag", None)
        resp.headers["Cache-Control"] = "no-store"
        return resp
