"""Text in .xlsx cells that Excel would mangle: OOXML escapes, formulas, control characters.

OOXML text has its own escape, ``_xHHHH_`` (ECMA-376 Part 1, 22.9.2.19 ST_Xstring): Excel
reads a name containing ``_x0041_`` as "A" unless its underscore is written ``_x005F_``; a
carriage return and control characters can only be stored escaped; and text starting with
``=``, ``+``, ``-`` or ``@`` must stay text.  Every check here reads the raw sheet XML and
undoes the escapes by the standard's rule (written out here, independently of arshjul's
``text_of``), as Excel does — and also reads the cells back through arshjul's own reader.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import itertools
import re
import zipfile
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from arshjul.exporters.xlsx import plan_xlsx
from arshjul.plan import Plan
from arshjul.scenario import Scenario, load
from arshjul.workbook import reader
from arshjul.workbook.files import cell_text, load_book, put, text_of, xlsx_bytes
from arshjul.workbook.writer import write_workbook
from conftest import SCENARIOS
from plans import sample_plan

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
STAMP = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)

TRAPS = [
    "_x0041_",
    "Region _x0041_ och _X004a_",
    "_x005F_x0041_",
    "=SUM(A1)",
    '=HYPERLINK("http://evil.example";"klicka")',
    "+46 8 473 30 00",
    "-1",
    "@x",
    "\tindragen",
    "rad 1\r\nrad 2\rrad 3",
    "klocka\x07 och esc\x1b[31m och nul\x00 och ff\x0c",
    "_xABCD\x07",  # an escape of the control character must not complete a false one
    "__x0007_x",
    "emoji 😀 _xD83D_",
    "plain Östergötland",
]
"""Text no cell may change (the control characters are what a hand-edited plan.json holds)."""


def ecma_unescape(stored: str) -> str:
    """ST_Xstring as the standard (and Excel) reads it: each ``_xHHHH_`` is one UTF-16 unit."""
    units = re.sub(r"_x([0-9A-Fa-f]{4})_", lambda m: chr(int(m.group(1), 16)), stored)
    return units.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")


def raw_cells(data: bytes) -> dict[tuple[str, str], tuple[str, bool]]:
    """(sheet part, cell) → (text as Excel reads it, quote prefix) from the raw XML."""
    out: dict[tuple[str, str], tuple[str, bool]] = {}
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        styles = ElementTree.fromstring(z.read("xl/styles.xml"))
        xfs = styles.find(f"{MAIN}cellXfs")
        assert xfs is not None
        quoted = [xf.get("quotePrefix") in ("1", "true") for xf in xfs]
        for name in z.namelist():
            if not name.startswith("xl/worksheets/sheet"):
                continue
            root = ElementTree.fromstring(z.read(name))
            for c in root.iter(f"{MAIN}c"):
                assert c.find(f"{MAIN}f") is None, (name, c.get("r"))  # never a formula
                if c.get("t") == "inlineStr":
                    text = "".join(t.text or "" for t in c.iter(f"{MAIN}t"))
                    out[(name, str(c.get("r")))] = (ecma_unescape(text), quoted[int(c.get("s", "0"))])
    return out


def test_one_cell_of_each_trap_reads_back_exactly() -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    for row, text in enumerate(TRAPS, start=1):
        put(ws, row, 1, text)
    data = xlsx_bytes(wb, STAMP)
    cells = raw_cells(data)
    got = {int(ref[1:]): value for (_, ref), value in cells.items()}
    for row, text in enumerate(TRAPS, start=1):
        assert got[row] == (text, text.startswith(("=", "+", "-", "@", "\t", "\r"))), text
    # arshjul's own reader, and openpyxl (whose raw value is the escaped form)
    sheet = load_book(data)[ws.title]
    values = [text_of(row[0]) for row in sheet.iter_rows(values_only=True)]
    assert values == TRAPS
    plain = load_workbook(io.BytesIO(data)).active
    assert plain is not None
    assert plain["A1"].value == "_x005F_x0041_" and plain["A4"].data_type == "s" and plain["A4"].quotePrefix


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=0x10FFFF, blacklist_categories=("Cs",))))
def test_any_text_survives_the_escape(text: str) -> None:
    stored = cell_text(text)
    assert ecma_unescape(stored) == text
    assert text_of(stored) == text
    assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\r]", stored)  # what XML can carry


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(["_", "x", "0", "5", "F", "A", "\x07", "\r", "a"]), max_size=24))
def test_underscore_and_hex_soup_survives_the_escape(text: str) -> None:
    assert ecma_unescape(cell_text(text)) == text


def hostile_plan() -> Plan:
    plan = sample_plan()
    names = itertools.cycle(TRAPS)
    regions = {code: next(names) for code in plan.regions}
    sessions = [dataclasses.replace(s, title=next(names)) for s in plan.sessions]
    return dataclasses.replace(plan, regions=regions, sessions=sessions, scenario_name="=1+1")


def test_plan_xlsx_keeps_every_hostile_name(tmp_path: Path) -> None:
    plan = hostile_plan()
    data = plan_xlsx(plan, dtstamp=STAMP)
    texts = {text for text, _ in raw_cells(data).values()}
    for name in [*plan.regions.values(), *(s.title for s in plan.sessions)]:
        assert name in texts, name
    quoted = {text for text, q in raw_cells(data).values() if q}
    assert {"=SUM(A1)", "+46 8 473 30 00", "-1", "@x"} <= quoted
    assert "plain Östergötland" not in quoted
    book = load_book(data)
    seen = {
        text_of(v)
        for ws in book.worksheets
        for row in ws.iter_rows(values_only=True)
        for v in row
        if isinstance(v, str)
    }
    assert set(plan.regions.values()) <= seen


# -- the planning workbook: YAML → xlsx → YAML ---------------------------------------------

NAMES = ["_x0041_", "=SUM(A1)", "+46 8 123", "@x", "-minus", "_x005F_", "Ö_x00D6_ö"]


def hostile_scenario() -> Scenario:
    sc = load(SCENARIOS / "sweden-2027.yaml").model_copy(deep=True)
    sc.name = "_x0041_rshjul"
    sc.description = "=SUMMA(A1)\nrad två _x000D_"
    for region, name in zip(sc.regions, NAMES, strict=False):
        region.name = name
    sc.hosts[0].name = "@Vinnova_x0040_"
    sc.hosts[0].themes[0].name = "+Hälsa"
    sc.hosts[0].themes[1].description = "-tema _xFFFF_ slut"
    return Scenario.model_validate(sc.model_dump(by_alias=True))


def test_the_planning_workbook_round_trips_such_names(tmp_path: Path) -> None:
    sc = hostile_scenario()
    path = write_workbook(sc, tmp_path / "år.xlsx")
    back = load(path)
    assert back.name == sc.name and [r.name for r in back.regions][: len(NAMES)] == NAMES
    assert back.model_dump() == sc.model_dump() or _same_but_interest_order(back, sc)
    texts = {text for text, _ in raw_cells(path.read_bytes()).values()}
    assert "_x0041_rshjul" in texts and "@Vinnova_x0040_" in texts  # as Excel shows them


def _same_but_interest_order(a: Scenario, b: Scenario) -> bool:
    def canonical(sc: Scenario) -> dict[str, Any]:
        data = sc.model_dump()
        for host in data["hosts"]:
            for theme in host["themes"]:
                if theme["interested"] is not None:
                    theme["interested"].sort(key=str)
        return data

    return canonical(a) == canonical(b)


def as_excel_saves(data: bytes) -> bytes:
    """The workbook with its text in a shared-string table, escaped as Excel writes it
    (``_x005F_`` before a literal escape, ``_x000D_`` for CR): what a planner's Excel
    saves, read back by openpyxl's shared-string path."""
    src = zipfile.ZipFile(io.BytesIO(data))
    table: list[str] = []

    def shared(m: re.Match[str]) -> str:
        attrs, text = m.group(1), m.group(2)
        table.append(text)
        return f'<c{attrs} t="s"><v>{len(table) - 1}</v></c>'

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            body = src.read(info)
            if info.filename.startswith("xl/worksheets/sheet"):
                text = body.decode("utf-8")
                text = re.sub(
                    r'<c([^>]*?) t="inlineStr"><is><t[^>]*>(.*?)</t></is></c>', shared, text, flags=re.S
                )
                body = text.encode("utf-8")
            elif info.filename == "[Content_Types].xml":
                body = body.replace(
                    b"</Types>",
                    b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                    b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
                )
            elif info.filename == "xl/_rels/workbook.xml.rels":
                body = body.replace(
                    b"</Relationships>",
                    b'<Relationship Id="rIdShared" Type="http://schemas.openxmlformats.org/'
                    b'officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
                    b"</Relationships>",
                )
            dst.writestr(info, body)
        items = "".join(f'<si><t xml:space="preserve">{t}</t></si>' for t in table)
        dst.writestr(
            "xl/sharedStrings.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN[1:-1]}" count="{len(table)}" '
            f'uniqueCount="{len(table)}">{items}</sst>',
        )
    return out.getvalue()


