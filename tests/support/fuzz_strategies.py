"""Hypothesis strategies for tests/web/test_fuzz.py: requests a careless or hostile client sends.

Each strategy draws one part of a request: a SPARQL query (a real one from queries/
mutated, or one generated from a small grammar), an Accept-like header, a path under
one of the app's prefixes, a request body. ``Request`` holds a whole request as the
server sees it (method, raw path, raw query string, headers, body), so the test sends
exactly that through the WSGI environ, as the server would hand it over.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from hypothesis import strategies as st

PROJECT_ROOT = Path(__file__).resolve().parents[2]
QUERY_FILES = sorted((PROJECT_ROOT / "queries").glob("**/*.rq"))
REAL_QUERIES = tuple(path.read_text(encoding="utf-8") for path in QUERY_FILES)
_HEADER_COMMENTS = re.compile(r"\A(?:#[^\n]*\n)+")
SEED_QUERIES = REAL_QUERIES + tuple(_HEADER_COMMENTS.sub("", text) for text in REAL_QUERIES)
"""The real queries, and the same without their opening comments, so that a mutation
lands in the query more often than in its description."""

MAX_NESTING = 40
"""Deepest nesting generated in the property tests: deep enough to exercise recursion,
shallow enough that a fast answer is the only right one. (Much deeper nesting crashes
the parser: see the regression test in test_fuzz.py.)"""

# ---------------------------------------------------------------------------------------
# Pieces of text


ODD_CHARACTERS = (
    "\x00",
    "\x01",
    "\x7f",
    "\t",
    "\r\n",
    "\u0085",
    "\u00a0",
    "\u200b",
    "\u202e",
    "\u2028",
    "\ufeff",
    "\ufffd",
    "\uffff",
    "\U0001f600",
    "\U0010ffff",
    "e\u0301",
    "å",
    "ø",
    "\\",
    "\\u0000",
    "\\U0010FFFF",
    "\\uD800",
    "%00",
    "%FF",
    "%2F",
    "'",
    '"',
    '"""',
    "<",
    ">",
    "#",
    "&",
    "=",
    "+",
    ";",
    "\ud800",  # a lone surrogate: not encodable as UTF-8, sent as its bytes (see encode)
)
HUGE_NUMBERS = (
    "9" * 40,
    "-" + "9" * 40,
    "1e999999",
    "-1e-999999",
    "1." + "0" * 60 + "1",
    "18446744073709551616",
    "9223372036854775808",
    "-9223372036854775809",
    "0x10",
    "NaN",
    "INF",
    "-0",
    "00000000000000000000001",
)
KEYWORDS = (
    "SELECT",
    "DISTINCT",
    "REDUCED",
    "ASK",
    "CONSTRUCT",
    "DESCRIBE",
    "WHERE",
    "FROM",
    "NAMED",
    "GRAPH",
    "OPTIONAL",
    "UNION",
    "MINUS",
    "FILTER",
    "BIND",
    "VALUES",
    "SERVICE",
    "SILENT",
    "LATERAL",
    "GROUP BY",
    "HAVING",
    "ORDER BY",
    "LIMIT",
    "OFFSET",
    "AS",
    "UNDEF",
    "a",
    "BASE",
    "PREFIX",
    "INSERT",
    "DELETE",
    "LOAD",
    "CLEAR",
    "DROP",
    "WITH",
    "NOT EXISTS",
    "EXISTS",
    "IN",
    "COUNT(*)",
    "*",
    "?x",
    "$x",
    "_:b",
    "[]",
    "()",
    "{",
    "}",
    "(",
    ")",
    "[",
    "]",
    ".",
    ";",
    ",",
    "|",
    "/",
    "^",
    "!",
    "?",
    "+",
    "&&",
    "||",
    "<<",
    ">>",
    "<>",
    "<council/nome-midt-telemark>",
    "<http://[::1]/>",
    "<../../etc/passwd>",
    "<file:///etc/passwd>",
    "ipr:",
    "nope:x",
    '"x"@nb',
    '"x"@',
    '"1"^^<http://www.w3.org/2001/XMLSchema#integer>',
    '"x"^^<http://www.w3.org/2001/XMLSchema#dateTime>',
    "true",
    "1.5e3",
)

