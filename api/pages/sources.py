"""Quellen: the loaded sources with their provenance, and an upload form (with dry run) for editors."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from api.auth import access_of
from api.context import context
from api.uploads import UPLOAD_SUFFIXES
from api.web import NavItem, render

router = APIRouter(include_in_schema=False)
NAV = NavItem(50, "Quellen", "/quellen")


@router.get("/quellen", response_class=HTMLResponse)
def sources(request: Request) -> HTMLResponse:
    graphs = context(request).store.graphs(access_of(request).internal)
    return render(request, "sources.html", {"title": "Quellen", "graphs": graphs,
                                            "suffixes": ", ".join(UPLOAD_SUFFIXES)})
