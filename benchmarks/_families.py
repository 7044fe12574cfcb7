"""The per-family table of benchmarks/accuracy.py: generated (reportlab) vs office (LibreOffice) documents, and
within each, born-digital PDFs, scans and text exports."""

from __future__ import annotations

from _common import fmt, print_table


def is_family(group: str) -> bool:
    return group.startswith("family=") or "/" in group


def print_families(groups: dict) -> None:
    """Each corpus family apart, and within it born-digital PDFs, scans and text exports."""
    order = sorted(g for g in groups if is_family(g))
    if not order:
        return
    print("\nPer family and copy kind (budget strict; matched/predicted/expected)")
    rows = []
    for g in order:
        r = groups[g]
        b, ind, d, de = r["budget"], r["indicators"], r["defects"], r["defects_as_error"]
        rows.append(
            [
                g,
                r["docs"],
                r["pages"],
                f"{b['matched']}/{b['predicted']}/{b['expected']}",
                fmt(b["precision"]),
                fmt(b["recall"]),
                fmt(b["f1"]),
                f"{ind['matched']}/{ind['predicted']}/{ind['expected']}",
                fmt(ind["f1"]),
                f"{d['matched']}/{d['expected']}",
                f"{de['matched']}/{de['expected']}",
                f"{10 * r['false_errors']['matched'] / r['docs']:.2f}",
            ]
        )
    print_table(
        [
            "family/copy",
            "docs",
            "pages",
            "budget m/p/e",
            "budget P",
            "budget R",
            "budget F1",
            "ind m/p/e",
            "ind F1",
            "defects found",
            "as error",
            "false err/10 docs",
        ],
        rows,
    )
