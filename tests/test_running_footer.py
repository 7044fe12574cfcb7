"""A running footer repeats at one distance from the bottom edge, on portrait and landscape pages alike."""

from calpae.extract.structure.furniture import repeated_furniture
from calpae.models.document import BBox, Line

PORTRAIT, LANDSCAPE = 841.9, 595.3


def _line(page: int, text: str, top: float) -> Line:
    return Line(text=text, page=page, bbox=BBox(x0=40, top=top, x1=400, bottom=top + 10))


def test_a_footer_on_portrait_and_landscape_pages_is_found_by_its_distance_from_the_bottom():
    heights = [PORTRAIT, LANDSCAPE, LANDSCAPE]
    pages = [
        [_line(n, "Annexe financière", 120.0), _line(n, f"Convention d'appui – Page {n}", h - 38.0)]
        for n, h in enumerate(heights, start=1)
    ]
    found = repeated_furniture(pages, heights)
    assert sorted(ln.text for p in pages for ln in p if id(ln) in found) == [
        "Convention d'appui – Page 1",
        "Convention d'appui – Page 2",
        "Convention d'appui – Page 3",
    ]


def test_a_line_repeated_at_different_distances_from_the_edge_is_not_furniture():
    heights = [PORTRAIT] * 3
    pages = [[_line(n, f"Convention d'appui – Page {n}", PORTRAIT - 38.0 - 20.0 * n)] for n in (1, 2, 3)]
    assert repeated_furniture(pages, heights) == set()


def test_a_footer_ocr_misread_on_one_page_is_still_the_footer():
    """OCR read page 3's footer with a stray mark ('… page 3 É') and page 1's with a colon in front: near-equal to
    the footer found on the other pages at the same place, they are that footer, not a table row. A line of other
    words at that place is not."""
    heights = [PORTRAIT] * 6
    footers = {
        1: ": Convention d'appui à la lutte contre la pauvreté - page 1",
        3: "Convention d'appui à la lutte contre la pauvreté - page 3 É",
        6: "Total des crédits reportés sur 2023 - part État",
    }
    pages = [
        [_line(n, footers.get(n, f"Convention d'appui à la lutte contre la pauvreté - page {n}"), PORTRAIT - 30.0)]
        for n in range(1, 7)
    ]
    found = repeated_furniture(pages, heights)
    assert sorted(ln.page for p in pages for ln in p if id(ln) in found) == [1, 2, 3, 4, 5]
