"""The example queries, as the store holds them: the SHACL SPARQL executables the build
publishes for ``queries/**/*.rq`` (``build.examples``; ``core.example_queries`` names the
terms). The query page's menu, the service description and VoID read them from here, so
they list exactly what a client finds with SPARQL at ``/sparql``; nothing in the server
reads the ``.rq`` files.

A title or description missing in Norwegian is shown in English (the build publishes
only the languages a file has).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pyoxigraph import Literal, NamedNode, Triple

from iprkg.core.example_queries import EXECUTABLE, FORMS, SCHEMA_TARGET, example_name
from iprkg.core.vocabulary import RDF, RDFS
from iprkg.engine.store import ReadOnlyStore, select

EXAMPLES_QUERY = f"""SELECT ?example ?class ?text ?target WHERE {{
  ?example a <{EXECUTABLE}>, ?class ; ?property ?text .
  VALUES (?class ?property) {{ {" ".join(f"(<{f.executable}> <{f.text}>)" for f in FORMS)} }}
  OPTIONAL {{ ?example <{SCHEMA_TARGET}> ?target }}
}}"""
TEXTS_QUERY = f"""SELECT ?example ?property ?text WHERE {{
  ?example a <{EXECUTABLE}> ; ?property ?text .
  VALUES ?property {{ <{RDFS}label> <{RDFS}comment> }}
}}"""
LANGUAGES = ("en", "nb")


@dataclass(frozen=True)
class Example:
    """One example query, as the store describes it: its texts in each language as
    published ("" where the file has none; ``title``/``description`` fall back to en)."""

    name: str
    """Its path under ``queries/`` without ``.rq``: the menu's value."""
    iri: str
    form: str
    """``SELECT``, ``ASK``, ``CONSTRUCT`` or ``DESCRIBE``."""
    text: str
    target: str
    """The endpoint it is for (``schema:target``)."""
    labels: tuple[tuple[str, str], ...]
    """``(language, rdfs:label)`` for en and nb, those published."""
    comments: tuple[tuple[str, str], ...]
    """``(language, rdfs:comment)`` for en and nb, those published."""

    def title(self, lang: str) -> str:
        """The title in ``lang`` (nb or en), else in English, else the name."""
        texts = dict(self.labels)
        return texts.get(lang) or texts.get("en") or self.name

    def description(self, lang: str) -> str:
        """The description in ``lang`` (nb or en), else in English, else ""."""
        texts = dict(self.comments)
        return texts.get(lang) or texts.get("en") or ""


def examples_in(store: ReadOnlyStore) -> list[Example]:
    """The example queries under the store's base, sorted as their files are (by path)."""
    base = store.base_iri
    forms = {form.executable: form.keyword for form in FORMS}
    texts: dict[tuple[str, str, str], str] = {}
    for row in select(store, TEXTS_QUERY):
        lang = row["text"].get("xml:lang", "")
        key = (row["example"]["value"], row["property"]["value"], lang)
        texts[key] = min(texts.get(key, row["text"]["value"]), row["text"]["value"])
    found: dict[str, Example] = {}
    for row in select(store, EXAMPLES_QUERY):
        iri = row["example"]["value"]
        name = example_name(base, iri)
        if name is None or iri in found:
            continue
        found[iri] = Example(
            name=name,
            iri=iri,
            form=forms[row["class"]["value"]],
            text=row["text"]["value"],
            target=row.get("target", {}).get("value", ""),
            labels=published(texts, iri, f"{RDFS}label"),
            comments=published(texts, iri, f"{RDFS}comment"),
        )
    return sorted(found.values(), key=lambda example: example.name.split("/"))


def published(
    texts: dict[tuple[str, str, str], str], iri: str, prop: str
) -> tuple[tuple[str, str], ...]:
    return tuple((lang, texts[iri, prop, lang]) for lang in LANGUAGES if (iri, prop, lang) in texts)


def example_named(examples: Sequence[Example], name: str) -> Example | None:
    return next((example for example in examples if example.name == name), None)


def example_triples(examples: Sequence[Example]) -> list[Triple]:
    """The examples' own triples, as the store holds them (types, text, labels and
    comments in en and nb, target): what the service description and VoID repeat."""
    triples: list[Triple] = []
    by_keyword = {form.keyword: form for form in FORMS}
    for example in examples:
        subject, form = NamedNode(example.iri), by_keyword[example.form]
        triples += [
            Triple(subject, NamedNode(f"{RDF}type"), NamedNode(EXECUTABLE)),
            Triple(subject, NamedNode(f"{RDF}type"), NamedNode(form.executable)),
            Triple(subject, NamedNode(form.text), Literal(example.text)),
        ]
        for prop, values in (("label", example.labels), ("comment", example.comments)):
            triples += [
                Triple(subject, NamedNode(f"{RDFS}{prop}"), Literal(value, language=lang))
                for lang, value in values
            ]
        if example.target:
            triples.append(Triple(subject, NamedNode(SCHEMA_TARGET), NamedNode(example.target)))
    return triples


def example_void_triples(dataset: NamedNode, examples: Sequence[Example]) -> list[Triple]:
    """For VoID (``/.well-known/void``): ``dataset rdfs:seeAlso`` each example query, and
    each example's own triples (``example_triples``), so that a VoID reader knows them
    for SPARQL executables without a second request."""
    see_also = NamedNode(f"{RDFS}seeAlso")
    links = [Triple(dataset, see_also, NamedNode(example.iri)) for example in examples]
    return links + example_triples(examples)
