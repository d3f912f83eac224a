"""The example queries: the competency queries, ``queries/**/*.rq`` under the project root,
each with the ``# title:``, ``# title@nb:``, ``# description:`` and ``# description@nb:``
lines that open it (queries/README.md). The query page offers them (``web.query_page``),
titled and described in the page's language (English where a Norwegian line is missing).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

QUERIES_FOLDER = "queries"
"""The examples' folder, relative to the project root (``IPRKG_ROOT``)."""


@dataclass(frozen=True)
class Example:
    """One example query, with the header lines of its file."""

    name: str
    """Its path under ``queries/`` without ``.rq``: the menu's value."""
    title_en: str
    title_nb: str
    description_en: str
    description_nb: str
    text: str


def read_examples(folder: Path) -> list[Example]:
    """Every ``.rq`` file under ``folder`` (none if it is absent), sorted by path."""
    if not folder.is_dir():
        return []
    examples = []
    for path in sorted(folder.rglob("*.rq")):
        text = path.read_text(encoding="utf-8")
        fields = header(text)
        name = path.relative_to(folder).with_suffix("").as_posix()
        examples.append(
            Example(
                name=name,
                title_en=fields.get("title", name),
                title_nb=fields.get("title@nb", fields.get("title", name)),
                description_en=fields.get("description", ""),
                description_nb=fields.get("description@nb", fields.get("description", "")),
                text=text,
            )
        )
    return examples


def header(text: str) -> dict[str, str]:
    """The ``# key: value`` lines that open a query; ``#`` lines indented by two or more
    spaces continue the value before them (queries/README.md)."""
    fields: dict[str, str] = {}
    last = ""
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        body = line[1:]
        if body.startswith("  ") and last:
            fields[last] = f"{fields[last]} {body.strip()}"
            continue
        key, colon, value = body.strip().partition(":")
        if colon and key and " " not in key:
            last = key
            fields[key] = value.strip()
        else:
            last = ""
    return fields
