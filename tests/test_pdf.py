"""Printing briefs through one open browser, a failed print resetting it, and the fallback to one
Chromium run per brief."""

from __future__ import annotations

from pathlib import Path

import pytest
from gender_monitor.core.exceptions import GenderMonitorError
from gender_monitor.publish.pdf import (
    CHROMIUM_ARGS,
    PdfPrinter,
    chromium_args,
    chromium_command,
    find_chromium,
    pdf_page_count,
)

CHROMIUM = find_chromium()
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
            assert pdf_page_count(pdf) == pages
        assert printer.fallback_reason is None  # Playwright drove the system Chromium


@needs_chromium
def test_printer_works_beside_a_running_event_loop(tmp_path: Path) -> None:
    # The runner's workers drive kernels with asyncio; printing must not take over their loop.
    import asyncio

    async def main() -> int:
        with PdfPrinter(CHROMIUM) as printer:
            return pdf_page_count(printer.print(_html(tmp_path, "c", 2), tmp_path / "c.pdf"))

    assert asyncio.run(main()) == 2


def test_without_a_usable_browser_it_falls_back_and_says_why(tmp_path: Path) -> None:
    missing = str(tmp_path / "no-such-chromium")
    with PdfPrinter(missing) as printer, pytest.raises(GenderMonitorError):
        printer.print(_html(tmp_path, "d", 1), tmp_path / "d.pdf")
    assert printer.fallback_reason


class _StuckPage:
    """A page whose print times out, as Playwright reports it."""

    def goto(self, url: str, **kwargs) -> None:
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        raise PlaywrightTimeout("Timeout 120000ms exceeded.\nCall log:\n  - navigating to file:///…")


class _Closable:
    def __init__(self) -> None:
        self.closed = 0

    def close(self) -> None:
        self.closed += 1

    def stop(self) -> None:
        self.closed += 1


def test_a_failed_print_names_the_brief_and_resets_the_browser(tmp_path: Path) -> None:
    browser, playwright = _Closable(), _Closable()
    with PdfPrinter(str(tmp_path / "no-such-chromium")) as printer:
        printer._page, printer._browser, printer._playwright = _StuckPage(), browser, playwright
        with pytest.raises(GenderMonitorError, match=r"did not print e\.html: TimeoutError: Timeout 120000ms exceeded\.$"):
            printer.print(_html(tmp_path, "e", 1), tmp_path / "e.pdf")
        assert (browser.closed, playwright.closed) == (1, 1) and printer._page is None
        assert printer.fallback_reason is None
        # the next brief starts a fresh browser; this Chromium cannot start, so it falls back and says why
        with pytest.raises(GenderMonitorError, match="f.html|cannot be run|Chromium not found"):
            printer.print(_html(tmp_path, "f", 1), tmp_path / "f.pdf")
        assert printer.fallback_reason


@needs_chromium
def test_after_a_failed_print_the_next_brief_prints_in_a_fresh_browser(tmp_path: Path) -> None:
    with PdfPrinter(CHROMIUM) as printer:
        printer.print(_html(tmp_path, "g", 1), tmp_path / "g.pdf")
        first_browser = printer._browser
        printer._page = _StuckPage()
        with pytest.raises(GenderMonitorError, match="did not print h.html"):
            printer.print(_html(tmp_path, "h", 1), tmp_path / "h.pdf")
        assert not (tmp_path / "h.pdf").exists()
        assert pdf_page_count(printer.print(_html(tmp_path, "i", 2), tmp_path / "i.pdf")) == 2
        assert printer._browser is not first_browser and printer.fallback_reason is None


def test_one_list_of_chromium_flags_for_both_ways_of_printing() -> None:
    command = chromium_command("chromium", "/tmp/profile", "--print-to-pdf=x.pdf", "file:///x.html")
    assert command[:3] == ["chromium", "--headless", "--no-pdf-header-footer"]
    assert command[3:3 + len(chromium_args())] == chromium_args()
    assert set(CHROMIUM_ARGS) <= set(chromium_args()) and "--disable-background-networking" in CHROMIUM_ARGS
