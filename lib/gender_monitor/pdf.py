"""Printing briefs to PDF: one headless Chromium kept open for many briefs, driven through Playwright."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import TracebackType
from typing import Any

from gender_monitor.exceptions import GenderMonitorError

#: Flags for a quiet, offline headless Chromium (no background connections on a closed network).
CHROMIUM_ARGS = ["--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-extensions"]


class PdfPrinter:
    """Print many HTML briefs to PDF through one browser.

    Starting Chromium costs one to two seconds; printing a brief in an open browser a fraction of
    that. The printer starts the system's Chromium (``chromium``: never a downloaded browser) through
    Playwright on first use and keeps it until :meth:`close`. Where Playwright cannot drive it, every
    brief is printed by its own ``chromium --print-to-pdf`` run instead (:func:`brief.print_pdf`), so
    the result is the same, only slower. Playwright's synchronous API runs its own event loop in the
    thread that starts it; the printer keeps it on a thread of its own so that callers with an asyncio
    loop (the runner's kernels) are not disturbed.

    Parameters
    ----------
    chromium
        Path of the Chromium executable (see :func:`brief.find_chromium`).
    """

    def __init__(self, chromium: str) -> None:
        self.chromium = chromium
        self._playwright: Any = None
        self._browser: Any = None
        self._page: Any = None
        self.fallback_reason: str | None = None
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="gm-pdf")

    def __enter__(self) -> PdfPrinter:
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def _start(self) -> None:
        try:
            from playwright.sync_api import sync_playwright

            self._playwright = sync_playwright().start()
            args = list(CHROMIUM_ARGS)
            if hasattr(os, "geteuid") and os.geteuid() == 0:
                args.insert(0, "--no-sandbox")
            self._browser = self._playwright.chromium.launch(executable_path=self.chromium, args=args)
            self._page = self._browser.new_page()
        except Exception as exc:  # noqa: BLE001 - any failure means: print with one Chromium run per brief
            self.fallback_reason = f"{type(exc).__name__}: {exc}".splitlines()[0]
            self._close()

    def print(self, html_path: str | os.PathLike[str], pdf_path: str | os.PathLike[str]) -> Path:
        """Print one HTML file to PDF (A4 from the page's print CSS, backgrounds kept)."""
        html, pdf = Path(html_path).resolve(), Path(pdf_path).resolve()
        pdf.parent.mkdir(parents=True, exist_ok=True)
        printed = self._thread.submit(self._print, html, pdf).result()
        if printed:
            return pdf
        from gender_monitor.brief import print_pdf

        return print_pdf(html, pdf, chromium=self.chromium)

    def _print(self, html: Path, pdf: Path) -> bool:
        """On the printer's thread: print through the open browser; False means "use the fallback"."""
        if self._page is None and self.fallback_reason is None:
            self._start()
        if self._page is None:
            return False
        pdf.unlink(missing_ok=True)
        self._page.goto(html.as_uri(), wait_until="load")
        self._page.pdf(path=str(pdf), prefer_css_page_size=True, print_background=True, format="A4")
        if not pdf.exists() or pdf.stat().st_size == 0:
            raise GenderMonitorError(f"Chromium did not print {html.name}")
        return True

    def close(self) -> None:
        """Close the browser (if one was started) and the printer's thread."""
        self._thread.submit(self._close).result()
        self._thread.shutdown(wait=True)

    def _close(self) -> None:
        for thing, method in ((self._browser, "close"), (self._playwright, "stop")):
            if thing is not None:
                try:
                    getattr(thing, method)()
                except Exception:  # noqa: BLE001,S110 - closing a browser that already died is not an error
                    pass
        self._page = self._browser = self._playwright = None
