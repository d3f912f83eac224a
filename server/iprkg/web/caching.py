"""HTTP caching for every answer: validators, revalidation, freshness and compression.

An ``after_request`` hook that runs last (``register`` it before every other hook: Flask
calls app hooks in reverse order). For every 200 answer to GET or HEAD, SPARQL results
included, whose body is in memory:

* ``ETag``: ``"{build}-{variant}"``, the first 16 hex digits of the build's content
  hash, then a digest of this representation (its Content-Type, Content-Language and
  body), so that Turtle and JSON-LD, nb and en, or two hosts' URLs never share a tag, and
  a new template changes it even when the data did not; ``-gzip`` is appended when the
  body is sent compressed (a different representation, so a different strong tag);
* ``Last-Modified``: the manifest's build time;
* ``Cache-Control: public, max-age=N`` (the ``IPRKG_CACHE_MAX_AGE`` setting), unless the
  view set its own; a ``303 See Other`` to GET or HEAD (from a thing's IRI to the
  document describing it, fixed by the build and by what ``Vary`` names) gets it too,
  without validators, so that caches, and the response cache, keep the redirect;
* ``304 Not Modified`` for a matching ``If-None-Match`` or ``If-Modified-Since``
  (werkzeug's ``make_conditional``; ``If-None-Match`` wins, as RFC 9110 says);
* gzip (``Content-Encoding: gzip``) when Accept-Encoding allows it and the body is text
  of at least ``MIN_COMPRESSED_BYTES``; ``Vary: Accept-Encoding`` on every answer that may
  be compressed. ``application/gzip`` downloads are never compressed again.

A view may set its own ``ETag`` and ``Last-Modified`` (a release's files: their SHA-256
and the time of release, ``release_routes``); they are kept.

Served data that are not the built artefact (``iprkg serve --dataset``) have no build
hash nor build time: the tag is then the variant digest alone, without Last-Modified.
Streamed answers (static files, which carry their own validators) pass untouched.
"""

from __future__ import annotations

import gzip
import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime

from flask import Flask, Response, request

from iprkg.artefact.manifest import served_hash
from iprkg.engine.store import ReadOnlyStore

MIN_COMPRESSED_BYTES = 512
"""Smaller bodies are sent as they are: gzip would save too little to be worth its header."""
COMPRESSIBLE_TYPES = {
    "application/json",
    "application/ld+json",
    "application/n-triples",
    "application/n-quads",
    "application/trig",
    "application/rdf+xml",
    "application/xml",
    "application/javascript",
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "image/svg+xml",
}
"""Media types worth compressing, besides every ``text/*``."""


@dataclass(frozen=True)
class Policy:
    """What every cacheable answer gets: the build's validators and the freshness."""

    build: str
    """The first 16 hex digits of the build's content hash ("" for other data)."""
    modified: datetime | None
    max_age: int


def register(app: Flask, store: ReadOnlyStore, max_age: int) -> None:
    """Install the caching hook on ``app``; call it before registering any other hook."""
    manifest = store.manifest
    build, modified = "", None
    if manifest is not None:
        build = served_hash(manifest).removeprefix("sha256:")[:16]
        modified = datetime.strptime(str(manifest["built"]), "%Y-%m-%dT%H:%M:%SZ").replace(
            tzinfo=UTC
        )
    policy = Policy(build, modified, max_age)

    def cache_by_policy(response: Response) -> Response:
        return cache(response, policy)

    app.after_request(cache_by_policy)


def cache(response: Response, policy: Policy) -> Response:
    """``after_request`` hook: validators, 304, freshness and gzip (see the module)."""
    if request.method not in ("GET", "HEAD"):
        return response
    if response.status_code == 303:  # where a thing's description is: fixed by the build
        fresh(response, policy)
        return response
    if response.status_code != 200:
        return response
    if response.is_streamed or response.direct_passthrough:
        return response
    body = response.get_data()
    compressible = is_compressible(response)
    if compressible:
        response.vary.add("Accept-Encoding")
    compress = compressible and len(body) >= MIN_COMPRESSED_BYTES and accepts_gzip()
    own_tag, _ = response.get_etag()
    if own_tag is None:
        response.set_etag(entity_tag(policy, response, body, compress))
    elif compress:  # the view's own tag (a release's file: its SHA-256), compressed
        response.set_etag(f"{own_tag}-gzip")
    if policy.modified is not None and response.last_modified is None:
        response.last_modified = policy.modified
    fresh(response, policy)
    response.make_conditional(request.environ)
    if response.status_code == 200 and compress:
        response.set_data(gzip.compress(body, mtime=0))
        response.content_encoding = "gzip"
    return response


def fresh(response: Response, policy: Policy) -> None:
    """``Cache-Control: public, max-age=N``, unless the view set its own."""
    if "Cache-Control" not in response.headers:
        response.cache_control.public = True
        response.cache_control.max_age = policy.max_age


def entity_tag(policy: Policy, response: Response, body: bytes, compressed: bool) -> str:
    """The build's hash, then a digest of this representation, then ``-gzip`` if so."""
    variant = hashlib.sha256()
    for part in (response.content_type or "", response.headers.get("Content-Language", "")):
        variant.update(part.encode("utf-8") + b"\0")
    variant.update(body)
    tag = "-".join(part for part in (policy.build, variant.hexdigest()[:16]) if part)
    return f"{tag}-gzip" if compressed else tag


def is_compressible(response: Response) -> bool:
    """Text, not already encoded (nor a ``.gz`` download)."""
    if response.content_encoding:
        return False
    mimetype = response.mimetype or ""
    return mimetype.startswith("text/") or mimetype in COMPRESSIBLE_TYPES


def accepts_gzip() -> bool:
    """Whether the client's Accept-Encoding takes gzip (q > 0, or by ``*``)."""
    return request.accept_encodings.quality("gzip") > 0
