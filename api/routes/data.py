"""`/api/validation`, `/api/stats`, `GET /api/sources`: what is loaded and how complete it is."""

from __future__ import annotations

import json

from fastapi import APIRouter, Request
from fastapi.responses import Response

from api.auth import access_of
from api.context import context
from sozialgraph.stats import info

router = APIRouter(prefix="/api", tags=["Daten"])


@router.get("/validation", summary="Vollständigkeitsprüfung (SHACL) mit deutschen Meldungen",
            responses={200: {"content": {"application/json": {}}}})
def validation(request: Request) -> Response:
    report = context(request).quality.report(access_of(request).internal)
    return Response(report.as_json(), media_type="application/json")


@router.get("/stats", summary="Tripel, Graphen mit Herkunft, Anzahl je Klasse")
def stats(request: Request) -> Response:
    data = info(context(request).store, include_internal=access_of(request).internal)
    return Response(json.dumps(data, ensure_ascii=False), media_type="application/json")


@router.get("/sources", summary="Geladene Quellen (benannte Graphen) mit Herkunftsangaben")
def sources(request: Request) -> list[dict[str, object]]:
    return [graph.as_dict() for graph in context(request).store.graphs(access_of(request).internal)]
