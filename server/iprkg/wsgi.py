"""Run the app under waitress, a production WSGI server (pure Python, threaded).

Werkzeug's development server is not meant for production; waitress is, needs no C
compiler nor fork (so it behaves the same on every platform), and is embeddable: the
socket is bound before ``run`` is called, so port 0 (any free port) can be announced.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask
from waitress.server import BaseWSGIServer, MultiSocketServer, create_server

THREADS = 4
"""Requests answered at once; more wait in waitress's queue."""


def serve(app: Flask, host: str, port: int, announce: Callable[[str], None]) -> None:
    """Serve ``app`` on ``host``:``port`` until interrupted, announcing each address."""
    server = create_server(
        app,
        host=host,
        port=port,
        threads=THREADS,
        ident="iprkg",
        # Behind trusted proxies, pass X-Forwarded-* on to the app's ProxyFix (which
        # counts the hops); otherwise waitress drops them, so no client can forge them.
        clear_untrusted_proxy_headers=not app.config.get("IPRKG_PROXY_HOPS"),
    )
    for address_host, address_port in addresses(server):
        shown = f"[{address_host}]" if ":" in address_host else address_host
        announce(f"http://{shown}:{address_port}/sparql")
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()


def addresses(server: MultiSocketServer | BaseWSGIServer) -> list[tuple[str, int]]:
    """The (host, port) pairs ``server`` listens on, ports resolved."""
    if isinstance(server, MultiSocketServer):
        return [(str(host), int(port)) for host, port in server.effective_listen]
    assert server.socket is not None, "create_server binds the socket"
    host, port = server.socket.getsockname()[:2]
    return [(str(host), int(port))]