# ---------------------------------------------------------------------------------------
# Mutated real queries

_TOKEN = re.compile(r"\s+|[{}()\[\].;,]|[^\s{}()\[\].;,]+")


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


odd_character = st.sampled_from(ODD_CHARACTERS) | st.characters(codec="utf-8")
inserted_text = st.one_of(
    st.sampled_from(KEYWORDS),
    st.sampled_from(HUGE_NUMBERS),
    odd_character,
    st.text(max_size=8),
)


@st.composite
def mutation(draw: st.DrawFn, text: str) -> str:
    """``text`` changed once: a token deleted, duplicated, swapped or inserted, a run of
    characters deleted or inserted, a cut, a number made huge, or a part nested deep."""
    tokens = _tokens(text)
    kind = draw(
        st.sampled_from(
            (
                "delete",
                "duplicate",
                "swap",
                "insert",
                "delete-chars",
                "insert-chars",
                "truncate",
                "number",
                "nest",
                "repeat",
            )
        )
    )
    if not tokens:
        return text + draw(inserted_text)
    i = draw(st.integers(0, len(tokens) - 1))
    if kind == "delete":
        del tokens[i]
    elif kind == "duplicate":
        tokens.insert(i, tokens[i])
    elif kind == "swap":
        j = draw(st.integers(0, len(tokens) - 1))
        tokens[i], tokens[j] = tokens[j], tokens[i]
    elif kind == "insert":
        tokens.insert(i, draw(st.sampled_from([" ", ""])) + draw(inserted_text) + " ")
    elif kind == "number":
        tokens.insert(i, f" {draw(st.sampled_from(HUGE_NUMBERS))} ")
    elif kind == "nest":
        depth = draw(st.integers(1, MAX_NESTING))
        opening, closing = draw(
            st.sampled_from([("{", "}"), ("(", ")"), ("[", "]"), ("{ OPTIONAL {", "}}")])
        )
        j = draw(st.integers(i, len(tokens)))
        tokens.insert(j, closing * depth)
        tokens.insert(i, opening * depth)
    elif kind == "repeat":
        tokens.insert(i, tokens[i] * draw(st.integers(2, MAX_NESTING)))
    else:
        joined = "".join(tokens)
        at = draw(st.integers(0, len(joined)))
        if kind == "delete-chars":
            return joined[:at] + joined[at + draw(st.integers(1, 20)) :]
        if kind == "insert-chars":
            return (
                joined[:at]
                + "".join(draw(st.lists(odd_character, min_size=1, max_size=6)))
                + joined[at:]
            )
        return joined[:at]  # truncate
    return "".join(tokens)


@st.composite
def mutated_query(draw: st.DrawFn) -> str:
    """A real query from queries/ with one to four mutations."""
    text = draw(st.sampled_from(SEED_QUERIES))
    for _ in range(draw(st.integers(1, 3))):
        text = draw(mutation(text))
    return text


# ---------------------------------------------------------------------------------------
# Generated queries: small enough that every one answers at once

