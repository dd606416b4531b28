"""Where a full export of the registry comes from: a CSV or XLSX file, or the paginated
HTTP JSON API (see shared/data/README.md). Each source yields (line, row dict) pairs.

A source that cannot be read to the end raises SourceError; the sync then applies nothing.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import requests
from django.conf import settings
from django.utils.translation import gettext as _
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from registry.rows import COLUMNS

_XLSX_MAGIC = b"PK\x03\x04"
MAX_PAGES = 100_000


class SourceError(Exception):
    """The export could not be read completely; the message is for the vendor (Persian)."""


class FileSource:
    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.label = f"file:{self.path}"
        self.total: int | None = None

    def rows(self) -> Iterator[tuple[int, dict]]:
        if not self.path.is_file():
            raise SourceError(_("پرونده «%(path)s» پیدا نشد.") % {"path": self.path})
        with self.path.open("rb") as handle:
            is_xlsx = handle.read(4) == _XLSX_MAGIC
        yield from (self._xlsx_rows() if is_xlsx else self._csv_rows())

    def _csv_rows(self) -> Iterator[tuple[int, dict]]:
        try:
            with self.path.open("rb") as handle:
                self.total = max(sum(1 for _line in handle) - 1, 0)
            with self.path.open(encoding="utf-8-sig", newline="") as handle:
                reader = csv.DictReader(handle)
                _check_header(reader.fieldnames or [])
                for line, row in enumerate(reader, start=2):
                    yield line, row
        except UnicodeDecodeError as error:
            raise SourceError(_("پرونده با UTF-8 خوانا نیست: %(error)s") % {"error": error}) from error
        except csv.Error as error:
            raise SourceError(_("پرونده CSV خراب است: %(error)s") % {"error": error}) from error

    def _xlsx_rows(self) -> Iterator[tuple[int, dict]]:
        from openpyxl import load_workbook

        try:
            workbook = load_workbook(self.path, read_only=True, data_only=True)
        except Exception as error:  # openpyxl raises several kinds for a broken workbook
            raise SourceError(_("پرونده XLSX خوانا نیست: %(error)s") % {"error": error}) from error
        try:
            sheet = workbook.worksheets[0]
            self.total = max((sheet.max_row or 1) - 1, 0)
            values = sheet.iter_rows(values_only=True)
            header = [str(cell).strip() if cell is not None else "" for cell in next(values, ())]
            _check_header(header)
            for line, cells in enumerate(values, start=2):
                if all(cell is None or cell == "" for cell in cells):
                    continue
                yield line, dict(zip(header, cells))
        finally:
            workbook.close()


def _check_header(header: list[str]) -> None:
    missing = [column for column in COLUMNS if column not in header]
    if missing:
        raise SourceError(_("این ستون‌ها در سطر سرآغاز نیستند: %(columns)s") % {"columns": ", ".join(missing)})


class HttpSource:
    """`GET <base>/services?page=N`, following `next` until it is null.

    Every request has a time-out and is retried with back-off on connection errors and 5xx
    answers; a page that still fails ends the whole read.
    """

    def __init__(self, url: str, *, timeout: float | None = None, retries: int | None = None, backoff: float | None = None):
        self.base = url.rstrip("/")
        self.label = f"url:{self.base}"
        self.total: int | None = None
        self.timeout = timeout if timeout is not None else settings.REGISTRY_HTTP_TIMEOUT
        retry = Retry(
            total=settings.REGISTRY_HTTP_RETRIES if retries is None else retries,
            backoff_factor=settings.REGISTRY_HTTP_BACKOFF if backoff is None else backoff,
            status_forcelist=(429, 500, 502, 503, 504),
            allowed_methods={"GET"},
            raise_on_status=False,
        )
        self.session = requests.Session()
        self.session.mount("http://", HTTPAdapter(max_retries=retry))
        self.session.mount("https://", HTTPAdapter(max_retries=retry))
        self.session.headers["Accept"] = "application/json"

    def _first_url(self) -> str:
        if urlsplit(self.base).path.endswith("/services"):
            return self.base + "?page=1"
        return self.base + "/services?page=1"

    def rows(self) -> Iterator[tuple[int, dict]]:
        url: str | None = self._first_url()
        page, line, seen_urls = 0, 1, set()
        try:
            while url:
                page += 1
                if url in seen_urls or page > MAX_PAGES:
                    raise SourceError(_("پیوند صفحه بعد به صفحه‌ای تکراری برمی‌گردد: %(url)s") % {"url": url})
                seen_urls.add(url)
                body = self._page(url, page)
                if self.total is None and isinstance(body.get("count"), int):
                    self.total = body["count"]
                for row in body["results"]:
                    line += 1
                    yield line, row if isinstance(row, dict) else {}
                url = urljoin(url, body["next"]) if body.get("next") else None
        finally:
            self.session.close()
        if self.total is not None and line - 1 != self.total:
            raise SourceError(
                _("خروجی %(count)s ردیف اعلام کرد ولی %(read)s ردیف داد.") % {"count": self.total, "read": line - 1}
            )

    def _page(self, url: str, page: int) -> dict:
        try:
            response = self.session.get(url, timeout=self.timeout)
        except requests.RequestException as error:
            raise SourceError(_("صفحه %(page)s دریافت نشد: %(error)s") % {"page": page, "error": error}) from error
        if response.status_code != 200:
            raise SourceError(
                _("صفحه %(page)s با کد HTTP %(status)s پاسخ داد.") % {"page": page, "status": response.status_code}
            )
        try:
            body = response.json()
        except ValueError as error:
            raise SourceError(_("صفحه %(page)s JSON درست نیست.") % {"page": page}) from error
        if not isinstance(body, dict) or not isinstance(body.get("results"), list):
            raise SourceError(_("صفحه %(page)s فهرست results ندارد.") % {"page": page})
        return body


def source_for(*, file: str | Path | None = None, url: str | None = None):
    """The source given for this run, else the one configured in settings."""
    if file and url:
        raise SourceError(_("یا پرونده بدهید یا نشانی، نه هر دو."))
    if file:
        return FileSource(file)
    if url:
        return HttpSource(url)
    if settings.REGISTRY_SOURCE_URL:
        return HttpSource(settings.REGISTRY_SOURCE_URL)
    if settings.REGISTRY_SOURCE_FILE:
        return FileSource(settings.REGISTRY_SOURCE_FILE)
    raise SourceError(_("منبع فهرست ملی تنظیم نشده است (REGISTRY_SOURCE_URL یا REGISTRY_SOURCE_FILE)."))


def source_describe(label: str):
    """Rebuild a source from a run's recorded label (for a run queued from the console)."""
    kind, _sep, where = label.partition(":")
    return FileSource(where) if kind == "file" else HttpSource(where)
