"""Printing briefs to PDF with the system's headless Chromium: one open browser, or one run per brief."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import TracebackType
from typing import Any

from gender_monitor.core import i18n
from gender_monitor.core.exceptions import GenderMonitorError

#: What to tell a user whose machine has no Chromium.
CHROMIUM_HINT = i18n.both("pdf_notes.chromium_missing")
#: Flags for a quiet, offline headless Chromium (no background connections on a closed network); the
#: one list both ways of printing use.
CHROMIUM_ARGS = ("--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-extensions", "--hide-scrollbars")


def find_chromium() -> str | None:
    """The Chromium executable: ``GENDER_MONITOR_CHROMIUM``, else ``chromium`` or its usual aliases."""
    env = os.environ.get("GENDER_MONITOR_CHROMIUM")
    if env:
        return env if Path(env).exists() else shutil.which(env)
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    return None


def chromium_args() -> list[str]:
    """:data:`CHROMIUM_ARGS`, with ``--no-sandbox`` first when run as root (Chromium refuses otherwise)."""
    root = hasattr(os, "geteuid") and os.geteuid() == 0
    return ["--no-sandbox", *CHROMIUM_ARGS] if root else list(CHROMIUM_ARGS)


def chromium_command(chromium: str, user_data_dir: str, *action: str) -> list[str]:
    """A one-off headless Chromium command line (no page header or footer, its own profile)."""
    return [chromium, "--headless", "--no-pdf-header-footer", *chromium_args(),
            f"--user-data-dir={user_data_dir}", *action]


def print_pdf(html_path: str | os.PathLike[str], pdf_path: str | os.PathLike[str], *,
              chromium: str | None = None, timeout: float = 120) -> Path:
    """Print an HTML file to PDF (A4, the page's own print CSS) with one headless Chromium run.

    Raises
    ------
    GenderMonitorError
        Chromium is missing (the message says how to install it), fails, times out or writes no PDF.
    """
    chromium = chromium or find_chromium()
    if chromium is None:
        raise GenderMonitorError(CHROMIUM_HINT)
    html, pdf = Path(html_path).resolve(), Path(pdf_path).resolve()
    pdf.parent.mkdir(parents=True, exist_ok=True)
    pdf.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory(prefix="gm-chromium-") as profile:
        cmd = chromium_command(chromium, profile, f"--print-to-pdf={pdf}", html.as_uri())
        try:
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            raise GenderMonitorError(f"Chromium did not print {html.name} within {timeout:g} s") from None
        except OSError as exc:
            raise GenderMonitorError(f"{chromium} cannot be run ({exc}). {CHROMIUM_HINT}") from None
    if done.returncode != 0 or not pdf.exists() or pdf.stat().st_size == 0:
        tail = (done.stderr or "").strip().splitlines()[-3:]
        raise GenderMonitorError(f"Chromium did not print {html.name} (exit {done.returncode}): {tail}")
    return pdf


def pdf_page_count(pdf_path: str | os.PathLike[str]) -> int:
    """Number of pages of a PDF, read from its ``/Type /Page`` objects."""
    data = Path(pdf_path).read_bytes()
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", data))


class PdfPrinter:
    """Print many HTML briefs to PDF through one browser.

    Starting Chromium costs one to two seconds; printing a brief in an open browser a fraction of
    that. The printer starts the system's Chromium (``chromium``: never a downloaded browser) through
    Playwright on first use and keeps it until :meth:`close`. Where Playwright cannot start it, every
    brief is printed by its own ``chromium --print-to-pdf`` run instead (:func:`print_pdf`), so the
    result is the same, only slower; :attr:`fallback_reason` then says why. When printing a brief
    fails in the open browser (a timeout, a crashed page), the browser is closed so that the next
    brief starts a fresh one. Playwright's synchronous API runs its own event loop in the thread that
    starts it; the printer keeps it on a thread of its own so that callers with an asyncio loop (the
    runner's kernels) are not disturbed.

    Parameters
    ----------
    chromium
        Path of the Chromium executable (see :func:`find_chromium`).
    timeout
        Seconds one brief may take to load and print.
    """

    def __init__(self, chromium: str, *, timeout: float = 120) -> None:
        self.chromium = chromium
        self.timeout = timeout
        self._playwright: Any = None
        self._browser: Any = None
        self._page: Any = None
        #: Why briefs are printed one Chromium run each (Playwright could not start), or None.
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
            self._browser = self._playwright.chromium.launch(executable_path=self.chromium, args=chromium_args())
            self._page = self._browser.new_page()
        except Exception as exc:  # noqa: BLE001 - any failure means: print with one Chromium run per brief
            self.fallback_reason = _first_line(exc)
            self._close()

    def print(self, html_path: str | os.PathLike[str], pdf_path: str | os.PathLike[str]) -> Path:
        """Print one HTML file to PDF (A4 from the page's print CSS, backgrounds kept).

        Raises
        ------
        GenderMonitorError
            The brief could not be printed (the message names it); the printer stays usable.
        """
        html, pdf = Path(html_path).resolve(), Path(pdf_path).resolve()
        pdf.parent.mkdir(parents=True, exist_ok=True)
        printed = self._thread.submit(self._print, html, pdf).result()
        if printed:
            return pdf
        return print_pdf(html, pdf, chromium=self.chromium, timeout=self.timeout)

    def _print(self, html: Path, pdf: Path) -> bool:
        """On the printer's thread: print through the open browser; False means "use the fallback"."""
        if self._page is None and self.fallback_reason is None:
            self._start()
        if self._page is None:
            return False
        pdf.unlink(missing_ok=True)
        try:
            self._page.goto(html.as_uri(), wait_until="load", timeout=self.timeout * 1000)
            self._page.pdf(path=str(pdf), prefer_css_page_size=True, print_background=True, format="A4")
        except Exception as exc:  # noqa: BLE001 - Playwright's timeouts, a crashed page or browser
            self._close()  # the browser may be stuck: the next brief starts a fresh one
            pdf.unlink(missing_ok=True)
            raise GenderMonitorError(f"Chromium did not print {html.name}: {_first_line(exc)}") from exc
        if not pdf.exists() or pdf.stat().st_size == 0:
            raise GenderMonitorError(f"Chromium did not print {html.name}: no PDF written")
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


def _first_line(exc: BaseException) -> str:
    """``Type: first line of the message`` (Playwright's messages carry long call logs)."""
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0] if text else ''}".rstrip(": ")
