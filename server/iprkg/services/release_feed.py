"""The Atom feed of releases (RFC 4287), for people's feed readers: one entry per
release, newest first, linking the release's page, with what changed in English.

Atom holds one language (``xml:lang="en"``): the summary is the release's
``changes.en.md`` as plain text (its links reduced to their labels), and each entry also
links both change summaries, ``changes.en.md`` and ``changes.nb.md``, with their
``hreflang``. IDs are canonical (the feed's ``{base}feed/releases.atom``, each release's
IRI); links are where this server answers (``publication.Locations``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from xml.etree import ElementTree

from iprkg.artefact.releases import Release
from iprkg.services.publication import PUBLISHER_NAME, Locations, Publication

ATOM = "http://www.w3.org/2005/Atom"
ATOM_MEDIA_TYPE = "application/atom+xml"
ATOM_SPECIFICATION = "https://www.rfc-editor.org/rfc/rfc4287"
ATOM_PATH = "feed/releases.atom"
"""The feed's IRI relative to the base, and its path at this server."""
EPOCH = "1970-01-01T00:00:00Z"
"""The feed's ``updated`` when nothing was ever released or built."""

FEED_TITLE = "iprkg: releases of the data on Norway's regional councils"
FEED_SUBTITLE = (
    "Each release of the iprkg data: its version, date and what changed since the one before."
)
LINKED = re.compile(r"\[((?:\\.|[^\]\\])*)\]\(<[^>]*>\)")
"""A Markdown link as ``iprkg.build.changes`` writes it: ``[label](<IRI>)``."""
ESCAPED = re.compile(r"\\(.)")


def releases_atom(publication: Publication, at: Locations, releases: Sequence[Release]) -> bytes:
    """The feed of ``releases`` (oldest first, as served), as UTF-8 XML."""
    p = publication
    newest = releases[-1].released if releases else (p.built or EPOCH)
    feed = ElementTree.Element("feed", {"xmlns": ATOM, "xml:lang": "en"})
    text(feed, "id", f"{p.base}{ATOM_PATH}")
    text(feed, "title", FEED_TITLE)
    text(feed, "subtitle", FEED_SUBTITLE)
    text(feed, "updated", newest)
    author = ElementTree.SubElement(feed, "author")
    text(author, "name", PUBLISHER_NAME["en"])
    text(author, "uri", p.base)
    link(feed, "self", f"{at.root}{ATOM_PATH}", ATOM_MEDIA_TYPE)
    link(feed, "alternate", f"{at.root}release/", "text/html")
    text(feed, "rights", "CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/)")
    for release in reversed(releases):
        entry = ElementTree.SubElement(feed, "entry")
        text(entry, "id", release.iri)
        text(entry, "title", f"Release {release.version}")
        text(entry, "updated", release.released)
        text(entry, "published", release.released)
        link(entry, "alternate", at.release(release.version), "text/html")
        for lang in ("en", "nb"):
            name = f"changes.{lang}.md"
            if name in release.files:
                link(entry, "related", at.release(release.version, name), "text/markdown", lang)
        text(entry, "summary", summary(release), type="text")
    body: bytes = ElementTree.tostring(feed, encoding="utf-8", xml_declaration=True)
    return body


def summary(release: Release) -> str:
    """What changed in ``release``, in English plain text; or that it is the first."""
    if "changes.en.md" not in release.files:
        return f"First release: {release.triples} triples."
    markdown = release.file("changes.en.md").decode("utf-8")
    return f"Release {release.version} ({release.triples} triples).\n{plain(markdown)}"


def plain(markdown: str) -> str:
    """A change summary's Markdown as plain text: links as their labels, headings as
    ``Heading:``, no blank lines."""
    lines = []
    for line in markdown.splitlines():
        if not line.strip():
            continue
        line = LINKED.sub(lambda match: ESCAPED.sub(r"\1", match.group(1)), line)
        if line.startswith("### "):
            line = f"{line.removeprefix('### ')}:"
        lines.append(line)
    return "\n".join(lines)


def text(parent: ElementTree.Element, name: str, value: str, **attributes: str) -> None:
    ElementTree.SubElement(parent, name, attributes).text = value


def link(
    parent: ElementTree.Element, rel: str, href: str, media_type: str, hreflang: str = ""
) -> None:
    attributes = {"rel": rel, "href": href, "type": media_type}
    if hreflang:
        attributes["hreflang"] = hreflang
    ElementTree.SubElement(parent, "link", attributes)
