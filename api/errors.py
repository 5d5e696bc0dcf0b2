"""Every error answer in German: JSON for the API and SPARQL, a page for browsers, never a traceback."""

from __future__ import annotations

import logging
from collections.abc import Mapping

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from sozialgraph.errors import SozialgraphError

log = logging.getLogger("sozialgraph.api")

MACHINE_PREFIXES = ("/api/", "/api", "/sparql", "/healthz")
STATUS_TITLES = {
    400: "Ungültige Anfrage",
    401: "Anmeldung nötig",
    403: "Nicht erlaubt",
    404: "Nicht gefunden",
    405: "Methode nicht erlaubt",
    406: "Format nicht lieferbar",
    413: "Datei zu groß",
    415: "Medientyp nicht unterstützt",
    500: "Interner Fehler",
}


class Problem(Exception):
    """An answer other than success, with a message a planner can act on."""

    def __init__(self, status: int, message: str, headers: Mapping[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = dict(headers or {})


def wants_machine_answer(request: Request) -> bool:
    path = request.url.path
    if path.startswith(MACHINE_PREFIXES) and not path.startswith("/sparql-"):
        return True
    accept = request.headers.get("accept", "")
    return bool(accept) and "text/html" not in accept and "*/*" not in accept


def problem_response(request: Request, status: int, message: str,
                     headers: Mapping[str, str] | None = None) -> Response:
    if wants_machine_answer(request):
        if "json" in request.headers.get("accept", "json") or request.url.path.startswith(MACHINE_PREFIXES):
            return JSONResponse({"detail": message, "status": status}, status_code=status, headers=headers)
        return PlainTextResponse(message + "\n", status_code=status, headers=headers)
    templates = request.app.state.templates
    return templates.TemplateResponse(
        request, "error.html",
        {"title": STATUS_TITLES.get(status, "Fehler"), "message": message, "status": status},
        status_code=status, headers=headers,
    )


def _validation_message(error: RequestValidationError) -> str:
    parts = []
    for item in error.errors():
        where = ".".join(str(part) for part in item.get("loc", ()) if part not in ("query", "body", "path"))
        parts.append(f"{where or 'Anfrage'}: {_german(item)}")
    return "Ungültige Angaben – " + "; ".join(parts)


def _german(item: Mapping[str, object]) -> str:
    kind = str(item.get("type", ""))
    if kind == "missing":
        return "fehlt"
    if kind.startswith("int"):
        return "muss eine ganze Zahl sein"
    if kind.startswith("bool"):
        return "muss ja/nein (true/false) sein"
    return "ungültiger Wert"


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(Problem)
    async def on_problem(request: Request, error: Problem) -> Response:
        return problem_response(request, error.status, error.message, error.headers)

    @app.exception_handler(SozialgraphError)
    async def on_sozialgraph_error(request: Request, error: SozialgraphError) -> Response:
        return problem_response(request, 400, error.message)

    @app.exception_handler(RequestValidationError)
    async def on_validation(request: Request, error: RequestValidationError) -> Response:
        return problem_response(request, 400, _validation_message(error))

    @app.exception_handler(StarletteHTTPException)
    async def on_http(request: Request, error: StarletteHTTPException) -> Response:
        if error.status_code == 404:
            message = f"Die Seite {request.url.path} gibt es nicht."
        elif error.status_code == 405:
            message = f"{request.method} ist für {request.url.path} nicht erlaubt."
        else:
            message = str(error.detail)
        return problem_response(request, error.status_code, message, getattr(error, "headers", None))

    @app.exception_handler(Exception)
    async def on_unexpected(request: Request, error: Exception) -> Response:
        log.exception("unexpected error on %s", request.url.path)
        return problem_response(request, 500, "Ein unerwarteter Fehler ist aufgetreten; er wurde protokolliert.")
