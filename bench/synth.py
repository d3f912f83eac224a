"""Synthetic national-scale data for the benchmark: the real data plus N made-up councils.

    python bench/synth.py --councils 600 --out bench/work/synthetic-600
    IPRKG_ROOT=bench/work/synthetic-600 iprkg build

``--out`` becomes a project folder of its own: a copy of ``ontology/``, ``shapes/``, ``queries/``
and ``data/`` and one more file, ``data/synthetic/councils.ttl``; with ``--councils 0`` there is
no such file, and the folder holds exactly the project's own data. Each synthetic council has
the shape of a real one (members with memberships and an office municipality, a strategy
with a period, focus areas from the real vocabulary, UN goals, stakeholders, ambitions),
so the shapes accept it and the queries meet the same patterns at a larger scale.

Synthetic data is marked as such three times over and is never published: every IRI is
under ``synthetic/`` below the base, every label says "Syntetisk"/"Synthetic", and every
resource's ``dct:source`` is ``<synthetic/source>``, a document that says it is made up.
It lives only under ``bench/work/`` (ignored by git). The numbers come from a seeded
generator, so the same ``--councils`` and ``--seed`` give the same bytes.
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COPIED = ("ontology", "shapes", "data", "queries")

PREFIXES = """\
@prefix ipr: <ontology#> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix sdg: <http://metadata.un.org/sdg/> .
"""

SOURCE = """\
<synthetic/source> a foaf:Document ;
    dct:title "Syntetiske testdata (bench/synth.py)"@nb ,
        "Synthetic test data (bench/synth.py)"@en ;
    skos:note "Oppdiktet for ytelsesmålinger; ingenting her er sant, og det publiseres aldri."@nb ,
        "Made up for performance measurements; nothing here is true; it is never published."@en .
