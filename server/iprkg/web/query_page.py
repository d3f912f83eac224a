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
files the page needs from there. Without it the plain textarea works the same. Nothing
comes from a CDN.

The examples are the competency queries, ``queries/**/*.rq`` under the project root,
with the ``# title:``, ``# title@nb:`` and ``# description:`` lines that open each.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path

from flask import Blueprint, Response, current_app, render_template, request, send_file

from iprkg.core.errors import NotFound
from iprkg.core.formats import RESULTS_SERIALISATIONS, SERIALISATIONS
from iprkg.core.settings import Settings
from iprkg.engine.store import STORE_KEY
from iprkg.web.conneg import media_types

blueprint = Blueprint("query_page", __name__)

HTML = "text/html"
PAGE_FORMAT_NAMES = ("html", HTML)
"""``format=`` values that ask for the page."""
EXAMPLES_KEY = "iprkg.query_examples"
"""Where the app keeps the examples once read: ``app.extensions[EXAMPLES_KEY]``."""
QUERIES_FOLDER = "queries"
"""The examples' folder, relative to the project root (``IPRKG_ROOT``)."""
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


@dataclass(frozen=True)
class Example:
    """One example query, with the header lines of its file."""

    name: str
    """Its path under ``queries/`` without ``.rq``: the menu's value."""
    title_en: str
    title_nb: str
    description: str
    text: str


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
        base_iri=current_app.extensions[STORE_KEY].base_iri,
    )


@blueprint.route("/sparql/editor/<name>")
def editor_file(name: str) -> Response:
    """One of the ``EDITOR_FILES``, from the installed package; 404 for anything else."""
    if name not in EDITOR_FILES or not editor_installed():
        raise NotFound("no such editor file here (make node-deps installs the editor)")
    path, media_type = EDITOR_FILES[name]
    return send_file(editor_folder() / path, mimetype=media_type)


def editor_folder() -> Path:
    settings = current_app.config.get("IPRKG_SETTINGS") or Settings.load()
    return Path(settings.root) / EDITOR_PACKAGE


def editor_installed() -> bool:
    """True when ``make node-deps`` installed every file of the editor."""
    folder = editor_folder()
    return all((folder / path).is_file() for path, _ in EDITOR_FILES.values())


def current_examples() -> list[Example]:
    """The examples, read once per app from the project's ``queries`` folder."""
    examples = current_app.extensions.get(EXAMPLES_KEY)
    if examples is None:
        settings = current_app.config.get("IPRKG_SETTINGS") or Settings.load()
        examples = read_examples(settings.root / QUERIES_FOLDER)
        current_app.extensions[EXAMPLES_KEY] = examples
    return list(examples)


def read_examples(folder: Path) -> list[Example]:
    """Every ``.rq`` file under ``folder`` (none if it is absent), sorted by path."""
    if not folder.is_dir():
        return []
    examples = []
    for path in sorted(folder.rglob("*.rq")):
        text = path.read_text(encoding="utf-8")
        fields = header(text)
        name = path.relative_to(folder).with_suffix("").as_posix()
        examples.append(
            Example(
                name=name,
                title_en=fields.get("title", name),
                title_nb=fields.get("title@nb", fields.get("title", name)),
                description=fields.get("description", ""),
                text=text,
            )
        )
    return examples


def header(text: str) -> dict[str, str]:
    """The ``# key: value`` lines that open a query; ``#`` lines indented by two or more
    spaces continue the value before them (queries/README.md)."""
    fields: dict[str, str] = {}
    last = ""
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        body = line[1:]
        if body.startswith("  ") and last:
            fields[last] = f"{fields[last]} {body.strip()}"
            continue
        key, colon, value = body.strip().partition(":")
        if colon and key and " " not in key:
            last = key
            fields[key] = value.strip()
        else:
            last = ""
    return fields
