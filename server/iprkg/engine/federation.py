"""Federated queries (SERVICE) without SSRF: only allowlisted, public endpoints are called.

pyoxigraph calls a SERVICE endpoint itself, over HTTP, from the server's network: a
public endpoint that answered every SERVICE would fetch any URL a client names, the
loopback interface and the private network behind the server included. So SERVICE is
off unless the setting ``IPRKG_SERVICE_ALLOW`` names endpoints, and then a query runs
only if every SERVICE in it names one of them, by an IRI whose host is, and resolves
only to, public addresses. ``ServicePolicy.check`` decides before the query reaches
the engine; it raises ``ServiceRefused`` saying which IRI was refused and why.

Finding the endpoints. pyoxigraph has no parse-only API, and rdflib's parser cannot
stand in: it recurses without end on a nested SERVICE and rescans the whole text for
each SERVICE (quadratic). So the text is read as pyoxigraph's own parser reads it,
which differs from the SPARQL grammar's lexer in ways an attacker can use (each pinned
by a test): keywords need no space after them (``SERVICEex:x{…}``,
``SERVICESILENT<…>``, ``PREFIXex:<…>`` all run), and ``\\u`` escapes are decoded inside
strings and IRIs only, not before lexing (``"\\u0022"`` does not end a string). The
reading is fail-closed: a name starting with ``service`` and followed by a group counts
as a SERVICE keyword (``SERVICEex:x {`` is one, ``service:p ?o`` is not); an
unterminated string, an unbalanced bracket or an endpoint that cannot be read refuses
the query, and so does a ``<…>`` that pyoxigraph may read as a less-than (after an
operand inside parentheses: ``FILTER(?a<2)SERVICEex:x#>``) when reading it so would
change where a comment or string starts or show a SERVICE. Relative IRIs and prefixed
names are resolved by pyoxigraph's own IRI code (the Turtle parser, with the query's
BASE and PREFIX declarations and the request's base IRI), so the endpoint checked is
the endpoint called. Only a text containing ``service`` (any case) is read at all:
other queries pay one substring search.

Checking an endpoint, however its IRI is spelled. Only http and https; no userinfo
(``http://allowed.example@127.0.0.1/``), no percent-encoding or zone id in the
authority, no fragment, an ASCII host (write ``xn--`` names; allowlist entries may be
written in Unicode and are IDNA-encoded); a trailing dot and case do not matter. An IP
address literal in any spelling the C library or a browser accepts (``2130706433``,
``0x7f000001``, ``0177.0.0.1``, ``127.1``, ``[::ffff:127.0.0.1]``, NAT64, 6to4,
Teredo, IPv4-compatible) is read as the address it names; ``localhost`` and
``*.localhost`` are never called. An endpoint must be on the allowlist (scheme, host,
port and path-and-query compared after normalisation, the default port made
explicit), and then its host must resolve (``socket.getaddrinfo``) to public addresses
only: loopback, private, link-local, unspecified, multicast, reserved and shared
(100.64.0.0/10) addresses are refused, even for an allowlisted endpoint. Hosts that are
not allowlisted are never resolved, so a client cannot make the server look up names
of its choosing.

Residual risks this layer cannot close (for docs/security.md):

* DNS rebinding, time of check to time of use: the host is resolved here, and again by
  pyoxigraph's HTTP client when it connects; whoever controls the DNS of an
  allowlisted host can answer a public address to us and a private one to it. Only
  allowlist hosts whose DNS you trust, and filter the server's egress at the network
  (firewall, egress proxy) if the private network matters.
* Redirects: pyoxigraph 0.5.13 does not follow them (a 302 from the endpoint fails the
  query with "The server requested too many redirects (1)", tried against a local
  server). A later pyoxigraph that follows redirects would take a call from an
  allowlisted endpoint anywhere; re-check on upgrade.
* HTTP proxy variables and the resolver configuration (``/etc/hosts``, search domains)
  of the server process apply to pyoxigraph's calls as they do to ours.
* An allowlisted endpoint sees the query text sent to it and can answer anything;
  pyoxigraph may call it once per solution reaching the SERVICE (a bound join), so a
  query can make the server send many requests to it: rate limits and the query
  timeout bound this, nothing here does.
* pyoxigraph 0.5's Python API sets no timeout on SERVICE calls: a slow allowlisted
  endpoint holds a worker thread as long as the server's query timeout lets it.
* The reading mimics pyoxigraph 0.5's parser, not its grammar; a new pyoxigraph
  release may accept spellings this reading does not know. The tests in
  tests/test_federation.py pin the known ones; run them on every upgrade.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

import pyoxigraph

from iprkg.core.errors import ServiceRefused

SETTING = "IPRKG_SERVICE_ALLOW"
"""The setting naming the endpoints SERVICE may call (whitespace-separated IRIs)."""

Resolver = Callable[[str, int], Sequence[str]]
"""``(host, port) -> addresses`` as strings; raises OSError when the host does not resolve."""

Address = ipaddress.IPv4Address | ipaddress.IPv6Address

DEFAULT_PORTS = {"http": 80, "https": 443}


def system_resolver(host: str, port: int) -> Sequence[str]:
    """Every address ``socket.getaddrinfo`` gives for ``host``, as pyoxigraph would connect."""
    return [str(info[4][0]) for info in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)]


class AllowlistError(ValueError):
    """An ``IPRKG_SERVICE_ALLOW`` entry that is not an http(s) endpoint IRI."""


@dataclass(frozen=True)
class ServiceCall:
    """One SERVICE in a query: its endpoint IRI, or None for a variable endpoint."""

    written: str
    """The endpoint as the query writes it (``<…>``, ``ex:sparql``, ``?endpoint``)."""
    iri: str | None


def mentions_service(text: str) -> bool:
    """True when ``text`` contains ``service`` anywhere, in any case: only then is it read.

    Deliberately blunt: pyoxigraph reads a SERVICE keyword only where these letters are
    (it decodes no escapes outside strings and IRIs), so a text without them has none.
    """
    return _SERVICE_WORD.search(text) is not None


def service_calls(
    text: str, base_iri: str | None = None, prefixes: Mapping[str, str] | None = None
) -> list[ServiceCall]:
    """Every SERVICE of the query ``text``, endpoints resolved as pyoxigraph resolves them.

    ``base_iri`` and ``prefixes`` are what the store passes to pyoxigraph. Raises
    ServiceRefused when the text cannot be read safely (see the module docstring).
    """
    if not mentions_service(text):
        return []
    tokens = _tokens(text)
    declarations = [f"PREFIX {name}: <{iri}>" for name, iri in (prefixes or {}).items()]
    calls: list[ServiceCall] = []
    in_prologue = True
    index = 0
    while index < len(tokens):
        kind, value = tokens[index]
        index += 1
        folded = value.casefold() if kind == "name" else ""
        if in_prologue and folded == "base":
            iri = _expect(tokens, index, "iri", "BASE")
            declarations.append(f"BASE {iri}")
            index += 1
        elif in_prologue and folded == "prefix":
            name = _expect(tokens, index, "name", "PREFIX")
            iri = _expect(tokens, index + 1, "iri", "PREFIX")
            declarations.append(f"PREFIX {name} {iri}")
            index += 2
        elif in_prologue and kind == "name" and _PREFIX_WORD.match(value) and value.endswith(":"):
            # pyoxigraph reads "PREFIXex:<…>" as "PREFIX ex: <…>".
            iri = _expect(tokens, index, "iri", "PREFIX")
            declarations.append(f"PREFIX {value[_PREFIX_WORD_LENGTH:]} {iri}")
            index += 1
        elif kind == "name" and (keyword := _SERVICE_WORD.match(value)):
            in_prologue = False
            glued = value[keyword.end() :]
            if glued and not _SILENT_WORD.fullmatch(glued) and tokens[index : index + 1] != [GROUP]:
                continue  # a name such as service:p, not "SERVICEex:x {"
            written, candidates, index = _endpoint(glued, tokens, index)
            calls.extend(_calls(written, candidates, declarations, base_iri))
        else:
            in_prologue = False
    return calls


class ServicePolicy:
    """Which SERVICE endpoints a query may call: none, unless ``allowed`` names them."""

    def __init__(self, allowed: Iterable[str] = (), resolver: Resolver = system_resolver) -> None:
        endpoints: dict[str, Endpoint] = {}
        for iri in allowed:
            try:
                endpoint = Endpoint.parse(iri, allowlisted=True)
            except _Unsafe as error:
                raise AllowlistError(f"{SETTING}: {iri!r} is not usable: {error}") from None
            endpoints[endpoint.key] = endpoint
        self._allowed = endpoints
        self._resolver = resolver

    @classmethod
    def from_setting(cls, value: str, resolver: Resolver = system_resolver) -> ServicePolicy:
        """The policy the setting's value (whitespace-separated endpoint IRIs) describes."""
        return cls(value.split(), resolver)

    @property
    def enabled(self) -> bool:
        """True when some endpoint may be called."""
        return bool(self._allowed)

    @property
    def allowed(self) -> tuple[str, ...]:
        """The allowlisted endpoints, normalised."""
        return tuple(endpoint.display for endpoint in self._allowed.values())

    def check(
        self, text: str, base_iri: str | None = None, prefixes: Mapping[str, str] | None = None
    ) -> None:
        """Raise ServiceRefused unless every SERVICE of the query ``text`` may be called."""
        calls = service_calls(text, base_iri, prefixes)
        if calls and not self.enabled:
            raise ServiceRefused(
                f"federated queries are off on this endpoint ({SETTING} is empty): "
                f"SERVICE {calls[0].written} is not called"
            )
        for call in calls:
            self._check_call(call)

    def _check_call(self, call: ServiceCall) -> None:
        if call.iri is None:
            raise ServiceRefused(
                f"SERVICE with a variable endpoint ({call.written}) is refused: "
                "name the endpoint by its IRI"
            )
        try:
            endpoint = Endpoint.parse(call.iri)
        except _Unsafe as error:
            raise ServiceRefused(f"SERVICE <{call.iri}> is refused: {error}") from None
        allowed = endpoint.key in self._allowed
        if endpoint.address is not None:
            _check_address(call.iri, endpoint.address, None, allowed)
        elif endpoint.host == "localhost" or endpoint.host.endswith(".localhost"):
            raise ServiceRefused(
                f"SERVICE <{call.iri}> names {endpoint.host}, a loopback name: never called"
                + (" (although it is on the allowlist)" if allowed else "")
            )
        if not allowed:
            raise ServiceRefused(
                f"SERVICE <{call.iri}> is not on this endpoint's allowlist ({SETTING}); "
                f"allowed: {', '.join(self.allowed)}"
            )
        if endpoint.address is not None:
            return
        try:
            addresses = list(self._resolver(endpoint.lookup_name, endpoint.port))
        except (OSError, UnicodeError):
            addresses = []
        if not addresses:
            raise ServiceRefused(
                f"SERVICE <{call.iri}>: {endpoint.host} does not resolve; not called"
            )
        for written in addresses:
            try:
                address = ipaddress.ip_address(written)
            except ValueError:
                raise ServiceRefused(
                    f"SERVICE <{call.iri}>: {endpoint.host} resolves to {written!r}, "
                    "not an IP address; not called"
                ) from None
            _check_address(call.iri, address, endpoint.host, allowed)


