"""Every setting in one place: each declared once, as a field of ``Settings``, with its
default, a line of help, the environment variable that overrides it and how its text is
read; ``SETTINGS`` (for ``iprkg settings`` and the docs' test) and ``Settings.load`` are
derived from those declarations.

Relative paths are resolved against the project root: the nearest folder, from the
current directory upward, that holds ``pyproject.toml`` (else the current directory),
unless ``IPRKG_ROOT`` names it.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, TypeVar, cast
from urllib.parse import urlsplit

LANGUAGES = ("en", "nb")

T = TypeVar("T")


class SettingsError(ValueError):
    """A setting has a value the build cannot use."""


@dataclass(frozen=True)
class Given:
    """A setting's text as given (environment, option or default), with what reading it
    needs: the variable's name for messages, the project root for paths."""

    env: str
    value: str
    root: Path


@dataclass(frozen=True)
class Setting:
    """One documented setting: the ``Settings`` field ``name``, read by ``read`` from the
    environment variable ``env`` (``IPRKG_`` and the name in capitals, unless given)."""

    env: str
    default: str
    help: str
    read: Callable[[Given], Any]
    name: str = ""


_DECLARED = "iprkg.setting"


def setting(default: str, help: str, read: Callable[[Given], T], env: str = "") -> T:
    """Declare a ``Settings`` field: its default (as text), help, reader and, if it is not
    ``IPRKG_{NAME}``, its environment variable. The field's type is what ``read`` gives."""
    return cast(T, field(metadata={_DECLARED: Setting(env, default, help, read)}))


# ---------------------------------------------------------------- readers


def project_root(given: Given) -> Path:
    """The root, found before the other settings are read (``Settings.load``)."""
    return given.root


def folder(given: Given) -> Path:
    return (given.root / given.value).resolve()


def link(given: Given) -> Path:
    """A path under the root, not resolved: dist is a symlink we replace."""
    return given.root / given.value


def base_iri(given: Given) -> str:
    return checked_base(given.value)


def language(given: Given) -> str:
    return checked_lang(given.value)


def seconds(given: Given) -> int:
    return checked_seconds(given.value, given.env)


def epoch(given: Given) -> int | None:
    return checked_epoch(given.value)


def text(given: Given) -> str:
    return given.value.strip()


def count(unit: str, least: int = 0, most: int | None = None) -> Callable[[Given], int]:
    """A whole number of ``unit`` in [least, most]."""

    def read(given: Given) -> int:
        return checked_count(given.value, given.env, unit, least, most)

    return read


# ---------------------------------------------------------------- the settings