def test_a_workbook_excel_saved_with_shared_strings_reads_the_same(tmp_path: Path) -> None:
    sc = hostile_scenario()
    path = write_workbook(sc, tmp_path / "år.xlsx")
    saved = tmp_path / "sparad.xlsx"
    saved.write_bytes(as_excel_saves(path.read_bytes()))
    with zipfile.ZipFile(saved) as z:
        assert b"_x005F_x0041_rshjul" in z.read("xl/sharedStrings.xml")
    assert "inlineStr" not in "".join(
        zipfile.ZipFile(saved).read(n).decode()
        for n in zipfile.ZipFile(saved).namelist()
        if "worksheets/sheet" in n
    )
    back = load(saved)
    assert back.name == "_x0041_rshjul" and [r.name for r in back.regions][: len(NAMES)] == NAMES
    assert _same_but_interest_order(back, sc)
    # openpyxl's own shared-string reader drops every 'x005F_': what arshjul's reader avoids
    sheets = reader.workbook_sheets(saved.read_bytes(), str(saved))
    assert any("_x0041_rshjul" in row for rows in sheets.values() for row in rows)


@pytest.mark.parametrize("text", ["a\x07b", "x\x00y", "cr\rlf"])
def test_control_characters_are_stored_escaped_not_refused(text: str) -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    put(ws, 1, 1, text)  # openpyxl alone raises IllegalCharacterError here
    data = xlsx_bytes(wb, STAMP)
    ((value, _),) = raw_cells(data).values()
    assert value == text
