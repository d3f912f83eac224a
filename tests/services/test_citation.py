"""Citing a release (BibTeX, CSL-JSON) and the software (CITATION.cff).

The BibTeX is read back with a real parser, bibtexparser (v2), whose LaTeX decoding
(pylatexenc) must turn the escapes back into the Norwegian letters. The CSL-JSON is
checked field by field against the CSL 1.0.2 data schema's types by hand: no package
on PyPI ships that schema, and the tests do not use the internet.
"""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import bibtexparser
import pytest
import yaml
from bibtexparser.middlewares import LatexDecodingMiddleware

from iprkg.services.citation import BibTeXError, CitationFacts, bibtex, csl_json, latex

ROOT = Path(__file__).resolve().parents[2]

FACTS = CitationFacts(
    title="iprkg: strategiene til interkommunale politiske råd",
    version="1.2.0",
    issued=date(2026, 11, 26),
    publisher="the iprkg project",
    licence="https://creativecommons.org/licenses/by/4.0/",
    iri="https://w3id.org/iprkg/release/1.2.0",
    url="https://iprkg.example/releases/1.2.0/",
    abstract="Sognarådet, Kragerø og Ål: råd, medlemmer og strategier.",
)


def parsed(entry: str, *, decode: bool) -> tuple[str, str, dict[str, str]]:
    """(entry type, key, fields) of the one entry in ``entry``, by bibtexparser."""
    middlewares = [LatexDecodingMiddleware()] if decode else []
    library = bibtexparser.parse_string(entry, append_middleware=middlewares)
    assert library.failed_blocks == []
    assert library.comments == [] and library.strings == []
    (found,) = library.entries
    return found.entry_type, found.key, {field.key: field.value for field in found.fields}


def test_bibtex_is_one_misc_entry_a_parser_reads_back() -> None:
    entry_type, key, fields = parsed(bibtex(FACTS), decode=False)
    assert (entry_type, key) == ("misc", "iprkg-1.2.0")
    assert fields["author"] == "{the iprkg project}"  # one organisation, not First Last
    assert fields["title"] == "{iprkg: strategiene til interkommunale politiske r{\\aa}d}"
    assert fields["year"] == "2026"
    assert fields["month"] == "nov"  # the macro, unbraced
    assert fields["version"] == "1.2.0"
    assert fields["url"] == FACTS.url
    assert "https://creativecommons.org/licenses/by/4.0/" in fields["note"]
    assert FACTS.iri in fields["note"]
    assert "doi" not in fields


def test_bibtex_is_ascii_and_decodes_to_the_norwegian_letters() -> None:
    entry = bibtex(FACTS)
    assert entry.isascii()
    _, _, fields = parsed(entry, decode=True)
    assert fields["title"] == FACTS.title
    assert fields["abstract"] == FACTS.abstract


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("æøå ÆØÅ", r"{\ae}{\o}{\aa} {\AE}{\O}{\AA}"),
        ("café naïve Çelik", r"caf{\'e} na{\"\i}ve {\c{C}}elik"),
        ("50 % & #1 _a_ $x$", r"50 \% \& \#1 \_a\_ \$x\$"),
        ("{a} ~ ^ \\", r"\{a\} \textasciitilde{} \textasciicircum{} \textbackslash{}"),
        ("2022–2035 «Vi vil»", r"2022--2035 {\guillemotleft}Vi vil{\guillemotright}"),
        ("a\u0308", r"{\"a}"),  # decomposed input is composed first
    ],
)
def test_latex_escapes(text: str, escaped: str) -> None:
    assert latex(text) == escaped


def test_escaped_specials_survive_a_round_trip() -> None:
    facts = replace(FACTS, title="Råd & kommuner: 100 % {samarbeid} #1_a", abstract=None)
    entry = bibtex(facts)
    _, _, fields = parsed(entry, decode=True)
    assert fields["title"] == facts.title
    assert "abstract" not in fields


def test_a_character_without_an_escape_is_an_error_not_garbage() -> None:
    with pytest.raises(BibTeXError, match="U\\+1F600"):
        bibtex(replace(FACTS, title="iprkg \U0001f600"))


