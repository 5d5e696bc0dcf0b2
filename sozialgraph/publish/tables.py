"""One table per class, with the planners' columns: the ids they wrote, and a `_label` column beside each code
or reference. The published CSV files can be loaded again with `sozialgraph load`."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from pyoxigraph import Literal, NamedNode, QuerySolutions, Store

from sozialgraph.catalog import read_header
from sozialgraph.publish.queries import RQ

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
    rows: list[dict[str, str]] = field(default_factory=list)
    entities: list[str] = field(default_factory=list)
    """The IRI of the entity behind each row (same order as rows)."""

    @property
    def header(self) -> list[str]:
        out: list[str] = []
        for column in self.columns:
            out.append(column)
            if column in self.labelled:
                out.append(f"{column}_label")
        return out

    def csv_bytes(self) -> bytes:
        """CSV as the project writes it for Excel: UTF-8 with BOM, CRLF, and a leading apostrophe on cells
        that a spreadsheet would run as a formula (the rule of sozialgraph.results, which is not imported here
        because it loads openpyxl)."""
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(self.header)
        for row in self.rows:
            writer.writerow(["'" + value if value.startswith(FORMULA_PREFIXES) else value
                             for value in (row.get(column, "") for column in self.header)])
        return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def table_queries() -> list[Path]:
    found = {path.stem: path for path in TABLES.glob("*.rq")}
    return [found[name] for name in ORDER if name in found] + sorted(
        path for name, path in found.items() if name not in ORDER
    )


def build_tables(store: Store) -> list[Table]:
    return [build_table(store, path) for path in table_queries()]


def build_table(store: Store, path: Path) -> Table:
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
    cells: dict[str, dict[str, dict[str, str]]] = {}
    solutions = store.query(query, use_default_graph_as_union=True)
    assert isinstance(solutions, QuerySolutions)
    assert [variable.value for variable in solutions.variables] == ["entity", "column", "value", "label"], path
    # Solutions unpacked in place rather than as dicts: an indicator table has half a million of them at state
    # scale.
    for entity_term, column_term, value_term, label_term in solutions:
        if not isinstance(entity_term, NamedNode) or not isinstance(column_term, Literal) \
                or not isinstance(value_term, NamedNode | Literal):
            continue
        entity, column, value = entity_term.value, column_term.value, value_term.value
        label_text = label_term.value if isinstance(label_term, NamedNode | Literal) else ""
        values = cells.setdefault(entity, {}).setdefault(column, {})
        known = values.get(value)
        if known is None or (label_text and (not known or label_text < known)):
            values[value] = label_text
    for entity in sorted(cells, key=lambda iri: (_sort_key(cells[iri]), iri)):
        values_by_column = cells[entity]
        out: dict[str, str] = {}
        for column in table.columns:
            pairs = sorted(values_by_column.get(column, {}).items())
            out[column] = LIST_SEPARATOR.join(value for value, _ in pairs)
            if column in table.labelled:
                labels = [label for _, label in pairs]
                out[f"{column}_label"] = LIST_SEPARATOR.join(labels) if any(labels) else ""
        table.rows.append(out)
        table.entities.append(entity)
    return table


def _sort_key(columns: dict[str, dict[str, str]]) -> tuple[str, ...]:
    def first(name: str) -> str:
        return min(columns.get(name, {}) or [""])

    return (first("id"), first("social_space"), first("indicator"), first("period"))
