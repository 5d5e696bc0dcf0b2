"""Every response: security headers, a request id, and one JSON log line.

The headers are set here, once, so no route can forget them. The Content-Security-Policy allows scripts and
styles from this app only (no inline scripts anywhere). Swagger UI writes inline `style` attributes and YASGUI
inserts `<style>` elements, so `/docs` and `/sparql-editor` alone also allow inline styles
(`style-src 'unsafe-inline'`, still no inline scripts); tests/test_security_browser.py proves both claims.
"""

from __future__ import annotations

import contextvars
import json
import logging
import re
import sys
import time
import uuid
from collections.abc import MutableMapping
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

REQUEST_ID = contextvars.ContextVar("request_id", default="-")
_GOOD_ID = re.compile(r"^[A-Za-z0-9._\-]{1,128}$")
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self' data:; "
       "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")
CSP_INLINE_STYLES = CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
INLINE_STYLE_PATHS = ("/docs", "/sparql-editor")
"""Pages whose library needs inline styles (Swagger UI, YASGUI)."""
SECURITY_HEADERS = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "strict-origin-when-cross-origin",
    "cross-origin-opener-policy": "same-origin",
}
access_log = logging.getLogger("sozialgraph.access")


class JsonFormatter(logging.Formatter):
    """One JSON object per line, with the id of the request being answered."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "request_id": getattr(record, "request_id", None) or REQUEST_ID.get(),
            "message": record.getMessage(),
        }
        for key in ("method", "path", "status", "duration_ms", "client"):
            if hasattr(record, key):
                entry[key] = getattr(record, key)
        if record.exc_info:
            entry["error"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def configure_logging(level: int = logging.INFO) -> None:
    """JSON lines on stderr for everything under the `sozialgraph` logger (once per process)."""
    root = logging.getLogger("sozialgraph")
    if any(isinstance(handler.formatter, JsonFormatter) for handler in root.handlers):
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    root.addHandler(handler)
    root.setLevel(level)


def request_id_of(headers: list[tuple[bytes, bytes]]) -> str:
    for name, value in headers:
        if name == b"x-request-id":
            text = value.decode("latin-1")
            if _GOOD_ID.match(text):
                return text
    return uuid.uuid4().hex


class OperationsMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = request_id_of(scope.get("headers", []))
        token = REQUEST_ID.set(request_id)
        path: str = scope.get("path", "")
        csp = CSP_INLINE_STYLES if path in INLINE_STYLE_PATHS else CSP
        started = time.perf_counter()
        status = 500

        async def send_with_headers(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers: MutableMapping[bytes, bytes] = {}
                raw = list(message.get("headers", []))
                present = {name.lower() for name, _ in raw}
                for name, value in [*SECURITY_HEADERS.items(), ("content-security-policy", csp),
                                    ("x-request-id", request_id)]:
                    if name.encode() not in present:
                        headers[name.encode()] = value.encode("latin-1")
                message["headers"] = raw + list(headers.items())
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        finally:
            client = scope.get("client")
            access_log.info("%s %s %s", scope.get("method"), path, status, extra={
                "request_id": request_id, "method": scope.get("method"), "path": path, "status": status,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                "client": client[0] if client else None,
            })
            REQUEST_ID.reset(token)
