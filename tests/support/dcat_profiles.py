"""The DCAT profiles a harvester validates our catalogue with (files in the external
folder), the vocabularies their themes come from, and the catalogue as such a validator
sees it (``with_themes``).
"""

from __future__ import annotations

from rdflib import RDF, SKOS, Graph
from rdflib.namespace import DCAT

DCAT_AP_NO = ["dcat-ap-no-2.0/DCAT-AP-NO-shacl_shapes_2.00.ttl"]
DCAT_AP_3 = [
    "dcat-ap-3.0.1/shapes.ttl",
    "dcat-ap-3.0.1/range.ttl",
    "dcat-ap-3.0.1/mdr-vocabularies.shape.ttl",
    "dcat-ap-3.0.1/deprecateduris.ttl",
]
VOCABULARIES = ["eu-data-theme/data-theme.ttl", "los/los.rdf"]


def with_themes(catalog: Graph, vocabularies: Graph) -> Graph:
    """The catalogue, and what the vocabularies say of its themes (type, scheme, labels),
    as a validator holding the vocabularies sees it. The EU copy has no rdf:type, which
    the NAL itself gives every concept: skos:Concept."""
    graph = Graph()
    for triple in catalog:
        graph.add(triple)
    for theme in set(catalog.objects(None, DCAT.theme)):
        assert (theme, SKOS.inScheme, None) in vocabularies, f"{theme} is in no vocabulary"
        graph.add((theme, RDF.type, SKOS.Concept))
        for predicate in (SKOS.inScheme, SKOS.prefLabel):
            for value in vocabularies.objects(theme, predicate):
                graph.add((theme, predicate, value))
    return graph
