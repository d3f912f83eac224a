"""Every setting in one place: a default, a line of help, and the environment to override it.

Relative paths are resolved against the project root: the nearest folder, from the
current directory upward, that holds ``pyproject.toml`` (else the current directory),
unless ``IPRKG_ROOT`` names it.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

LANGUAGES = ("en", "nb")

SETTINGS_KEY = "iprkg.core.settings"
"""``app.extensions[SETTINGS_KEY]``: the ``Settings`` an app was made with (its limits)."""


class SettingsError(ValueError):
    """A setting has a value the build cannot use."""


@dataclass(frozen=True)
class Setting:
    """One documented setting, read from the environment variable ``env``."""

    env: str
    default: str
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "IPRKG_ROOT",
        "",
        "Project root; empty means the nearest folder upward from the current one "
        "that holds pyproject.toml, else the current folder.",
    ),
    Setting(
        "IPRKG_BASE",
        "https://w3id.org/iprkg/",
        "Canonical base IRI; relative IRIs and prefixes in the sources resolve against it. "
        "Must end with '/'.",
    ),
    Setting("IPRKG_ONTOLOGY", "ontology", "Folder of ontology Turtle files (*.ttl)."),
    Setting("IPRKG_DATA", "data", "Folder of data Turtle files (**/*.ttl, recursive)."),
    Setting("IPRKG_SHAPES", "shapes", "Folder of SHACL shapes Turtle files (*.ttl)."),
    Setting(
        "IPRKG_HARVESTED",
        "harvested",
        "Folder where iprkg harvest keeps other publications' dumps (*.nt, each with a "
        ".json record); the build serves each as a named graph.",
    ),
    Setting(
        "IPRKG_RELEASES",
        "releases",
        "Folder where iprkg release keeps the frozen releases, one read-only folder per "
        "version (dumps, manifest, validation report, changes, release.json).",
    ),
    Setting(
        "IPRKG_DIST",
        "dist",
        "Where the build publishes its artefact: a symlink swapped atomically to a "
        "finished build kept in .<name>-builds/ beside it.",
    ),
    Setting(
        "IPRKG_EXTERNAL",
        "../shared/external",
        "Folder of external reference data: the theme authorities (los/, eu-data-theme/) "
        "whose names for the themes the data use the build publishes (without them it "
        "builds without theme names), and the W3C tests, DCAT-AP shapes and vocabularies "
        "read by tests marked 'external'.",
    ),
    Setting("IPRKG_LANG", "en", "Language of validation messages: en or nb."),
    Setting(
        "IPRKG_PROXY_HOPS",
        "0",
        "Reverse proxies in front of the server whose X-Forwarded-Proto/Host/Port/Prefix "
        "headers are trusted (werkzeug's ProxyFix); 0 trusts none.",
    ),
    Setting(
        "IPRKG_CACHE_MAX_AGE",
        "3600",
        "Seconds caches may reuse an answer without revalidating it "
        "(Cache-Control: public, max-age).",
    ),
    Setting(
        "IPRKG_WORKERS",
        "0",
        "Worker processes of iprkg serve (gunicorn), each answering one request at a time "
        "from the store they share; 0 means one per CPU core, at least two.",
    ),
    Setting(
        "IPRKG_QUERY_CACHE_MB",
        "32",
        "Memory per worker for answers and responses kept to serve again (the data never "
        "change while served), half for each; 0 turns both caches off.",
    ),
    Setting(
        "IPRKG_QUERY_TIMEOUT",
        "10",
        "Seconds a request may run in iprkg serve before it is stopped (503) and its "
        "worker replaced; 0 means no limit.",
    ),
    Setting(
        "IPRKG_MAX_ANSWER_MB",
        "64",
        "Largest answer to a query, serialised; a larger one is refused (422), never cut "
        "short; 0 means no limit.",
    ),
    Setting(
        "IPRKG_MAX_ROWS",
        "0",
        "Most solutions a SELECT answer holds; more are cut off and the answer says so "
        "(X-SPARQL-MaxRows); 0 means no limit.",
    ),
    Setting("IPRKG_MAX_BODY_KB", "1024", "Largest request body read; larger ones get 413."),
    Setting(
        "IPRKG_MAX_QUERY_CHARS",
        "100000",
        "Longest query or update text read; longer ones get 413.",
    ),
    Setting(
        "IPRKG_MAX_QUERY_DEPTH",
        "64",
        "Deepest nesting of brackets in a query; deeper ones get 400 (the engine recurses "
        "per level and would crash).",
    ),
    Setting(
        "IPRKG_MAX_QUERY_OPERATORS",
        "1000",
        "Most chained operators in a query (! && || | + - * / UNION OPTIONAL MINUS); more "
        "get 400 (the engine recurses per link and would crash).",
    ),
    Setting(
        "IPRKG_MAX_HEADER_BYTES",
        "8190",
        "Longest request line and header field gunicorn reads (at most 8190); longer "
        "ones get 414 or 431. Send long queries by POST.",
    ),
    Setting(
        "IPRKG_SERVICE_ALLOW",
        "",
        "SPARQL endpoints SERVICE may call, as whitespace-separated http(s) IRIs; empty "
        "turns federated queries off. Loopback, private and other non-public addresses "
        "are never called, even when listed.",
    ),
    Setting(
        "IPRKG_BACKEND",
        "",
        "URL of a remote SPARQL 1.1 endpoint holding the build in IPRKG_DIST, for iprkg "
        "serve to answer from instead of loading it; empty serves the build itself.",
    ),
    Setting(
        "IPRKG_RATE_LIMIT",
        "",
        "Requests a client (by address) may make, in Flask-Limiter's notation, e.g. "
        "'20/second;600/minute'; empty means no limit. Over it: 429.",
    ),
    Setting(
        "IPRKG_RATE_LIMIT_STORAGE",
        "memory://",
        "Where the rate limits count (Flask-Limiter storage URI); memory:// counts per "
        "worker, memcached:// or redis:// across workers.",
    ),
    Setting(
        "SOURCE_DATE_EPOCH",
        "",
        "Build time (Unix seconds) recorded as 'built' in the manifest, for reproducible "
        "builds; empty means the newest modification time of the source files.",
    ),
)

SETTINGS_BY_ENV: dict[str, Setting] = {setting.env: setting for setting in SETTINGS}
ENV_BY_FIELD: dict[str, str] = {
    setting.env.removeprefix("IPRKG_").lower(): setting.env for setting in SETTINGS
}
"""Settings field name (``base``, ``source_date_epoch``) -> environment variable."""


@dataclass(frozen=True)
class Settings:
    """Resolved settings: absolute paths and checked values."""

    root: Path
    base: str
    ontology: Path
    data: Path
    shapes: Path
    harvested: Path
    releases: Path
    dist: Path
    external: Path
    lang: str
    cache_max_age: int
    source_date_epoch: int | None
    proxy_hops: int = 0
    workers: int = 0
    query_cache_mb: int = 32
    query_timeout: int = 10
    max_answer_mb: int = 64
    max_rows: int = 0
    max_body_kb: int = 1024
    max_query_chars: int = 100_000
    max_query_depth: int = 64
    max_query_operators: int = 1000
    max_header_bytes: int = 8190
    service_allow: str = ""
    backend: str = ""
    rate_limit: str = ""
    rate_limit_storage: str = "memory://"

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
            env = ENV_BY_FIELD.get(name, "")
            if env not in SETTINGS_BY_ENV:
                raise TypeError(f"unknown setting {name!r}")
            if value is not None:
                raw[env] = str(value)
        if raw["IPRKG_ROOT"]:
            root = Path(raw["IPRKG_ROOT"]).resolve()
        else:
            root = find_project_root(cwd or Path.cwd())

        def path(env: str) -> Path:
            return (root / raw[env]).resolve()

        def count(env: str, unit: str, least: int = 0, most: int | None = None) -> int:
            return checked_count(raw[env], env, unit, least, most)

        return cls(
            root=root,
            base=checked_base(raw["IPRKG_BASE"]),
            ontology=path("IPRKG_ONTOLOGY"),
            data=path("IPRKG_DATA"),
            shapes=path("IPRKG_SHAPES"),
            harvested=path("IPRKG_HARVESTED"),
            releases=path("IPRKG_RELEASES"),
            dist=root / raw["IPRKG_DIST"],  # not resolved: it is a symlink we replace
            external=path("IPRKG_EXTERNAL"),
            lang=checked_lang(raw["IPRKG_LANG"]),
            cache_max_age=checked_seconds(raw["IPRKG_CACHE_MAX_AGE"], "IPRKG_CACHE_MAX_AGE"),
            source_date_epoch=checked_epoch(raw["SOURCE_DATE_EPOCH"]),
            proxy_hops=count("IPRKG_PROXY_HOPS", "proxies"),
            workers=count("IPRKG_WORKERS", "processes"),
            query_cache_mb=count("IPRKG_QUERY_CACHE_MB", "megabytes"),
            query_timeout=count("IPRKG_QUERY_TIMEOUT", "seconds"),
            max_answer_mb=count("IPRKG_MAX_ANSWER_MB", "megabytes"),
            max_rows=count("IPRKG_MAX_ROWS", "rows"),
            max_body_kb=count("IPRKG_MAX_BODY_KB", "kilobytes", least=1),
            max_query_chars=count("IPRKG_MAX_QUERY_CHARS", "characters", least=1),
            max_query_depth=count("IPRKG_MAX_QUERY_DEPTH", "levels", least=1),
            max_query_operators=count("IPRKG_MAX_QUERY_OPERATORS", "operators", least=1),
            max_header_bytes=count("IPRKG_MAX_HEADER_BYTES", "bytes", least=256, most=8190),
            service_allow=raw["IPRKG_SERVICE_ALLOW"].strip(),
            backend=raw["IPRKG_BACKEND"].strip(),
            rate_limit=raw["IPRKG_RATE_LIMIT"].strip(),
            rate_limit_storage=raw["IPRKG_RATE_LIMIT_STORAGE"].strip(),
        )

    def relative(self, path: Path) -> str:
        """``path`` relative to the project root, in POSIX form, for messages."""
        try:  # absolute but not resolved: dist is a symlink and should read as dist
            return Path(os.path.abspath(path)).relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()


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
