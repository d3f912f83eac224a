"""``iprkg validate --report``: the data-quality report of the sources (``services.quality``)
after a valid check, as text grouped by council or as JSON; on the tiny project with a
synthetic council file (``support.quality``) and on the real sources."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from support.page_text import label
from support.project import DEFAULT_BASE, PROJECT_ROOT, RunIprkg
from support.quality import QUALITY_DATA


def with_councils(tiny_project: Path) -> Path:
    """The tiny project with the real ontology (which defines the terms the synthetic
    councils use) and the synthetic councils instead of its own."""
    shutil.rmtree(tiny_project / "ontology")
    shutil.copytree(PROJECT_ROOT / "ontology", tiny_project / "ontology")
    councils = tiny_project / "data" / "councils"
    (councils / "tiny.ttl").unlink()
    (councils / "quality.ttl").write_text(QUALITY_DATA, encoding="utf-8")
    return tiny_project


def test_the_report_follows_the_check(run_iprkg: RunIprkg, tiny_project: Path) -> None:
    done = run_iprkg("validate", "--report", "--lang", "en", root=with_councils(tiny_project))
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert out.index("valid: ") < out.index(f"The Alfa Council <{DEFAULT_BASE}council/alfa>")
    assert out.index("The Alfa Council <") < out.index("The Beta Council <")
    assert out.index("The Beta Council <") < out.index("The Gamma Council <")
    assert out.index("The Gamma Council <") < out.index("Not tied to a council")
    beta = out.split("The Beta Council <", 1)[1].split("The Gamma Council <", 1)[0]
    assert "  Unknown:\n    - The sources do not state the legal form.\n" in beta
    assert "      to do: Say whether the list of members is complete" in beta
    assert "      turtle: ipr:completeList org:hasMember" in beta
    assert (
        "  Uncertain:\n    - Tre Municipality, participating municipality of the Beta Council "
        f"<{DEFAULT_BASE}council/beta/membership/tre/deltakerkommune>\n"
        "      note: The sources disagree on Tre (ipr:uncertain).\n"
    ) in beta
    assert "(news item) <https://news.example/beta>" in beta
    assert out.rstrip().endswith("3 councils: 10 unknown, 2 uncertain, 3 only from weaker sources.")


def test_the_report_speaks_the_language_asked(run_iprkg: RunIprkg, tiny_project: Path) -> None:
    done = run_iprkg("validate", "--report", "--lang", "nb", root=with_councils(tiny_project))
    assert done.returncode == 0, done.stderr
    assert "Betarådet <" in done.stdout and "  Ukjent:\n" in done.stdout
    assert "      å gjøre: Legg til strategiens periode." in done.stdout


def test_the_report_as_json(run_iprkg: RunIprkg, tiny_project: Path) -> None:
    done = run_iprkg("validate", "--report-format", "json", root=with_councils(tiny_project))
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)  # stdout is the JSON alone; the check said its say on stderr
    assert "valid: " in done.stderr
    assert [c["iri"] for c in report["councils"]] == [
        f"{DEFAULT_BASE}council/{slug}" for slug in ("alfa", "beta", "gamma")
    ]
    assert report["counts"] == {"known": 12, "unknown": 10, "uncertain": 2, "weaker": 3}
    beta = report["councils"][1]
    assert beta["uncertain"][0]["note"]["nb"] == "Kildene er uenige om Tre (ipr:uncertain)."


def test_without_report_no_report(run_iprkg: RunIprkg, tiny_project: Path) -> None:
    done = run_iprkg("validate", root=with_councils(tiny_project))
    assert done.returncode == 0, done.stderr
    assert "Alfa" not in done.stdout and done.stdout.rstrip().splitlines()[-1].startswith("valid: ")


def test_no_report_of_sources_that_are_not_valid(run_iprkg: RunIprkg, tiny_project: Path) -> None:
    broken = with_councils(tiny_project)
    (broken / "data" / "councils" / "unknown.ttl").write_text(
        "@prefix ipr: <ontology#> .\n<council/unknown> a ipr:Council .\n", encoding="utf-8"
    )
    done = run_iprkg("validate", "--report", root=broken)
    assert done.returncode == 1
    assert "ipr:Council is not a class of the ontology" in done.stdout
    assert "Alfa" not in done.stdout


def test_the_help_says_what_the_report_is(run_iprkg: RunIprkg, tiny_project: Path) -> None:
    done = run_iprkg("validate", "--help", root=tiny_project)
    assert done.returncode == 0
    help_text = " ".join(done.stdout.split())
    assert "--report" in help_text and "--report-format [text|json]" in help_text
    assert "what is uncertain" in help_text and "weaker sources" in help_text


def test_the_report_of_the_real_sources_names_every_council(
    run_iprkg: RunIprkg, dataset: Graph
) -> None:
    done = run_iprkg("validate", "--report", "--lang", "en", root=PROJECT_ROOT)
    assert done.returncode == 0, done.stderr
    for council in dataset.subjects(RDF.type, URIRef(f"{DEFAULT_BASE}ontology#RegionalCouncil")):
        assert f"{label(dataset, council, 'en')} <{council}>" in done.stdout, council
