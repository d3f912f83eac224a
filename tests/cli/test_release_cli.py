"""``iprkg release``, ``iprkg diff`` and ``iprkg changelog`` (iprkg.build.release_writer).

The module fixture ``two_releases`` copies the real project, releases it as 2026-1,
changes the data as ``release_scenario.change_the_data`` does and releases 2026-2; the
tests read what that left. Refusals use their own copies.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import stat
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import RDF, SH, Graph, Literal, URIRef

from iprkg.artefact.artefact import published_files
from iprkg.artefact.releases import (
    CHANGE_FILES,
    RECORD_NAME,
    REPORT_NAME,
    ReleaseError,
    read_releases,
)
from iprkg.build.changelog import changelog_markdown, demoted, write_changelog
from iprkg.build.release_writer import make_release, validation_report, write_release
from iprkg.build.sources import KINDS
from iprkg.build.validation import Violation
from iprkg.cli.main import cli
from support.project import PROJECT_ROOT, MakeProject, RunIprkg, iprkg_environment, project_settings
from support.release_scenario import EXPECTED_KINDS, change_the_data

BASE = "https://w3id.org/iprkg/"
RELEASED = re.compile(
    r"released (?P<version>\S+): (?P<iri>\S+) \((?P<triples>\d+) triples, "
    r"(?P<hash>sha256:[0-9a-f]{64})\), previous: (?P<previous>\S+)\n"
)


@dataclass(frozen=True)
class TwoReleases:
    root: Path
    first: subprocess.CompletedProcess[str]
    second: subprocess.CompletedProcess[str]
    changed: dict[str, str]

    @property
    def releases(self) -> Path:
        return self.root / "releases"

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return run_in(self.root, *args)


def run_in(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The ``iprkg`` command in ``root``, as the ``run_iprkg`` fixture runs it (that one
    is per test; this serves the module fixture)."""
    script = Path(sys.executable).parent / "iprkg"
    command = [str(script)] if script.exists() else [sys.executable, "-m", "iprkg"]
    return subprocess.run(
        [*command, *args],
        cwd=root,
        env=iprkg_environment(root),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.fixture(scope="module")
def two_releases(tmp_path_factory: pytest.TempPathFactory) -> TwoReleases:
    """A copy of the real project (as ``make_project`` makes it, plus a docs/ folder),
    released as 2026-1, changed, and released as 2026-2."""
    root = tmp_path_factory.mktemp("releasing") / "project"
    root.mkdir()
    for kind in KINDS:
        if (PROJECT_ROOT / kind).is_dir():
            shutil.copytree(PROJECT_ROOT / kind, root / kind)
    (root / "docs").mkdir()
    first = run_in(root, "release", "2026-1")
    assert first.returncode == 0, first.stderr
    changed = change_the_data(root)
    second = run_in(root, "release", "2026-2")
    assert second.returncode == 0, second.stderr
    return TwoReleases(root, first, second, changed)


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file in ``folder`` with its bytes and mode, and the folder's own mode."""
    files = {p.name: (p.read_bytes(), stat.S_IMODE(p.stat().st_mode)) for p in folder.iterdir()}
    return {**files, ".": (b"", stat.S_IMODE(folder.stat().st_mode))}


# ---------------------------------------------------------------- two releases in a row


@pytest.mark.slow
def test_two_releases_are_made_in_a_row(two_releases: TwoReleases) -> None:
    first = RELEASED.fullmatch(two_releases.first.stdout)
    second = RELEASED.fullmatch(two_releases.second.stdout)
    assert first and second, (two_releases.first.stdout, two_releases.second.stdout)
    assert first["version"] == "2026-1" and first["previous"] == "none"
    assert second["version"] == "2026-2" and second["previous"] == "2026-1"
    assert second["iri"] == f"{BASE}release/2026-2/"
    assert first["hash"] != second["hash"]
    assert "freezing release 2026-2" in two_releases.second.stderr
    names = sorted(p.name for p in two_releases.releases.iterdir())
    assert names == [".lock", "2026-1", "2026-2"], "no staging folder is left behind"


@pytest.mark.slow
def test_a_release_is_read_only(two_releases: TwoReleases) -> None:
    for version in ("2026-1", "2026-2"):
        folder = two_releases.releases / version
        assert stat.S_IMODE(folder.stat().st_mode) == 0o555
        modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in folder.iterdir()}
        assert set(modes.values()) == {0o444}, modes


