"""Read CSV (comma or semicolon, UTF-8 with or without BOM) and XLSX files into plain rows."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import load_workbook

from loaders.tables import Table, table_for_name
from sozialgraph.errors import InputError

MAX_XLSX_UNCOMPRESSED = 200 * 1024 * 1024


@dataclass
class RawTable:
    file: str
    table: Table
    header: list[str]
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    list_separator: str = ";"


def read_tables(path: Path, kind: str | None, display_name: str) -> list[RawTable]:
    data = path.read_bytes()
    if data[:4] == b"PK\x03\x04":
        return _read_xlsx(data, kind, display_name)
    return [_read_csv(data, kind, display_name, path.stem)]


def _table(kind: str | None, stem: str, display_name: str) -> Table:
    from loaders.tables import TABLES

    if kind:
        if kind not in TABLES:
            raise InputError(display_name, f"unbekannte Tabellenart '{kind}'", allowed=list(TABLES))
        return TABLES[kind]
    table = table_for_name(stem)
    if table is None:
        raise InputError(
            display_name,
            "Tabellenart nicht am Dateinamen erkennbar; Datei umbenennen (z. B. offers.csv) oder --kind angeben",
            allowed=list(TABLES),
        )
    return table


def _decode(data: bytes, display_name: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise InputError(
            display_name,
            "die Datei ist nicht UTF-8-kodiert (in Excel: 'CSV UTF-8' speichern)",
            row=line,
        ) from error


def _read_csv(data: bytes, kind: str | None, display_name: str, stem: str) -> RawTable:
    table = _table(kind, stem, display_name)
    text = _decode(data, display_name)
    if "\x00" in text:
        raise InputError(display_name, "die Datei ist keine Textdatei (CSV) und keine XLSX-Arbeitsmappe")
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        records = list(enumerate(reader, start=1))
    except csv.Error as error:
        raise InputError(display_name, f"fehlerhaftes CSV ({error})", row=reader.line_num) from error
    if not records:
        raise InputError(display_name, "die Datei ist leer; erwartet wird eine Kopfzeile", row=1)
    raw = _raw_table(display_name, table, records)
    raw.list_separator = "|" if delimiter == ";" else ";"
    return raw


def _raw_table(display_name: str, table: Table, records: list[tuple[int, list[str]]]) -> RawTable:
    _, header_cells = records[0]
    header = [cell.strip() for cell in header_cells]
    seen: set[str] = set()
    for position, name in enumerate(header, start=1):
        if name and name in seen:
            raise InputError(display_name, f"Spalte '{name}' kommt doppelt vor", row=1, column=str(position))
        seen.add(name)
    raw = RawTable(display_name, table, header)
    width = len(header)
    named = [(i, name) for i, name in enumerate(header) if name]
    every_column_named = len(named) == width
    for number, cells in records[1:]:
        stripped = [cell.strip() for cell in cells]
        if not any(stripped):
            continue
        if len(stripped) > width and any(stripped[width:]):
            raise InputError(
                display_name,
                f"die Zeile hat {len(cells)} Zellen, die Kopfzeile nur {width} "
                "(Trennzeichen oder Anführungszeichen prüfen)",
                row=number,
            )
        if len(stripped) < width:
            stripped += [""] * (width - len(stripped))
        # Cells beyond the header are empty here (checked above): zip drops them.
        if every_column_named:
            row = dict(zip(header, stripped, strict=False))
        else:
            row = {name: stripped[i] for i, name in named}
        raw.rows.append((number, row))
    return raw


def _read_xlsx(data: bytes, kind: str | None, display_name: str) -> list[RawTable]:
    _guard_zip(data, display_name)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many types for broken files
        raise InputError(display_name, f"die XLSX-Datei lässt sich nicht lesen ({error})") from error
    sheets = workbook.worksheets
    tables: list[RawTable] = []
    stem = Path(display_name).stem
    for sheet in sheets:
        if len(sheets) == 1:
            table = _table(kind, stem, display_name) if kind or table_for_name(stem) else _table(
                None, sheet.title, display_name)
        else:
            found = table_for_name(sheet.title)
            if found is None:
                continue
            table = found
        records = [
            (number, [_cell_text(value) for value in values])
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1)
        ]
        if not records:
            continue
        tables.append(_raw_table(f"{display_name} [{sheet.title}]", table, records))
    workbook.close()
    if not tables:
        raise InputError(display_name, "kein Tabellenblatt mit bekanntem Namen gefunden",
                         allowed=[name for name in _all_tables()])
    return tables


def _all_tables() -> list[str]:
    from loaders.tables import TABLES

    return list(TABLES)


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _guard_zip(data: bytes, display_name: str) -> None:
    """Refuse zip bombs before openpyxl inflates them."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            total = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as error:
        raise InputError(display_name, "die XLSX-Datei ist beschädigt (kein gültiges ZIP-Archiv)") from error
    if total > MAX_XLSX_UNCOMPRESSED:
        raise InputError(display_name, f"die XLSX-Datei ist entpackt größer als {MAX_XLSX_UNCOMPRESSED // 2**20} MB")
