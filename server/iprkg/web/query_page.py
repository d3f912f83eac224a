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

The query can be in the address: ``sparql`` answers ``/sparql?query=…`` with this page,
the query in the editor and its answer below it (``query_answers``), when a browser asks
(it prefers ``text/html`` to every results and RDF serialisation) or ``format=html`` is
given (by GET, or by a POSTed form: the page POSTs queries too long for a link). A query
that fails shows here with its error for people (``services.query_help.explain``) and the
error's status; a query that names classes or properties the data do not hold gets a
warning with the nearest names that do. ``/sparql/completions.json`` is the list the
editor completes prefixes, classes and properties from (``services.query_help``).

The examples are the competency queries as the store publishes them (SHACL SPARQL
executables, ``services.examples``): the menu lists the same ones a client finds with
SPARQL, titled and described in the page's language. Each example's IRI,
``{base}queries/{name}``, has this page as its HTML (``render_example_page``, one of the
app's own pages): the query page with that example in the editor and chosen in the menu.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from flask import render_template, request, url_for

from iprkg.core.example_queries import example_name
from iprkg.core.formats import RESULTS_SERIALISATIONS, SERIALISATIONS
from iprkg.services.examples import Example, example_named, examples_in
from iprkg.services.query_help import Problem, UnknownTerm
from iprkg.web.conneg import media_types
from iprkg.web.context import current_context
from iprkg.web.query_answers import Naming, PageAnswer
from iprkg.web.templating import page_language

HTML = "text/html"
PAGE_FORMAT_NAMES = ("html", HTML)
"""``format=`` values that ask for the page."""
EDITOR_PACKAGE = "node_modules/codemirror"
"""Where ``npm ci`` installs the editor, relative to the project root."""
EDITOR_FILES = {
    "codemirror.js": ("lib/codemirror.js", "text/javascript"),
    "codemirror.css": ("lib/codemirror.css", "text/css"),
    "sparql.js": ("mode/sparql/sparql.js", "text/javascript"),
    "show-hint.js": ("addon/hint/show-hint.js", "text/javascript"),
    "show-hint.css": ("addon/hint/show-hint.css", "text/css"),
}
"""The editor's files the page loads: name at /sparql/editor/ -> (path in the package,
media type). Nothing else under node_modules is ever served."""
DEFAULT_QUERY = "SELECT * WHERE {\n  ?subject ?predicate ?object\n}\nLIMIT 10\n"
"""The query in the editor when there are no examples."""


REQUEST_LINE_EXTRA = len("GET  HTTP/1.1")
"""What a request line holds besides the link's path and query."""


def wants_page(overrides: Sequence[str], answers: Sequence[str] = ()) -> bool:
    """True when a request should get the page: ``format=html`` first among the
    ``overrides``, else (none given) an Accept that prefers HTML to the service
    description's serialisations and to the ``answers``' media types (those of the
    query's answers, when the request holds a query)."""
    if overrides:
        return overrides[0].strip().lower() in PAGE_FORMAT_NAMES
    accept = request.accept_mimetypes
    if not accept:
        return False
    # HTML last: a wildcard (*/*, text/*) keeps choosing what a client gets today.
    best = accept.best_match([*answers, *media_types(SERIALISATIONS), HTML])
    return best == HTML and accept.quality(HTML) > 0


def max_link_bytes() -> int:
    """The longest link (path and query) the server reads in a request line."""
    return current_context().settings.max_header_bytes - REQUEST_LINE_EXTRA


def link_too_long() -> Problem | None:
    """The problem of a GET whose link is longer than a request line may be, else None."""
    if request.method not in ("GET", "HEAD"):
        return None
    length = len(request.path.encode("utf-8")) + 1 + len(request.query_string)
    limit = max_link_bytes()
    if length <= limit:
        return None
    return Problem(
        nb=f"Lenken er {length} byte lang, lengre enn de {limit} en adresse kan ha her "
        "(IPRKG_MAX_HEADER_BYTES). Send spørringen med POST i stedet: «Kjør» på denne "
        "siden gjør det selv for lange spørringer.",
        en=f"The link is {length} bytes long, more than the {limit} an address may have "
        "here (IPRKG_MAX_HEADER_BYTES). Send the query by POST instead: “Run” on this page "
        "does so itself for long queries.",
    )


def naming() -> Naming:
    """How the page names IRIs, in this request's language."""
    context = current_context()
    return Naming(
        context.labels,
        context.store.prefixes,
        context.store.base_iri,
        page_language(),
        request.script_root + "/",
    )


def render_query_page(
    query: str | None = None,
    answer: PageAnswer | None = None,
    problem: Problem | None = None,
    warnings: Sequence[UnknownTerm] = (),
    status: int = 200,
    alternates: Sequence[Any] = (),
    page_example: Example | None = None,
) -> str:
    """The query page, for this server's endpoint: with ``query`` in the editor (else the
    first example) and its ``answer`` or ``problem``; as the page of ``page_example``,
    with that one chosen."""
    examples = current_examples()
    chosen = page_example
    if chosen is None and query is None and examples:
        chosen = examples[0]
    if chosen is None and query is not None:
        chosen = next((example for example in examples if example.text == query), None)
    default = chosen.text if chosen is not None else DEFAULT_QUERY
    return render_template(
        "sparql/query.html",
        examples=examples,
        chosen=chosen,
        query=default if query is None else query,
        answer=answer,
        problem=problem,
        warnings=warnings,
        status=status,
        max_link=max_link_bytes(),
        results_formats=RESULTS_SERIALISATIONS,
        graph_formats=SERIALISATIONS,
        examples_data=[
            {
                "name": example.name,
                "text": example.text,
                "description_en": example.description("en"),
                "description_nb": example.description("nb"),
            }
            for example in examples
        ],
        formats_data={
            "results": [[f.name, f.label] for f in RESULTS_SERIALISATIONS],
            "graph": [[f.name, f.label] for f in SERIALISATIONS],
        },
        endpoint=url_for("sparql.sparql", _external=True),
        editor=editor_installed(),
        base_iri=current_context().store.base_iri,
        alternates=alternates,
        page_example=page_example,
    )


def render_example_page(iri: str, alternates: Sequence[Any] = ()) -> str | None:
    """The HTML of the example query ``iri`` (an own page, ``AppContext.own_pages``): the
    query page with that example chosen; None if ``iri`` is no published example."""
    name = example_name(current_context().store.base_iri, iri)
    chosen = None if name is None else example_named(current_examples(), name)
    if chosen is None or chosen.iri != iri:
        return None
    return render_query_page(alternates=alternates, page_example=chosen)


def editor_folder() -> Path:
    return current_context().settings.root / EDITOR_PACKAGE


def editor_installed() -> bool:
    """True when ``make node-deps`` installed every file of the editor."""
    folder = editor_folder()
    return all((folder / path).is_file() for path, _ in EDITOR_FILES.values())


def current_examples() -> list[Example]:
    """The example queries, read from the store (whose answer cache keeps them)."""
    return examples_in(current_context().store)