@dataclass(frozen=True)
class Settings:
    """Resolved settings: absolute paths and checked values. The fields' order is the
    order ``iprkg settings`` lists them in."""

    root: Path = setting(
        "",
        "Project root; empty means the nearest folder upward from the current one that holds "
        "pyproject.toml, else the current folder.",
        project_root,
    )
    base: str = setting(
        "https://w3id.org/iprkg/",
        "Canonical base IRI; relative IRIs and prefixes in the sources resolve against it. Must "
        "end with '/'.",
        base_iri,
    )
    ontology: Path = setting(
        "ontology",
        "Folder of ontology Turtle files (*.ttl).",
        folder,
    )
    data: Path = setting(
        "data",
        "Folder of data Turtle files (**/*.ttl, recursive).",
        folder,
    )
    shapes: Path = setting(
        "shapes",
        "Folder of SHACL shapes Turtle files (*.ttl).",
        folder,
    )
    harvested: Path = setting(
        "harvested",
        "Folder where iprkg harvest keeps other publications' dumps (*.nt, each with a .json "
        "record); the build serves each as a named graph.",
        folder,
    )
    releases: Path = setting(
        "releases",
        "Folder where iprkg release keeps the frozen releases, one read-only folder per version "
        "(dumps, manifest, validation report, changes, release.json).",
        folder,
    )
    dist: Path = setting(
        "dist",
        "Where the build publishes its artefact: a symlink swapped atomically to a finished build "
        "kept in .<name>-builds/ beside it.",
        link,
    )
    external: Path = setting(
        "../shared/external",
        "Folder of external reference data: the theme authorities (los/, eu-data-theme/) whose "
        "names for the themes the data use the build publishes (without them it builds without "
        "theme names), and the W3C tests, DCAT-AP shapes and vocabularies read by tests marked "
        "'external'.",
        folder,
    )
    lang: str = setting(
        "en",
        "Language of validation messages: en or nb.",
        language,
    )
    proxy_hops: int = setting(
        "0",
        "Reverse proxies in front of the server whose X-Forwarded-Proto/Host/Port/Prefix headers "
        "are trusted (werkzeug's ProxyFix); 0 trusts none.",
        count("proxies"),
    )
    cache_max_age: int = setting(
        "3600",
        "Seconds caches may reuse an answer without revalidating it (Cache-Control: public, "
        "max-age).",
        seconds,
    )
    workers: int = setting(
        "0",
        "Worker processes of iprkg serve (granian), each answering many requests at once, in "
        "threads, from the store they share; 0 means one per CPU core.",
        count("processes"),
    )
    query_cache_mb: int = setting(
        "32",
        "Memory per worker for answers and responses kept to serve again (the data never change "
        "while served), half for each; 0 turns every cache off: these two, the answers the build "
        "computed and the kept pages (IPRKG_PAGE_CACHE_MB).",
        count("megabytes"),
    )
    page_cache_mb: int = setting(
        "256",
        "Disk space, per process of iprkg serve, for pages and downloads whose size grows with "
        "the number of councils (/compare and its downloads), kept in a temporary folder its "
        "workers share so that each is made once; 0 keeps none (as does "
        "IPRKG_QUERY_CACHE_MB=0).",
        count("megabytes"),
    )
    query_timeout: int = setting(
        "10",
        "Seconds a query may run in iprkg serve before it is stopped (503) and its query process "
        "replaced; 0 means no limit.",
        count("seconds"),
    )
    query_processes: int = setting(
        "1",
        "Processes per worker of iprkg serve that evaluate queries not already answered, each "
        "stoppable at IPRKG_QUERY_TIMEOUT; a query that waits 0.25 s for them gets one more, "
        "ended once it answers, and more wait for one of these.",
        count("processes", least=1),
    )
    max_answer_mb: int = setting(
        "64",
        "Largest answer to a query, serialised; a larger one is refused (422), never cut short, "
        "except the build's own answers to queries/, sent whole as SPARQL JSON from their "
        "files; 0 means no limit.",
        count("megabytes"),
    )
    max_rows: int = setting(
        "0",
        "Most solutions a SELECT answer holds; more are cut off and the answer says so "
        "(X-SPARQL-MaxRows); 0 means no limit.",
        count("rows"),
    )
    max_body_kb: int = setting(
        "1024",
        "Largest request body read; larger ones get 413.",
        count("kilobytes", least=1),
    )
    max_query_chars: int = setting(
        "100000",
        "Longest query or update text read; longer ones get 413.",
        count("characters", least=1),
    )
    max_query_depth: int = setting(
        "64",
        "Deepest nesting of brackets in a query; deeper ones get 400 (the engine recurses per "
        "level and would crash).",
        count("levels", least=1),
    )
    max_query_operators: int = setting(
        "1000",
        "Most chained operators in a query (! && || | + - * / UNION OPTIONAL MINUS); more get 400 "
        "(the engine recurses per link and would crash).",
        count("operators", least=1),
    )
    max_header_bytes: int = setting(
        "8190",
        "Longest request line and header field iprkg serve reads (at most 8190); longer ones get "
        "414 or 431. Send long queries by POST.",
        count("bytes", least=256, most=8190),
    )
    service_allow: str = setting(
        "",
        "SPARQL endpoints SERVICE may call, as whitespace-separated http(s) IRIs; empty turns "
        "federated queries off. Loopback, private and other non-public addresses are never "
        "called, even when listed.",
        text,
    )
    backend: str = setting(
        "",
        "URL of a remote SPARQL 1.1 endpoint holding the build in IPRKG_DIST, for iprkg serve to "
        "answer from instead of loading it; empty serves the build itself.",
        text,
    )
    rate_limit: str = setting(
        "",
        "Requests a client (by address) may make, in Flask-Limiter's notation, e.g. "
        "'20/second;600/minute'; empty means no limit. Over it: 429.",
        text,
    )
    rate_limit_storage: str = setting(
        "memory://",
        "Where the rate limits count (Flask-Limiter storage URI); memory:// counts per worker, "
        "memcached:// or redis:// across workers.",
        text,
    )
    source_date_epoch: int | None = setting(
        "",
        "Build time (Unix seconds) recorded as 'built' in the manifest, for reproducible builds; "
        "empty means the newest modification time of the source files.",
        epoch,
        env="SOURCE_DATE_EPOCH",
    )

    @classmethod
    def load(
        cls,
        environ: Mapping[str, str] | None = None,
        cwd: Path | None = None,
        **overrides: str | Path | None,
    ) -> Settings:
        """Read settings: defaults, then ``environ`` (default ``os.environ``), then overrides.

        ``overrides`` use the field names (``base``, ``dist``, ``root``, ...); ``None``
        values are ignored, so CLI options can be passed straight through.
        """
        raw = current_values(os.environ if environ is None else environ)
        for name, value in overrides.items():
            declared = _BY_NAME.get(name)
            if declared is None:
                raise TypeError(f"unknown setting {name!r}")
            if value is not None:
                raw[declared.env] = str(value)
        if raw["IPRKG_ROOT"]:
            root = Path(raw["IPRKG_ROOT"]).resolve()
        else:
            root = find_project_root(cwd or Path.cwd())
        values = {s.name: s.read(Given(s.env, raw[s.env], root)) for s in SETTINGS}
        return cls(**values)

    def relative(self, path: Path) -> str:
        """``path`` relative to the project root, in POSIX form, for messages."""
        try:  # absolute but not resolved: dist is a symlink and should read as dist
            return Path(os.path.abspath(path)).relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()


