"""Federation without SSRF: which SERVICE endpoints a query may call (iprkg.engine.federation).

No test reaches the network: names are resolved by a fake resolver, and the one test of
the real resolver resolves only ``localhost``. The tests that run pyoxigraph point it at
a closed port on the loopback interface, to show it reads a spelling as SERVICE.
"""

from __future__ import annotations

import socket
from collections.abc import Sequence

import pyoxigraph
import pytest

from iprkg.core.errors import ServiceRefused
from iprkg.engine.federation import AllowlistError, ServicePolicy, system_resolver
from iprkg.engine.service_calls import ServiceCall, service_calls

BASE = "https://w3id.org/iprkg/"
ALLOWED = "https://query.wikidata.org/sparql"
PUBLIC = "93.184.216.34"


class FakeResolver:
    """Answers ``addresses`` for every name, and remembers what it was asked."""

    def __init__(self, *addresses: str, error: OSError | None = None) -> None:
        self.addresses = addresses
        self.error = error
        self.asked: list[tuple[str, int]] = []

    def __call__(self, host: str, port: int) -> Sequence[str]:
        self.asked.append((host, port))
        if self.error is not None:
            raise self.error
        return self.addresses


def policy(*allowed: str, resolver: FakeResolver | None = None) -> ServicePolicy:
    return ServicePolicy(allowed, resolver or FakeResolver(PUBLIC))


def query(endpoint: str) -> str:
    return f"SELECT * WHERE {{ SERVICE {endpoint} {{ ?s ?p ?o }} }}"


def refusal(service_policy: ServicePolicy, text: str, base_iri: str = BASE) -> str:
    with pytest.raises(ServiceRefused) as refused:
        service_policy.check(text, base_iri)
    return refused.value.message


# ---------------------------------------------------------------- allowed endpoints


def test_an_allowlisted_endpoint_with_public_addresses_is_called() -> None:
    resolver = FakeResolver(PUBLIC, "2606:2800:220:1:248:1893:25c8:1946")
    policy(ALLOWED, resolver=resolver).check(query(f"<{ALLOWED}>"), BASE)
    assert resolver.asked == [("query.wikidata.org", 443)]


@pytest.mark.parametrize(
    "endpoint",
    [
        "<HTTPS://Query.Wikidata.ORG/sparql>",
        "<https://query.wikidata.org.:443/sparql>",
        "SILENT <https://query.wikidata.org/sparql>",
    ],
)
def test_an_allowlisted_endpoint_matches_however_its_iri_is_spelled(endpoint: str) -> None:
    policy(ALLOWED).check(query(endpoint), BASE)


def test_the_allowlist_is_normalised() -> None:
    service_policy = ServicePolicy.from_setting(
        "  HTTPS://Bücher.Example.:443/sparql\n http://example.org:8080  ", FakeResolver(PUBLIC)
    )
    assert service_policy.enabled
    assert service_policy.allowed == (
        "https://xn--bcher-kva.example/sparql",
        "http://example.org:8080/",
    )


@pytest.mark.parametrize(
    "entry",
    [
        "ftp://example.org/sparql",
        "file:///etc/passwd",
        "http://user:secret@example.org/sparql",
        "http://example.org/sparql#endpoint",
        "http://%65xample.org/sparql",
        "http://[fe80::1%25eth0]/sparql",
        "example.org/sparql",
        "http:///sparql",
    ],
)
def test_an_allowlist_entry_that_is_no_http_endpoint_is_an_error(entry: str) -> None:
    with pytest.raises(AllowlistError, match="IPRKG_SERVICE_ALLOW"):
        ServicePolicy([entry])


# ---------------------------------------------------------------- refused endpoints


def test_an_empty_allowlist_refuses_every_service() -> None:
    service_policy = ServicePolicy.from_setting("", FakeResolver(PUBLIC))
    assert not service_policy.enabled
    message = refusal(service_policy, query(f"<{ALLOWED}>"))
    assert "IPRKG_SERVICE_ALLOW is empty" in message
    assert f"SERVICE <{ALLOWED}>" in message


