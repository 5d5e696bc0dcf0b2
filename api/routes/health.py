"""`GET /healthz`: is the app up and the store readable."""

from __future__ import annotations

from fastapi import APIRouter, Request

from api.context import context

router = APIRouter(tags=["Betrieb"])


@router.get("/healthz", summary="Lebenszeichen")
def healthz(request: Request) -> dict[str, object]:
    return {"status": "ok", "graphs": len(context(request).store.graphs())}
