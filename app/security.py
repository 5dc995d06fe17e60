"""Security headers on every response, and the page's Content-Security-Policy.

The page runs only scripts the server sent: its own modules and plotly.min.js, from 'self'. Its one
inline script that executes is the import map, which gets a fresh nonce per page (``csp_nonce()``
in the template); the bootstrap data block is JSON (``type="application/json"``), which a browser
never executes, so CSP does not apply to it. There is no inline event handler: plot.js listens for
plotly.min.js failing to load. What plotly.js needs beyond that was found by driving the page in
Chromium under a strict policy (tests/test_security.py keeps it so): not 'unsafe-eval' (only its
WebGL traces would, which the page does not use), but inline styles:
style attributes (17 on the opening picture) and two <style> elements, one empty and filled through
CSSOM, one with maplibre's CSS; SymPy's MathML in the worked example carries style attributes too.
Under this policy a style can fetch nothing (img-src and font-src allow no other origin), and hashes
of plotly's two stylesheets would break on any plotly 7.x whose CSS differs, so styles are
'unsafe-inline' and scripts are not.

Every other answer (JSON, static files, an error page) gets a policy that allows nothing, so a
response opened as a document can run nothing. No page may be framed (frame-ancestors, and
X-Frame-Options for older browsers), no type is sniffed, and no Referer leaves the page.
"""

from __future__ import annotations

import secrets

from flask import Flask, Response, g

PAGE_POLICY = ("default-src 'none'; script-src 'self' 'nonce-{nonce}'; style-src 'self' 'unsafe-inline'; "
               "img-src 'self' data: blob:; connect-src 'self'; base-uri 'none'; form-action 'none'; "
               "frame-ancestors 'none'")
NOTHING_POLICY = "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def csp_nonce() -> str:
    """This response's nonce, made on first use: the template asks for it where a tag needs it."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(16)
    return g.csp_nonce


def register(app: Flask) -> None:
    app.jinja_env.globals["csp_nonce"] = csp_nonce

    @app.after_request
    def security_headers(resp: Response) -> Response:
        nonce = g.get("csp_nonce")
        resp.headers["Content-Security-Policy"] = PAGE_POLICY.format(nonce=nonce) if nonce else NOTHING_POLICY
        resp.headers.update(HEADERS)
        return resp
