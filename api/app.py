"""The web app: JSON API (OpenAPI at /docs), read-only SPARQL, German pages, linked-data entity pages.

How a page plugs in (e.g. Netzwerk, Karte):

1. Write `api/pages/<name>.py` with `router = APIRouter(include_in_schema=False)` and
   `NAV = NavItem(<order>, "<Menüname>", "/<pfad>")` (or `NAV = None` for a page without a menu entry);
   its route returns `api.web.render(request, "<name>.html", {"title": ..., ...})`.
2. Write `api/templates/<name>.html` starting with `{% extends "base.html" %}` and filling
   `{% block content %}` (and `{% block head %}` for extra CSS or `{% block scripts %}` for scripts).
   Everything is autoescaped; never mark data `|safe`.
3. JavaScript and CSS go in `api/static/` (`/static/<file>`), never inline: the Content-Security-Policy
   (api/operations.py) allows no inline scripts; add the page to tests/test_security_browser.py. Pass data to
   scripts in `data-*` attributes or fetch it from an API route.
4. A library from npm: `npm install --save <pkg>`, then add its built files to `VENDOR_FILES` in
   `api/routes/assets.py`; they are served at `/assets/vendor/<name>`.
5. Add the module to `PAGES` below. The navigation is ordered by `NavItem.order` (Übersicht 10 … SPARQL 60,
   API 90): Netzwerk could take 35, Karte 38.

Routes read the store through `api.context.context(request)` and decide public/internal with
`api.auth.access_of(request).internal`; errors are raised as `api.errors.Problem(status, German message)`.
"""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from api.context import AppContext
from api.errors import install_error_handlers
from api.operations import OperationsMiddleware, configure_logging
from api.pages import api_docs, gaps, overview, quality, queries, sources, sparql_editor
from api.pages import karte as karte_page
from api.pages import network as network_page
from api.quality import QualityCache
from api.response_cache import ResponseCache
from api.routes import assets, data, health, linked_data, sparql
from api.routes import map as map_routes
from api.routes import queries as query_routes
from api.routes import sources as source_routes
from api.settings import WebSettings
from api.sparql_limits import QueryLimiter
from api.web import add_navigation, make_templates
from sozialgraph import __version__
from sozialgraph.catalog import Catalog
from sozialgraph.config import Settings
from sozialgraph.store import GraphStore
from sozialgraph.tokens import TokenTable

STATIC = Path(__file__).parent / "static"
ROUTES: list[ModuleType] = [health, query_routes, data, source_routes, sparql, assets]
ROUTES.append(map_routes)
PAGES: list[ModuleType] = [overview, queries, gaps, quality, sources, sparql_editor, api_docs]
PAGES.append(karte_page)
PAGES.append(network_page)


def create_app(store: GraphStore, settings: Settings | WebSettings | None = None) -> FastAPI:
    web = settings if isinstance(settings, WebSettings) else WebSettings.from_settings(settings or Settings.from_env())
    app = FastAPI(
        title="sozialgraph",
        docs_url=None,
        redoc_url=None,
        version=__version__,
        description="Wissensgraph für die integrierte Sozialplanung: gespeicherte Abfragen, Vollständigkeit, "
                    "Quellen, SPARQL. Ohne Token nur öffentliche Daten; Lesen interner Daten mit dem Lese-Token, "
                    "Hochladen und Löschen mit dem Bearbeitungs-Token (Authorization: Bearer …).",
    )
    app.state.ctx = AppContext(store=store, settings=web, catalog=Catalog(), quality=QualityCache(store),
                               pages=ResponseCache(store), results=ResponseCache(store, size=256))
    app.state.web_settings = web
    app.state.sparql_limiter = QueryLimiter(web.sparql_timeout, web.sparql_max_rows, web.sparql_concurrency)
    app.state.tokens = TokenTable({"reader": web.reader_token, "editor": web.editor_token}, web.tokens_file)
    app.state.templates = make_templates()
    app.state.navigation = []
    install_error_handlers(app)
    app.add_middleware(OperationsMiddleware)
    configure_logging()
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    for module in ROUTES:
        app.include_router(module.router)
    for page in PAGES:
        app.include_router(page.router)
        if getattr(page, "NAV", None) is not None:
            add_navigation(app, page.NAV)
    if store.base_uri.endswith("/"):
        app.include_router(linked_data.router_for(app.state.ctx.base_path))
    return app
