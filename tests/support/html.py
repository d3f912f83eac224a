"""Reading HTML in tests: what a browser sends as Accept, and a parser that collects the
start tags and the text of a page without failing on anything.
"""

from __future__ import annotations

from html.parser import HTMLParser

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
"""The Accept header a browser sends for a page."""


class Structure(HTMLParser):
    """Collects start tags; fails on nothing, so a test checks what it needs."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parsed_html(text: str) -> Structure:
    structure = Structure()
    structure.feed(text)
    structure.close()
    return structure
