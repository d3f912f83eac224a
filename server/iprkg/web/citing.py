"""How to cite the data: a release, or the live data when there is none.

A release's page shows its "cite this" block and serves its citation files
(``release_routes``); the landing page cites the newest release, or the live data
(``cite_this()``, a Jinja global that ``templating.register`` installs).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from flask import current_app, request

from iprkg.artefact.releases import Release
from iprkg.services.citation import BibTeXError, CitationFacts, bibtex, csl_json
from iprkg.services.publication import DATASET_TITLE, LICENCE, PUBLISHER_NAME
from iprkg.web.context import current_context, current_store

CITATION_FILES = ("citation.bib", "citation.json")
"""A release's citation, in BibTeX and CSL-JSON, at ``/release/{version}/{name}``."""
CITATION_TITLE = f"iprkg: {DATASET_TITLE['en']}"


def citation_of(release: Release | None) -> CitationFacts:
    """How to cite ``release``; with None, the live data (version: the first 16 hex
    digits of its content hash; date: its build's). The URLs are the persistent IRIs,
    not this server's address."""
    if release is not None:
        return CitationFacts(
            title=CITATION_TITLE,
            version=release.version,
            issued=date.fromisoformat(release.issued),
            publisher=PUBLISHER_NAME["en"],
            licence=LICENCE,
            iri=release.iri,
            url=release.iri,  # persistent, unlike where this server happens to run
        )
    manifest = current_store().manifest or {}
    content_hash = str(manifest.get("content_hash", "")).removeprefix("sha256:")
    built = str(manifest.get("built", ""))[:10]
    return CitationFacts(
        title=CITATION_TITLE,
        version=content_hash[:16],
        issued=date.fromisoformat(built),
        publisher=PUBLISHER_NAME["en"],
        licence=LICENCE,
        iri=current_context().publication.iri("dataset").value,
        url=current_context().publication.base,
    )


@dataclass(frozen=True)
class CiteBlocks:
    """A citation as a page shows it: BibTeX and CSL-JSON text, and where to download."""

    facts: CitationFacts
    bibtex: str
    csl_json: str
    bibtex_url: str | None
    csl_json_url: str | None


def cite_blocks(facts: CitationFacts, release: Release | None = None) -> CiteBlocks | None:
    """The texts of a "cite this" block; None if the facts cannot be written safely."""
    try:
        bib = bibtex(facts)
    except BibTeXError:
        current_app.logger.exception("cannot write the citation of %s", facts.iri)
        return None
    csl = json.dumps([csl_json(facts)], ensure_ascii=False, indent=2)
    urls: Sequence[str | None] = (None, None)
    if release is not None:
        urls = [f"{request.script_root}/release/{release.version}/{n}" for n in CITATION_FILES]
    return CiteBlocks(facts, bib, csl, urls[0], urls[1])


def cite_this() -> CiteBlocks | None:
    """``cite_this()`` in templates: how to cite the newest release, else the live data;
    None when the data are not a build (no manifest)."""
    newest = current_context().releases.newest
    if newest is None and not current_store().manifest:
        return None
    return cite_blocks(citation_of(newest), newest)
