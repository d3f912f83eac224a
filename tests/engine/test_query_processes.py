"""Queries evaluated in child processes (``engine.query_processes``): the same answers
and errors as in-process, a runaway stopped at the limit, the next query answered."""

from __future__ import annotations

import json
import os
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from iprkg.core.errors import AnswerTooLarge, BadQuery, QueryFailed, QueryTimeout, ServiceRefused
from iprkg.core.formats import SPARQL_JSON, TURTLE
from iprkg.engine import query_child, query_processes
from iprkg.engine.answers import Solutions, Triples
from iprkg.engine.oxigraph_store import OxigraphStore
from iprkg.engine.query_processes import (
    SPARE_AFTER,
    IsolatedSolutions,
    IsolatedStore,
    IsolatedTriples,
    QueryProcesses,
)
from iprkg.engine.store import ReadOnlyStore

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i FILTER(?i != 1) }"
COUNCILS = "SELECT ?c WHERE { ?c a <ontology#RegionalCouncil> } ORDER BY ?c"
GRAPH = "CONSTRUCT { ?c a <ontology#RegionalCouncil> } WHERE { ?c a <ontology#RegionalCouncil> }"


def solved(store: ReadOnlyStore, text: str, max_bytes: int = 0) -> bytes:
    """The answer to a SELECT or ASK ``text``, as SPARQL JSON."""
    result = store.query(text)
    assert isinstance(result, Solutions)
    return result.serialise(SPARQL_JSON, max_bytes)


@contextmanager
def isolated(store: OxigraphStore, limit: float, most: int = 2) -> Iterator[IsolatedStore]:
    assert threading.active_count() == 1, "forks only from a process with one thread"
    processes = QueryProcesses(store, limit, most)
    processes.start()
    try:
        yield IsolatedStore(store, processes)
    finally:
        processes.stop()


@pytest.fixture
def children(store: OxigraphStore) -> Iterator[IsolatedStore]:
    with isolated(store, limit=2) as isolated_store:
        yield isolated_store


def test_a_bad_query_is_refused_before_a_format_is_chosen(children: IsolatedStore) -> None:
    with pytest.raises(BadQuery, match="error at"):
        children.query("CONSTRUCT WHERE { ?s ?p ?o FILTER(?o = 1) }")
    with pytest.raises(ServiceRefused):
        children.query("SELECT * { SERVICE <http://example.org/> { ?s ?p ?o } }")
    assert isinstance(children.query("PREFIX construct: <x#> SELECT * {}"), IsolatedSolutions)
    assert isinstance(children.query("DESCRIBE <x>"), IsolatedTriples)


def test_before_start_queries_are_answered_in_process(store: OxigraphStore) -> None:
    processes = QueryProcesses(store, 1, 1)
    result = IsolatedStore(store, processes).query(COUNCILS)
    assert type(result) is Solutions and not processes.started


def test_answers_are_those_of_the_store_itself(
    store: OxigraphStore, children: IsolatedStore
) -> None:
    solutions = children.query(COUNCILS)
    assert isinstance(solutions, IsolatedSolutions)
    assert solutions.serialise(SPARQL_JSON) == solved(store, COUNCILS)
    triples = children.query(GRAPH)
    assert isinstance(triples, IsolatedTriples)
    in_process = store.query(GRAPH)
    assert isinstance(in_process, Triples)
    assert triples.serialise(TURTLE) == in_process.serialise(TURTLE)
    assert json.loads(solved(children, "ASK { ?c a <ontology#RegionalCouncil> }"))["boolean"]
    described = children.query("DESCRIBE <council/nome-midt-telemark>")
    assert isinstance(described, Triples) and b"nome-midt-telemark" in described.serialise(TURTLE)


def test_a_cut_answer_says_so(children: IsolatedStore) -> None:
    solutions = children.query(COUNCILS)
    assert isinstance(solutions, Solutions)
    rows = json.loads(solutions.serialise(SPARQL_JSON, max_rows=1))["results"]["bindings"]
    assert len(rows) == 1 and solutions.truncated


def test_errors_come_back_as_they_were_raised(children: IsolatedStore) -> None:
    with pytest.raises(BadQuery, match="error at 1:23"):
        solved(children, "SELECT ?x WHERE { ?x }")
    with pytest.raises(AnswerTooLarge):
        solved(children, "SELECT * { ?s ?p ?o }", max_bytes=100)
    assert solved(children, "ASK {}")


def test_a_runaway_is_stopped_at_the_limit_and_replaced(
    children: IsolatedStore, capfd: pytest.CaptureFixture[str]
) -> None:
    started = time.monotonic()
    with pytest.raises(QueryTimeout, match="longer than the limit of 2 s"):
        solved(children, RUNAWAY)
    assert 2 <= time.monotonic() - started < 4
    logged = capfd.readouterr().err
    assert "stopped a query after 2 s" in logged and "FILTER(?i != 1)" in logged
    pid = int(logged.split("its process ")[1].split()[0])
    time.sleep(0.2)
    assert not Path(f"/proc/{pid}").exists(), "its CPU is freed"
    assert json.loads(solved(children, "ASK {}"))["boolean"]


