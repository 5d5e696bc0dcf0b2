"""`/api/queries`: the saved-query catalogue and its results as JSON, CSV or XLSX."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Request
from fastapi.responses import Response

from api.auth import access_of
from api.context import AppContext, context
from api.errors import Problem
from api.negotiation import best_match
from sozialgraph.catalog import QueryResult, SavedQuery
from sozialgraph.errors import SozialgraphError
from sozialgraph.results import MEDIA_TYPES, render

router = APIRouter(prefix="/api", tags=["Abfragen"])
FORMAT_BY_MEDIA = {"application/json": "json", "text/csv": "csv", MEDIA_TYPES["xlsx"]: "xlsx"}
RESERVED = {"format"}


def saved_query(ctx: AppContext, name: str) -> SavedQuery:
    try:
        return ctx.catalog.get(name)
    except SozialgraphError as error:
        raise Problem(404, f"Die Abfrage '{name}' gibt es nicht. Alle Abfragen: /api/queries") from error


CACHED_ROWS = 20_000
"""Larger answers are not kept: a few of them would fill the memory the cache is meant to save time with."""


def run_saved(request: Request, name: str, values: dict[str, str]) -> QueryResult:
    """Runs a saved query for this caller: public data only unless a reader or editor token came along. Answers
    are kept until the data changes (queries with date windows are keyed by today's date too)."""
    ctx = context(request)
    saved_query(ctx, name)
    internal = access_of(request).internal
    key = (name, tuple(sorted(values.items())), internal, dt.date.today())
    cached = ctx.results.get(key)
    if cached is not None:
        return cached
    state = ctx.results.state()
    result = ctx.catalog.run(ctx.store, name, values, include_internal=internal)
    if len(result.rows) <= CACHED_ROWS:
        ctx.results.put(key, result, state)
    return result


def query_values(request: Request) -> dict[str, str]:
    values: dict[str, str] = {}
    for key, value in request.query_params.multi_items():
        if key in RESERVED:
            continue
        if key in values:
            raise Problem(400, f"Der Parameter '{key}' ist mehrfach angegeben.")
        values[key] = value
    return values


@router.get("/queries", summary="Katalog der gespeicherten Abfragen")
def list_queries(request: Request) -> list[dict[str, object]]:
    return [query.as_dict() for query in context(request).catalog.queries()]


@router.get(
    "/queries/{name}",
    summary="Gespeicherte Abfrage ausführen",
    description="Parameter als Query-Parameter (z. B. `?target_group=senioren`). Format über `Accept` "
                "(application/json, text/csv, XLSX) oder `?format=json|csv|xlsx`.",
    responses={200: {"content": {"application/json": {}, "text/csv": {}, MEDIA_TYPES["xlsx"]: {}}}},
)
def run_query(request: Request, name: str, format: str | None = None) -> Response:
    saved_query(context(request), name)
    if format is not None:
        if format not in ("json", "csv", "xlsx"):
            raise Problem(400, f"Unbekanntes Format '{format}'. Erlaubt: json, csv, xlsx")
        chosen = format
    else:
        media = best_match(request.headers.get("accept"), list(FORMAT_BY_MEDIA))
        if media is None:
            raise Problem(406, "Lieferbar sind application/json, text/csv und XLSX "
                               f"({MEDIA_TYPES['xlsx']}).")
        chosen = FORMAT_BY_MEDIA[media]
    result = run_saved(request, name, query_values(request))
    headers = {"Vary": "Accept"}
    if chosen in ("csv", "xlsx"):
        headers["Content-Disposition"] = f'attachment; filename="{name}.{chosen}"'
    return Response(render(result, chosen), media_type=MEDIA_TYPES[chosen], headers=headers)
