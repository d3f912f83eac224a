"""Reading a page as a person does: its visible text, in nb or en.

``page_text(client, target, lang)`` asks for the HTML page of a path under the base
(``/focus-area/x``) or of an outside IRI (``http://metadata.un.org/sdg/3``, at
``/resource?iri=…``), follows redirects, and gives the page's text with its tags removed
and spaces collapsed; ``machine_names(text)`` finds the prefixed names a person should
never have to read (``ipr:``, ``skos:``, ``org:``, ``dct:`` …).
"""

from __future__ import annotations

import re
from html import unescape

from flask.testing import FlaskClient
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDFS, SKOS

from iprkg.services.labels import LANGUAGE_TAGS
from support.html import BROWSER, parsed_html

MACHINE_NAME = re.compile(
    r"\b(?:ipr|skos|org|dct|dcat|foaf|prov|owl|rdfs|rdf|xsd|eli|cv|sdgo|vann):[A-Za-z_]"
)


def page_html(client: FlaskClient, target: str, lang: str) -> str:
    if target.startswith(("http://", "https://")):
        response = client.get(
            "/resource",
            query_string={"iri": target, "lang": lang},
            headers={"Accept": BROWSER},
            follow_redirects=True,
        )
    else:
        response = client.get(
            target, query_string={"lang": lang}, headers={"Accept": BROWSER}, follow_redirects=True
        )
    assert response.status_code == 200, (target, response.status_code)
    assert response.mimetype == "text/html"
    return response.get_data(as_text=True)


def visible_text(html: str) -> str:
    """The text of ``html`` outside tags, spaces collapsed (scripts and styles too: the
    pages have none inline)."""
    return " ".join(" ".join(parsed_html(html).text).split())


def page_text(client: FlaskClient, target: str, lang: str) -> str:
    return visible_text(page_html(client, target, lang))


def machine_names(text: str) -> list[str]:
    """Prefixed names in ``text`` (each with a little context)."""
    return [text[max(0, m.start() - 30) : m.end() + 20] for m in MACHINE_NAME.finditer(text)]


ELI_TITLE = URIRef("http://data.europa.eu/eli/ontology#title")
MACHINE = ("ipr:", "org:", "skos:", "dct:", "prov:", "owl:", "xsd:", "<meeting/", "<council/")
"""Machine text a page's own words never show (its "every fact" section may)."""


def said_text(client: FlaskClient, path: str, lang: str) -> str:
    """What the page at ``path`` says in its main part, before its "every fact in the data"
    section (the triples), unescaped, spaces collapsed."""
    response = client.get(
        path, query_string={"lang": lang}, headers={"Accept": BROWSER}, follow_redirects=True
    )
    assert response.status_code == 200, response.text
    assert response.mimetype == "text/html"
    body = response.text.split('<main id="main">', 1)[1].split("</main>", 1)[0]
    body = body.split('<section class="all-facts"', 1)[0]
    return re.sub(r"\s+", " ", unescape(" ".join(parsed_html(body).text)))


def label(dataset: Graph, iri: URIRef, lang: str) -> str:
    """``iri``'s label in ``lang`` as the data give it (rdfs:label, skos:prefLabel,
    dct:title, eli:title); a Norwegian page takes a Nynorsk one where there is no
    Bokmål one, as the pages do (``services.labels.LANGUAGE_TAGS``)."""
    for tag in LANGUAGE_TAGS.get(lang, (lang,)):
        for prop in (RDFS.label, SKOS.prefLabel, DCTERMS.title, ELI_TITLE):
            for value in dataset.objects(iri, prop):
                if isinstance(value, Literal) and value.language == tag:
                    return str(value)
    raise AssertionError(f"no {lang} label for {iri}")