def test_small_queries_are_answered_beside_a_runaway(children: IsolatedStore) -> None:
    stopped: list[BaseException] = []

    def run() -> None:
        try:
            solved(children, RUNAWAY)
        except QueryTimeout as error:
            stopped.append(error)

    runaway = threading.Thread(target=run)
    runaway.start()
    time.sleep(0.3)
    took = []
    for _ in range(10):
        started = time.monotonic()
        solved(children, COUNCILS)
        took.append(time.monotonic() - started)
    runaway.join()
    assert max(took) < 1 and len(stopped) == 1


def test_waiting_for_a_process_counts_in_the_limit(store: OxigraphStore) -> None:
    with isolated(store, limit=1, most=1) as one:
        took: list[float] = []

        def run() -> None:
            started = time.monotonic()
            with pytest.raises(QueryTimeout):
                solved(one, RUNAWAY)
            took.append(time.monotonic() - started)

        runaways = [threading.Thread(target=run) for _ in range(3)]
        for runaway in runaways:  # the first, a spare beside it, then no more
            runaway.start()
            time.sleep(0.4)
        for runaway in runaways:
            runaway.join()
        assert len(took) == 3 and max(took) < 1.5, "the third waited, then ran what was left"
        assert solved(one, COUNCILS)


def test_a_spare_process_answers_beside_a_long_query_then_ends(store: OxigraphStore) -> None:
    with isolated(store, limit=2, most=1) as one:

        def run() -> None:
            with pytest.raises(QueryTimeout):
                solved(one, RUNAWAY)

        runaway = threading.Thread(target=run)
        runaway.start()
        time.sleep(0.3)
        started = time.monotonic()
        solved(one, COUNCILS)
        assert SPARE_AFTER <= time.monotonic() - started < 1, "one more process, after a wait"
        assert one.processes._idle == [], "the spare ended once it had answered"
        runaway.join()
        assert solved(one, COUNCILS) and len(one.processes._idle) == 1


def test_a_process_that_grew_ends_after_its_answer(
    store: OxigraphStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(query_child, "RETIRE_AFTER_BYTES", 0)  # inherited by the forks
    with isolated(store, limit=0, most=1) as one:
        assert solved(one, COUNCILS)
        assert one.processes._idle == [], "it said it retires, and was let go"
        assert solved(one, COUNCILS), "a fresh one answers"


def test_a_process_that_dies_fails_its_query_and_is_replaced(store: OxigraphStore) -> None:
    with isolated(store, limit=0, most=1) as one:
        assert solved(one, "ASK {}")
        child = one.processes._idle[0]
        os.kill(child.pid, signal.SIGKILL)
        with pytest.raises(QueryFailed):
            solved(one, "ASK {}")
        assert solved(one, "ASK {}")


class Counting:
    """A store that writes a line to ``log`` for each query it evaluates (in whatever
    process evaluates it)."""

    def __init__(self, inner: OxigraphStore, log: Path) -> None:
        self._inner, self._log = inner, log

    def __getattr__(self, name: str) -> object:
        return getattr(self._inner, name)

    def query(self, *args: object) -> object:
        with self._log.open("a") as log:
            log.write("evaluated\n")
        return self._inner.query(*args)  # type: ignore[arg-type]


def test_a_query_is_evaluated_once_and_its_process_given_back(
    store: OxigraphStore, tmp_path: Path
) -> None:
    log = tmp_path / "evaluations"
    log.touch()
    with isolated(Counting(store, log), limit=2, most=1) as one:  # type: ignore[arg-type]
        assert json.loads(solved(one, COUNCILS))["results"]["bindings"]
        assert log.read_text().count("evaluated") == 1, "what it answers, then the answer"
        one.query(COUNCILS)  # no answer asked for: the process is given back all the same
        assert solved(one, "ASK {}")
        assert log.read_text().count("evaluated") == 3


def test_a_process_left_idle_ends_and_the_next_query_forks_another(
    store: OxigraphStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(query_processes, "IDLE_END", 0.2)
    with isolated(store, limit=2, most=1) as one:
        assert solved(one, COUNCILS)
        first = one.processes._idle[0].pid
        time.sleep(0.6)
        assert one.processes._idle == [], "ended after IDLE_END unused"
        assert _ends(first), "its process is gone"
        assert solved(one, COUNCILS) == solved(store, COUNCILS)
        assert one.processes._idle[0].pid != first, "a fresh fork answered"
    assert threading.active_count() == 1, "stop() ends the thread that ends idle processes"


def test_a_process_in_use_is_not_ended_for_idleness(
    store: OxigraphStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(query_processes, "IDLE_END", 0.3)
    with isolated(store, limit=2, most=1) as one:
        assert solved(one, "ASK {}")
        first = one.processes._idle[0].pid
        for _ in range(5):  # used every 0.1 s: never idle for 0.3 s
            time.sleep(0.1)
            assert solved(one, "ASK {}")
        assert [child.pid for child in one.processes._idle] == [first]


def _ends(pid: int, within: float = 5.0) -> bool:
    """Whether process ``pid`` ends (or is left a zombie) within ``within`` seconds."""
    stop = time.monotonic() + within
    while time.monotonic() < stop:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
        except OSError:
            return True
        if state in ("Z", "X"):
            return True
        time.sleep(0.05)
    return False