@pytest.mark.slow
def test_each_release_records_its_files_and_the_one_before(two_releases: TwoReleases) -> None:
    first, second = read_releases(two_releases.releases)
    assert (first.version, second.version) == ("2026-1", "2026-2")
    assert (first.previous, second.previous) == (None, "2026-1")
    for release in (first, second):
        assert release.iri == f"{BASE}release/{release.version}/"
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z", release.released)
        assert release.released.startswith(release.issued)
        on_disk = {p.name for p in release.folder.iterdir()} - {RECORD_NAME}
        assert set(release.files) == on_disk
        for name, digest in release.files.items():
            assert hashlib.sha256((release.folder / name).read_bytes()).hexdigest() == digest
        manifest = release.manifest
        assert release.content_hash == manifest["content_hash"]
        assert release.triples == manifest["triples"]
        built = set(published_files(release.folder, manifest))
        assert on_disk == built | {REPORT_NAME} | (set(CHANGE_FILES) if release.previous else set())
        assert not any(name.startswith("harvested") for name in on_disk)
    assert first.released < second.released


@pytest.mark.slow
def test_the_changes_name_exactly_what_changed(two_releases: TwoReleases) -> None:
    changed = two_releases.changed
    folder = two_releases.releases / "2026-2"
    report = json.loads((folder / "changes.json").read_text(encoding="utf-8"))
    assert (report["previous"], report["version"]) == ("2026-1", "2026-2")
    found = {(c["kind"], c["subject"], c.get("target")) for c in report["changes"]}
    assert found == {
        ("member-removed", changed["council"], changed["municipality"]),
        ("focus-area-renamed", changed["focus_area"], None),
        ("goal-dropped", changed["strategy"], changed["goal"]),
    }
    assert {kind for kind, _, _ in found} == EXPECTED_KINDS
    (renamed,) = [c for c in report["changes"] if c["kind"] == "focus-area-renamed"]
    assert changed["old_label"] in renamed["detail"] and changed["new_label"] in renamed["detail"]

    added = Graph().parse(folder / "added.nt", format="nt")
    removed = Graph().parse(folder / "removed.nt", format="nt")
    assert (report["added_triples"], report["removed_triples"]) == (len(added), len(removed))
    assert set(added) == {
        (
            URIRef(changed["focus_area"]),
            URIRef(f"{SKOS}prefLabel"),
            Literal(changed["new_label"], lang="en"),
        )
    }
    membership = URIRef(changed["membership"])
    assert (membership, RDF.type, URIRef("http://www.w3.org/ns/org#Membership")) in removed
    assert (URIRef(changed["strategy"]), None, URIRef(changed["goal"])) in removed

    english = (folder / "changes.en.md").read_text(encoding="utf-8")
    norwegian = (folder / "changes.nb.md").read_text(encoding="utf-8")
    assert "### Members" in english and "Sirdal Municipality" in english
    assert "### Medlemmer" in norwegian and "Sirdal kommune" in norwegian


SKOS = "http://www.w3.org/2004/02/skos/core#"


@pytest.mark.slow
def test_the_first_release_has_no_changes(two_releases: TwoReleases) -> None:
    names = {p.name for p in (two_releases.releases / "2026-1").iterdir()}
    assert names.isdisjoint(CHANGE_FILES)


@pytest.mark.slow
def test_the_validation_report_is_a_conforming_shacl_report(two_releases: TwoReleases) -> None:
    report = Graph().parse(two_releases.releases / "2026-2" / REPORT_NAME, format="turtle")
    (node,) = report.subjects(RDF.type, SH.ValidationReport)
    assert report.value(node, SH.conforms) == Literal(True)


def test_the_validation_report_holds_each_warning() -> None:
    focus = URIRef(f"{BASE}council/tiny")
    warning = Violation(
        severity="Warning",
        focus=focus,
        result_path=URIRef("http://www.w3.org/2000/01/rdf-schema#label"),
        path="rdfs:label",
        message="Missing an English label",
        source_shape=URIRef(f"{BASE}shapes#LabelShape"),
        value=None,
        files=("data/councils/tiny.ttl",),
    )
    report = Graph().parse(data=validation_report([warning]), format="turtle")
    (node,) = report.subjects(RDF.type, SH.ValidationReport)
    assert report.value(node, SH.conforms) == Literal(True)
    (result,) = report.objects(node, SH.result)
    assert (result, RDF.type, SH.ValidationResult) in report
    assert report.value(result, SH.focusNode) == focus
    assert report.value(result, SH.resultSeverity) == SH.Warning
    assert report.value(result, SH.resultMessage) == Literal("Missing an English label")
    assert report.value(result, SH.sourceShape) == URIRef(f"{BASE}shapes#LabelShape")


