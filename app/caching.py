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
marker of a cut answer is one more line in BUDGET_CUT, and a cut the body does not show is said by
:func:`mark_cut` wherever it happens. Anything under ``/api/`` not serialised by
jsonio is treated as not cacheable.

Without nginx in front (``make run`` in a lecture hall) the same holds inside each worker: a class
following the instructor asks for the same answers hundreds of times, so a worker keeps its most
recent complete answers, ANSWER_CACHE_BYTES of them (per worker: no process depends on another),
by canonical query and coding, and sends a repeat without computing it. Only what this hook
would mark public is stored, so a cut answer or an error never is.

Why an hour: the answers change only when a new version is deployed, whose ETags differ but whose
URLs do not, so max-age is how stale an answer may be after an upgrade; an hour covers a lecture,
in which most repeats happen, and bounds the staleness to one. (Emptying nginx's cache on an upgrade,
as the README's deployment says, makes the shared cache exact; only browsers keep the hour.)
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from urllib.parse import urlencode

from flask import Flask, Response, g, has_request_context, request

from .. import __version__

# top-level payload keys, and the values that mean a time budget cut the answer short
BUDGET_CUT = {"status": "time_limit", "truncated": True}


def complete(payload) -> bool:
    """False for an answer a time budget cut short (its body says so, or the request was marked),
    True otherwise."""
    if has_request_context() and g.get("budget_cut"):
        return False
    return not (isinstance(payload, dict) and any(payload.get(k) == v for k, v in BUDGET_CUT.items()))


def mark_cut() -> None:
    """Say, from anywhere in a request, that a time budget cut part of its answer short though the
    body does not show it (a worked example whose nearest minimum came from a cut analysis, say):
    the answer is then no-store."""
    g.budget_cut = True


def canonical(path: str, args) -> str:
    """The path and the parameters sorted: the same parameters in any order name the same answer."""
    return f"{path}?{urlencode(sorted(args.items(multi=True)))}"


def etag(path: str, args) -> str:
    """The app's version and a digest of the canonical query."""
    return f"{__version__}-{hashlib.sha256(canonical(path, args).encode()).hexdigest()[:24]}"


class Answers:
    """A worker's recent complete answers (body and content headers), least recently used out
    first, bounded in bytes; one answer may take at most an eighth of the room."""

    KEPT_HEADERS = ("Content-Type", "Content-Encoding", "Vary")

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self.size = 0
        self._items: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key):
        with self._lock:
            item = self._items.get(key)
            if item is not None:
                self._items.move_to_end(key)
            return item

    def put(self, key, resp: Response) -> None:
        body = resp.get_data()
        if len(body) > self.max_bytes // 8:
            return
        headers = {k: resp.headers[k] for k in self.KEPT_HEADERS if k in resp.headers}
        with self._lock:
            if key in self._items:
                return
            self._items[key] = (body, headers)
            self.size += len(body)
            while self.size > self.max_bytes:
                old, _ = self._items.popitem(last=False)[1]
                self.size -= len(old)

    def __len__(self) -> int:
        return len(self._items)


def register(app: Flask) -> None:
    public = f"public, max-age={app.config['API_MAX_AGE_S']}"
    answers = Answers(app.config["ANSWER_CACHE_BYTES"]) if app.config["ANSWER_CACHE_BYTES"] else None
    app.extensions["answers"] = answers

    def key():
        from .jsonio import accepts_gzip  # jsonio imports this module: a late import, not a cycle

        return canonical(request.path, request.args), accepts_gzip()

    @app.before_request
    def replay():
        if answers is None or request.method not in ("GET", "HEAD") or not request.path.startswith("/api/"):
            return None
        hit = answers.get(key())
        if hit is None:
            return None
        body, headers = hit
        resp = Response(body, status=200, headers=headers)
        resp.complete, resp.replayed = True, True
        return resp

    @app.after_request
    def cache_headers(resp: Response) -> Response:
        if not request.path.startswith("/api/"):
            return resp
        if request.method in ("GET", "HEAD") and resp.status_code == 200 and getattr(resp, "complete", False):
            gz = "-gz" if resp.headers.get("Content-Encoding") == "gzip" else ""
            resp.set_etag(etag(request.path, request.args) + gz)
            resp.headers["Cache-Control"] = public
            if answers is not None and not getattr(resp, "replayed", False):
                answers.put(key(), resp)
            return resp.make_conditional(request)
        resp.headers.pop("ETag", None)
        resp.headers["Cache-Control"] = "no-store"
        return resp
