"""The report in a real browser: headless Chromium (Debian's, installed by scripts/ensure-chromium.sh) driven by
Playwright. Pages load with no console error, every image loads, every internal link opens, a finding's crop shows
its highlighted cell. Screenshots go to CALPAE_SCREENSHOTS (a folder, e.g. docs) when set, else to a temporary one.

Skips, saying why, where Chromium or Playwright is missing; the link and asset checks of test_report.py run anyway.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from report_run import report_run

CHROMIUM = os.environ.get("CALPAE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWPORT = {"width": 1280, "height": 800}
SCREENSHOT_COLORS = 96  # screenshots are quantized to this many colours: small PNGs for the README


def _chromium() -> str:
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        pytest.skip(f"no Chromium at {CHROMIUM}: run `sh scripts/ensure-chromium.sh` (apt-get install chromium)")
    return CHROMIUM if Path(CHROMIUM).exists() else str(shutil.which("chromium"))


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    path = _chromium()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("Playwright is not installed: pip install -e '.[test]'")
    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_playwright() as pw:
        try:
            context = pw.chromium.launch_persistent_context(
                str(profile), executable_path=path, args=CHROMIUM_ARGS, headless=True, viewport=VIEWPORT
            )
        except Exception as exc:  # a browser that cannot start here is a skip with its reason, not a failure
            pytest.skip(f"Chromium at {path} does not start: {str(exc).splitlines()[0]}")
        yield context
        context.close()


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    return report_run(tmp_path_factory)


class Page:
    """A page opened in the browser with the console errors, page errors and failed requests it produced."""

    def __init__(self, context, url: str):
        self.page = context.new_page()
        self.errors: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("requestfailed", lambda r: self.errors.append(f"failed: {r.url}"))
        self.response = self.page.goto(url, wait_until="load")

    def images(self) -> list[tuple[str, bool, int]]:
        return self.page.eval_on_selector_all("img", "els => els.map(e => [e.src, e.complete, e.naturalWidth])")

    def links(self) -> list[str]:
        return self.page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")

    def close(self) -> None:
        self.page.close()


def _check_page(context, url: str) -> Page:
    page = Page(context, url)
    assert page.errors == [], f"{url}: {page.errors}"
    for src, complete, width in page.images():
        assert complete and width > 0, f"{url}: image {src} did not load"
    return page


def _internal(links: list[str]) -> list[str]:
    """file:// links into the report (not the source PDFs outside it), without their fragment, once each."""
    out = []
    for href in links:
        parts = urlsplit(href)
        target = parts._replace(fragment="").geturl()
        if parts.scheme == "file" and "/report/" in parts.path and target not in out:
            out.append(target)
    return out


def _screenshot(page, name: str, tmp_path: Path) -> Path:
    from PIL import Image

    folder = Path(os.environ.get("CALPAE_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    page.screenshot(path=str(path))
    with Image.open(path) as im:
        im.convert("RGB").quantize(SCREENSHOT_COLORS).save(path, optimize=True)
    return path


def test_index_and_finding_load_with_images_links_and_no_console_error(browser, run, tmp_path):
    index = _check_page(browser, (run.report / "index.html").as_uri())
    finding = _check_page(browser, (run.report / "finding" / "1.html").as_uri())
    links = _internal(index.links() + finding.links())
    assert len(links) >= 10  # documents, départements, findings, table, page view
    for url in links:  # every internal link opens a page that itself loads cleanly
        _check_page(browser, url).close()
    assert _screenshot(index.page, "report-index.png", tmp_path).stat().st_size < 300_000
    assert _screenshot(finding.page, "report-finding.png", tmp_path).stat().st_size < 300_000
    index.close()
    finding.close()


def test_finding_crop_shows_the_highlighted_cell(browser, run):
    """The declared cell's box, as laid out in the page, is drawn in the highlight colour on screen."""
    from io import BytesIO

    from PIL import Image

    page = _check_page(browser, (run.report / "finding" / "1.html").as_uri())
    mark = page.page.locator(".mark-declared").first
    mark.scroll_into_view_if_needed()
    box = mark.bounding_box()
    assert box is not None and box["width"] > 5 and box["height"] > 5
    shot = Image.open(BytesIO(page.page.screenshot(clip=box))).convert("RGB")
    pixels = [shot.getpixel((x, y)) for x in range(shot.width) for y in range(shot.height)]
    red = sum(1 for r, g, b in pixels if r > 200 and g < 215 and b < 215 and r - g > 30)
    assert red > 0.5 * len(pixels), f"only {red} of {len(pixels)} pixels are highlighted"
    page.close()
