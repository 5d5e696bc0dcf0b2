"""API: the OpenAPI description in Swagger UI, served from npm's swagger-ui-dist by the app itself.

FastAPI's built-in /docs and /redoc load their scripts from a CDN and start them with an inline script; this
page does neither (the app is created with docs_url=None, redoc_url=None).
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from api.web import NavItem, render

router = APIRouter(include_in_schema=False)
NAV = NavItem(90, "API", "/docs")


@router.get("/docs", response_class=HTMLResponse)
def docs(request: Request) -> HTMLResponse:
    return render(request, "api-docs.html", {"title": "API (OpenAPI)"})
