"""Who is asking: nobody (public data only), a reader or an editor, by bearer token.

Tokens come from configuration (`SOZIALGRAPH_READER_TOKEN`, `SOZIALGRAPH_EDITOR_TOKEN`). Both are always
compared, in constant time, so the answer time does not tell which one (or how much of it) matched.
"""

from __future__ import annotations

import hmac
from enum import IntEnum

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from api.errors import Problem
from api.settings import WebSettings


class Access(IntEnum):
    PUBLIC = 0
    READER = 1
    EDITOR = 2

    @property
    def internal(self) -> bool:
        """Whether this caller may see graphs marked internal."""
        return self >= Access.READER


def _matches(given: bytes, expected: str | None) -> bool:
    if not expected:
        hmac.compare_digest(given, given)
        return False
    return hmac.compare_digest(given, expected.encode("utf-8"))


def access_of(request: Request) -> Access:
    """The caller's access; a token that matches nothing is refused rather than silently downgraded."""
    header = request.headers.get("authorization")
    if header is None:
        return Access.PUBLIC
    scheme, _, token = header.partition(" ")
    if scheme.casefold() != "bearer" or not token.strip():
        raise Problem(401, "Die Anmeldung muss die Form 'Authorization: Bearer TOKEN' haben.",
                      headers={"WWW-Authenticate": 'Bearer realm="sozialgraph"'})
    settings: WebSettings = request.app.state.web_settings
    given = token.strip().encode("utf-8")
    is_editor = _matches(given, settings.editor_token)
    is_reader = _matches(given, settings.reader_token)
    if is_editor:
        return Access.EDITOR
    if is_reader:
        return Access.READER
    raise Problem(401, "Das Zugriffstoken ist ungültig.",
                  headers={"WWW-Authenticate": 'Bearer realm="sozialgraph", error="invalid_token"'})


BEARER = HTTPBearer(auto_error=False, scheme_name="Token",
                    description="Bearbeitungs-Token (Hochladen, Löschen) oder Lese-Token (interne Daten)")


def require_editor(request: Request,
                   _: HTTPAuthorizationCredentials | None = Depends(BEARER)) -> Access:  # documents the scheme
    settings: WebSettings = request.app.state.web_settings
    if not settings.editor_token:
        raise Problem(403, "Ändern über die Web-App ist nicht eingerichtet (SOZIALGRAPH_EDITOR_TOKEN fehlt).")
    access = access_of(request)
    if access is Access.PUBLIC:
        raise Problem(401, "Zum Ändern der Daten ist ein Zugriffstoken nötig (Authorization: Bearer TOKEN).",
                      headers={"WWW-Authenticate": 'Bearer realm="sozialgraph"'})
    if access is not Access.EDITOR:
        raise Problem(403, "Dieses Zugriffstoken darf nur lesen, nicht ändern.")
    return access
