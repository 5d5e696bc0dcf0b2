"""Server-rendered pages: the Jinja2 environment (autoescaping everything) and the navigation registry."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jinja2
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from api.auth import Access, access_of
from api.context import context

TEMPLATES = Path(__file__).parent / "templates"


@dataclass(frozen=True, order=True)
class NavItem:
    order: int
    label: str
    path: str


def make_templates() -> Jinja2Templates:
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["urlpart"] = lambda value: quote(str(value), safe="")
    environment.filters["number"] = lambda value: f"{value:,}".replace(",", ".") if isinstance(value, int) \
        else value
    return Jinja2Templates(env=environment)


def add_navigation(app: FastAPI, item: NavItem) -> None:
    navigation: list[NavItem] = app.state.navigation
    navigation.append(item)
    navigation.sort()


def render(request: Request, template: str, values: Mapping[str, Any], status: int = 200) -> HTMLResponse:
    ctx = context(request)
    templates: Jinja2Templates = request.app.state.templates
    access = access_of(request)
    page = {
        "navigation": request.app.state.navigation,
        "current_path": request.url.path,
        "href": ctx.local_path,
        "internal": access >= Access.READER,
        **values,
    }
    return templates.TemplateResponse(request, template, page, status_code=status)