PREFIXES = (
    "PREFIX ipr: <ontology#>\n"
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
    "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
    "PREFIX dct: <http://purl.org/dc/terms/>\n"
    "PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>\n"
)
VARIABLES = ("?a", "?b", "?c")
IRIS = (
    "<council/nome-midt-telemark>",
    "<strategy/nome-midt-telemark-2022-2035>",
    "<municipality/nome>",
    "<http://metadata.un.org/sdg/3>",
    "<https://example.org/not-here>",
    "ipr:RegionalCouncil",
    "ipr:Strategy",
)
PREDICATES = (
    "a",
    "rdfs:label",
    "skos:prefLabel",
    "dct:source",
    "ipr:strategyOf",
    "ipr:focusArea",
    "ipr:hasLevel",
    "ipr:emphasisesGoal",
    "skos:closeMatch",
    "skos:broader",
    "<urn:nothing>",
)
LITERALS = (
    '"Nome"',
    '"nome"@nb',
    '"x"@en-GB',
    '""',
    '"å\\u0000"',
    "'''a\nb'''",
    "42",
    "-1.5",
    "1e308",
    "1e309",
    "true",
    '"2022-01-01"^^xsd:date',
    '"not a date"^^xsd:date',
    '"P1Y"^^xsd:duration',
    '"1"^^xsd:integer',
    '"abc"^^xsd:integer',
    *HUGE_NUMBERS[:4],
)
UNARY = (
    "STR",
    "LANG",
    "DATATYPE",
    "isIRI",
    "isLiteral",
    "isBlank",
    "isNumeric",
    "STRLEN",
    "UCASE",
    "LCASE",
    "ENCODE_FOR_URI",
    "ABS",
    "CEIL",
    "FLOOR",
    "ROUND",
    "YEAR",
    "MONTH",
    "TZ",
    "TIMEZONE",
    "MD5",
    "SHA1",
    "SHA256",
    "SHA512",
    "IRI",
    "BNODE",
    "xsd:integer",
    "xsd:decimal",
    "xsd:double",
    "xsd:dateTime",
    "xsd:boolean",
    "xsd:string",
    "BOUND",
    "<urn:unknown-function>",
)
BINARY = (
    "LANGMATCHES",
    "CONTAINS",
    "STRSTARTS",
    "STRENDS",
    "STRBEFORE",
    "STRAFTER",
    "REGEX",
    "STRDT",
    "STRLANG",
    "sameTerm",
    "SUBSTR",
    "CONCAT",
    "COALESCE",
)
OPERATORS = ("=", "!=", "<", ">", "<=", ">=", "+", "-", "*", "/", "&&", "||")
REGEXES = ('"^N"', '"(a+)+$"', '"["', '"\\\\p{L}"', '"(?i)nome"', '"a{1,99999}"', '""')


@functools.cache
def term() -> st.SearchStrategy[str]:
    return st.sampled_from(VARIABLES + IRIS + LITERALS)


@functools.cache
def expression(depth: int = 3) -> st.SearchStrategy[str]:
    leaf = st.sampled_from(VARIABLES + LITERALS) | st.sampled_from(("NOW()", "RAND()", "UUID()"))
    if depth == 0:
        return leaf
    inner = expression(depth - 1)
    return st.one_of(
        leaf,
        st.builds(lambda f, x: f"{f}({x})", st.sampled_from(UNARY), inner),
        st.builds(lambda f, x, y: f"{f}({x}, {y})", st.sampled_from(BINARY), inner, inner),
        st.builds(lambda x, r: f'REGEX({x}, {r}, "i")', inner, st.sampled_from(REGEXES)),
        st.builds(lambda x, r: f'REPLACE({x}, {r}, "$1")', inner, st.sampled_from(REGEXES)),
        st.builds(lambda x, o, y: f"({x} {o} {y})", inner, st.sampled_from(OPERATORS), inner),
        st.builds(lambda x: f"!{x}", inner),
        st.builds(lambda c, x, y: f"IF({c}, {x}, {y})", inner, inner, inner),
        st.builds(lambda x, ys: f"({x} IN ({', '.join(ys)}))", inner, st.lists(inner, max_size=3)),
    )


@functools.cache
def path() -> st.SearchStrategy[str]:
    return st.recursive(
        st.sampled_from(PREDICATES[1:]),
        lambda inner: st.one_of(
            st.builds(lambda p, m: f"({p}){m}", inner, st.sampled_from("*+?")),
            st.builds(lambda p: f"^{p}", inner),
            st.builds(lambda p, q: f"({p}|{q})", inner, inner),
            st.builds(lambda p, q: f"{p}/{q}", inner, inner),
            st.builds(lambda p: f"!({p})", st.sampled_from(PREDICATES[1:])),
        ),
        max_leaves=4,
    )


@st.composite
def triple_pattern(draw: st.DrawFn) -> str:
    subject = draw(st.sampled_from(VARIABLES + IRIS[:4]))
    predicate = draw(st.sampled_from(PREDICATES) | path())
    return f"{subject} {predicate} {draw(term())} ."


