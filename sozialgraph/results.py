"""Query results as planners take them away: table, CSV for Excel, JSON, XLSX."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from sozialgraph.catalog import QueryResult, Value

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
FORMATS = ("table", "csv", "json", "xlsx")
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def safe_cell(value: Value) -> Value:
    """Spreadsheet programs run cells that start like a formula; a leading apostrophe keeps them text."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def to_json(result: QueryResult) -> str:
    return json.dumps(result.rows, ensure_ascii=False, indent=2)


def to_csv(result: QueryResult) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(result.columns)
    for row in result.rows:
        writer.writerow(["" if row.get(c) is None else safe_cell(row.get(c)) for c in result.columns])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(result: QueryResult) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = result.name[:31] or "Ergebnis"
    sheet.append(result.columns)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    widths = [len(column) for column in result.columns]
    for row in result.rows:
        values = [safe_cell(row.get(column)) for column in result.columns]
        sheet.append(values)
        for index, value in enumerate(values):
            widths[index] = max(widths[index], len(str(value)) if value is not None else 0)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(max(width + 2, 8), 60)
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def to_table(result: QueryResult, columns: Sequence[str] | None = None) -> str:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"{result.name} ({len(result.rows)} Zeilen)")
    shown = list(columns or result.columns)
    for column in shown:
        table.add_column(column)
    for row in result.rows:
        table.add_row(*["" if row.get(c) is None else str(row.get(c)) for c in shown])
    console = Console(record=True, width=200)
    with console.capture() as capture:
        console.print(table)
    return capture.get()


def render(result: QueryResult, output_format: str) -> bytes:
    if output_format == "json":
        return to_json(result).encode("utf-8")
    if output_format == "csv":
        return to_csv(result)
    if output_format == "xlsx":
        return to_xlsx(result)
    return to_table(result).encode("utf-8")