def test_an_endpoint_not_on_the_allowlist_is_refused_without_a_lookup() -> None:
    resolver = FakeResolver(PUBLIC)
    message = refusal(policy(ALLOWED, resolver=resolver), query("<https://dbpedia.org/sparql>"))
    assert message.startswith(
        "SERVICE <https://dbpedia.org/sparql> is not on this endpoint's allowlist "
        "(IPRKG_SERVICE_ALLOW)"
    )
    assert resolver.asked == []


@pytest.mark.parametrize(
    "endpoint",
    [
        f"<{ALLOWED}/other>",
        "<http://query.wikidata.org/sparql>",
        "<https://query.wikidata.org:8443/sparql>",
        "<https://query.wikidata.org/sparql?default-graph-uri=x>",
    ],
)
def test_only_the_allowlisted_iri_itself_is_allowed(endpoint: str) -> None:
    assert "not on this endpoint's allowlist" in refusal(policy(ALLOWED), query(endpoint))


@pytest.mark.parametrize("endpoint", ["?endpoint", "$endpoint", "SILENT ?endpoint"])
def test_a_variable_endpoint_is_refused(endpoint: str) -> None:
    text = f"SELECT * WHERE {{ VALUES ?endpoint {{ <{ALLOWED}> }} SERVICE {endpoint} {{ }} }}"
    message = refusal(policy(ALLOWED), text)
    assert "variable endpoint" in message
    assert "name the endpoint" in message


# Each spelling is put on the allowlist itself, so that only the address check can
# refuse it; the fake resolver calls every name public, so a literal read as a name
# would pass.
@pytest.mark.parametrize(
    ("endpoint", "address", "kind"),
    [
        ("http://127.0.0.1/sparql", "127.0.0.1", "loopback"),
        ("http://127.0.0.1.:8080/sparql", "127.0.0.1", "loopback"),
        ("http://2130706433/sparql", "127.0.0.1", "loopback"),
        ("http://0x7f000001/sparql", "127.0.0.1", "loopback"),
        ("http://0X7F.0.0.1/sparql", "127.0.0.1", "loopback"),
        ("http://0177.0.0.1/sparql", "127.0.0.1", "loopback"),
        ("http://127.1/sparql", "127.0.0.1", "loopback"),
        ("http://127.0.1/sparql", "127.0.0.1", "loopback"),
        ("http://[::1]/sparql", "::1", "loopback"),
        ("http://[0:0:0:0:0:0:0:1]/sparql", "::1", "loopback"),
        ("http://[::ffff:127.0.0.1]/sparql", "::ffff:7f00:1", "loopback address (127.0.0.1)"),
        ("http://[::ffff:7f00:1]/sparql", "::ffff:7f00:1", "loopback address (127.0.0.1)"),
        ("http://[::127.0.0.1]/sparql", "::7f00:1", "loopback address (127.0.0.1)"),
        ("http://[64:ff9b::127.0.0.1]/sparql", "64:ff9b::7f00:1", "loopback address"),
        ("http://[2002:a00:1::]/sparql", "2002:a00:1::", "private address (10.0.0.1)"),
        ("http://[::ffff:169.254.169.254]/", "::ffff:a9fe:a9fe", "link-local address"),
        ("http://0.0.0.0/sparql", "0.0.0.0", "unspecified"),
        ("http://0/sparql", "0.0.0.0", "unspecified"),
        ("http://[::]/sparql", "::", "unspecified"),
        ("http://10.0.0.1/sparql", "10.0.0.1", "private"),
        ("http://172.16.0.1/sparql", "172.16.0.1", "private"),
        ("http://192.168.1.1/sparql", "192.168.1.1", "private"),
        ("http://[fd00::1]/sparql", "fd00::1", "private"),
        ("http://169.254.169.254/latest/meta-data/", "169.254.169.254", "link-local"),
        ("http://[fe80::1]/sparql", "fe80::1", "link-local"),
        ("http://224.0.0.1/sparql", "224.0.0.1", "multicast"),
        ("http://[ff02::1]/sparql", "ff02::1", "multicast"),
        ("http://240.0.0.1/sparql", "240.0.0.1", "reserved"),
        ("http://100.64.0.1/sparql", "100.64.0.1", "shared (carrier-grade NAT)"),
    ],
)
def test_an_address_literal_that_is_not_public_is_never_called(
    endpoint: str, address: str, kind: str
) -> None:
    resolver = FakeResolver(PUBLIC)
    message = refusal(policy(endpoint, resolver=resolver), query(f"<{endpoint}>"))
    assert f"is {address}, a {kind}" in message
    assert "never called (although it is on the allowlist)" in message
    assert resolver.asked == []


