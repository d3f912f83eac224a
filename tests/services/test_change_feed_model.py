"""The change feed's model without a server: what a resource's description is (blank
nodes included), when two descriptions are the same, and what a page token may be."""

from __future__ import annotations

import pyoxigraph
import pytest

from iprkg.core.errors import BadRequest, NotFound
from iprkg.services.change_feed import ChangeFeed, Member, descriptions, signature

RESTRICTED = """
<https://example.org/Council> <http://www.w3.org/2000/01/rdf-schema#subClassOf> _:{label} .
_:{label} <http://www.w3.org/2002/07/owl#onProperty> <http://www.w3.org/2000/01/rdf-schema#label> .
_:{label} <http://www.w3.org/2002/07/owl#minCardinality> "{count}" .
<https://example.org/Council> <http://www.w3.org/2000/01/rdf-schema#label> "Council" .
"""


def described(label: str, count: int = 1) -> dict[str, frozenset[str]]:
    text = RESTRICTED.format(label=label, count=count)
    triples = pyoxigraph.parse(text.encode(), format=pyoxigraph.RdfFormat.N_TRIPLES)
    return {iri: signature(found) for iri, found in descriptions(triples).items()}


def test_a_description_takes_its_blank_nodes_along_whatever_their_names() -> None:
    first, renamed = described("a"), described("other")
    assert list(first) == ["https://example.org/Council"], "a blank node is no member"
    assert first == renamed
    assert described("a", count=2) != first


def feed_of(members: int, page_size: int) -> ChangeFeed:
    member = Member(
        "https://example.org/v", "https://example.org/e", "1", "2026-01-01T00:00:00Z", ()
    )
    return ChangeFeed((member,) * members, page_size)


@pytest.mark.parametrize(("members", "pages"), [(0, 1), (1, 1), (3, 1), (4, 2), (7, 3)])
def test_pages_are_full_but_the_last(members: int, pages: int) -> None:
    feed = feed_of(members, 3)
    assert feed.last_page == pages
    assert sum(len(feed.page(n)) for n in range(1, pages + 1)) == members


@pytest.mark.parametrize(
    ("tokens", "error"),
    [
        (["x"], BadRequest),
        (["-1"], BadRequest),
        (["²"], BadRequest),
        (["1", "1"], BadRequest),
        (["0"], NotFound),
        (["3"], NotFound),
    ],
)
def test_a_bad_page_token_is_refused(tokens: list[str], error: type[Exception]) -> None:
    with pytest.raises(error):
        feed_of(4, 3).page_number(tokens)


def test_no_token_is_the_root_and_a_good_one_its_page() -> None:
    assert feed_of(4, 3).page_number([]) == 1
    assert feed_of(4, 3).page_number(["2"]) == 2