@functools.cache
def group(depth: int = 2) -> st.SearchStrategy[str]:
    """A group graph pattern: a few triple patterns, filters and nested groups."""
    element: st.SearchStrategy[str] = st.one_of(
        triple_pattern(),
        st.builds(lambda e: f"FILTER ({e})", expression()),
        st.builds(lambda e, v: f"BIND ({e} AS {v})", expression(2), st.sampled_from(VARIABLES)),
        st.builds(
            lambda v, vs: f"VALUES {v} {{ {' '.join(vs)} }}",
            st.sampled_from(VARIABLES),
            st.lists(st.sampled_from((*IRIS, *LITERALS, "UNDEF")), max_size=4),
        ),
    )
    if depth > 0:
        inner = group(depth - 1)
        element = st.one_of(
            element,
            st.builds(lambda g: f"OPTIONAL {g}", inner),
            st.builds(lambda g, h: f"{g} UNION {h}", inner, inner),
            st.builds(lambda g: f"MINUS {g}", inner),
            st.builds(lambda g: f"FILTER NOT EXISTS {g}", inner),
            st.builds(lambda v, g: f"GRAPH {v} {g}", st.sampled_from(VARIABLES + IRIS[:1]), inner),
            st.builds(lambda g: f"{{ SELECT * WHERE {g} LIMIT 5 }}", inner),
            st.builds(lambda g: f"SERVICE <http://127.0.0.1:9/sparql> {g}", inner),
            st.builds(lambda g: f"SERVICE SILENT <http://example.org/> {g}", inner),
        )
    return st.lists(element, min_size=0, max_size=3).map(lambda es: "{ " + " ".join(es) + " }")


AGGREGATES = ("COUNT", "SUM", "MIN", "MAX", "AVG", "SAMPLE", "GROUP_CONCAT")


@st.composite
def generated_query(draw: st.DrawFn) -> str:
    """A SELECT, ASK, CONSTRUCT or DESCRIBE, or an update, from a small grammar."""
    where = draw(group())
    kind = draw(st.sampled_from(("SELECT", "AGGREGATE", "ASK", "CONSTRUCT", "DESCRIBE", "UPDATE")))
    modifiers = draw(
        st.lists(
            st.sampled_from(
                (
                    "ORDER BY ?a",
                    "ORDER BY DESC(STR(?b))",
                    "LIMIT 7",
                    "OFFSET 3",
                    f"LIMIT {HUGE_NUMBERS[0]}",
                    "OFFSET 18446744073709551616",
                )
            ),
            max_size=2,
        )
    )
    tail = " ".join(modifiers)
    if kind == "SELECT":
        projection = draw(st.sampled_from(("*", "?a", "DISTINCT ?a ?b", "REDUCED ?c")))
        body = f"SELECT {projection} WHERE {where} {tail}"
    elif kind == "AGGREGATE":
        aggregate = draw(st.sampled_from(AGGREGATES))
        distinct = draw(st.sampled_from(("", "DISTINCT ")))
        body = (
            f"SELECT ?a ({aggregate}({distinct}?b) AS ?n) WHERE {where} GROUP BY ?a "
            f"HAVING ({draw(expression(1))}) {tail}"
        )
    elif kind == "ASK":
        body = f"ASK {where}"
    elif kind == "CONSTRUCT":
        template = draw(st.lists(triple_pattern(), max_size=2))
        body = f"CONSTRUCT {{ {' '.join(template)} }} WHERE {where} {tail}"
    elif kind == "DESCRIBE":
        targets = draw(st.lists(st.sampled_from(VARIABLES + IRIS + ("*",)), min_size=1, max_size=3))
        body = f"DESCRIBE {' '.join(targets)} WHERE {where} {tail}"
    else:
        body = draw(
            st.sampled_from(
                (
                    "INSERT DATA { <urn:x> <urn:y> <urn:z> }",
                    f"DELETE WHERE {where}",
                    "CLEAR ALL",
                    "LOAD <http://127.0.0.1:9/x.ttl>",
                    "DROP SILENT GRAPH <urn:g>",
                    f"WITH <urn:g> DELETE {{ ?a ?b ?c }} WHERE {where}",
                )
            )
        )
    prologue = draw(st.sampled_from(("", PREFIXES, "BASE <http://example.org/>\n" + PREFIXES)))
    return prologue + body


sparql_query = st.one_of(mutated_query(), generated_query())

# ---------------------------------------------------------------------------------------
# Headers

