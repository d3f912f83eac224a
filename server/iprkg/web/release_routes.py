"""The releases, as this server serves them: ``/release/``, ``/release/{version}/`` and
every file of a release at ``/release/{version}/{name}``.

A release (``iprkg.artefact.releases``) is read when the app is created and never changes, so:

* ``/release/`` lists the releases, and ``/release/{version}/`` is the page of one: its
  version, date, IRI, the releases before and after it, content hash and triples, its
  files as downloads, what changed since the previous release in people's terms (its
  ``changes.json``, in the page language) and a "cite this" block; it says the same as
  a schema.org ``Dataset`` in JSON-LD (``schema_org``), for dataset search engines. Both
  are negotiated like a resource (HTML for browsers; the DCAT description of the
  release(s) in any RDF serialisation, by Accept or ``?format=``). A release's IRI is
  ``{base}release/{version}/``, so it dereferences here.
* ``/release/{version}/{name}`` is one of its files, byte for byte and checked against
  its ``release.json`` (which is served too), and ``citation.bib`` / ``citation.json``,
  its citation in BibTeX and CSL-JSON. A file of a release never changes: it is served
  ``immutable``, with its SHA-256 as ETag.
* An unknown version is a 404 listing the releases (``errors.UnknownRelease``).

``/sparql?release=VERSION&query=…`` queries a release (``release_lookup.queryable_release``);
a release's page links such a query (``query_link``: the release's resources by class),
which a browser sees on the query page. The release parameter alone is no query (it was
a 400: "missing the query parameter"). The landing page cites the newest release, or
the live data when there is none (``citing.cite_this``).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, Response, render_template, request

from iprkg.artefact.releases import RECORD_NAME, Release, ReleaseError
from iprkg.build.changes import SECTIONS, VERBS, Change
from iprkg.core.errors import IprkgError, NotFound
from iprkg.core.formats import (
    GZIP_MEDIA_TYPE,
    HTML,
    SERIALISATIONS,
    PageFormat,
    Serialisation,
    UnknownFormatError,
    by_extension,
)
from iprkg.services.citation import bibtex, csl_json
from iprkg.services.dcat import releases_description
from iprkg.web.citing import CITATION_FILES, citation_of, cite_blocks
from iprkg.web.conneg import choose
from iprkg.web.dates import readable_date, readable_size
from iprkg.web.descriptions import rdf_response
from iprkg.web.release_lookup import release_named, served
from iprkg.web.schema_org import release_dataset
from iprkg.web.templating import Alternate, json_script, keep_language, page_language

blueprint = Blueprint("releases", __name__)

FORMATS: tuple[PageFormat | Serialisation, ...] = (HTML, *SERIALISATIONS)
"""What ``/release/`` and a release's page answer in; the first is the default."""
IMMUTABLE = "public, max-age=31536000, immutable"
"""A release's files never change (``iprkg.artefact.releases``): caches may keep them a year."""
TEXT_TYPES = {"md": "text/markdown", "json": "application/json"}
"""Media types of a release's files that are not RDF."""
RELEASE_QUERY = """SELECT ?class (COUNT(DISTINCT ?resource) AS ?resources)
WHERE { ?resource a ?class }
GROUP BY ?class
ORDER BY DESC(?resources) ?class
"""
"""The query a release's page links: what the release holds, by class."""


class ReleaseDamaged(IprkgError):
    """A release's file no longer matches its record: logged, never served."""

    kind = "release-damaged"


# ---------------------------------------------------------------- routes


@blueprint.route("/release/")
def index() -> Response:
    """Every release, newest first (HTML), or their DCAT description (RDF)."""
    chosen = negotiated()
    if isinstance(chosen, Serialisation):
        return rdf_response(releases_description, chosen)
    lang = page_language()
    body = render_template(
        "releases/index.html",
        releases=list(reversed(served().releases)),
        issued={r.version: readable_date(str(r.issued), lang) for r in served().releases},
        alternates=alternates(),
        queryable=served().unqueryable is None,
    )
    return Response(body, content_type="text/html; charset=utf-8")


@blueprint.route("/release/<version>/")
def release_page(version: str) -> Response:
    """One release: its facts, files, changes and citation (HTML), or its DCAT (RDF)."""
    release = release_named(version)
    chosen = negotiated()
    if isinstance(chosen, Serialisation):
        return rdf_response(lambda p, at: releases_description(p, at, [release]), chosen)
    releases = served()
    previous = next((r for r in releases.releases if r.version == release.previous), None)
    body = render_template(
        "releases/release.html",
        release=release,
        previous=previous,
        following=releases.next_of(release),
        files=files_of(release),
        changes=changes_of(release, page_language()),
        issued=readable_date(str(release.issued), page_language()),
        size=lambda count: readable_size(count, page_language()),
        query_url=query_link(release.version),
        cite=cite_blocks(citation_of(release), release),
        queryable=releases.unqueryable is None,
        alternates=alternates(),
        structured_data=json_script(release_dataset(release)),
    )
    return Response(body, content_type="text/html; charset=utf-8")