@dataclass(frozen=True)
class Endpoint:
    """An http(s) endpoint IRI, read strictly, with what is needed to check and compare it."""

    scheme: str
    host: str
    """Lower-case ASCII, no trailing dot; an IPv6 address in brackets, compressed."""
    port: int
    path: str
    """Path and query, ``/`` for an empty path."""
    address: Address | None
    """The address the host is a literal of (in any spelling), else None."""
    lookup_name: str
    """The host as pyoxigraph's HTTP client would look it up."""

    @property
    def key(self) -> str:
        return f"{self.scheme}://{self.host}:{self.port}{self.path}"

    @property
    def display(self) -> str:
        port = "" if DEFAULT_PORTS[self.scheme] == self.port else f":{self.port}"
        return f"{self.scheme}://{self.host}{port}{self.path}"

    @classmethod
    def parse(cls, iri: str, allowlisted: bool = False) -> Endpoint:
        """``iri`` read as an endpoint; ``_Unsafe`` saying why it cannot be one.

        Allowlist entries (``allowlisted``) may write their host in Unicode.
        """
        match = _ENDPOINT_IRI.fullmatch(iri)
        if match is None:
            raise _Unsafe("only absolute http:// and https:// IRIs with a host are called")
        scheme = match["scheme"].lower()
        if scheme not in DEFAULT_PORTS:
            raise _Unsafe(f"the scheme {scheme}: is not called; only http and https are")
        authority, path = match["authority"], match["path"] or "/"
        if "#" in path:
            raise _Unsafe("an endpoint IRI has no fragment")
        if "@" in authority:
            raise _Unsafe("user information (user@host) in an endpoint IRI is not allowed")
        if "%" in authority or "\\" in authority:
            raise _Unsafe("percent-encoding or a zone id in the host is not allowed")
        host_match = _HOST_PORT.fullmatch(authority)
        if host_match is None:
            raise _Unsafe(f"cannot read the host and port {authority!r}")
        port = int(host_match["port"]) if host_match["port"] else DEFAULT_PORTS[scheme]
        if not 0 < port < 65536:
            raise _Unsafe(f"port {port} is out of range")
        if host_match["ipv6"] is not None:
            try:
                ipv6 = ipaddress.IPv6Address(host_match["ipv6"])
            except ValueError:
                raise _Unsafe(f"[{host_match['ipv6']}] is not an IPv6 address") from None
            return cls(scheme, f"[{ipv6.compressed}]", port, path, ipv6, ipv6.compressed)
        written = host_match["host"]
        if not written.isascii():
            if not allowlisted:
                raise _Unsafe("write a non-ASCII host in its ASCII (xn--) form")
            try:
                written = written.encode("idna").decode("ascii")
            except UnicodeError as error:
                raise _Unsafe(f"the host is not a valid domain name ({error})") from None
        host = written.lower()
        host = host[:-1] if host.endswith(".") else host
        if not _HOST_NAME.fullmatch(host):
            raise _Unsafe(f"{written!r} is not a host name")
        ipv4 = _ipv4_literal(host)
        if ipv4 is not None:
            return cls(scheme, str(ipv4), port, path, ipv4, str(ipv4))
        return cls(scheme, host, port, path, None, written)