@pytest.mark.parametrize(
    "endpoint",
    [
        "http://localhost/sparql",
        "HTTP://LOCALHOST/sparql",
        "http://localhost./",
        "http://a.localhost/",
    ],
)
def test_localhost_is_never_called(endpoint: str) -> None:
    resolver = FakeResolver(PUBLIC)
    message = refusal(policy(endpoint, resolver=resolver), query(f"<{endpoint}>"))
    assert "a loopback name: never called (although it is on the allowlist)" in message
    assert resolver.asked == []


@pytest.mark.parametrize(
    ("endpoint", "reason"),
    [
        ("http://query.wikidata.org@127.0.0.1/sparql", "user information"),
        ("https://query.wikidata.org:443@127.0.0.1/sparql", "user information"),
        ("http://%31%32%37.0.0.1/sparql", "percent-encoding"),
        ("http://\u24c1ocalhost/sparql", "ASCII (xn--) form"),
        ("http://1.2.3.999/sparql", "looks like an IPv4 address"),
        ("http://0x100000000/sparql", "looks like an IPv4 address"),
        ("http://example.0x7f/sparql", "looks like an IPv4 address"),
        ("https://query.wikidata.org/sparql#x", "no fragment"),
        ("file:///etc/passwd", "only http and https"),
        ("gopher://127.0.0.1:25/", "only http and https"),
    ],
)
def test_an_iri_that_hides_its_host_is_refused(endpoint: str, reason: str) -> None:
    message = refusal(policy(ALLOWED), query(f"<{endpoint}>"))
    assert message.startswith(f"SERVICE <{endpoint}> is refused: ")
    assert reason in message


@pytest.mark.parametrize(
    ("addresses", "shown"),
    [
        (("127.0.0.1",), "resolves to 127.0.0.1, a loopback address"),
        ((PUBLIC, "10.1.2.3"), "resolves to 10.1.2.3, a private address"),
        (
            ("::ffff:192.168.0.1",),
            "resolves to ::ffff:c0a8:1, a private address (192.168.0.1) inside an IPv6",
        ),
        (("fe80::1%eth0",), "resolves to fe80::1%eth0, a link-local address"),
    ],
)
def test_an_allowlisted_name_resolving_to_any_non_public_address_is_never_called(
    addresses: tuple[str, ...], shown: str
) -> None:
    message = refusal(policy(ALLOWED, resolver=FakeResolver(*addresses)), query(f"<{ALLOWED}>"))
    assert f"SERVICE <{ALLOWED}> query.wikidata.org {shown}" in message
    assert message.endswith("never called (although it is on the allowlist)")


@pytest.mark.parametrize(
    "resolver",
    [FakeResolver(), FakeResolver(error=socket.gaierror(socket.EAI_NONAME, "unknown"))],
)
def test_an_allowlisted_name_that_does_not_resolve_is_refused(resolver: FakeResolver) -> None:
    message = refusal(policy(ALLOWED, resolver=resolver), query(f"<{ALLOWED}>"))
    assert message == f"SERVICE <{ALLOWED}>: query.wikidata.org does not resolve; not called"