MEDIA_TYPES = (
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "application/json",
    "application/xml",
    "text/csv",
    "text/tab-separated-values",
    "text/turtle",
    "application/x-turtle",
    "application/n-triples",
    "application/ld+json",
    "application/rdf+xml",
    "application/trig",
    "application/n-quads",
    "text/html",
    "application/xhtml+xml",
    "text/plain",
    "image/png",
    "*/*",
    "text/*",
    "application/*",
    "*/json",
    "*",
    "",
    "text",
    "/",
    "text/html/extra",
)
Q_VALUES = (
    "",
    ";q=0",
    ";q=1",
    ";q=0.5",
    ";q=0.001",
    ";q=1.0001",
    ";q=-1",
    ";q=2",
    ";q=abc",
    ";q=",
    ";q=NaN",
    ";q=inf",
    ";q=1e-9",
    ";q=" + "9" * 50,
    ";level=1",
    ";charset=latin-1",
    ';profile="http://www.w3.org/ns/json-ld#compacted"',
    ";;",
    ";=",
    ';q="0.5"',
    ";Q=0.1",
)
header_text = st.text(
    st.characters(min_codepoint=0x20, max_codepoint=0xFF, exclude_characters="\x7f"),
    max_size=40,
)
"""What a header value can carry: latin-1, as WSGI servers decode the bytes."""


def header_list(items: tuple[str, ...]) -> st.SearchStrategy[str]:
    one = st.builds(lambda item, q: item + q, st.sampled_from(items), st.sampled_from(Q_VALUES))
    entries = st.lists(one | header_text, max_size=6) | st.lists(one, min_size=50, max_size=200)
    separators = st.sampled_from((",", ", ", " , ", ",,", ";", "\t,"))
    return st.builds(lambda es, sep: sep.join(es), entries, separators)


accept = header_list(MEDIA_TYPES)
accept_language = header_list(("nb", "en", "nn", "no", "en-GB", "nb-NO", "*", "x-klingon", "é"))
accept_encoding = header_list(("gzip", "deflate", "br", "identity", "*", "x-gzip", "zstd"))
DATES = (
    "Thu, 01 Jan 1970 00:00:00 GMT",
    "Fri, 31 Dec 9999 23:59:59 GMT",
    "Thu, 26 Nov 2026 14:16:00 GMT",
    "Sunday, 06-Nov-94 08:49:37 GMT",
    "Sun Nov  6 08:49:37 1994",
    "yesterday",
    "",
    "Thu, 32 Jan 2026 25:61:61 GMT",
)
etag = st.sampled_from(('"x"', "*", 'W/"x"', '"', "", '"a", "b"', 'W/"', "x" * 300)) | header_text


@st.composite
def headers(draw: st.DrawFn) -> dict[str, str]:
    """Some of Accept, Accept-Language, Accept-Encoding, the conditionals and CORS."""
    candidates: dict[str, st.SearchStrategy[str]] = {
        "Accept": accept,
        "Accept-Language": accept_language,
        "Accept-Encoding": accept_encoding,
        "If-None-Match": etag,
        "If-Modified-Since": st.sampled_from(DATES) | header_text,
        "Origin": st.sampled_from(("https://example.org", "null", "")) | header_text,
        "Access-Control-Request-Method": st.sampled_from(("GET", "POST", "PUT", "")),
        "Access-Control-Request-Headers": header_text,
        "X-Forwarded-Prefix": header_text,
        "X-Forwarded-Host": header_text,
        "Range": st.sampled_from(("bytes=0-10", "bytes=-5", "bytes=9-1", "bytes=x")),
        "Authorization": st.just("Basic eDp4"),
    }
    chosen = draw(st.lists(st.sampled_from(sorted(candidates)), unique=True, max_size=5))
    return {name: draw(candidates[name]) for name in chosen}


# ---------------------------------------------------------------------------------------
# Paths and parameters

