"""A tiny synthetic dataset for the data-quality report (``services.quality``), its page and
``iprkg validate --report``: three councils and a municipality, made to have one of each
thing the report says.

* **Alfarådet** knows everything: an IPR founded 2019-05-02, two members in a complete
  list, a strategy 2020-2024 whose focus areas, goals and stakeholders are complete lists;
* **Betarådet** has the gaps: a legal form not stated (``cooperation-form/regionrad``), no
  founding date, members in a list neither complete nor incomplete, no strategy; Tre's
  membership is uncertain (two sources, one a news item); the council, Fire's membership and
  Fire itself rest only on a news item;
* **Gammarådet** has an incomplete member list with no members, and a strategy without a
  period whose focus areas are cut off and whose goals and stakeholders are not said;
* **Gammel kommune** is uncertain and belongs to no council.

``QUALITY_DATA`` is Turtle relative to the base (``support.project.DEFAULT_BASE``);
``quality_graph()`` parses it. The tiny project's shapes accept it, so it can be validated
as ``data/councils/quality.ttl`` of ``write_tiny_project``.
"""

from __future__ import annotations

from rdflib import Graph

from support.project import DEFAULT_BASE

QUALITY_DATA = """\
@prefix ipr: <ontology#> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

<source-kind/primary-source> a skos:Concept ;
    skos:prefLabel "førstehåndskilde"@nb , "primary source"@en .
<source-kind/council-site> a skos:Concept ; skos:broader <source-kind/primary-source> ;
    skos:prefLabel "rådets eget nettsted"@nb , "the council's own site"@en .
<source-kind/weaker-source> a skos:Concept ;
    skos:prefLabel "svakere kilde"@nb , "weaker source"@en .
<source-kind/news-item> a skos:Concept ; skos:broader <source-kind/weaker-source> ;
    skos:prefLabel "nyhetssak"@nb , "news item"@en .
<cooperation-form/regionrad> a skos:Concept ;
    skos:prefLabel "regionråd"@nb , "regional council"@en .
<cooperation-form/interkommunalt-politisk-rad> a skos:Concept ;
    skos:prefLabel "interkommunalt politisk råd"@nb , "inter-municipal political council"@en .

<https://alfa.example/om> a foaf:Document ;
    dct:title "Om Alfarådet"@nb , "About the Alfa Council"@en ;
    dct:type <source-kind/council-site> .
<https://news.example/beta> a foaf:Document ;
    dct:title "Nyhetssak om Betarådet"@nb , "News item on the Beta Council"@en ;
    dct:type <source-kind/news-item> .

<council/alfa> a ipr:RegionalCouncil ;
    rdfs:label "Alfarådet"@nb , "The Alfa Council"@en ;
    dct:type <cooperation-form/interkommunalt-politisk-rad> ;
    dct:created "2019-05-02"^^xsd:date ;
    org:hasMember <municipality/en> , <municipality/to> ;
    ipr:completeList org:hasMember ;
    skos:note "Kilden nevner alle."@nb , "The source names them all."@en ;
    dct:source <https://alfa.example/om> .
<municipality/en> a ipr:Municipality ; rdfs:label "En kommune"@nb , "En Municipality"@en .
<municipality/to> a ipr:Municipality ; rdfs:label "To kommune"@nb , "To Municipality"@en .
<strategy/alfa-2020-2024> a ipr:Strategy ;
    dct:title "Alfastrategien 2020–2024"@nb , "The Alfa strategy 2020–2024"@en ;
    ipr:strategyOf <council/alfa> ;
    dct:temporal <strategy/alfa-2020-2024/period> ;
    ipr:focusArea <focus-area/veg> ;
    ipr:worksTowards <stakeholder/staten> ;
    ipr:completeList ipr:focusArea , ipr:emphasisesGoal , ipr:worksTowards ;
    skos:note "Kilden gir hele listene."@nb , "The source gives the whole lists."@en ;
    dct:source <https://alfa.example/om> .
<strategy/alfa-2020-2024/period> a dct:PeriodOfTime ;
    rdfs:label "2020–2024"@nb , "2020–2024"@en ;
    dcat:startDate "2020-01-01"^^xsd:date ; dcat:endDate "2024-12-31"^^xsd:date .
<focus-area/veg> a skos:Concept ; skos:prefLabel "Veg"@nb , "Roads"@en .
<stakeholder/staten> rdfs:label "Staten"@nb , "The state"@en .

<council/beta> a ipr:RegionalCouncil ;
    rdfs:label "Betarådet"@nb , "The Beta Council"@en ;
    dct:type <cooperation-form/regionrad> ;
    org:hasMember <municipality/tre> , <municipality/fire> ;
    dct:source <https://news.example/beta> .
<council/beta/membership/tre/deltakerkommune> a org:Membership ;
    rdfs:label "Tre kommune, deltakerkommune i Betarådet"@nb ,
        "Tre Municipality, participating municipality of the Beta Council"@en ;
    org:organization <council/beta> ; org:member <municipality/tre> ;
    ipr:uncertain true ;
    skos:note "Kildene er uenige om Tre (ipr:uncertain)."@nb ,
        "The sources disagree on Tre (ipr:uncertain)."@en ;
    dct:source <https://news.example/beta> , <https://alfa.example/om> .
<council/beta/membership/fire/deltakerkommune> a org:Membership ;
    rdfs:label "Fire kommune, deltakerkommune i Betarådet"@nb ,
        "Fire Municipality, participating municipality of the Beta Council"@en ;
    org:organization <council/beta> ; org:member <municipality/fire> ;
    dct:source <https://news.example/beta> .
<municipality/tre> a ipr:Municipality ; rdfs:label "Tre kommune"@nb , "Tre Municipality"@en .
<municipality/fire> a ipr:Municipality ;
    rdfs:label "Fire kommune"@nb , "Fire Municipality"@en ;
    dct:source <https://news.example/beta> .

<council/gamma> a ipr:RegionalCouncil ;
    rdfs:label "Gammarådet"@nb , "The Gamma Council"@en ;
    dct:type <cooperation-form/interkommunalt-politisk-rad> ;
    ipr:incompleteList org:hasMember ;
    skos:note "Kilden nevner ingen."@nb , "The source names none."@en ;
    dct:source <https://alfa.example/om> .
<strategy/gamma> a ipr:Strategy ;
    dct:title "Gammaplanen"@nb , "The Gamma plan"@en ;
    ipr:strategyOf <council/gamma> ;
    ipr:focusArea <focus-area/veg> ;
    ipr:incompleteList ipr:focusArea ;
    skos:note "Listen er kuttet."@nb , "The list is cut off."@en ;
    dct:source <https://alfa.example/om> .

<municipality/gammel> a ipr:Municipality ;
    rdfs:label "Gammel kommune"@nb , "Gammel Municipality"@en ;
    ipr:uncertain true ;
    skos:note "Sluttdatoen er usikker."@nb , "The end date is uncertain."@en ;
    dct:source <https://alfa.example/om> .
"""

COUNCILS = ("council/alfa", "council/beta", "council/gamma")
"""The councils, in the report's order, relative to the base."""


def quality_graph() -> Graph:
    """``QUALITY_DATA`` parsed against the default base."""
    graph = Graph()
    graph.parse(data=QUALITY_DATA, format="turtle", publicID=DEFAULT_BASE)
    return graph
