"""Printing briefs through one open browser, and the fallback to one Chromium run per brief."""

from __future__ import annotations

from pathlib import Path

import pytest

from gender_monitor import brief
from gender_monitor.pdf import PdfPrinter

CHROMIUM = brief.find_chromium()
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="Chromium not found (apt-get install chromium); "
                                    "CI installs it in .ci/run")

PAGE = """<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><style>
@page {{ size: A4; margin: 15mm; }} .p {{ break-after: page; }}</style></head>
<body>{body}</body></html>"""


def _html(tmp_path: Path, name: str, pages: int) -> Path:
    body = "".join(f'<div class="p"><h1>Trang {i + 1}: Tỷ số giới tính khi sinh</h1></div>' for i in range(pages))
    path = tmp_path / f"{name}.html"
    path.write_text(PAGE.format(body=body), encoding="utf-8")
    return path


@needs_chromium
def test_one_browser_prints_many_briefs(tmp_path: Path) -> None:
    with PdfPrinter(CHROMIUM) as printer:
        for name, pages in (("a", 1), ("b", 3)):
            pdf = printer.print(_html(tmp_path, name, pages), tmp_path / f"{name}.pdf")
            assert brief.pdf_page_count(pdf) == pages
        assert printer.fallback_reason is None  # Playwright drove the system Chromium


@needs_chromium
def test_printer_works_beside_a_running_event_loop(tmp_path: Path) -> None:
    # The runner's workers drive kernels with asyncio; printing must not take over their loop.
    import asyncio

    async def main() -> int:
        with PdfPrinter(CHROMIUM) as printer:
            return brief.pdf_page_count(printer.print(_html(tmp_path, "c", 2), tmp_path / "c.pdf"))

    assert asyncio.run(main()) == 2


def test_without_a_usable_browser_it_falls_back_and_says_why(tmp_path: Path) -> None:
    missing = str(tmp_path / "no-such-chromium")
    with PdfPrinter(missing) as printer, pytest.raises(brief.GenderMonitorError):
        printer.print(_html(tmp_path, "d", 1), tmp_path / "d.pdf")
    assert printer.fallback_reason
