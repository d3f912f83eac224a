"""Display labels: the name of an IRI in the page's language, for the HTML pages.

Every label in the store (``vocabulary.LABEL_PROPERTIES``: skos:prefLabel, rdfs:label,
dct:title, eli:title, foaf:name, schema:name, skos:altLabel, and skos:notation as a last
resort) is read once, when first needed, and kept for the app's life (``web.context``).
The best label for a language is the one in that language, else one without a language
tag, else one in another language; among those, the property listed first wins. An IRI
without a label shows its last segment (after ``#``, else after the last ``/``), or the
prefixed name (``dct:source``) for well-known vocabularies' terms.

A strategy level is named with its strategy ("Regionalt nivå — Strategi for … 2022-2035"),
so that a page listing levels of several strategies says whose each is (``level_title``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping

from iprkg.core.vocabulary import (
    CV,
    DCAT,
    DCT,
    ELI,
    FOAF,
    LABEL_PROPERTIES,
    NOTATION,
    ORG,
    OWL,
    PROV,
    RDF,
    RDFS,
    SCHEMA,
    SKOS,
    VANN,
    XSD,
)
from iprkg.engine.results import select
from iprkg.engine.store import ReadOnlyStore, labels
from iprkg.services.page_queries import query
from iprkg.services.vocabulary_terms import label_rows

LEVEL_SEPARATOR = " — "
"""Between a level's own label and its strategy's ("Regionalt nivå — Strategi for …")."""

LANGUAGE_TAGS = {"nb": ("nb", "no", "nn"), "en": ("en",)}
"""Language tags that count as the page language, most preferred first (a Bokmål page
takes a Norwegian label, then a Nynorsk one: "Forvaltning og offentlig sektor"@nb rather
than "… offentleg sektor"@nn)."""


class Labels:
    """The best label of each IRI, per page language."""

    def __init__(
        self,
        rows: Iterable[tuple[str, str, str, str]],
        levels: Mapping[str, str] | None = None,
    ) -> None:
        self._candidates: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
        for resource, prop, text, language in rows:
            self._candidates[resource].append((prop, text, language.lower()))
        self._levels = dict(levels or {})
        """Each strategy level's strategy, by the level's IRI."""

    def label(self, iri: str, lang: str) -> str:
        """The label of ``iri`` in ``lang`` ('nb' or 'en'), else a readable fallback; a
        strategy level's with its strategy's (``level_title``)."""
        strategy = self._levels.get(iri)
        if strategy is not None and strategy != iri:
            return f"{self.own_label(iri, lang)}{LEVEL_SEPARATOR}{self.own_label(strategy, lang)}"
        return self.own_label(iri, lang)

    def own_label(self, iri: str, lang: str) -> str:
        """The label of ``iri`` itself in ``lang``, else a readable fallback."""
        candidates = self._candidates.get(iri)
        if not candidates:
            return fallback(iri)
        return min(candidates, key=lambda candidate: rank(candidate, lang))[1]

    def has_label(self, iri: str) -> bool:
        return iri in self._candidates


def rank(candidate: tuple[str, str, str], lang: str) -> tuple[int, int, int, str]:
    """Labels in the page language first, in the order of ``LANGUAGE_TAGS`` (a Bokmål
    page: nb, no, then nn), then those without a tag, then the other page language's (in
    its order), then any other; among equals, the property listed first."""
    prop, text, language = candidate
    primary = language.split("-", 1)[0]
    own = LANGUAGE_TAGS.get(lang, (lang,))
    others = [tag for key, tags in LANGUAGE_TAGS.items() if key != lang for tag in tags]
    if primary in own:
        language_rank = own.index(primary)
    elif not language:
        language_rank = len(own)
    elif primary in others:
        language_rank = len(own) + 1 + others.index(primary)
    else:
        language_rank = len(own) + 1 + len(others)
    order = LABEL_PROPERTIES.index(prop) if prop in LABEL_PROPERTIES else len(LABEL_PROPERTIES)
    return (int(prop == NOTATION), language_rank, order, text)


WELL_KNOWN: Mapping[str, str] = {
    RDF: "rdf",
    RDFS: "rdfs",
    OWL: "owl",
    SKOS: "skos",
    DCT: "dct",
    FOAF: "foaf",
    ORG: "org",
    DCAT: "dcat",
    PROV: "prov",
    XSD: "xsd",
    VANN: "vann",
    ELI: "eli",
    CV: "cv",
    SCHEMA: "schema",
}
"""Vocabularies whose terms show as prefixed names when they have no label here."""


def fallback(iri: str) -> str:
    """``dct:source`` for a well-known term, else the IRI's last segment, else the IRI."""
    for namespace, prefix in WELL_KNOWN.items():
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    segment = iri.rstrip("/").rsplit("#", 1)[-1] if "#" in iri else iri.rstrip("/")
    segment = segment.rsplit("/", 1)[-1]
    return segment or iri


def read_labels(store: ReadOnlyStore) -> Labels:
    """Every label in ``store``, ready to choose from, and each level's strategy; after
    the store's labels, our words for the outside vocabularies' terms
    (``vocabulary_terms``), so that no page names a term by its CURIE."""
    return Labels(labels(store) + label_rows(store.base_iri), read_level_strategies(store))


def read_level_strategies(store: ReadOnlyStore) -> dict[str, str]:
    """The strategy of each strategy level (``ipr:hasLevel``), by the level's IRI."""
    rows = select(store, query("level/strategies"))
    return {str(row["level"]): str(row["strategy"]) for row in rows}


def level_title(store: ReadOnlyStore, iri: str, lang: str) -> str:
    """The name of the strategy level ``iri`` with its strategy's, in ``lang``
    ("Regionalt nivå — Strategi for Nome og Midt-Telemark IPR 2022-2035"); a page that has
    the app's ``Labels`` gets the same from ``Labels.label``."""
    return read_labels(store).label(iri, lang)
