"""Static files served fast on a reload and offline: content-hashed URLs, cached for a year, gzipped.

A page refers to ``/static/js/main.js?v=<hash>``; because the hash changes
whenever the file does, the browser may keep it forever (``immutable``) and a
reload costs no request at all. ES modules import each other by plain relative
paths, so the page also gets an import map from every plain path to its hashed
URL. plotly.min.js comes from the installed ``plotly`` package, never a CDN.
Gzip forms are made on first request and kept, since plotly.min.js is 4.6 MB.
"""

from __future__ import annotations

import gzip
import hashlib
import mimetypes
import threading
from pathlib import Path

import plotly
from flask import Response

YEAR = 31_536_000
PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
PLOTLY_URL = "/vendor/plotly.min.js"


class Assets:
    def __init__(self, static_dir: str):
        self.root = Path(static_dir)
        files = {f"/static/{p.relative_to(self.root).as_posix()}": p for p in self.root.rglob("*") if p.is_file()}
        files[PLOTLY_URL] = PLOTLY_JS
        self._files = files
        self._versions = {url: hashlib.sha256(p.read_bytes()).hexdigest()[:16] for url, p in files.items()}
        self._gzipped: dict[str, bytes] = {}
        self._lock = threading.Lock()

    def url(self, path: str) -> str:
        """The cache-forever URL of a static file ('css/app.css') or of PLOTLY_URL."""
        key = path if path.startswith("/") else f"/static/{path}"
        return f"{key}?v={self._versions[key]}"

    def importmap(self) -> dict:
        return {"imports": {url: self.url(url) for url in self._files if url.endswith(".js") and url.startswith("/static/")}}

    def response(self, url: str, request) -> Response | None:
        path = self._files.get(url)
        if path is None:
            return None
        version = self._versions[url]
        body = path.read_bytes()
        headers = {"Vary": "Accept-Encoding"}
        if "gzip" in request.headers.get("Accept-Encoding", "") and len(body) > 1024:
            body = self._gzip(url, body)
            headers["Content-Encoding"] = "gzip"
        mimetype = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        if path.suffix == ".js":
            mimetype = "text/javascript"
        resp = Response(body, mimetype=mimetype, headers=headers)
        if request.args.get("v") == version:
            resp.headers["Cache-Control"] = f"public, max-age={YEAR}, immutable"
        else:
            resp.headers["Cache-Control"] = "no-cache"
        resp.set_etag(version + ("-gz" if "Content-Encoding" in headers else ""))
        return resp.make_conditional(request)

    def _gzip(self, url: str, body: bytes) -> bytes:
        with self._lock:
            if url not in self._gzipped:
                self._gzipped[url] = gzip.compress(body, compresslevel=6, mtime=0)
            return self._gzipped[url]