def test_the_system_resolver_finds_localhost_on_the_loopback_interface() -> None:
    addresses = system_resolver("localhost", 80)
    assert addresses
    message = refusal(
        ServicePolicy(
            ["http://localhost.test/"], lambda _host, port: system_resolver("localhost", port)
        ),
        query("<http://localhost.test/>"),
    )
    assert "a loopback address: never called" in message


def test_a_zone_id_is_refused() -> None:
    message = refusal(policy(ALLOWED), query("<http://[fe80::1%25eth0]/sparql>"))
    assert "cannot resolve the endpoint <http://[fe80::1%25eth0]/sparql>" in message


# ---------------------------------------------------------------- finding the endpoints


def test_prefixed_relative_and_nested_endpoints_are_resolved() -> None:
    text = """
        PREFIX wd: <https://query.wikidata.org/>
        BASE <http://example.org/a/>
        PREFIX rel: <b/>
        SELECT * WHERE {
          SERVICE SILENT wd:sparql { ?s ?p ?o SERVICE <../c> { SERVICE rel:d { } } }
          SERVICE ?endpoint { }
          SERVICE <e\\u0041> { }
        }"""
    assert service_calls(text, BASE) == [
        ServiceCall("wd:sparql", "https://query.wikidata.org/sparql"),
        ServiceCall("<../c>", "http://example.org/c"),
        ServiceCall("rel:d", "http://example.org/a/b/d"),
        ServiceCall("?endpoint", None),
        ServiceCall("<e\\u0041>", "http://example.org/a/eA"),
    ]


def test_a_relative_endpoint_resolves_against_the_base_iri_of_the_request() -> None:
    assert service_calls(query("<sparql>"), "https://query.wikidata.org/") == [
        ServiceCall("<sparql>", ALLOWED)
    ]
    policy(ALLOWED).check(query("<sparql>"), "https://query.wikidata.org/")
    message = refusal(policy(ALLOWED), query("<sparql>"), BASE)
    assert "SERVICE <https://w3id.org/iprkg/sparql> is not on" in message


def test_prefixed_endpoints_use_the_prefixes_given_to_the_engine() -> None:
    calls = service_calls(query("wd:sparql"), BASE, {"wd": "https://query.wikidata.org/"})
    assert calls == [ServiceCall("wd:sparql", ALLOWED)]


@pytest.mark.parametrize(
    "text",
    [
        'SELECT ("SERVICE <http://127.0.0.1/> { }" AS ?x) WHERE { }',
        "SELECT * WHERE { ?s ?p '''\nSERVICE <http://127.0.0.1/> { }\n''' }",
        "SELECT * WHERE { ?s ?p ?o } # SERVICE <http://127.0.0.1/> { }",
        "SELECT * WHERE { ?s <http://127.0.0.1/SERVICE> ?service }",
        "PREFIX service: <http://x/> SELECT * WHERE { ?s service:p ex:service . ?service ?p ?o }",
        'SELECT * WHERE { ?s ?p "a\\"SERVICE <http://127.0.0.1/> { }" }',
        "SELECT * WHERE { ?s ?p ?o FILTER(?o < 2) } # service",
    ],
)
def test_service_in_a_string_comment_iri_or_name_is_no_federated_query(text: str) -> None:
    assert service_calls(text, BASE) == []
    ServicePolicy([], FakeResolver(PUBLIC)).check(text, BASE)


def test_a_query_without_the_word_service_is_not_read() -> None:
    # Unreadable on purpose: only a text mentioning SERVICE is read, the rest is the engine's.
    ServicePolicy([]).check("SELECT * WHERE { ?s ?p 'unterminated }", BASE)
    with pytest.raises(ServiceRefused, match="a string is not closed"):
        ServicePolicy([]).check("SELECT * WHERE { SERVICE <x> { ?s ?p 'unterminated } }", BASE)