class _Unsafe(ValueError):
    """Why an IRI cannot be an endpoint."""


# Reading the query -------------------------------------------------------------------

_SERVICE_WORD = re.compile("service", re.IGNORECASE)
_SILENT_WORD = re.compile("silent", re.IGNORECASE)
_PREFIX_WORD = re.compile("prefix", re.IGNORECASE)
_PREFIX_WORD_LENGTH = len("prefix")

_NAME_CHAR = r"0-9A-Za-z_\-\u00B7\u00C0-\U000EFFFF:"
_NAME_ESCAPE = r"%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%]"
_TOKEN = re.compile(
    rf"""
      (?P<space>[ \t\r\n]+)
    | (?P<comment>\#[^\r\n]*)
    | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*''' | \"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
                | '(?:[^'\\\n\r]|\\.)*' | "(?:[^"\\\n\r]|\\.)*")
    | (?P<quote>['"])
    | (?P<iri><(?:[^<>"{{}}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{{4}}|\\U[0-9A-Fa-f]{{8}})*>)
    | (?P<var>[?$][0-9A-Za-z_\u00B7\u00C0-\U000EFFFF]*)
    | (?P<name>[A-Za-z_\u00C0-\U000EFFFF:]
               (?:[{_NAME_CHAR}]|{_NAME_ESCAPE}|\.(?=[{_NAME_CHAR}%\\]))*)
    | (?P<number>[0-9]*\.[0-9]+(?:[eE][+-]?[0-9]+)?|[0-9]+(?:[eE][+-]?[0-9]+)?)
    | (?P<langtag>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
    | (?P<open>[(\[{{])
    | (?P<close>[)\]}}])
    | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)
_OPERANDS = frozenset({"string", "iri", "var", "name", "number", "langtag", "close"})
_CLOSING = {")": "(", "]": "[", "}": "{"}

Token = tuple[str, str]
GROUP: Token = ("open", "{")


def _tokens(text: str) -> list[Token]:
    """The significant tokens of ``text`` as pyoxigraph's parser would split them."""
    tokens: list[Token] = []
    brackets: list[str] = []
    position = 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        assert match is not None and match.lastgroup is not None  # "other" matches any char
        kind, value, position = match.lastgroup, match.group(), match.end()
        if kind in ("space", "comment"):
            continue
        if kind == "quote":
            raise _unreadable("a string is not closed")
        if kind == "iri" and brackets[-1:] == ["("] and tokens and tokens[-1][0] in _OPERANDS:
            _refuse_ambiguous_less_than(value)
        if kind == "open":
            brackets.append(value)
        elif kind == "close" and (not brackets or brackets.pop() != _CLOSING[value]):
            raise _unreadable(f"{value!r} closes nothing")
        tokens.append((kind, value))
    return tokens


def _refuse_ambiguous_less_than(iri: str) -> None:
    """After an operand inside parentheses, pyoxigraph may read ``<`` as less-than: then
    the text between ``<`` and ``>`` is read as tokens. Refused when that would change
    where a comment or a string starts, or show a SERVICE keyword."""
    body = iri[1:-1]
    if "#" in body or "'" in body or _SERVICE_WORD.search(body):
        raise _unreadable(
            f"{iri} after an operand may be a less-than; write spaces around '<' or the "
            "IRI with a prefix"
        )


def _unreadable(reason: str) -> ServiceRefused:
    return ServiceRefused(
        f"a query mentioning SERVICE is refused when it cannot be read safely: {reason}"
    )


def _expect(tokens: Sequence[Token], index: int, kind: str, keyword: str) -> str:
    if index >= len(tokens) or tokens[index][0] != kind:
        raise _unreadable(f"{keyword} is not followed by {'an IRI' if kind == 'iri' else 'a name'}")
    return tokens[index][1]


def _endpoint(glued: str, tokens: Sequence[Token], index: int) -> tuple[str, list[str], int]:
    """The endpoint after a SERVICE keyword: ``(as written, candidate terms, next index)``.

    ``glued`` is what followed "SERVICE" in the same name token (``SERVICEex:x``). A
    name starting with "silent" may be SILENT and a name, or the name itself: both are
    candidates, and both are checked.
    """
    if glued:
        kind, value = "name", glued
    elif index < len(tokens):
        kind, value = tokens[index]
        index += 1
    else:
        raise _unreadable("SERVICE is not followed by an endpoint")
    if kind == "name" and (silent := _SILENT_WORD.match(value)):
        rest = value[silent.end() :]
        if not rest:
            if index >= len(tokens):
                raise _unreadable("SERVICE SILENT is not followed by an endpoint")
            kind, value = tokens[index]
            index += 1
        else:
            return value, [value, rest], index
    if kind == "var":
        return value, [value], index
    if kind == "iri" or (kind == "name" and ":" in value):
        return value, [value], index
    raise _unreadable(f"cannot read the endpoint {value!r} after SERVICE")


def _calls(
    written: str, candidates: Sequence[str], declarations: Sequence[str], base_iri: str | None
) -> list[ServiceCall]:
    """Every candidate that resolves (pyoxigraph cannot call one that does not); refused
    when none does."""
    calls: list[ServiceCall] = []
    errors: list[ServiceRefused] = []
    for candidate in candidates:
        try:
            calls.append(_call(written, candidate, declarations, base_iri))
        except ServiceRefused as error:
            errors.append(error)
    if not calls:
        raise errors[0]
    return calls


def _call(
    written: str, term: str, declarations: Sequence[str], base_iri: str | None
) -> ServiceCall:
    """``term`` resolved by pyoxigraph's own IRI code, with the query's declarations."""
    if term[0] in "?$":
        return ServiceCall(written, None)
    document = "\n".join([*declarations, f"<urn:iprkg:s> <urn:iprkg:p> {term} ."])
    try:
        quads = list(
            pyoxigraph.parse(document, format=pyoxigraph.RdfFormat.TURTLE, base_iri=base_iri)
        )
    except (SyntaxError, ValueError) as error:
        raise _unreadable(f"cannot resolve the endpoint {written} ({error})") from None
    if len(quads) != 1 or not isinstance(quads[0].object, pyoxigraph.NamedNode):
        raise _unreadable(f"cannot resolve the endpoint {written}")
    return ServiceCall(written, quads[0].object.value)


# Checking addresses -----------------------------------------------------------------

_ENDPOINT_IRI = re.compile(
    r"(?P<scheme>[A-Za-z][A-Za-z0-9+.\-]*)://(?P<authority>[^/?#]*)(?P<path>[/?#].*)?",
    re.DOTALL,
)
_HOST_PORT = re.compile(r"(?:\[(?P<ipv6>[^\]]*)\]|(?P<host>[^:\[\]]+))(?::(?P<port>[0-9]*))?")
_HOST_NAME = re.compile(
    r"[a-z0-9_](?:[a-z0-9_\-]*[a-z0-9_])?(?:\.[a-z0-9_](?:[a-z0-9_\-]*[a-z0-9_])?)*"
)
_IPV4_PART = re.compile(r"0[xX][0-9A-Fa-f]*|0[0-7]*|[1-9][0-9]*")
_NUMERIC_LABEL = re.compile(r"[0-9]+|0[xX][0-9A-Fa-f]*")
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
_SHARED = ipaddress.IPv4Network("100.64.0.0/10")


def _ipv4_literal(host: str) -> ipaddress.IPv4Address | None:
    """The IPv4 address ``host`` spells as inet_aton(3) and browsers read it (``127.1``,
    ``0x7f000001``, ``0177.0.0.1``, ``2130706433``), else None; _Unsafe for a host that
    looks like one but is not (``1.2.3.999``), as browsers refuse it too."""
    labels = host.split(".")
    if not _NUMERIC_LABEL.fullmatch(labels[-1]):
        return None
    numbers = []
    for label in labels:
        if len(labels) > 4 or not _IPV4_PART.fullmatch(label):
            raise _Unsafe(f"{host} looks like an IPv4 address but is not one")
        if label[:2].lower() == "0x":
            numbers.append(int(label[2:] or "0", 16))
        elif label.startswith("0"):
            numbers.append(int(label, 8))
        else:
            numbers.append(int(label))
    *leading, last = numbers
    if any(number > 255 for number in leading) or last >= 256 ** (4 - len(leading)):
        raise _Unsafe(f"{host} looks like an IPv4 address but is not one")
    value = last
    for shift, number in enumerate(leading):
        value += number << (8 * (3 - shift))
    return ipaddress.IPv4Address(value)


def _non_public(address: Address) -> str | None:
    """What kind of non-public address ``address`` is, else None (it is public)."""
    if isinstance(address, ipaddress.IPv6Address):
        embedded = _embedded_ipv4(address)
        if embedded is not None:
            kind = _non_public(embedded)
            return f"{kind} address ({embedded}) inside an IPv6" if kind else None
    if address.is_loopback:
        return "loopback"
    if address.is_unspecified:
        return "unspecified"
    if address.is_link_local:
        return "link-local"
    if address.is_multicast:
        return "multicast"
    if address in _SHARED:
        return "shared (carrier-grade NAT)"
    if address.is_reserved:
        return "reserved"
    if address.is_private:
        return "private"
    if not address.is_global:
        return "non-public"
    return None


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address carries (mapped, compatible, NAT64, 6to4, Teredo)."""
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address in _NAT64 or (int(address) >> 32 == 0 and int(address) > 1):
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    if address.sixtofour is not None:
        return address.sixtofour
    if address.teredo is not None:
        return address.teredo[1]
    return None


def _check_address(iri: str, address: Address, host: str | None, allowed: bool) -> None:
    kind = _non_public(address)
    if kind is None:
        return
    verb = f"{host} resolves to" if host else "is"
    allowlisted = " (although it is on the allowlist)" if allowed else ""
    raise ServiceRefused(
        f"SERVICE <{iri}> {verb} {address}, a {kind} address: never called{allowlisted}"
    )
