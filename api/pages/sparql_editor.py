"""SPARQL: the YASGUI editor (from npm, served by the app) against this app's read-only endpoint."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from api.web import NavItem, render

router = APIRouter(include_in_schema=False)
NAV = NavItem(60, "SPARQL", "/sparql-editor")
EXAMPLE = (Path(__file__).parent.parent / "rq" / "sparql-example.rq").read_text(encoding="utf-8")


@router.get("/sparql-editor", response_class=HTMLResponse)
def editor(request: Request) -> HTMLResponse:
    return render(request, "sparql.html", {"title": "SPARQL", "example": EXAMPLE})
