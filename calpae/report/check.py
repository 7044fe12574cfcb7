"""Checks of a built report that need no browser: every internal link and asset resolves, nothing is fetched
from the network, every image opens. Used by the tests and by `calpae report --check`."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

LINK_ATTRS = {("a", "href"), ("link", "href"), ("img", "src"), ("script", "src"), ("source", "src")}


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str, str]] = []  # (tag, attribute, value)
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name == "id" and value:
                self.ids.add(value)
            if (tag, name) in LINK_ATTRS and value is not None:
                self.links.append((tag, name, value))


@dataclass
class CheckResult:
    pages: int = 0
    links: int = 0
    images: int = 0
    problems: list[str] = field(default_factory=list)


def _parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def check_report(root: Path) -> CheckResult:
    """Every HTML page of the report under root: its internal links, anchors and images."""
    import PIL.Image

    result = CheckResult()
    parsed: dict[Path, _Page] = {}
    seen_images: set[Path] = set()
    for html in sorted(root.rglob("*.html")):
        page = parsed.setdefault(html, _parse(html))
        result.pages += 1
        for tag, attr, value in page.links:
            parts = urlsplit(value)
            where = f"{html.relative_to(root)}: <{tag} {attr}={value!r}>"
            if parts.scheme in ("http", "https") or value.startswith("//"):
                result.problems.append(f"{where} reaches the network (the report must work offline)")
                continue
            if parts.scheme == "file":
                if tag != "a":
                    result.problems.append(f"{where}: assets must live inside the report")
                continue  # a link to the source PDF on this machine, outside the report
            if parts.scheme:
                result.problems.append(f"{where}: unexpected scheme")
                continue
            result.links += 1
            target = html if not parts.path else (html.parent / unquote(parts.path)).resolve()
            if not target.is_file():
                result.problems.append(f"{where} points to a missing file")
                continue
            if root.resolve() not in target.parents:
                result.problems.append(f"{where} points outside the report")
            if parts.fragment and target.suffix == ".html":
                other = parsed.setdefault(target, _parse(target))
                if parts.fragment not in other.ids:
                    result.problems.append(f"{where}: no element with id '{parts.fragment}'")
            if tag == "img" and target not in seen_images:
                seen_images.add(target)
                try:
                    with PIL.Image.open(target) as im:
                        im.verify()
                    result.images += 1
                except Exception as exc:
                    result.problems.append(f"{where}: the image does not open ({type(exc).__name__})")
    return result
