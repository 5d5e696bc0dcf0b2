"""The saved-query catalogue: every `queries/**/*.rq` file, its grlc-style header, and how to run it.

Headers follow grlc's decorator convention (`#+ summary:`, `#+ description:`, `#+ tags:`, `#+ params:` as YAML
after `#+`). Parameters appear in the query as `?_name` (grlc's convention too) and are bound as typed RDF terms
through VALUES after validation, never pasted into the text (grlc pastes them: its issue #101).

The VALUES blocks open the WHERE groups that use them, sub-selects included (`query_binding`): a sub-select sees
only its own variables, and the saved queries need parameters inside them. A parameter left out stays unbound
(it gets no VALUES column), so a query can test it with `!BOUND(?_name)` on every engine.
Columns ending in `_ids` or `_labels` are `;`-joined lists that come back sorted, because GROUP_CONCAT's order
differs between engines.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from urllib.parse import unquote

import yaml
from pyoxigraph import Literal, NamedNode

from sozialgraph.errors import QueryParameterError, SozialgraphError, allowed_list
from sozialgraph.namespaces import XSD
from sozialgraph.params import Parameter, parse_parameter
from sozialgraph.paths import queries_dir
from sozialgraph.query_binding import bind_parameters
from sozialgraph.store import GraphStore, Term

Value = str | int | float | bool | None


@dataclass
class SavedQuery:
    name: str
    path: Path
    folder: str
    summary: str
    description: str
    tags: list[str]
    params: list[Parameter]
    text: str
    booleans: list[str] = field(default_factory=list)
    """Columns that hold truth values (`#+ booleans: [...]`): some engines (Virtuoso) answer them as 0/1."""

    def as_dict(self) -> dict[str, object]:
        return {
            "name": self.name,
            "folder": self.folder,
            "summary": self.summary,
            "description": self.description,
            "tags": self.tags,
            "params": [param.as_dict() for param in self.params],
        }


@dataclass
class QueryResult:
    name: str
    columns: list[str]
    rows: list[dict[str, Value]] = field(default_factory=list)
    parameters: dict[str, str] = field(default_factory=dict)


def read_header(text: str, source: str) -> dict[str, object]:
    lines = []
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("#+"):
            lines.append(stripped[2:].removeprefix(" "))
        elif stripped.startswith("#") or not stripped:
            continue
        else:
            break
    header = yaml.safe_load("\n".join(lines)) if lines else {}
    if not isinstance(header, dict):
        raise ValueError(f"{source}: header is not a mapping")
    return header


def parse_query_file(path: Path, root: Path) -> SavedQuery:
    text = path.read_text(encoding="utf-8")
    header = read_header(text, str(path))
    params_spec = header.get("params") or []
    params = []
    for item in params_spec if isinstance(params_spec, list) else []:
        spec = dict(item)
        name = spec.pop("name")
        if not isinstance(name, str):
            # YAML reads a bare `on`, `yes` or `no` as a boolean.
            raise ValueError(f"{path}: parameter name {name!r} is not a string; quote it")
        params.append(parse_parameter(name, spec, str(path)))
    tags = header.get("tags") or []
    booleans = header.get("booleans") or []
    relative = path.relative_to(root)
    return SavedQuery(
        name=path.stem,
        path=path,
        folder=relative.parts[0] if len(relative.parts) > 1 else "",
        summary=str(header.get("summary", "")).strip(),
        description=str(header.get("description", "")).strip(),
        tags=[str(tag) for tag in tags] if isinstance(tags, list) else [str(tags)],
        params=params,
        text=text,
        booleans=[str(name) for name in booleans] if isinstance(booleans, list) else [],
    )


class Catalog:
    def __init__(self, directory: Path | None = None) -> None:
        self.directory = directory or queries_dir()
        self._queries: dict[str, SavedQuery] = {}
        for path in sorted(self.directory.rglob("*.rq")):
            query = parse_query_file(path, self.directory)
            if query.name in self._queries:
                raise ValueError(f"two saved queries are named {query.name!r}")
            self._queries[query.name] = query

    def queries(self) -> list[SavedQuery]:
        return sorted(self._queries.values(), key=lambda query: (query.folder, query.name))

    def get(self, name: str) -> SavedQuery:
        if name not in self._queries:
            raise SozialgraphError(
                f"Die Abfrage '{name}' gibt es nicht. Vorhanden: {allowed_list(sorted(self._queries), 50)}"
            )
        return self._queries[name]

    def bindings(self, query: SavedQuery, values: Mapping[str, str], base_uri: str,
                 today: dt.date | None = None) -> dict[str, Term | None]:
        """Each declared parameter as `_name` -> its term, or None (UNDEF) where it is left out."""
        known = {param.name: param for param in query.params}
        for name in values:
            if name not in known:
                raise QueryParameterError(
                    f"Die Abfrage '{query.name}' kennt den Parameter '{name}' nicht. "
                    f"Parameter: {', '.join(known) or 'keine'}"
                )
        bound: dict[str, Term | None] = {}
        day = today or dt.date.today()
        for param in query.params:
            raw = values.get(param.name, param.default)
            if raw is None or raw == "":
                if param.required:
                    raise QueryParameterError(
                        f"Die Abfrage '{query.name}' braucht den Parameter '{param.name}'. "
                        f"Erlaubt: {allowed_list(param.allowed_values()) or param.type}"
                    )
                bound[f"_{param.name}"] = None
                continue
            bound[f"_{param.name}"] = param.to_term(str(raw), base_uri, day)
        return bound

    def check_entities(self, query: SavedQuery, store: GraphStore, bound: Mapping[str, Term | None]) -> None:
        """An id that names nothing would silently give no rows; say so instead."""
        for param in query.params:
            term = bound.get(f"_{param.name}")
            if param.type != "entity" or not isinstance(term, NamedNode):
                continue
            if not store.existing_entities([term.value]):
                shown = unquote(term.value.rsplit("/", 1)[-1])
                raise QueryParameterError(
                    f"Parameter '{param.name}': '{shown}' gibt es im Datenbestand nicht "
                    f"(erwartet: die Id eines Eintrags der Art '{param.kind}')"
                )

    def run(self, store: GraphStore, name: str, values: Mapping[str, str] | None = None,
            include_internal: bool = True, today: dt.date | None = None) -> QueryResult:
        query = self.get(name)
        bound = self.bindings(query, values or {}, store.base_uri, today)
        self.check_entities(query, store, bound)
        result = store.select(bind_parameters(query.text, bound), include_internal=include_internal)
        columns = [column for column in result.columns if not column.startswith("_")]
        rows = [{column: python_value(row.get(column)) for column in columns} for row in result.rows]
        for column in columns:
            if column.endswith(("_ids", "_labels")):
                for row in rows:
                    value = row[column]
                    if isinstance(value, str):
                        # An empty list is null everywhere: over only unbound values GROUP_CONCAT gives no value on
                        # Oxigraph and "" on Virtuoso (SPARQL 1.1 leaves room for both).
                        items = sorted({item.strip() for item in value.split(";") if item.strip()})
                        row[column] = ";".join(items) or None
        for column in query.booleans:
            for row in rows:
                value = row.get(column)
                if isinstance(value, int | str) and not isinstance(value, bool):
                    row[column] = str(value).strip().lower() in ("1", "true")
        shown = {param.name: str(values.get(param.name, param.default) if values else param.default)
                 for param in query.params if (values and param.name in values) or param.default is not None}
        return QueryResult(name, columns, rows, shown)


_INTEGER_TYPES = {XSD[name].value for name in (
    "integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger", "unsignedInt",
    "unsignedLong", "nonPositiveInteger", "negativeInteger")}
_FLOAT_TYPES = {XSD.decimal.value, XSD.double.value, XSD.float.value}


def python_value(term: Term | None) -> Value:
    if term is None:
        return None
    if isinstance(term, Literal):
        datatype = term.datatype.value
        try:
            if datatype in _INTEGER_TYPES:
                return int(term.value)
            if datatype in _FLOAT_TYPES:
                number = Decimal(term.value)
                return int(number) if number == number.to_integral_value() and datatype == XSD.decimal.value \
                    and "." not in term.value else float(number)
            if datatype == XSD.boolean.value:
                return term.value in ("true", "1")
        except (ValueError, ArithmeticError):
            return term.value
        return term.value
    if isinstance(term, NamedNode):
        return term.value
    return str(term)
