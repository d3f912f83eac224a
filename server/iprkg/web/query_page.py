"""The query page at ``/sparql`` for browsers: an editor, the example queries, results.

``sparql`` answers a GET without a query with this page when the client prefers
``text/html`` to every RDF serialisation of the service description (a browser's
Accept), or asks for ``format=html``; everything else still gets the service
description. The page is a form that works without JavaScript (it sends the query by
GET with a chosen ``format``); ``static/query.js`` turns it into an in-page editor that
POSTs the query to ``/sparql``, shows SELECT answers as a table whose IRIs link to their
pages (ASK as yes/no, CONSTRUCT and DESCRIBE as Turtle), and offers the answer for
download in every format. The editor is a plain ``<textarea>`` (Ctrl+Enter or Cmd+Enter
runs the query), which becomes a CodeMirror 5 editor with SPARQL highlighting where the
project's own set-up installed it: ``make node-deps`` (``npm ci``; ``make serve`` and
``make test`` run it where npm is at hand) puts the declared dependency ``codemirror``
(package.json) into ``node_modules/``, and ``/sparql/editor/<file>`` serves the three
files the page needs from there (a route of ``sparql``). Without it the plain textarea
works the same. Nothing comes from a CDN.

The examples are the competency queries (``services.examples``), read once per app.
"""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

from flask import render_template, request

from iprkg.core.formats import RESULTS_SERIALISATIONS, SERIALISATIONS
from iprkg.services.examples import Example
from iprkg.web.conneg import media_types
from iprkg.web.context import current_context

HTML = "text/html"
PAGE_FORMAT_NAMES = ("html", HTML)
"""``format=`` values that ask for the page."""
EDITOR_PACKAGE = "node_modules/codemirror"
"""Where ``npm ci`` installs the editor, relative to the project root."""
EDITOR_FILES = {
    "codemirror.js": ("lib/codemirror.js", "text/javascript"),
    "codemirror.css": ("lib/codemirror.css", "text/css"),
    "sparql.js": ("mode/sparql/sparql.js", "text/javascript"),
}
"""The editor's files the page loads: name at /sparql/editor/ -> (path in the package,
media type). Nothing else under node_modules is ever served."""
DEFAULT_QUERY = "SELECT * WHERE {\n  ?subject ?predicate ?object\n}\nLIMIT 10\n"
"""The query in the editor when there are no examples."""


def wants_page(overrides: tuple[str, ...]) -> bool:
    """True when a request for the service description should get the page instead."""
    if overrides:
        return any(value.strip().lower() in PAGE_FORMAT_NAMES for value in overrides)
    accept = request.accept_mimetypes
    if not accept:
        return False
    # HTML last: a wildcard (*/*, text/*) keeps choosing the service description.
    best = accept.best_match([*media_types(SERIALISATIONS), HTML])
    return best == HTML and accept.quality(HTML) > 0


def render_query_page() -> str:
    """The query page, for the endpoint this request reached."""
    examples = current_examples()
    return render_template(
        "sparql/query.html",
        examples=examples,
        query=examples[0].text if examples else DEFAULT_QUERY,
        results_formats=RESULTS_SERIALISATIONS,
        graph_formats=SERIALISATIONS,
        examples_data=[asdict(example) for example in examples],
        formats_data={
            "results": [[f.name, f.label] for f in RESULTS_SERIALISATIONS],
            "graph": [[f.name, f.label] for f in SERIALISATIONS],
        },
        endpoint=request.base_url,
        editor=editor_installed(),
        base_iri=current_context().store.base_iri,
    )


def editor_folder() -> Path:
    return current_context().settings.root / EDITOR_PACKAGE


def editor_installed() -> bool:
    """True when ``make node-deps`` installed every file of the editor."""
    folder = editor_folder()
    return all((folder / path).is_file() for path, _ in EDITOR_FILES.values())


def current_examples() -> list[Example]:
    """The examples, read once per app from the project's ``queries`` folder."""
    return list(current_context().examples)
