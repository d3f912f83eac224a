"""The theme authorities: LOS and the EU data themes, read from the authorities' own files.

Focus areas are mapped to themes of two authorities (docs/model.md, "Aligning focus areas
with themes"): LOS, the Norwegian public sector's thesaurus (Digdir), and the EU data
themes (the Publications Office's authority table). Their files lie in the external
reference folder (the ``IPRKG_EXTERNAL`` setting, ``los/los.rdf`` and
``eu-data-theme/data-theme.ttl``), never in the project. This module reads the themes
from them: labels in nb, nn and en, the notation where the authority gives one (the EU
table's identifier, e.g. ``TRAN``; LOS has none), the scheme, and LOS's ``skos:broader``
between themes. The build publishes what the data use and the validator checks theme
IRIs against them; both call ``load_authorities``, which answers ``None`` where the folder
is absent, so that a clone without it still builds (with a note, and without theme names).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DC, SKOS
from rdflib.term import Node

LOS_THEMES = "https://psi.norge.no/los/tema/"
"""Namespace of LOS's themes (its words, ``los/ord/``, are not themes)."""
LOS_SCHEME = "https://psi.norge.no/los/ontologi/tema"
EU_THEMES = "http://publications.europa.eu/resource/authority/data-theme/"
EU_SCHEME = "http://publications.europa.eu/resource/authority/data-theme"
LANGUAGES = ("nb", "nn", "en")
"""The label languages published for a theme, where the authority has them."""


@dataclass(frozen=True)
class Authority:
    """One theme authority and the file it is read from."""

    key: str
    """``LOS`` or ``EU``: how matrices and downloads name the scheme."""
    namespace: str
    scheme: str
    """The IRI of the authority's concept scheme."""
    path: str
    """The file, relative to the external folder."""
    format: str
    source: str
    """Where the authority publishes the table: each published theme's ``dct:source``."""


AUTHORITIES = (
    Authority(
        "LOS", LOS_THEMES, LOS_SCHEME, "los/los.rdf", "xml", "https://psi.norge.no/los/all.rdf"
    ),
    Authority(
        "EU",
        EU_THEMES,
        EU_SCHEME,
        "eu-data-theme/data-theme.ttl",
        "turtle",
        "http://publications.europa.eu/resource/authority/data-theme",
    ),
)


class AuthorityError(Exception):
    """An authority file is there but cannot be read; the build stops and names it."""


@dataclass(frozen=True)
class Theme:
    """A theme as its authority describes it."""

    iri: str
    authority: Authority
    labels: tuple[tuple[str, str], ...]
    """``(language, label)`` for nb, nn and en, those the authority has."""
    notation: str | None
    broader: str | None
    """The broader theme in the same authority (LOS's two levels), if any."""

    def label(self, lang: str) -> str | None:
        return dict(self.labels).get(lang)


@dataclass(frozen=True)
class Themes:
    """Every theme of every authority, by IRI."""

    themes: dict[str, Theme]
    files: tuple[Path, ...]
    scheme_labels: dict[str, tuple[tuple[str, str], ...]] = field(default_factory=dict)
    """Scheme IRI -> ``(language, label)`` for nb, nn and en, those the authority has."""

    def get(self, iri: str) -> Theme | None:
        return self.themes.get(iri)

    def broader_chain(self, iri: str) -> list[str]:
        """The themes above ``iri``, nearest first."""
        chain: list[str] = []
        current = self.themes.get(iri)
        while current is not None and current.broader and current.broader not in chain:
            chain.append(current.broader)
            current = self.themes.get(current.broader)
        return chain

    def suggestions(self, iri: str, count: int = 3) -> list[str]:
        """Themes of the same authority whose IRI is closest to ``iri`` (a misspelt slug)."""
        authority = authority_of(iri)
        if authority is None:
            return []
        names = {
            theme.iri[len(authority.namespace) :]: theme.iri
            for theme in self.themes.values()
            if theme.authority is authority
        }
        close = difflib.get_close_matches(iri[len(authority.namespace) :], names, count, 0.5)
        return [names[name] for name in close]


def authority_of(iri: str) -> Authority | None:
    """The authority whose theme namespace ``iri`` is in, if any."""
    return next((a for a in AUTHORITIES if iri.startswith(a.namespace)), None)


def load_authorities(external: Path) -> Themes | None:
    """The themes of LOS and the EU table from ``external``; None if a file is absent."""
    paths = tuple(external / authority.path for authority in AUTHORITIES)
    if not all(path.is_file() for path in paths):
        return None
    return read_themes(paths)


@lru_cache(maxsize=4)
def read_themes(paths: tuple[Path, ...]) -> Themes:
    themes: dict[str, Theme] = {}
    scheme_labels: dict[str, tuple[tuple[str, str], ...]] = {}
    for authority, path in zip(AUTHORITIES, paths, strict=True):
        graph = Graph()
        try:
            graph.parse(path, format=authority.format)
        except Exception as error:  # rdflib raises many kinds for a broken file
            raise AuthorityError(
                f"{path}: the {authority.key} theme authority cannot be read ({error}); "
                f"restore the file from its ORIGIN or point IPRKG_EXTERNAL at a good copy"
            ) from error
        for subject in set(graph.subjects(SKOS.inScheme, URIRef(authority.scheme))):
            iri = str(subject)
            if not iri.startswith(authority.namespace):
                continue
            themes[iri] = Theme(
                iri=iri,
                authority=authority,
                labels=tuple(
                    (lang, label)
                    for lang in LANGUAGES
                    if (label := pref_label(graph, subject, lang)) is not None
                ),
                notation=first_text(graph.objects(subject, DC.identifier)),
                broader=next(
                    (
                        str(b)
                        for b in sorted(graph.objects(subject, SKOS.broader), key=str)
                        if str(b).startswith(authority.namespace)
                    ),
                    None,
                ),
            )
        scheme_labels[authority.scheme] = tuple(
            (lang, label)
            for lang in LANGUAGES
            if (label := pref_label(graph, URIRef(authority.scheme), lang)) is not None
        )
        if not any(theme.authority is authority for theme in themes.values()):
            raise AuthorityError(
                f"{path}: no {authority.key} themes found (nothing in the scheme "
                f"<{authority.scheme}>); is this the right file?"
            )
    return Themes(themes, paths, scheme_labels)


def pref_label(graph: Graph, subject: Node, lang: str) -> str | None:
    for label in sorted(graph.objects(subject, SKOS.prefLabel), key=str):
        if isinstance(label, Literal) and label.language == lang:
            return str(label)
    return None


def first_text(values: Iterable[Node]) -> str | None:
    texts = sorted(str(value) for value in values)
    return texts[0] if texts else None
