"""Saving a workbook as the same bytes every time, and the look every sheet shares.

openpyxl stamps the workbook's properties with the time of saving and its zip members with
the time of writing; both are fixed here to a time the caller derives from the data (the
plan's DTSTAMP, the scenario's publication date), so the same input gives byte-identical
files, as every other arshjul output does.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.cell.text import Text
from openpyxl.reader.excel import ExcelReader
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter
from openpyxl.xml.constants import SHARED_STRINGS, SHEET_MAIN_NS
from openpyxl.xml.functions import iterparse

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

    def abandon(self) -> None:
        """Drop a half-written archive unfinished.  Left alone, Python would finish it when it
        collects it (at shutdown, after Ctrl-C), writing into its buffer after that was freed,
        and print that failure as a traceback under the run's one line."""
        self.fp = None  # ZipFile.close (and so __del__) does nothing without a file


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
    archive = _StampedZip(buffer, utc.timetuple()[:6])
    try:
        ExcelWriter(wb, archive).save()
    except BaseException:  # Ctrl-C or a failure halfway: nothing of this archive is kept
        archive.abandon()
        raise
    return buffer.getvalue()


def illegal_text(value: str) -> bool:
    """True when ``value`` holds characters an .xlsx cannot store (control characters)."""
    return bool(ILLEGAL_CHARACTERS_RE.search(value))


# -- text as a cell stores it ---------------------------------------------------------------
#
# OOXML text (ST_Xstring) has its own escape: ``_xHHHH_`` is the character U+HHHH, which is how
# Excel stores characters XML cannot carry.  So a name that merely contains ``_x0041_`` would
# come back from Excel as "A", unless its underscore is written as ``_x005F_``; and a carriage
# return or a control character must be written as its escape (XML turns CR into LF and cannot
# hold the rest).  Text that starts like a formula (= + - @) is marked "quote prefix", so
# Excel shows it as text and keeps it text when the cell is edited.  openpyxl does neither,
# and reads inline strings verbatim but shared strings (what Excel saves) half-unescaped, so
# both directions are done here: :func:`cell_text` when writing, :func:`load_book` +
# :func:`text_of` when reading.

_UNDERSCORE = re.compile(r"_(?=x[0-9A-Fa-f]{4})")
"""An underscore that would start an escape: written as ``_x005F_`` (even without the closing
underscore, so no escape written after it can complete a false one)."""
_UNSTORABLE = re.compile(ILLEGAL_CHARACTERS_RE.pattern + r"|\r")
_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""Text starting with one of these is what Excel (or a CSV export) takes for a formula."""


def cell_text(text: str) -> str:
    """``text`` as a cell stores it, so that Excel (and :func:`text_of`) reads it back exactly."""
    text = _UNDERSCORE.sub("_x005F_", text)
    return _UNSTORABLE.sub(lambda m: f"_x{ord(m.group(0)):04X}_", text)


def text_of(stored: str) -> str:
    """The text a cell holds, its ``_xHHHH_`` escapes undone (UTF-16 pairs joined, as Excel
    writes a character beyond U+FFFF)."""
    if "_x" not in stored:
        return stored
    text = _ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), stored)
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")


def _verbatim_strings(source: Any) -> list[str]:
    """The shared strings as stored (openpyxl's own reader drops every ``x005F_``, so a
    further unescape would undo the text twice)."""
    tag = f"{{{SHEET_MAIN_NS}}}si"
    strings = []
    for _, node in iterparse(source):
        if node.tag == tag:
            strings.append(Text.from_tree(node).content)
            node.clear()
    return strings


class _Reader(ExcelReader):
    def read_strings(self) -> None:
        part = self.package.find(SHARED_STRINGS)
        if part is not None:
            with self.archive.open(part.PartName[1:]) as src:
                self.shared_strings = _verbatim_strings(src)


def load_book(raw: bytes, *, read_only: bool = True) -> Any:
    """openpyxl's ``load_workbook`` (values, not formulas) with every string as stored: each
    text cell's value goes through :func:`text_of`, whether inline (as arshjul writes) or
    shared (as Excel saves)."""
    reader = _Reader(io.BytesIO(raw), read_only=read_only, data_only=True)
    reader.read()
    return reader.wb


def put(ws: Worksheet, row: int, column: int, value: Any, number_format: str | None = None) -> Any:
    """Set one cell; text is always stored as text, exactly (:func:`cell_text`), and text
    that starts like a formula is marked as text (quote prefix), never run as one."""
    cell = ws.cell(row=row, column=column)
    if isinstance(value, str):
        cell.value = cell_text(value)
        cell.data_type = "s"
        if value.startswith(FORMULA_START):
            cell.quotePrefix = True
    else:
        cell.value = value
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
