"""The build's own catalogue check (``iprkg build``; ``iprkg.services.dcat_profiles``): the
DCAT catalogue of the new build is validated against every profile before ``dist`` moves;
a finding or a broken profile file stops the build and the last good build stays."""

from __future__ import annotations

from pathlib import Path

from support.project import MakeProject, RunIprkg

EVERY_DATASET_NEEDS_A_MILLION_PLACES = """\
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
<urn:test:shape> a sh:NodeShape ; sh:targetClass dcat:Dataset ;
  sh:property [ sh:path dct:spatial ; sh:minCount 1000000 ;
                sh:message "a dataset needs a million places" ] .
"""


def external_copy(external: Path, into: Path, replaced: dict[str, str]) -> Path:
    """A folder that links every file of ``external`` but writes ``replaced`` (relative
    path -> text) instead: the same reference data with a file broken or changed."""
    for path in sorted(external.rglob("*")):
        target = into / path.relative_to(external)
        if path.is_dir():
            target.mkdir(parents=True, exist_ok=True)
        elif path.relative_to(external).as_posix() in replaced:
            target.write_text(replaced[path.relative_to(external).as_posix()], "utf-8")
        else:
            target.symlink_to(path)
    return into


def built_target(project: Path) -> Path:
    return (project / "dist").resolve()


def test_the_build_checks_the_catalogue_against_every_profile(
    make_project: MakeProject, run_iprkg: RunIprkg, external_dir: Path
) -> None:
    project = make_project()
    result = run_iprkg("build", root=project, env={"IPRKG_EXTERNAL": str(external_dir)})
    assert result.returncode == 0, result.stderr
    assert "checking the catalogue against DCAT-AP-NO 3.0" in result.stderr
    assert "DCAT-AP 3.0.1" in result.stderr


def test_without_the_profiles_the_build_says_it_did_not_check(
    make_project: MakeProject, run_iprkg: RunIprkg, tmp_path: Path
) -> None:
    project = make_project()
    absent = tmp_path / "nowhere"
    result = run_iprkg("build", root=project, env={"IPRKG_EXTERNAL": str(absent)})
    assert result.returncode == 0, result.stderr
    assert "the catalogue is not checked" in result.stderr
    assert "IPRKG_EXTERNAL" in result.stderr


def test_a_catalogue_failing_a_profile_stops_the_build_and_keeps_the_last_good_one(
    make_project: MakeProject, run_iprkg: RunIprkg, external_dir: Path, tmp_path: Path
) -> None:
    project = make_project()
    assert run_iprkg("build", root=project).returncode == 0
    good = built_target(project)
    strict = external_copy(
        external_dir,
        tmp_path / "strict",
        {"dcat-ap-no-2.0/DCAT-AP-NO-shacl_shapes_2.00.ttl": EVERY_DATASET_NEEDS_A_MILLION_PLACES},
    )
    result = run_iprkg(
        "build",
        "--base",
        "https://example.org/other/",
        root=project,
        env={"IPRKG_EXTERNAL": str(strict)},
    )
    assert result.returncode == 1, result.stderr
    line = next(
        line for line in result.stdout.splitlines() if "a dataset needs a million places" in line
    )
    assert line.startswith("DCAT-AP-NO 2.0: Violation on https://example.org/other/catalog#dataset")
    assert "http://purl.org/dc/terms/spatial" in line and "[" in line  # the rule
    assert "dist was left as it was" in result.stderr
    assert built_target(project) == good
    assert not [p for p in good.parent.iterdir() if "example.org" in p.name]
    assert len([p for p in good.parent.iterdir() if p.is_dir()]) == 1


def test_a_broken_vocabulary_file_stops_the_build_naming_it(
    make_project: MakeProject, run_iprkg: RunIprkg, external_dir: Path, tmp_path: Path
) -> None:
    project = make_project()
    assert run_iprkg("build", root=project).returncode == 0
    good = built_target(project)
    broken = external_copy(
        external_dir,
        tmp_path / "broken",
        {"eu-vocabularies/licences-sparql-result.ttl": "@prefix skos: <http://www.w3.org/2004"},
    )
    result = run_iprkg(
        "build",
        "--base",
        "https://example.org/other/",
        root=project,
        env={"IPRKG_EXTERNAL": str(broken)},
    )
    assert result.returncode == 2, result.stderr
    assert "cannot check the catalogue" in result.stderr
    assert "licences-sparql-result.ttl" in result.stderr
    assert built_target(project) == good
