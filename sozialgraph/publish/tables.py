"""One table per class, with the planners' columns: the ids they wrote, and a `_label` column beside each code
or reference. The published CSV files can be loaded again with `sozialgraph load`."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from pyoxigraph import Literal, NamedNode, QuerySolutions, Store

from sozialgraph.catalog import read_header
from sozialgraph.publish.queries import RQ
from sozialgraph.publish.sorting import ExternalSort, fields, record

TABLES = RQ / "tables"
LIST_SEPARATOR = ";"
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
ORDER = ["spaces", "actors", "offers", "plans", "measures", "indicators", "participation", "needs"]


@dataclass
class Table:
    name: str
    title: str
    description: str
    rdf_class: str
    columns: list[str]
    labelled: list[str]
    count: int = 0
    """How many rows."""
    file: Path | None = None
    """The rows in order, one JSON `[entity IRI, row]` a line (None: no rows)."""

    @property
    def header(self) -> list[str]:
        out: list[str] = []
        for column in self.columns:
            out.append(column)
            if column in self.labelled:
                out.append(f"{column}_label")
        return out

    def rows(self) -> Iterator[tuple[str, dict[str, str]]]:
        """(entity IRI, row) in the table's order, read from its file."""
        if self.file is None:
            return
        with self.file.open("rb", buffering=1 << 20) as stream:
            for line in stream:
                entity, row = json.loads(line)
                yield entity, row

    def write_csv(self, stream: BinaryIO) -> None:
        """CSV as the project writes it for Excel: UTF-8 with BOM, CRLF, and a leading apostrophe on cells
        that a spreadsheet would run as a formula (the rule of sozialgraph.results, which is not imported here
        because it loads openpyxl)."""
        text = io.TextIOWrapper(stream, encoding="utf-8", newline="", write_through=True)
        text.write("\ufeff")
        writer = csv.writer(text, lineterminator="\r\n")
        writer.writerow(self.header)
        header = self.header
        for _, row in self.rows():
            writer.writerow(["'" + value if value.startswith(FORMULA_PREFIXES) else value
                             for value in (row.get(column, "") for column in header)])
        text.detach()


def table_queries() -> list[Path]:
    found = {path.stem: path for path in TABLES.glob("*.rq")}
    return [found[name] for name in ORDER if name in found] + sorted(
        path for name, path in found.items() if name not in ORDER
    )


def build_tables(store: Store, scratch: Path) -> list[Table]:
    return [build_table(store, path, scratch) for path in table_queries()]


def build_table(store: Store, path: Path, scratch: Path) -> Table:
    """The query's (entity, column, value, label) solutions, sorted by entity on disk, pivot into one row per
    entity; the rows, sorted on disk again into the table's order, go into a file in `scratch`."""
    query = path.read_text(encoding="utf-8")
    header = read_header(query, str(path))
    columns = header.get("columns")
    labelled = header.get("labelled") or []
    assert isinstance(columns, list) and isinstance(labelled, list), f"{path}: columns/labelled are lists"
    table = Table(
        name=path.stem,
        title=str(header["title"]),
        description=str(header["description"]),
        rdf_class=str(header["class"]),
        columns=[str(column) for column in columns],
        labelled=[str(column) for column in labelled],
    )
    cells = ExternalSort(scratch, f"{table.name}-cells")
    solutions = store.query(query, use_default_graph_as_union=True)
    assert isinstance(solutions, QuerySolutions)
    assert [variable.value for variable in solutions.variables] == ["entity", "column", "value", "label"], path
    # Solutions unpacked in place rather than as dicts: an indicator table has half a million of them at state
    # scale.
    for entity_term, column_term, value_term, label_term in solutions:
        if not isinstance(entity_term, NamedNode) or not isinstance(column_term, Literal) \
                or not isinstance(value_term, NamedNode | Literal):
            continue
        label_text = label_term.value if isinstance(label_term, NamedNode | Literal) else ""
        cells.add(record(entity_term.value, column_term.value, value_term.value, label_text))
    ordered = ExternalSort(scratch, f"{table.name}-rows")
    for entity, values_by_column in _entities(cells.sorted()):
        out: dict[str, str] = {}
        for column in table.columns:
            pairs = sorted(values_by_column.get(column, {}).items())
            out[column] = LIST_SEPARATOR.join(value for value, _ in pairs)
            if column in table.labelled:
                labels = [label for _, label in pairs]
                out[f"{column}_label"] = LIST_SEPARATOR.join(labels) if any(labels) else ""
        line = json.dumps([entity, out], ensure_ascii=False).encode("utf-8")
        ordered.add(record(*_sort_key(values_by_column), entity) + b"\0" + line)
    if ordered.count:
        table.file = scratch / f"{table.name}.rows"
        with table.file.open("wb", buffering=1 << 20) as stream:
            for item in ordered.sorted():
                stream.write(item.split(b"\0", 5)[5] + b"\n")  # after the five fields of the key
    table.count = ordered.count
    return table


def _entities(records: Iterable[bytes]) -> Iterator[tuple[str, dict[str, dict[str, str]]]]:
    """Per entity (the records sorted by it): column -> value -> its label, the smallest non-empty one."""
    current: str | None = None
    values_by_column: dict[str, dict[str, str]] = {}
    for item in records:
        entity, column, value, label_text = fields(item)
        if entity != current:
            if current is not None:
                yield current, values_by_column
            current, values_by_column = entity, {}
        values = values_by_column.setdefault(column, {})
        known = values.get(value)
        if known is None or (label_text and (not known or label_text < known)):
            values[value] = label_text
    if current is not None:
        yield current, values_by_column


def _sort_key(columns: dict[str, dict[str, str]]) -> tuple[str, ...]:
    def first(name: str) -> str:
        return min(columns.get(name, {}) or [""])

    return (first("id"), first("social_space"), first("indicator"), first("period"))