@blueprint.route("/release/<version>/<name>")
def release_file(version: str, name: str) -> Response:
    """A file of a release, as it was released; or its citation."""
    release = release_named(version)
    if name in CITATION_FILES:
        return citation_file(release, name)
    if name == RECORD_NAME:
        try:
            content = (release.folder / RECORD_NAME).read_bytes()
        except OSError as error:
            raise ReleaseDamaged(
                f"release {version} cannot be read; the error is logged"
            ) from error
    elif name in release.files:
        try:
            content = release.file(name)
        except ReleaseError as error:
            raise ReleaseDamaged(
                f"release {version}: {name} cannot be served; the error is logged"
            ) from error
    else:
        known = ", ".join([*sorted(release.files), RECORD_NAME, *CITATION_FILES])
        raise NotFound(f"release {version} has no file {name!r}; it has: {known}")
    response = Response(content, content_type=media_type_of(name))
    if name.endswith(".gz"):
        response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = IMMUTABLE
    response.set_etag(hashlib.sha256(content).hexdigest())
    response.last_modified = released_at(release)
    return response


def citation_file(release: Release, name: str) -> Response:
    facts = citation_of(release)
    if name == "citation.bib":
        body, media_type = bibtex(facts), "application/x-bibtex; charset=utf-8"
    else:
        body = json.dumps([csl_json(facts)], ensure_ascii=False, indent=2) + "\n"
        media_type = "application/vnd.citationstyles.csl+json"
    response = Response(body, content_type=media_type)
    response.headers["Content-Disposition"] = f'inline; filename="{release.version}-{name}"'
    return response


# ---------------------------------------------------------------- what the pages show


@dataclass(frozen=True)
class ReleaseFile:
    name: str
    url: str
    media_type: str
    bytes: int
    sha256: str


def files_of(release: Release) -> list[ReleaseFile]:
    """The release's files: its dumps first, in the manifest's order, then the rest."""
    dumps = release.dumps
    names = dumps + sorted(set(release.files) - set(dumps)) + [RECORD_NAME]
    found = []
    for name in names:
        path = release.folder / name
        found.append(
            ReleaseFile(
                name=name,
                url=f"{request.script_root}/release/{release.version}/{name}",
                media_type=media_type_of(name).split(";")[0],
                bytes=path.stat().st_size if path.is_file() else 0,
                sha256=release.files.get(name, ""),
            )
        )
    return found


@dataclass(frozen=True)
class ChangeSection:
    title: str
    changes: list[Change]


@dataclass(frozen=True)
class ReleaseChanges:
    """What changed since the previous release, for a page in one language."""

    added_triples: int
    removed_triples: int
    sections: list[ChangeSection]
    verbs: Mapping[str, str]


def changes_of(release: Release, lang: str) -> ReleaseChanges | None:
    """The release's ``changes.json`` grouped by section, or None for a first release."""
    if "changes.json" not in release.files:
        return None
    try:
        document = json.loads(release.file("changes.json"))
        changes = [change_from_json(entry) for entry in document.get("changes", [])]
    except (ReleaseError, ValueError, LookupError, TypeError) as error:
        raise ReleaseDamaged(
            f"the changes of release {release.version} cannot be read; the error is logged"
        ) from error
    sections = []
    for section, titles in SECTIONS:
        chosen = [change for change in changes if change.section == section]
        if chosen:
            sections.append(ChangeSection(titles.get(lang, titles["en"]), chosen))
    return ReleaseChanges(
        added_triples=int(document.get("added_triples", 0)),
        removed_triples=int(document.get("removed_triples", 0)),
        sections=sections,
        verbs={verb: words.get(lang, words["en"]) for verb, words in VERBS.items()},
    )


def change_from_json(entry: Mapping[str, Any]) -> Change:
    """A ``Change`` back from its JSON (``Change.as_json``)."""
    target = entry.get("target")
    return Change(
        kind=str(entry["kind"]),
        subject=str(entry["subject"]),
        labels=tuple(sorted((str(k), str(v)) for k, v in dict(entry.get("labels", {})).items())),
        detail=str(entry.get("detail", "")),
        target=None if target is None else str(target),
        target_labels=tuple(
            sorted((str(k), str(v)) for k, v in dict(entry.get("target_labels", {})).items())
        ),
    )


# ---------------------------------------------------------------- helpers


def negotiated() -> PageFormat | Serialisation:
    return choose(
        request.accept_mimetypes, FORMATS, request.args.getlist("format"), "describe releases"
    )


def query_link(version: str) -> str:
    """The query page asking the release ``version`` what it holds (``RELEASE_QUERY``)."""
    arguments = urlencode([("release", version), ("query", RELEASE_QUERY)])
    return keep_language(f"{request.script_root}/sparql?{arguments}")


def alternates() -> list[Alternate]:
    return [
        Alternate(s.media_type, f"{request.base_url}?format={s.name}", s.label)
        for s in SERIALISATIONS
    ]


def media_type_of(name: str) -> str:
    """The media type a release's file is served as."""
    if name.endswith(".gz"):
        return GZIP_MEDIA_TYPE
    extension = name.rsplit(".", 1)[-1]
    try:
        media_type = by_extension(extension).media_type
    except UnknownFormatError:
        media_type = TEXT_TYPES.get(extension, "application/octet-stream")
    return f"{media_type}; charset=utf-8" if media_type.startswith("text/") else media_type


def released_at(release: Release) -> datetime | None:
    try:
        return datetime.fromisoformat(release.released.replace("Z", "+00:00")).astimezone(UTC)
    except ValueError:
        return None
