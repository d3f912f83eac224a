"""Federated queries (SERVICE) without SSRF: only allowlisted, public endpoints are called.

pyoxigraph calls a SERVICE endpoint itself, over HTTP, from the server's network: a
public endpoint that answered every SERVICE would fetch any URL a client names, the
loopback interface and the private network behind the server included. So SERVICE is
off unless the setting ``IPRKG_SERVICE_ALLOW`` names endpoints, and then a query runs
only if every SERVICE in it names one of them, by an IRI whose host is, and resolves
only to, public addresses. ``ServicePolicy.check`` decides before the query reaches
the engine; it raises ``ServiceRefused`` saying which IRI was refused and why.

Finding the endpoints is ``service_calls``'s: it reads the text as pyoxigraph's own
parser does, fail-closed, and resolves each endpoint as pyoxigraph would.

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
  tests/engine/test_federation.py pin the known ones; run them on every upgrade.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from iprkg.core.errors import ServiceRefused
from iprkg.engine.service_calls import ServiceCall, service_calls

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
