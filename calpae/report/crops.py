"""Windows onto rendered pages: where a finding's or a table's cells are, as CSS percentages of a crop."""

from __future__ import annotations

from dataclasses import dataclass, field

from calpae.report.images import PageImage
from calpae.report.model import Box

CONTEXT_ABOVE_PT = 110.0  # a crop shows this much above its cells: the (often rotated) column headers
CONTEXT_BELOW_PT = 24.0
MIN_HEIGHT_PT = 120.0


@dataclass
class Mark:
    """A cell outlined on a crop (the finding's own cells), positioned in % of the crop."""

    part: str
    left: float
    top: float
    width: float
    height: float
    title: str = ""
    href: str = ""


@dataclass
class CropView:
    """What the crop macro draws: a window of a page image, or why there is none."""

    caption: str
    page_href: str
    page: int | None = None
    image: str = ""
    problem: str = ""
    pdf_href: str = ""
    ratio: str = "1 / 1"
    max_px: int = 0
    img_w: float = 100.0
    img_left: float = 0.0
    img_top: float = 0.0
    alt: str = ""
    marks: list[Mark] = field(default_factory=list)


def _round(x: float) -> float:
    return round(x, 3)


def window(img: PageImage, boxes: list[Box], full: bool = False) -> Box:
    """The part of the page to show: the full width, from a little above the boxes to a little below them."""
    if full or not boxes:
        return Box(0, 0, img.width_pt, img.height_pt)
    u = Box.union(boxes)
    assert u is not None
    top = max(0.0, u.top - CONTEXT_ABOVE_PT)
    bottom = min(img.height_pt, max(u.bottom + CONTEXT_BELOW_PT, top + MIN_HEIGHT_PT))
    return Box(0, top, img.width_pt, bottom)


def crop_view(
    img: PageImage,
    marks: list[tuple[Box, str, str, str]],
    caption: str,
    page_href: str,
    page: int,
    scale: float,
    full: bool = False,
    pdf_href: str = "",
    frame: list[Box] | None = None,
) -> CropView:
    """A crop of a rendered page around the frame's boxes (default: the marked ones); marks are
    (box, part, title, href)."""
    win = window(img, frame if frame is not None else [m[0] for m in marks], full)
    ww, wh = win.x1 - win.x0, win.bottom - win.top
    view = CropView(
        caption=caption,
        page_href=page_href,
        page=page,
        image=img.path,
        pdf_href=pdf_href,
        ratio=f"{_round(ww)} / {_round(wh)}",
        max_px=int(ww * scale),
        img_w=_round(img.width_pt / ww * 100),
        img_left=_round(-win.x0 / ww * 100),
        img_top=_round(-win.top / wh * 100),
        alt=caption,
    )
    for box, part, title, href in marks:
        view.marks.append(
            Mark(
                part,
                _round((box.x0 - win.x0) / ww * 100),
                _round((box.top - win.top) / wh * 100),
                _round((box.x1 - box.x0) / ww * 100),
                _round((box.bottom - box.top) / wh * 100),
                title,
                href,
            )
        )
    return view


def missing_view(caption: str, page_href: str, problem: str, page: int | None = None) -> CropView:
    return CropView(caption=caption, page_href=page_href, page=page, problem=problem)