SETTINGS: tuple[Setting, ...] = tuple(
    replace(
        declared,
        name=f.name,
        env=declared.env or f"IPRKG_{f.name.upper()}",
    )
    for f in fields(Settings)
    for declared in [cast(Setting, f.metadata[_DECLARED])]
)
"""Every setting, in the order of the ``Settings`` fields."""

_BY_NAME: dict[str, Setting] = {s.name: s for s in SETTINGS}


def current_values(environ: Mapping[str, str]) -> dict[str, str]:
    """The value of every setting: from ``environ`` where set, else the default."""
    return {s.env: environ.get(s.env, s.default) for s in SETTINGS}


def find_project_root(start: Path) -> Path:
    """The nearest folder from ``start`` upward holding pyproject.toml, else ``start``."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / "pyproject.toml").is_file():
            return folder
    return start


def checked_base(base: str) -> str:
    """``base`` if it is an absolute http(s) IRI ending with '/'; else SettingsError."""
    parts = urlsplit(base)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise SettingsError(f"IPRKG_BASE must be an absolute http(s) IRI, got {base!r}")
    if not base.endswith("/"):
        raise SettingsError(f"IPRKG_BASE must end with '/', got {base!r}")
    return base


def checked_lang(lang: str) -> str:
    """``lang`` if validation messages exist in it; else SettingsError."""
    if lang not in LANGUAGES:
        raise SettingsError(f"IPRKG_LANG must be one of {', '.join(LANGUAGES)}, got {lang!r}")
    return lang


def checked_seconds(value: str, env: str) -> int:
    """``value`` as a whole number of seconds; else SettingsError naming ``env``."""
    if not value.strip().isdigit():
        raise SettingsError(f"{env} must be a whole number of seconds, got {value!r}")
    return int(value)


def checked_epoch(value: str) -> int | None:
    """SOURCE_DATE_EPOCH as an int, None when empty; else SettingsError."""
    if not value.strip():
        return None
    if not value.strip().isdigit():
        raise SettingsError(f"SOURCE_DATE_EPOCH must be Unix seconds, got {value!r}")
    return int(value)


def checked_count(value: str, env: str, unit: str, least: int = 0, most: int | None = None) -> int:
    """``value`` as a whole number of ``unit`` in [least, most]; else SettingsError."""
    good = value.strip().isdigit() and least <= int(value) <= (most or int(value))
    if not good:
        span = f"from {least} to {most}" if most else f"≥ {least}"
        raise SettingsError(f"{env} must be a whole number of {unit} {span}, got {value!r}")
    return int(value)
