"""The build: load -> validate -> compile -> publish. Never imports the web layer.

Nothing is written unless loading and validation succeed; publication is atomic (see
``iprkg.build.publish``), so ``dist`` is either the previous artefact or the new one.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rdflib import Graph

from iprkg.artefact.manifest import MANIFEST_NAME
from iprkg.artefact.map_file import MAP_NAME
from iprkg.build.answers import make_answers
from iprkg.build.dumps import make_dumps, published_graph
from iprkg.build.examples import EXAMPLE_PREFIXES, load_examples
from iprkg.build.harvested import compiled
from iprkg.build.manifest import make_manifest, manifest_bytes
from iprkg.build.map_geometry import make_map
from iprkg.build.municipality_facts import MUNICIPALITIES_GRAPH, load_municipality_facts
from iprkg.build.publish import Publication, publish
from iprkg.build.quads import make_quads
from iprkg.build.search_index import make_search_index
from iprkg.build.sources import Sources, find_source_files, load_sources
from iprkg.build.theme_facts import AUTHORITIES_GRAPH, load_theme_facts
from iprkg.build.validation import NodeNames, Violation, blocking, count_shapes, validate
from iprkg.core.example_queries import EXAMPLES_GRAPH
from iprkg.core.formats import N_TRIPLES
from iprkg.core.settings import Settings

Progress = Callable[[str], None]


def silent(_: str) -> None:
    """A progress reporter that reports nothing."""


class ValidationFailed(Exception):
    """The sources violate the shapes; carries every result and how to name nodes."""

    def __init__(self, violations: list[Violation], names: NodeNames) -> None:
        self.violations = violations
        self.names = names
        count = len(blocking(violations))
        super().__init__(f"{count} SHACL violation{'' if count == 1 else 's'}")


@dataclass(frozen=True)
class Artefact:
    """Everything a build publishes, in memory: file name -> bytes, and the manifest."""

    files: dict[str, bytes]
    manifest: dict[str, Any]

    @property
    def build_id(self) -> str:
        """Names the build folder: a hash of the manifest, which hashes every dump."""
        return hashlib.sha256(self.files[MANIFEST_NAME]).hexdigest()[:16]


@dataclass(frozen=True)
class Checked:
    """Sources that loaded and passed validation, with any non-blocking results."""

    sources: Sources
    violations: list[Violation]
    """Warnings and infos only: a blocking violation raises ValidationFailed."""
    shapes: int

    @property
    def names(self) -> NodeNames:
        return NodeNames.of(self.sources)


@dataclass(frozen=True)
class BuildResult:
    checked: Checked
    artefact: Artefact
    publication: Publication
    seconds: float


def check(settings: Settings, lang: str | None = None, progress: Progress = silent) -> Checked:
    """Load and validate the sources; raise SourceError or ValidationFailed."""
    progress(f"loading {len(find_source_files(settings))} files…")
    sources = load_sources(settings)
    triples = len(sources.served())
    shapes = count_shapes(sources.shapes)
    progress(f"validating {triples} triples against {shapes} shapes…")
    violations = validate(sources, lang or settings.lang, settings.external, progress)
    if blocking(violations):
        raise ValidationFailed(violations, NodeNames.of(sources))
    return Checked(sources, violations, shapes)


N_TRIPLES_NAME = f"iprkg.{N_TRIPLES.extension}"


def compile_artefact(sources: Sources, settings: Settings, progress: Progress = silent) -> Artefact:
    """Serialise the sources' dataset, the theme authorities' facts about the themes it
    uses (``theme_facts``), Norway's municipalities (``municipality_facts``) and the
    example queries (``examples``) into dumps, gzipped dumps, the N-Quads dump with a
    graph per source file and one each for the municipalities, the authorities and the
    examples, and a manifest; copy the harvested publications beside them, and draw the
    map of the municipalities (``map_geometry``) where the external folder has them."""
    dataset = sources.dataset()
    facts = load_theme_facts(settings.external, dataset, progress)
    municipalities = load_municipality_facts(settings.external, dataset, sources.base, progress)
    others: list[tuple[str, Graph]] = []
    if municipalities is not None:
        progress(f"adding {len(municipalities.graph)} triples about Norway's municipalities…")
        dataset += municipalities.graph
        others.append((MUNICIPALITIES_GRAPH, municipalities.graph))
    if facts is not None and len(facts.graph):
        progress(f"adding {len(facts.graph)} triples about themes from the authorities…")
        dataset += facts.graph
        others.append((AUTHORITIES_GRAPH, facts.graph))
    examples = load_examples(settings.root, sources.base)
    if len(examples.graph):
        progress(f"adding {len(examples.graph)} triples describing the example queries…")
        dataset += examples.graph
        others.append((EXAMPLES_GRAPH, examples.graph))
    graph = published_graph(dataset, {**EXAMPLE_PREFIXES, **sources.prefixes})
    dumps = make_dumps(graph, progress)
    progress("writing N-Quads, a graph per source file…")
    quads = make_quads(sources.base, sources.files, others)
    manifest = make_manifest(
        base=sources.base,
        graph=graph,
        dumps=dumps,
        files=sources.files,
        source_date_epoch=settings.source_date_epoch,
        quads=quads,
    )
    if facts is not None and len(facts.graph):  # the authorities' graph is written
        manifest["authorities"] = facts.manifest_entry(settings.external)
    if examples.files:
        manifest["examples"] = examples.manifest_entry()
    if municipalities is not None:
        manifest["municipalities"] = municipalities.manifest_entry(settings.external)
    files: dict[str, bytes] = {}
    for dump in dumps:
        files[dump.filename] = dump.content
        files[dump.gzip_filename] = dump.gzipped
    files[quads.filename] = quads.content
    progress("indexing labels and notes for search…")
    # The search is for the data; the example queries are listed on the query page.
    search_index, manifest["search"] = make_search_index(graph - examples.graph, sources.base)
    files[manifest["search"]["path"]] = search_index
    harvested, manifest["harvested"] = compiled(sources)
    files.update(harvested)
    served = [files[N_TRIPLES_NAME], *harvested.values()]  # the server's default graph
    answers, manifest["answers"] = make_answers(served, settings.root, sources.base, progress)
    files.update(answers)
    municipal_map = make_map(settings.external, progress)  # docs/map.md
    if municipal_map is not None:
        manifest["map"] = municipal_map.entry
        files[MAP_NAME] = municipal_map.content
    files[MANIFEST_NAME] = manifest_bytes(manifest)
    return Artefact(files, manifest)


def build(
    settings: Settings,
    lang: str | None = None,
    progress: Progress = silent,
    verify: Callable[[Path], None] | None = None,
) -> BuildResult:
    """Check the sources, then publish the artefact to ``settings.dist`` atomically;
    ``verify`` checks the written build before it is published (``publish``)."""
    started = time.monotonic()
    checked = check(settings, lang, progress)
    artefact = compile_artefact(checked.sources, settings, progress)
    publication = publish(artefact.files, artefact.build_id, settings.dist, progress, verify)
    seconds = time.monotonic() - started
    manifest = artefact.manifest
    progress(
        f"done in {seconds:.1f} s: {manifest['triples']} triples, "
        f"{manifest['content_hash'][:19]}… in {settings.relative(settings.dist)}"
        + (" (an identical build was reused)" if publication.reused else "")
    )
    return BuildResult(checked, artefact, publication, seconds)
