"""The dumps at stable URLs: ``/dumps/iprkg.ttl``, ``.nt``, ``.jsonld``, ``.rdf``, each also
``.gz``, ``/dumps/iprkg.nq`` (N-Quads, a named graph per source file; the manifest's
``graphs``) and ``/dumps/manifest.json``.

The files are those of the build the store holds (``ReadOnlyStore.published_file``, read
and checked against the manifest when the store was opened), so they always match what
``/sparql`` answers and the catalogue describes. Only the names the manifest lists exist:
anything else, ``..`` or an encoded slash included, is a 404.

A plain dump is served as its own media type; the caching layer compresses it on the fly
(``Content-Encoding: gzip``) when the client accepts gzip. A ``.gz`` file is a download of
its own, ``application/gzip`` with ``Content-Disposition: attachment`` and no
``Content-Encoding``, so that clients save the compressed bytes as they are.
"""

from __future__ import annotations

from flask import Blueprint, Response

from iprkg.artefact.manifest import MANIFEST_NAME
from iprkg.core.errors import NotFound
from iprkg.core.formats import GZIP_MEDIA_TYPE, by_extension
from iprkg.web.context import current_store

blueprint = Blueprint("dumps", __name__)


@blueprint.route("/dumps/<name>")
def dump(name: str) -> Response:
    """One file of the published artefact, by name."""
    store = current_store()
    content = store.published_file(name)
    if content is None:
        raise NotFound(f"no dump called {name!r}; /dumps/{MANIFEST_NAME} lists them")
    if name.endswith(".gz"):
        response = Response(content, mimetype=GZIP_MEDIA_TYPE)
        response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    if name == MANIFEST_NAME:
        return Response(content, mimetype="application/json")
    media_type = by_extension(name.rsplit(".", 1)[-1]).media_type
    if media_type.startswith("text/"):
        return Response(content, content_type=f"{media_type}; charset=utf-8")
    return Response(content, content_type=media_type)
