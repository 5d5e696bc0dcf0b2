"""Abfragen: the catalogue, a form per saved query built from its parameters, results and downloads."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from api.auth import access_of
from api.context import context
from api.lookup import resources_by_id
from api.routes.queries import query_values, run_saved, saved_query
from api.web import NavItem, render
from sozialgraph.catalog import QueryResult, SavedQuery
from sozialgraph.errors import SozialgraphError
from sozialgraph.params import Parameter
from sozialgraph.vocabulary import code_list

router = APIRouter(include_in_schema=False)
NAV = NavItem(20, "Abfragen", "/abfragen")
RUN_FLAG = "ausfuehren"
MAX_SHOWN_ROWS = 2000
HINTS = {"date": "JJJJ-MM-TT, TT.MM.JJJJ oder today+12months", "integer": "ganze Zahl", "decimal": "Zahl",
         "entity": "Id", "string": "Text"}


@dataclass
class Field:
    param: Parameter
    value: str
    options: list[tuple[str, str]]
    hint: str
    """(value, German label) for a select; empty for a text input."""


@dataclass
class Cell:
    parts: list[tuple[str, str | None]]
    """(text, href or None): an `_ids` cell has one part per id."""


def fields(query: SavedQuery, values: dict[str, str]) -> list[Field]:
    result = []
    for param in query.params:
        options: list[tuple[str, str]] = []
        if param.type == "code" and param.scheme:
            options = [(code.notation, f"{code.label_de} ({code.notation})" if code.label_de != code.notation
                        else code.notation) for code in code_list(param.scheme).codes.values()]
        elif param.type == "enum":
            options = [(value, value) for value in param.allowed]
        hint = HINTS.get(param.type, param.type) if param.minimum is None else f"ganze Zahl ab {param.minimum}"
        result.append(Field(param, values.get(param.name, param.default or ""), options, hint))
    return result


def cells(request: Request, result: QueryResult) -> list[list[Cell]]:
    """Result rows with every planner's id that names one resource turned into a link to its page."""
    ctx = context(request)
    id_columns = [c for c in result.columns if not c.endswith("_label")]
    ids: set[str] = set()
    for row in result.rows[:MAX_SHOWN_ROWS]:
        for column in id_columns:
            value = row.get(column)
            if isinstance(value, str):
                ids.update(value.split(";") if column.endswith("_ids") else [value])
    found = resources_by_id(ctx.store, ids, access_of(request).internal)
    table = []
    for row in result.rows[:MAX_SHOWN_ROWS]:
        line = []
        for column in result.columns:
            value = row.get(column)
            if not isinstance(value, str) or column not in id_columns:
                line.append(Cell([("" if value is None else str(value), None)]))
                continue
            parts = value.split(";") if column.endswith("_ids") else [value]
            line.append(Cell([(part, ctx.local_path(found[part][0]) if part in found else ctx.local_path(part))
                              for part in parts]))
        table.append(line)
    return table


@router.get("/abfragen", response_class=HTMLResponse)
def catalogue(request: Request) -> HTMLResponse:
    queries = context(request).catalog.queries()
    folders: dict[str, list[SavedQuery]] = {}
    for query in queries:
        folders.setdefault(query.folder or "weitere", []).append(query)
    return render(request, "queries.html", {"title": "Abfragen", "folders": folders})


@router.get("/abfragen/{name}", response_class=HTMLResponse)
def query_page(request: Request, name: str) -> HTMLResponse:
    query = saved_query(context(request), name)
    values = {key: value for key, value in query_values(request).items() if key != RUN_FLAG}
    run = RUN_FLAG in request.query_params or bool(values)
    result: QueryResult | None = None
    error: str | None = None
    table: list[list[Cell]] = []
    status = 200
    if run:
        try:
            result = run_saved(request, name, values)
            table = cells(request, result)
        except SozialgraphError as problem:
            error, status = problem.message, 400
    filled = {key: value for key, value in values.items() if value != ""}
    downloads = {fmt: f"/api/queries/{name}?" + urlencode({**filled, "format": fmt}) for fmt in ("csv", "xlsx", "json")}
    return render(request, "query.html", {
        "title": query.summary or name,
        "query": query,
        "fields": fields(query, values),
        "result": result,
        "table": table,
        "truncated": result is not None and len(result.rows) > MAX_SHOWN_ROWS,
        "error": error,
        "downloads": downloads,
        "run_flag": RUN_FLAG,
    }, status=status)
