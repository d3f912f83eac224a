"""The theme facts: what the authorities say of the themes our focus areas are mapped to.

Focus areas are mapped to LOS themes and EU data themes (docs/model.md, "Aligning focus
areas with themes"). So that a theme IRI has a name on every page and dereferences here,
the build publishes, for every theme the data use (an object of a SKOS mapping property)
and every LOS theme above one of them, what its authority's file says
(``authorities.load_authorities``): ``a skos:Concept``, ``skos:prefLabel`` in nb, nn and
en as the authority has them, ``skos:notation`` where it has one (the EU table's
identifier), ``skos:inScheme``, ``skos:broader`` (LOS) and ``dct:source`` the authority's
publication; and each scheme used with ``dct:source`` and, where the authority names it
in Norwegian (LOS does, the EU table does not), as a ``skos:ConceptScheme``; its labels
in any case. Nothing else is taken from the files.

These triples go in the dumps beside our data, and in ``iprkg.nq`` as a graph of their
own, ``{base}graph/authorities`` (``quads``). Without the external folder the build goes
on without them (the pages then name themes by their codes); a file that is there but
cannot be read stops the build (``ThemeAuthorityError``), naming the file.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, SKOS

from iprkg.build.authorities import AUTHORITIES, AuthorityError, Themes, load_authorities
from iprkg.build.sources import SourceError

MAPPINGS = (SKOS.exactMatch, SKOS.closeMatch, SKOS.broadMatch, SKOS.narrowMatch, SKOS.relatedMatch)
"""The SKOS mapping properties whose objects are the themes the data use."""
AUTHORITIES_GRAPH = "authorities"
"""The named graph of the theme facts in ``iprkg.nq``: ``{base}graph/authorities``."""


class ThemeAuthorityError(SourceError):
    """A theme authority's file is there but cannot be read (``authorities.AuthorityError``)."""


@dataclass(frozen=True)
class ThemeFacts:
    """The published theme facts, and the authority files they were read from."""

    graph: Graph
    themes: Themes

    def manifest_entry(self, external: Path) -> list[dict[str, Any]]:
        """The authority files, for the manifest's ``authorities``: each one's path in the
        external folder, sha256 and the publication it copies."""
        return [
            {
                "authority": authority.key,
                "path": authority.path,
                "sha256": hashlib.sha256((external / authority.path).read_bytes()).hexdigest(),
                "source": authority.source,
            }
            for authority in AUTHORITIES
        ]


def used_themes(data: Graph, themes: Themes) -> list[str]:
    """The authorities' themes that ``data`` maps to, and the LOS themes above them."""
    used = {
        str(theme)
        for mapping in MAPPINGS
        for theme in data.objects(None, mapping)
        if isinstance(theme, URIRef) and themes.get(str(theme)) is not None
    }
    for iri in list(used):
        used.update(themes.broader_chain(iri))
    return sorted(used)


def theme_graph(data: Graph, themes: Themes) -> Graph:
    """What the authorities say of the themes ``data`` use, and of their schemes."""
    graph = Graph(bind_namespaces="none")
    schemes = set()
    for iri in used_themes(data, themes):
        theme = themes.themes[iri]
        subject = URIRef(iri)
        graph.add((subject, RDF.type, SKOS.Concept))
        for lang, label in theme.labels:
            graph.add((subject, SKOS.prefLabel, Literal(label, lang=lang)))
        if theme.notation:
            graph.add((subject, SKOS.notation, Literal(theme.notation)))
        graph.add((subject, SKOS.inScheme, URIRef(theme.authority.scheme)))
        if theme.broader:
            graph.add((subject, SKOS.broader, URIRef(theme.broader)))
        graph.add((subject, DCTERMS.source, URIRef(theme.authority.source)))
        schemes.add(theme.authority)
    for authority in sorted(schemes, key=lambda a: a.key):
        scheme = URIRef(authority.scheme)
        labels = themes.scheme_labels.get(authority.scheme, ())
        if {"nb", "nn"} & {lang for lang, _ in labels}:
            # Our shapes, which harvesters of our dumps apply too, want every concept
            # scheme named in Norwegian; the EU table names its scheme in English only.
            graph.add((scheme, RDF.type, SKOS.ConceptScheme))
        for lang, label in labels:
            graph.add((scheme, SKOS.prefLabel, Literal(label, lang=lang)))
        graph.add((scheme, DCTERMS.source, URIRef(authority.source)))
    return graph


def load_theme_facts(
    external: Path, data: Graph, progress: Callable[[str], None]
) -> ThemeFacts | None:
    """The theme facts for ``data`` from the authorities in ``external``; None (and a line
    through ``progress``) where the folder lacks them; ThemeAuthorityError for a broken file."""
    try:
        themes = load_authorities(external)
    except AuthorityError as error:
        raise ThemeAuthorityError(str(error)) from error
    if themes is None:
        files = ", ".join(authority.path for authority in AUTHORITIES)
        progress(
            f"no theme authorities in {external} ({files}): building without theme names "
            "(set IPRKG_EXTERNAL to the folder that has them)"
        )
        return None
    return ThemeFacts(theme_graph(data, themes), themes)