PREFIX_PATHS = (
    "/",
    "/council/",
    "/council/nome-midt-telemark",
    "/strategy/",
    "/strategy/nome-midt-telemark-2022-2035",
    "/municipality/nome",
    "/resource",
    "/ontology",
    "/ontology.ttl",
    "/dumps/",
    "/dumps/iprkg.ttl",
    "/dumps/manifest.json",
    "/compare",
    "/compare/themes.csv",
    "/compare/goals.json",
    "/catalog",
    "/.well-known/void",
    "/sparql",
    "/sparql/editor/",
    "/search",
    "/search/suggest",
    "/context.jsonld",
    "/static/",
    "/static/iprkg.css",
    "/sitemap.xml",
    "/robots.txt",
)
SUFFIXES = ("", ".html", ".ttl", ".nt", ".jsonld", ".rdf", ".gz", ".json", ".csv", ".", ".x")
segment_text = st.one_of(
    st.sampled_from(
        ("", ".", "..", "%2e%2e", "%2F", "%5C", "%00", "%FF", "~", "nome", "nome-midt-telemark")
    ),
    st.text(max_size=12),
    st.integers(200, 5000).map(lambda n: "x" * n),
)


@st.composite
def raw_path(draw: st.DrawFn) -> str:
    """A request target's path: a known prefix, then segments, percent-encoded or raw."""
    start = draw(st.sampled_from(PREFIX_PATHS))
    segments = draw(st.lists(segment_text, max_size=4))
    encoded = []
    for segment in segments:
        how = draw(st.sampled_from(("quote", "quote-all", "raw")))
        if how == "quote":
            encoded.append(quote(segment, safe="%/.~:@!$&'()*+,;="))
        elif how == "quote-all":
            encoded.append(quote(segment, safe=""))
        else:
            encoded.append(segment)
    joiner = draw(st.sampled_from(("/", "//", "/./")))
    path = start + joiner.join(encoded) if segments else start
    return path + draw(st.sampled_from(SUFFIXES))


PARAMETER_NAMES = (
    "query",
    "update",
    "format",
    "default-graph-uri",
    "named-graph-uri",
    "iri",
    "lang",
    "council",
    "like",
    "page",
    "q",
    "kind",
    "",
)
FORMAT_VALUES = (
    "json",
    "xml",
    "csv",
    "tsv",
    "srj",
    "turtle",
    "ttl",
    "nt",
    "jsonld",
    "rdf",
    "html",
    "n3",
    "text",
    "trig",
    "nq",
    "text/csv",
    "application/ld+json",
    "*/*",
    "",
)
parameter_value = st.one_of(
    st.sampled_from(FORMAT_VALUES),
    st.sampled_from(
        ("nb", "en", "nome-midt-telemark", "lister", "https://w3id.org/iprkg/council/lister")
    ),
    st.sampled_from(IRIS).map(lambda iri: iri.strip("<>")),
    st.sampled_from(("http://metadata.un.org/sdg/3", "https://w3id.org/iprkg/", "javascript:x")),
    st.text(max_size=20),
    st.integers(100, 3000).map(lambda n: "x" * n),
)


def encode(text: str) -> bytes:
    """UTF-8, with lone surrogates as the (invalid) bytes a careless client would send."""
    return text.encode("utf-8", "surrogatepass")


def raw_bytes(data: bytes, reserved: bytes = b"") -> bytes:
    """``data`` as it can stand in a request line: bytes up to the space, DEL, ``#`` and
    ``?`` percent-encoded, and those in ``reserved``; the rest (``%``, UTF-8 and invalid
    bytes alike) left raw."""
    escaped = set(reserved) | set(b"#? \x7f")
    return b"".join(
        b"%%%02X" % byte if byte < 0x20 or byte in escaped else bytes((byte,)) for byte in data
    )


def query_string(pairs: list[tuple[str, str]], style: str) -> bytes:
    """``pairs`` form-encoded: ``quote`` percent-encodes, ``raw`` sends the bytes as they are
    (only where they are printable), ``plus`` encodes spaces as ``+``."""
    fields = []
    for key, value in pairs:
        if style == "raw":
            fields.append(raw_bytes(encode(key), b"&#=") + b"=" + raw_bytes(encode(value), b"&#"))
        else:
            k = quote(encode(key), safe="")
            v = quote(encode(value), safe="" if style == "quote" else " ").replace(" ", "+")
            fields.append(f"{k}={v}".encode("ascii"))
    return b"&".join(fields)


