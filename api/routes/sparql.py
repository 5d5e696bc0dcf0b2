"""`GET|POST /sparql`: SPARQL 1.1 Protocol, read-only, over the data this caller may see.

Queries run through the GraphStore, so the dataset is always the current version of each visible graph
(FROM/FROM NAMED in the query cannot widen it: the store sets the dataset). Updates, LOAD and SERVICE are
refused before anything runs.
"""

from __future__ import annotations

from urllib.parse import parse_qs

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response

from api.auth import access_of
from api.context import context
from api.errors import Problem
from api.negotiation import best_match
from api.rdf_formats import (
    GRAPH_ALIASES,
    GRAPH_MEDIA_TYPES,
    RESULT_ALIASES,
    RESULT_MEDIA_TYPES,
    content_type,
)
from api.sparql_guard import check_query
from api.sparql_results import ask_json, convert_results, graph_bytes, select_json
from sozialgraph.errors import SozialgraphError

router = APIRouter(tags=["SPARQL"])
RESULT_OFFER = [*RESULT_MEDIA_TYPES, *RESULT_ALIASES]
GRAPH_OFFER = [*GRAPH_MEDIA_TYPES, *GRAPH_ALIASES]
UPDATE_REFUSED = "Dieser SPARQL-Endpunkt ist nur lesend: SPARQL Update wird nicht angenommen."
DESCRIPTION = (
    "SPARQL 1.1 Protocol, nur lesend (SELECT, ASK, CONSTRUCT, DESCRIBE). Ergebnisse nach `Accept`: "
    "SPARQL JSON/XML, CSV, TSV; Graphen als Turtle, JSON-LD, N-Triples, RDF/XML. Ohne Token nur öffentliche "
    "Daten. Updates, LOAD und SERVICE werden abgelehnt."
)


def execute(request: Request, text: str) -> Response:
    checked = check_query(text)
    accept = request.headers.get("accept")
    graph_form = checked.form in ("construct", "describe")
    media = best_match(accept, GRAPH_OFFER if graph_form else RESULT_OFFER)
    if media is None:
        offered = GRAPH_MEDIA_TYPES if graph_form else RESULT_MEDIA_TYPES
        raise Problem(406, f"Für {checked.form.upper()} lieferbar: {', '.join(offered)}.")
    store = context(request).store
    internal = access_of(request).internal
    try:
        if graph_form:
            media = GRAPH_ALIASES.get(media, media)
            body = graph_bytes(store.construct(text, include_internal=internal), GRAPH_MEDIA_TYPES[media])
        else:
            media = RESULT_ALIASES.get(media, media)
            raw = select_json(store.select(text, include_internal=internal)) if checked.form == "select" \
                else ask_json(store.ask(text, include_internal=internal))
            body = convert_results(raw, RESULT_MEDIA_TYPES[media])
    except SyntaxError as error:
        raise Problem(400, f"Die SPARQL-Abfrage ist fehlerhaft: {error}") from error
    except SozialgraphError as error:
        raise Problem(400, f"Die SPARQL-Abfrage ließ sich nicht ausführen: {error.message}") from error
    except (OSError, ValueError, TypeError) as error:
        raise Problem(400, f"Die SPARQL-Abfrage ließ sich nicht ausführen: {error}") from error
    return Response(body, media_type=content_type(media), headers={"Vary": "Accept"})


def _refuse_dataset(params: dict[str, list[str]]) -> None:
    if params.get("default-graph-uri") or params.get("named-graph-uri"):
        raise Problem(400, "default-graph-uri und named-graph-uri werden nicht unterstützt: die Abfrage läuft "
                           "immer über alle aktuellen (für Sie sichtbaren) Graphen; nutzen Sie GRAPH in der Abfrage.")


@router.get("/sparql", summary="SPARQL-Abfrage (GET)", description=DESCRIPTION,
            responses={200: {"content": {m: {} for m in [*RESULT_MEDIA_TYPES, *GRAPH_MEDIA_TYPES]}}})
def sparql_get(request: Request) -> Response:
    params = parse_qs(request.url.query, keep_blank_values=True)
    if "update" in params:
        raise Problem(403, UPDATE_REFUSED)
    queries = params.get("query")
    if not queries:
        if "text/html" in request.headers.get("accept", ""):
            return RedirectResponse("/sparql-editor", status_code=303)
        raise Problem(400, "Der Parameter 'query' fehlt (SPARQL 1.1 Protocol: GET /sparql?query=...).")
    if len(queries) > 1:
        raise Problem(400, "Der Parameter 'query' ist mehrfach angegeben.")
    _refuse_dataset(params)
    return execute(request, queries[0])


@router.post("/sparql", summary="SPARQL-Abfrage (POST: Formular oder application/sparql-query)",
             description=DESCRIPTION,
             responses={200: {"content": {m: {} for m in [*RESULT_MEDIA_TYPES, *GRAPH_MEDIA_TYPES]}}})
async def sparql_post(request: Request) -> Response:
    media = request.headers.get("content-type", "").split(";")[0].strip().casefold()
    body = await request.body()
    if media == "application/sparql-update":
        raise Problem(403, UPDATE_REFUSED)
    try:
        decoded = body.decode("utf-8")
    except UnicodeDecodeError as error:
        raise Problem(400, "Die Anfrage ist nicht UTF-8-kodiert.") from error
    if media == "application/x-www-form-urlencoded":
        params = parse_qs(decoded, keep_blank_values=True)
        if "update" in params:
            raise Problem(403, UPDATE_REFUSED)
        queries = params.get("query")
        if not queries or len(queries) > 1:
            raise Problem(400, "Das Formular braucht genau ein Feld 'query'.")
        _refuse_dataset(params)
        _refuse_dataset(parse_qs(request.url.query))
        text = queries[0]
    elif media == "application/sparql-query":
        _refuse_dataset(parse_qs(request.url.query))
        text = decoded
    else:
        raise Problem(415, "Erwartet wird application/x-www-form-urlencoded (Feld 'query') oder "
                           "application/sparql-query.")
    return await run_in_threadpool(execute, request, text)