# Spellings pyoxigraph 0.5 reads as SERVICE though a SPARQL lexer would not (keywords
# need no space after them; escapes are not decoded outside strings and IRIs).
ENGINE_SPELLINGS = [
    "SELECT * WHERE { SERVICE<{url}>{ } }",
    "select * where { ?a ?b ?c .service silent <{url}> { } }",
    "SELECT * WHERE { SERVICESILENT<{url}> { } }",
    "PREFIX e: <{url}> SELECT * WHERE { SERVICEe:x{ } }",
    "PREFIX e: <{url}> SELECT * WHERE { SERVICESILENTe:x { } }",
    "PREFIXe:<{url}> SELECT * WHERE { SERVICE e:x { } }",
    'SELECT * WHERE { BIND("a\\u0022" AS ?b) SERVICE <{url}> { } BIND("c" AS ?d) }',
    "BASE <{url}> SELECT * WHERE { SERVICE <relative> { } }",
]
CLOSED_PORT = "http://127.0.0.1:1/"
"""Port 1 is one pyoxigraph's HTTP client never connects to: it gets as far as trying."""


@pytest.mark.parametrize("template", ENGINE_SPELLINGS)
def test_the_engine_reads_these_spellings_as_service(template: str) -> None:
    """pyoxigraph tries to call the endpoint (OSError: connection refused), it does not
    reject the text (SyntaxError): these are the spellings the reading must catch."""
    text = template.replace("{url}", CLOSED_PORT)
    if "silent" in text.lower():
        # SILENT swallows the failed call; a text the engine did not read as SERVICE SILENT
        # would raise SyntaxError here.
        list(pyoxigraph.Store().query(text, base_iri=BASE))
        return
    with pytest.raises(OSError, match="port 1 is not allowed"):
        list(pyoxigraph.Store().query(text, base_iri=BASE))


@pytest.mark.parametrize("template", ENGINE_SPELLINGS)
def test_every_spelling_the_engine_reads_as_service_is_checked(template: str) -> None:
    text = template.replace("{url}", CLOSED_PORT)
    assert [call.iri for call in service_calls(text, BASE)][:1] in (
        [CLOSED_PORT],
        [f"{CLOSED_PORT}x"],
        [f"{CLOSED_PORT}relative"],
    )
    assert "127.0.0.1, a loopback address: never called" in refusal(policy(ALLOWED), text)
    assert "IPRKG_SERVICE_ALLOW is empty" in refusal(ServicePolicy([]), text)


def test_a_less_than_that_may_hide_a_service_is_refused() -> None:
    text = (
        f"PREFIX e: <{CLOSED_PORT}> SELECT * WHERE {{ BIND(1 AS ?a)\n"
        "  FILTER(?a<2)SERVICEe:x#>\n  { } }"
    )
    # The engine reads "?a < 2", then "SERVICE e:x", then a comment.
    with pytest.raises(OSError, match="port 1 is not allowed"):
        list(pyoxigraph.Store().query(text, base_iri=BASE))
    message = refusal(ServicePolicy([ALLOWED]), text)
    assert "may be a less-than" in message


def test_an_iri_after_an_operand_is_still_an_iri_when_it_cannot_hide_anything() -> None:
    text = f"SELECT * WHERE {{ FILTER(?a<2) VALUES (?x ?y) {{ (<{ALLOWED}> <{ALLOWED}>) }} SERVICE <{ALLOWED}> {{ }} }}"
    policy(ALLOWED).check(text, BASE)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("SELECT * WHERE { SERVICE undeclared:x { } }", "cannot resolve the endpoint"),
        ("SELECT * WHERE { SERVICE }", "cannot read the endpoint"),
        ("SELECT * WHERE { SERVICE", "not followed by an endpoint"),
        ("SELECT * WHERE { SERVICE <x> { ) }", "closes nothing"),
        ("BASE SELECT * WHERE { SERVICE <x> { } }", "BASE is not followed by an IRI"),
    ],
)
def test_a_query_mentioning_service_that_cannot_be_read_is_refused(text: str, reason: str) -> None:
    message = refusal(policy(ALLOWED), text)
    assert message.startswith("a query mentioning SERVICE is refused when it cannot be read")
    assert reason in message