@pytest.mark.parametrize("url", ["https://x.example/a b", "https://x.example/{a}", ""])
def test_a_url_bibtex_cannot_hold_verbatim_is_refused(url: str) -> None:
    with pytest.raises(BibTeXError):
        bibtex(replace(FACTS, url=url))


def test_the_key_is_stable_and_safe() -> None:
    assert bibtex(FACTS) == bibtex(replace(FACTS))
    assert bibtex(FACTS).startswith("@misc{iprkg-1.2.0,\n")
    sogn = replace(FACTS, title="Sognarådet sine strategiar", version="2.0 beta/1")
    assert bibtex(sogn).startswith("@misc{sognaradet-2.0-beta-1,\n")
    assert bibtex(replace(FACTS, key="iprkg2026")).startswith("@misc{iprkg2026,\n")
    with pytest.raises(BibTeXError):
        bibtex(replace(FACTS, key="a,b"))


def test_several_organisations_are_joined_with_and() -> None:
    facts = replace(FACTS, authors=("the iprkg project", "Nome kommune"))
    _, _, fields = parsed(bibtex(facts), decode=False)
    assert fields["author"] == "{the iprkg project} and {Nome kommune}"


# ---------------------------------------------------------------- CSL-JSON

CSL_TYPES_USED = {"dataset"}
CSL_STRING_VARIABLES = {"id", "type", "title", "version", "publisher", "URL", "note", "abstract"}


def check_csl_item(item: dict[str, Any]) -> None:
    """The CSL 1.0.2 data schema's rules for the variables an item here may have."""
    assert set(item) <= CSL_STRING_VARIABLES | {"author", "issued"}
    assert {"id", "type", "title"} <= set(item)  # id and type are required by the schema
    for name in CSL_STRING_VARIABLES & set(item):
        assert isinstance(item[name], str) and item[name], name
    assert item["type"] in CSL_TYPES_USED
    for name in item.get("author", []):
        assert set(name) == {"literal"} and isinstance(name["literal"], str)
    parts = item["issued"]["date-parts"]
    assert set(item["issued"]) == {"date-parts"}
    assert isinstance(parts, list) and 1 <= len(parts) <= 2
    for part in parts:
        assert 1 <= len(part) <= 3 and all(isinstance(p, int) for p in part)


def test_csl_json_is_a_dataset_item() -> None:
    item = csl_json(FACTS)
    check_csl_item(item)
    assert item == {
        "id": "https://w3id.org/iprkg/release/1.2.0",
        "type": "dataset",
        "title": FACTS.title,
        "version": "1.2.0",
        "author": [{"literal": "the iprkg project"}],
        "issued": {"date-parts": [[2026, 11, 26]]},
        "publisher": "the iprkg project",
        "URL": "https://iprkg.example/releases/1.2.0/",
        "note": "Licence: https://creativecommons.org/licenses/by/4.0/",
        "abstract": FACTS.abstract,
    }
    assert "DOI" not in item
    assert json.loads(json.dumps([item], ensure_ascii=False)) == [item]


def test_csl_json_without_an_abstract_leaves_it_out() -> None:
    item = csl_json(replace(FACTS, abstract=None))
    check_csl_item(item)
    assert "abstract" not in item


# ---------------------------------------------------------------- CITATION.cff


def test_citation_cff_describes_this_software() -> None:
    text = (ROOT / "CITATION.cff").read_text(encoding="utf-8")
    cff = yaml.safe_load(text)
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert cff["cff-version"] == "1.2.0"
    assert cff["type"] == "software"
    assert cff["title"] == project["name"] == "iprkg"
    assert cff["version"] == project["version"]  # a string: YAML would make 1.0 a float
    assert isinstance(cff["message"], str) and cff["message"]
    assert cff["authors"] == [{"name": "the iprkg project"}]  # an entity, not a person
    # never a guessed licence or repository: only what the repository states
    if "license" in cff:
        assert project.get("license") or (ROOT / "LICENSE").is_file()
    assert "repository-code" not in cff or re.match(r"https://", cff["repository-code"])