# ---------------------------------------------------------------- iprkg diff


@pytest.mark.slow
def test_diff_prints_the_changes_in_peoples_terms(two_releases: TwoReleases) -> None:
    english = two_releases.run("diff", "2026-1", "2026-2")
    assert english.returncode == 0, english.stderr
    assert english.stdout.startswith("## 2026-1 → 2026-2\n")
    for words in (
        "removed: [Sirdal Municipality]",
        "renamed: [Transport and mobility]",
        "dropped:",
    ):
        assert words in english.stdout
    norwegian = two_releases.run("diff", "2026-1", "2026-2", "--lang", "nb")
    assert "fjernet: [Sirdal kommune]" in norwegian.stdout
    assert "tatt bort:" in norwegian.stdout


@pytest.mark.slow
def test_diff_as_json_and_as_a_patch(two_releases: TwoReleases) -> None:
    as_json = two_releases.run("diff", "2026-1", "2026-2", "--format", "json")
    assert as_json.returncode == 0, as_json.stderr
    report = json.loads(as_json.stdout)
    assert {c["kind"] for c in report["changes"]} == EXPECTED_KINDS
    patch = two_releases.run("diff", "2026-1", "2026-2", "--format", "patch")
    lines = patch.stdout.splitlines()
    assert lines and all(line[:2] in ("- ", "+ ") for line in lines)
    folder = two_releases.releases / "2026-2"
    assert sorted(line[2:] for line in lines if line[0] == "+") == sorted(
        (folder / "added.nt").read_text(encoding="utf-8").splitlines()
    )
    assert sum(line[0] == "-" for line in lines) == report["removed_triples"]


