"""Hypothesis-made spreadsheets: every one is loaded or refused with a German message, never a crash."""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from loaders import load_sources, source_for
from loaders.tables import TABLES
from sozialgraph.config import DEFAULT_BASE_URI, Settings
from sozialgraph.errors import SozialgraphError
from sozialgraph.store import open_store

STORE = open_store(Settings(base_uri=DEFAULT_BASE_URI), in_memory=True)
CELL = st.one_of(
    st.sampled_from(["", "HF1", "familien;kinder", "2027-12-31", "31.12.2027", "50.97", "sr-nord", "=1+1",
                     "public", "internal", "kommune", "Träger", "x|y", '"', "\n"]),
    st.text(max_size=12),
)


@st.composite
def table(draw: st.DrawFn) -> tuple[str, list[str], list[list[str]]]:
    name = draw(st.sampled_from(sorted(TABLES)))
    columns = TABLES[name].column_names
    header = draw(st.lists(st.sampled_from([*columns, "bemerkung", ""]), min_size=1, max_size=8, unique=True))
    rows = draw(st.lists(st.lists(CELL, min_size=0, max_size=len(header) + 1), max_size=6))
    return name, header, rows


def check(path: Path) -> None:
    before = STORE.triple_count()
    try:
        load_sources(STORE, [source_for(path)])
    except SozialgraphError as error:
        assert str(error).startswith(path.name.split(".")[0]) or path.name in str(error)
        assert "Traceback" not in str(error)
        assert STORE.triple_count() == before


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(table(), st.sampled_from([",", ";"]))
def test_generated_csv_is_loaded_or_refused_clearly(spec: tuple[str, list[str], list[list[str]]],
                                                    delimiter: str) -> None:
    name, header, rows = spec
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"{name}.csv"
        path.write_text(buffer.getvalue(), encoding="utf-8")
        check(path)


@settings(max_examples=80, deadline=None)
@given(table())
def test_generated_xlsx_is_loaded_or_refused_clearly(spec: tuple[str, list[str], list[list[str]]]) -> None:
    name, header, rows = spec
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = name
    sheet.append([ILLEGAL_CHARACTERS_RE.sub("", cell) for cell in header])
    for row in rows:
        # Control characters cannot be written into a worksheet at all, so no planner's file holds them.
        sheet.append([ILLEGAL_CHARACTERS_RE.sub("", cell) for cell in row])
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"{name}.xlsx"
        workbook.save(path)
        check(path)


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=300), st.sampled_from(["offers.csv", "spaces.xlsx", "extra.ttl", "actors.csv"]))
def test_arbitrary_bytes_are_refused_clearly(data: bytes, name: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        check(path)
