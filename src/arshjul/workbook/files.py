"""Saving a workbook as the same bytes every time, and the look every sheet shares.

openpyxl stamps the workbook's properties with the time of saving and its zip members with
the time of writing; both are fixed here to a time the caller derives from the data (the
plan's DTSTAMP, the scenario's publication date), so the same input gives byte-identical
files, as every other arshjul output does.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Iterable
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
HELP_FONT = Font(italic=True, color="595959")
SHADE_FILL = PatternFill("solid", fgColor="E7E6E6")
"""Cells that do not apply (a theme that finds its regions by tags, on the interest grid)."""
MARK_FILL = PatternFill("solid", fgColor="F8CBAD")
"""Cells at a limit (a region's worst window at its cap)."""
WRAP = Alignment(wrap_text=True, vertical="top")


class _StampedZip(zipfile.ZipFile):
    """A zip whose members all carry one fixed time (openpyxl writes via these two calls)."""

    def __init__(self, file: io.BytesIO, stamp: tuple[int, int, int, int, int, int]) -> None:
        super().__init__(file, "w", zipfile.ZIP_DEFLATED, allowZip64=True)
        self._stamp = stamp

    def writestr(self, zinfo_or_arcname: Any, data: Any, *args: Any, **kwargs: Any) -> None:
        if not isinstance(zinfo_or_arcname, zipfile.ZipInfo):
            info = zipfile.ZipInfo(str(zinfo_or_arcname), date_time=self._stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zinfo_or_arcname = info
        super().writestr(zinfo_or_arcname, data, *args, **kwargs)

    def write(self, filename: Any, arcname: Any = None, *args: Any, **kwargs: Any) -> None:
        with open(filename, "rb") as fh:
            self.writestr(arcname or filename, fh.read())


def xlsx_bytes(wb: Workbook, stamp: dt.datetime) -> bytes:
    """The workbook as .xlsx bytes, with its created/modified time and every zip member's
    time set to ``stamp`` (UTC; naive is taken as UTC)."""
    utc = stamp.astimezone(dt.UTC).replace(tzinfo=None) if stamp.tzinfo else stamp
    utc = max(utc, dt.datetime(1980, 1, 1))  # the zip format starts in 1980
    wb.properties.created = utc
    wb.properties.modified = utc
    wb.properties.creator = "arshjul"
    wb.properties.lastModifiedBy = "arshjul"
    buffer = io.BytesIO()
    ExcelWriter(wb, _StampedZip(buffer, utc.timetuple()[:6])).save()
    return buffer.getvalue()


def illegal_text(value: str) -> bool:
    """True when ``value`` holds characters an .xlsx cannot store (control characters)."""
    return bool(ILLEGAL_CHARACTERS_RE.search(value))


def put(ws: Worksheet, row: int, column: int, value: Any, number_format: str | None = None) -> Any:
    """Set one cell; text is always stored as text (a leading '=' is not a formula)."""
    cell = ws.cell(row=row, column=column)
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
    if number_format:
        cell.number_format = number_format
    return cell


def header(ws: Worksheet, titles: Iterable[str], widths: Iterable[int], *, row: int = 1) -> None:
    """A bold header row with column widths; the rows above and including it stay frozen."""
    for k, (title, width) in enumerate(zip(titles, widths, strict=True), start=1):
        cell = put(ws, row, k, title)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        ws.column_dimensions[get_column_letter(k)].width = width
    ws.freeze_panes = ws.cell(row=row + 1, column=1).coordinate


def autofilter(ws: Worksheet, columns: int, rows: int, *, first: int = 1, top: int = 1) -> None:
    """An autofilter over the header row ``top`` and the ``rows`` below it."""
    left = get_column_letter(first)
    right = get_column_letter(max(first, columns))
    ws.auto_filter.ref = f"{left}{top}:{right}{top + max(rows, 1)}"