@pytest.mark.slow
def test_diff_writes_its_files_to_output(two_releases: TwoReleases, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = two_releases.run("diff", "2026-1", "2026-2", "--output", str(out))
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["added.nt", "changes.json", "removed.nt"]
    release = two_releases.releases / "2026-2"
    for name in ("added.nt", "removed.nt", "changes.json"):
        assert (out / name).read_bytes() == (release / name).read_bytes(), name


@pytest.mark.slow
def test_diff_reads_paths_too(two_releases: TwoReleases) -> None:
    """A release folder against dist (which holds 2026-2's build) and against a file."""
    for new in ("dist", "releases/2026-2/iprkg.nt"):
        result = two_releases.run("diff", "releases/2026-1", new, "--format", "json")
        assert result.returncode == 0, result.stderr
        assert {c["kind"] for c in json.loads(result.stdout)["changes"]} == EXPECTED_KINDS


@pytest.mark.slow
def test_diff_of_an_unknown_release_lists_the_releases(two_releases: TwoReleases) -> None:
    result = two_releases.run("diff", "2026-1", "2027-1")
    assert result.returncode == 2
    assert "no release '2027-1'; the releases are: 2026-1, 2026-2" in result.stderr
    assert result.stdout == ""


# ---------------------------------------------------------------- refusals


@pytest.mark.slow
def test_an_existing_version_is_refused_and_left_untouched(two_releases: TwoReleases) -> None:
    before = {v: snapshot(two_releases.releases / v) for v in ("2026-1", "2026-2")}
    released = read_releases(two_releases.releases)[0].released
    result = two_releases.run("release", "2026-1")
    assert result.returncode == 2
    assert f"release 2026-1 exists (released on {released}" in result.stderr
    assert "never changed" in result.stderr
    assert result.stdout == ""
    assert {v: snapshot(two_releases.releases / v) for v in before} == before


@pytest.mark.parametrize("version", ["../x", "", ".hidden", "a/b", "2026 1", "x" * 65])
def test_a_version_that_cannot_name_a_release_is_refused(
    version: str, make_project: MakeProject, run_iprkg: RunIprkg
) -> None:
    root = make_project()
    result = run_iprkg("release", version, root=root)
    assert result.returncode == 2, result.stderr
    assert "cannot name a release" in result.stderr
    assert not (root / "releases").exists()
    assert not (root / "dist").exists(), "refused before building"


@pytest.mark.slow
def test_violations_refuse_the_release(make_project: MakeProject, run_iprkg: RunIprkg) -> None:
    root = make_project()
    council = root / "data" / "councils" / "nome-midt-telemark.ttl"
    text = council.read_text(encoding="utf-8")
    council.write_text(text.replace("sdg:11 , sdg:17 ;", "sdg:11 , sdg:18 ;"), encoding="utf-8")
    result = run_iprkg("release", "2026-1", root=root)
    assert result.returncode == 1
    assert "sdg:18" in result.stdout
    assert "nothing was released" in result.stderr
    assert not (root / "releases").exists()


def test_an_existing_folder_is_refused_even_without_a_record(tiny_project: Path) -> None:
    settings = project_settings(tiny_project)
    (settings.releases / "2026-1").mkdir(parents=True)
    with pytest.raises(ReleaseError, match=r"release 2026-1 exists \(in .*never changed") as raised:
        make_release(settings, "2026-1")
    assert raised.value.exit_code == 2
    assert list((settings.releases / "2026-1").iterdir()) == []
    assert not settings.dist.exists(), "refused before building"


def test_a_failed_write_leaves_no_staging(tmp_path: Path) -> None:
    folder = tmp_path / "releases"
    folder.mkdir()
    with pytest.raises(ReleaseError) as raised:
        write_release(folder, folder / "2026-1", {"a.nt": b"", "no/such/folder.nt": b""})
    assert raised.value.exit_code == 3
    assert list(folder.iterdir()) == []


# ---------------------------------------------------------------- the changelog


@pytest.mark.slow
def test_release_writes_the_changelog_newest_first(two_releases: TwoReleases) -> None:
    path = two_releases.root / "docs" / "CHANGELOG-data.md"
    text = path.read_text(encoding="utf-8")
    first, second = read_releases(two_releases.releases)
    assert text.startswith("# Changes to the data\n")
    assert text.index(f"## 2026-2 — {second.issued}") < text.index(f"## 2026-1 — {first.issued}")
    newer, older = text.split("## 2026-1")
    assert f"<{BASE}release/2026-2/>" in newer and second.content_hash in newer
    assert "Since 2026-1:" in newer and "### Members" in newer and "Sirdal Municipality" in newer
    assert "First release." in older and first.content_hash in older
    assert "No release yet." not in text
    assert "CHANGELOG.md" not in text, "there is no code changelog to link"

    again = two_releases.run("changelog")
    assert again.returncode == 0, again.stderr
    assert again.stdout == "wrote docs/CHANGELOG-data.md\n"
    assert path.read_text(encoding="utf-8") == text


def test_changelog_without_releases(make_project: MakeProject, run_iprkg: RunIprkg) -> None:
    root = make_project()
    result = run_iprkg("changelog", root=root)
    assert result.returncode == 0, result.stderr
    text = (root / "docs" / "CHANGELOG-data.md").read_text(encoding="utf-8")
    assert text.startswith("# Changes to the data\n")
    assert text.rstrip().endswith("No release yet.")


def test_changelog_links_the_code_changelog(tmp_path: Path) -> None:
    (tmp_path / "CHANGELOG.md").write_text("# Changes\n", encoding="utf-8")
    path = write_changelog(project_settings(tmp_path))
    assert path == tmp_path / "docs" / "CHANGELOG-data.md"
    assert "[CHANGELOG.md](../CHANGELOG.md)" in path.read_text(encoding="utf-8")
    assert "[CHANGELOG.md]" not in changelog_markdown([])


def test_headings_are_demoted_to_fit() -> None:
    assert demoted("# A\ntext\n## B\n#not a heading", 3) == "### A\ntext\n#### B\n#not a heading"
    assert demoted("### A\n- x", 3) == "### A\n- x"
    assert demoted("no headings", 3) == "no headings"


@pytest.mark.parametrize("command", ["release", "diff", "changelog"])
def test_the_help_lists_the_exit_codes(command: str) -> None:
    result = CliRunner().invoke(cli, [command, "--help"])
    assert result.exit_code == 0
    assert "Exit codes: 0" in " ".join(result.output.split())
