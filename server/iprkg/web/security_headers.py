"""Security headers on every response: a strict Content-Security-Policy and friends.

The pages need nothing from elsewhere and nothing inline: scripts and stylesheets are
files under ``/static/`` (and the query page's editor, served by the app), the only
images are the favicon and ``data:`` URIs, and the query page's script fetches from
``/sparql`` only. So the policy allows exactly that, from this origin, and nothing else:
no inline script or style (the strategy page colours its goals by class, not by a
``style`` attribute), no plugins, no ``<base>``, no framing, forms sent here only. A
``javascript:`` URL is inline script, so even a link the data smuggled onto a page could
not run. ``<script type="application/ld+json">`` and ``application/json`` blocks are
data, not script, and CSP lets them be.

The headers go on every response (pages, errors, redirects, static files, SPARQL
answers, dumps): for a non-HTML body they cost nothing and they keep a browser from
running anything it might be tricked into sniffing as HTML. A header a view set itself
is left alone.
"""

from __future__ import annotations

from collections.abc import Mapping

from flask import Flask, Response

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "font-src 'self'",
        "manifest-src 'self'",
        "form-action 'self'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    )
)
"""What a page may load and run: files from this origin, nothing inline, no framing."""

HEADERS: Mapping[str, str] = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}
"""Every response's security headers. ``X-Frame-Options`` repeats ``frame-ancestors``
for browsers without CSP level 2; ``Referrer-Policy`` sends other sites the origin only
(never a page's path or a query in its URL); ``nosniff`` makes browsers believe our
Content-Type, so a Turtle or CSV answer holding ``<script>`` is never run as HTML."""


def add_security_headers(response: Response) -> Response:
    """Set each of ``HEADERS`` on ``response`` unless the view set it already."""
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def register(app: Flask) -> None:
    """Add the security headers to every response of ``app``."""
    app.after_request(add_security_headers)
