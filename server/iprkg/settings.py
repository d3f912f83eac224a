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
        "IPRKG_DIST",
        "dist",
        "Where the build publishes its artefact: a symlink swapped atomically to a "
        "finished build kept in .<name>-builds/ beside it.",
    ),
    Setting(
        "IPRKG_EXTERNAL",
        "../shared/external",
        "Folder of external reference data (W3C tests, DCAT-AP shapes, vocabularies) "
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
        "Worker processes of iprkg serve (gunicorn), each with the whole store; "
        "0 means one per CPU core.",
    ),
    Setting("IPRKG_THREADS", "4", "Requests each worker process answers at once."),
    Setting(
        "IPRKG_QUERY_CACHE_MB",
        "64",
        "Memory per worker for answers kept to serve again (the data never change while "
        "served); 0 turns the cache off.",
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
    dist: Path
    external: Path
    lang: str
    cache_max_age: int
    source_date_epoch: int | None
    proxy_hops: int = 0
    workers: int = 0
    threads: int = 4
    query_cache_mb: int = 64

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

        return cls(
            root=root,
            base=checked_base(raw["IPRKG_BASE"]),
            ontology=path("IPRKG_ONTOLOGY"),
            data=path("IPRKG_DATA"),
            shapes=path("IPRKG_SHAPES"),
            dist=root / raw["IPRKG_DIST"],  # not resolved: it is a symlink we replace
            external=path("IPRKG_EXTERNAL"),
            lang=checked_lang(raw["IPRKG_LANG"]),
            cache_max_age=checked_seconds(raw["IPRKG_CACHE_MAX_AGE"], "IPRKG_CACHE_MAX_AGE"),
            source_date_epoch=checked_epoch(raw["SOURCE_DATE_EPOCH"]),
            proxy_hops=checked_count(raw["IPRKG_PROXY_HOPS"], "IPRKG_PROXY_HOPS", "proxies"),
            workers=checked_count(raw["IPRKG_WORKERS"], "IPRKG_WORKERS", "processes"),
            threads=checked_count(raw["IPRKG_THREADS"], "IPRKG_THREADS", "threads", least=1),
            query_cache_mb=checked_count(
                raw["IPRKG_QUERY_CACHE_MB"], "IPRKG_QUERY_CACHE_MB", "megabytes"
            ),
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


def checked_count(value: str, env: str, unit: str, least: int = 0) -> int:
    """``value`` as a whole number of at least ``least`` ``unit``; else SettingsError."""
    if not value.strip().isdigit() or int(value) < least:
        raise SettingsError(f"{env} must be a whole number of {unit} ≥ {least}, got {value!r}")
    return int(value)
