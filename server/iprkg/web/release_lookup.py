"""The releases this app serves, found by version for the routes that name one: a
release's pages and files (``release_routes``) and ``/sparql?release=VERSION``
(``sparql``).
"""

from __future__ import annotations

from flask import request

from iprkg.artefact.releases import Release, ServedReleases
from iprkg.core.errors import ReleaseNotQueryable, UnknownRelease
from iprkg.web.context import current_context


def served() -> ServedReleases:
    return current_context().releases


def release_named(version: str) -> Release:
    """The release ``version``: UnknownRelease (404) listing the releases if none."""
    releases = served()
    for release in releases.releases:
        if release.version == version:
            return release
    known = ", ".join(releases.versions) or "none yet"
    raise UnknownRelease(
        f"no release {version!r}; the releases are: {known} "
        f"(listed at {request.script_root}/release/)"
    )


def queryable_release(version: str) -> Release:
    """The release ``version`` if ``/sparql`` can query it: UnknownRelease (404), or
    ReleaseNotQueryable (400) saying why not."""
    release = release_named(version)
    reason = served().unqueryable
    if reason is not None:
        raise ReleaseNotQueryable(
            f"release {version} cannot be queried here: {reason} "
            f"({request.script_root}/release/{version}/)"
        )
    return release
