"""`GET /healthz` (the app is up) and `GET /readyz` (the store answers a query: send traffic here)."""

from __future__ import annotations

import logging

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from api.context import context
from api.prepared import RQ

router = APIRouter(tags=["Betrieb"])
READY_QUERY = (RQ / "ready.rq").read_text(encoding="utf-8")
log = logging.getLogger("sozialgraph.api")


@router.get("/healthz", summary="Lebenszeichen")
def healthz(request: Request) -> dict[str, object]:
    return {"status": "ok", "graphs": len(context(request).store.graphs())}


@router.get("/readyz", summary="Bereit: der Datenspeicher beantwortet eine Abfrage (sonst 503)",
            responses={503: {"description": "Datenspeicher nicht bereit"}})
def readyz(request: Request) -> JSONResponse:
    try:
        answered = context(request).store.ask(READY_QUERY, include_internal=False)
    except Exception as error:  # any failure of the store means: not ready; the log says which
        log.warning("not ready: %s", error)
        return JSONResponse({"status": "nicht bereit", "detail": "Der Datenspeicher antwortet nicht."},
                            status_code=503, headers={"Retry-After": "5"})
    return JSONResponse({"status": "bereit", "ask": answered})