"""


def vocabulary(kind: str) -> list[str]:
    """The relative IRIs ``<kind/…>`` that the real data types at the start of a line."""
    pattern = re.compile(rf"^<({kind}/[a-z0-9-]+)> a ", re.MULTILINE)
    found: set[str] = set()
    for path in (ROOT / "data").rglob("*.ttl"):
        found.update(pattern.findall(path.read_text(encoding="utf-8")))
    return sorted(found)


COMPLETE_NOTE = (
    'skos:note "Oppdiktet: listene er fullstendige fordi de er laget slik."@nb , '
    '"Made up: the lists are complete because they were made so."@en'
)
"""Why the lists are complete: a list said to be complete needs a reason (the shapes)."""


def council(
    number: int, rng: random.Random, focus_areas: list[str], stakeholders: list[str]
) -> str:
    """One synthetic council, its members and its strategy, as Turtle."""
    slug = f"s{number:04d}"
    me = f"<synthetic/council/{slug}>"
    strategy = f"<synthetic/strategy/{slug}>"
    source = "dct:source <synthetic/source>"
    members = [f"<synthetic/municipality/{slug}-{m}>" for m in range(1, rng.randint(3, 8))]
    start = rng.randint(2016, 2024)
    end = start + rng.randint(1, 12)
    out = [
        f"{me} a ipr:RegionalCouncil ;",
        f'    rdfs:label "Syntetisk råd {number}"@nb , "Synthetic council {number}"@en ;',
        "    dct:type <cooperation-form/regionrad> ;",
        f"    org:hasMember {' , '.join(members)} ;",
        "    ipr:completeList org:hasMember ;",
        f"    {COMPLETE_NOTE} ;",
        f"    {source} .",
        "",
    ]
    for index, member in enumerate(members, start=1):
        out += [
            f"{member} a ipr:Municipality ;",
            f'    rdfs:label "Syntetisk kommune {number}-{index}"@nb ,'
            f' "Synthetic municipality {number}-{index}"@en ;',
            f"    {source} .",
            "",
        ]
        roles = ["deltakerkommune"] + (["kontorkommune"] if index == 1 else [])
        for role in roles:
            out += [
                f"<synthetic/council/{slug}/membership/{index}/{role}> a org:Membership ;",
                f'    rdfs:label "Kommune {number}-{index}, {role}"@nb ,'
                f' "Municipality {number}-{index}, {role}"@en ;',
                f"    org:organization {me} ; org:member {member} ;",
                f"    org:role <role/{role}> ;",
                f"    {source} .",
                "",
            ]
    areas = rng.sample(focus_areas, rng.randint(3, 10))
    goals = sorted(rng.sample(range(1, 18), rng.randint(0, 6)))
    partners = rng.sample(stakeholders, rng.randint(1, 5))
    ambitions = [f"<synthetic/strategy/{slug}/ambition/{a}>" for a in range(1, rng.randint(2, 5))]
    out += [
        f"{strategy} a ipr:Strategy ;",
        f'    dct:title "Syntetisk strategi {number}"@nb , "Synthetic strategy {number}"@en ;',
        f"    ipr:strategyOf {me} ;",
        f"    dct:temporal <synthetic/strategy/{slug}/period> ;",
        f"    ipr:focusArea {' , '.join(f'<{a}>' for a in areas)} ;",
        f"    ipr:worksTowards {' , '.join(f'<{p}>' for p in partners)} ;",
        f"    ipr:hasAmbition {' , '.join(ambitions)} ;",
    ]
    if goals:
        out.append(f"    ipr:emphasisesGoal {' , '.join(f'sdg:{g}' for g in goals)} ;")
    out += [
        "    ipr:completeList ipr:focusArea , ipr:emphasisesGoal , ipr:worksTowards ;",
        f"    {COMPLETE_NOTE} ;",
        f"    {source} .",
        "",
        f"<synthetic/strategy/{slug}/period> a dct:PeriodOfTime ;",
        f'    rdfs:label "{start}–{end}"@nb , "{start}–{end}"@en ;',
        f'    dcat:startDate "{start}-01-01"^^xsd:date ; dcat:endDate "{end}-12-31"^^xsd:date ;',
        f"    {source} .",
        "",
    ]
    for position, ambition in enumerate(ambitions, start=1):
        out += [
            f"{ambition} a ipr:Ambition ;",
            f"    ipr:position {position} ;",
            f'    rdfs:label "Syntetisk ambisjon {position}"@nb ,'
            f' "Synthetic ambition {position}"@en ;',
            f"    {source} .",
            "",
        ]
    return "\n".join(out)


def generate(councils: int, out: Path, seed: int) -> Path | None:
    """Write the project folder ``out``; return the synthetic data file (None for 0
    councils: the folder then holds the real data alone)."""
    out.mkdir(parents=True, exist_ok=True)
    for name in COPIED:
        shutil.rmtree(out / name, ignore_errors=True)
        shutil.copytree(ROOT / name, out / name)
    (out / "pyproject.toml").write_text(
        "# Marks this folder as an iprkg project root for the benchmark (bench/synth.py).\n",
        encoding="utf-8",
    )
    if councils == 0:
        return None
    rng = random.Random(seed)
    focus_areas = vocabulary("focus-area")
    stakeholders = vocabulary("stakeholder")
    parts = [PREFIXES, SOURCE]
    parts += [council(n, rng, focus_areas, stakeholders) for n in range(1, councils + 1)]
    target = out / "data" / "synthetic" / "councils.ttl"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("\n".join(parts), encoding="utf-8")
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--councils", type=int, required=True, help="synthetic councils to add")
    parser.add_argument("--out", type=Path, required=True, help="project folder to write")
    parser.add_argument("--seed", type=int, default=2022, help="random seed (default 2022)")
    options = parser.parse_args()
    if options.councils < 0:
        parser.error("--councils must be 0 or more")
    target = generate(options.councils, options.out, options.seed)
    print(f"{options.councils} synthetic councils in {target or options.out}")


if __name__ == "__main__":
    main()