@st.composite
def parameters(draw: st.DrawFn) -> list[tuple[str, str]]:
    names = st.sampled_from(PARAMETER_NAMES) | st.text(max_size=8)
    return draw(st.lists(st.tuples(names, parameter_value), max_size=4))


# ---------------------------------------------------------------------------------------
# Whole requests


@dataclass
class Request:
    """One request as the WSGI server hands it to the app."""

    method: str
    path: str
    """The raw path (percent-encoded where the client encoded it)."""
    query_string: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""

    def describe(self) -> str:
        shown = self.body[:300] + (b"..." if len(self.body) > 300 else b"")
        return (
            f"{self.method} {self.path[:300]}?{self.query_string[:500]!r} "
            f"headers={self.headers!r} body={shown!r}"
        )


@st.composite
def sparql_request(draw: st.DrawFn, query: st.SearchStrategy[str] = sparql_query) -> Request:
    """A query sent to /sparql by GET, POST form or POST application/sparql-query, with
    other parameters (``format``, the dataset) and headers drawn too."""
    text = draw(query)
    extra = draw(
        st.lists(
            st.tuples(
                st.sampled_from(
                    ("format", "format", "default-graph-uri", "named-graph-uri", "query", "update")
                ),
                parameter_value,
            ),
            max_size=3,
        )
        | st.just([])
    )
    style = draw(st.sampled_from(("quote", "plus", "raw")))
    how = draw(st.sampled_from(("GET", "HEAD", "form", "sparql-query", "sparql-update")))
    request_headers = draw(headers())
    if how in ("GET", "HEAD"):
        pairs = [("query", text), *extra]
        return Request(how, "/sparql", query_string(pairs, style), request_headers)
    content_type = {
        "form": "application/x-www-form-urlencoded",
        "sparql-query": "application/sparql-query",
        "sparql-update": "application/sparql-update",
    }[how]
    content_type += draw(
        st.sampled_from(
            ("", "", "", "; charset=utf-8", "; charset=UTF-8", "; charset=latin-1", ";")
        )
    )
    request_headers["Content-Type"] = content_type
    if how == "form":
        body = query_string([("query", text), *extra], style)
        url_pairs = draw(st.lists(st.sampled_from(extra), max_size=1)) if extra else []
        return Request("POST", "/sparql", query_string(url_pairs, "quote"), request_headers, body)
    return Request("POST", "/sparql", query_string(extra, "quote"), request_headers, encode(text))


METHODS = ("GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH", "TRACE", "PROPFIND", "get")
CONTENT_TYPES = (
    "application/x-www-form-urlencoded",
    "application/sparql-query",
    "application/sparql-update",
    "multipart/form-data",
    "multipart/form-data; boundary=x",
    "application/json",
    "text/plain",
    "application/octet-stream",
    "",
    "application/x-www-form-urlencoded; charset=utf-16",
    "application/sparql-query; charset=utf-8; charset=latin-1",
    "/",
    "x",
)
body_bytes = st.one_of(
    st.binary(max_size=200),
    st.builds(encode, st.text(max_size=100)),
    st.builds(lambda ps: query_string(ps, "quote"), parameters()),
    st.sampled_from(
        (
            b"query=ASK%20%7B%7D",
            b"query=%FF",
            b"\xff\xfe\x00q",
            b'--x\r\nContent-Disposition: form-data; name="query"\r\n\r\nASK {}\r\n--x--\r\n',
            b'{"query": "ASK {}"}',
        )
    ),
    st.integers(1024 * 1024 - 10, 1024 * 1024 + 10).map(lambda n: b"q" * n),
)


@st.composite
def any_request(draw: st.DrawFn) -> Request:
    """Any method on any path, with parameters, headers and maybe a body of any type."""
    method = draw(st.sampled_from(METHODS))
    pairs = draw(parameters())
    request_headers = draw(headers())
    body = b""
    if draw(st.booleans()):
        body = draw(body_bytes)
        request_headers["Content-Type"] = draw(st.sampled_from(CONTENT_TYPES) | header_text)
    style = draw(st.sampled_from(("quote", "plus", "raw")))
    return Request(method, draw(raw_path()), query_string(pairs, style), request_headers, body)
