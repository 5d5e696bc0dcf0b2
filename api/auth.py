"""Who is asking: nobody (public data only), a reader or an editor, by bearer token.

Tokens come from configuration: a tokens file of hashed lines (`SOZIALGRAPH_TOKENS_FILE`, re-read when it
changes) and, for convenience, `SOZIALGRAPH_READER_TOKEN` / `SOZIALGRAPH_EDITOR_TOKEN` (hashed at start). A given
token is hashed and compared with every entry in constant time (`sozialgraph.tokens.TokenTable`).
"""

from __future__ import annotations

from enum import IntEnum

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from api.errors import Problem
from sozialgraph.tokens import TokenTable


class Access(IntEnum):
    PUBLIC = 0
    READER = 1
    EDITOR = 2

    @property
    def internal(self) -> bool:
        """Whether this caller may see graphs marked internal."""
        return self >= Access.READER


def token_table(request: Request) -> TokenTable:
    table: TokenTable = request.app.state.tokens
    return table


def access_of(request: Request) -> Access:
    """The caller's access; a token that matches nothing is refused rather than silently downgraded."""
    header = request.headers.get("authorization")
    if header is None:
        return Access.PUBLIC
    scheme, _, token = header.partition(" ")
    if scheme.casefold() != "bearer" or not token.strip():
        raise Problem(401, "Die Anmeldung muss die Form 'Authorization: Bearer TOKEN' haben.",
                      headers={"WWW-Authenticate": 'Bearer realm="sozialgraph"'})
    role = token_table(request).role_of(token)
    if role == "editor":
        return Access.EDITOR
    if role == "reader":
        return Access.READER
    raise Problem(401, "Das Zugriffstoken ist ungültig.",
                  headers={"WWW-Authenticate": 'Bearer realm="sozialgraph", error="invalid_token"'})


BEARER = HTTPBearer(auto_error=False, scheme_name="Token",
                    description="Bearbeitungs-Token (Hochladen, Löschen) oder Lese-Token (interne Daten)")


def require_editor(request: Request,
                   _: HTTPAuthorizationCredentials | None = Depends(BEARER)) -> Access:  # documents the scheme
    if not token_table(request).has("editor"):
        raise Problem(403, "Ändern über die Web-App ist nicht eingerichtet (SOZIALGRAPH_EDITOR_TOKEN fehlt, "
                           "SOZIALGRAPH_TOKENS_FILE enthält kein editor-Token).")
    access = access_of(request)
    if access is Access.PUBLIC:
        raise Problem(401, "Zum Ändern der Daten ist ein Zugriffstoken nötig (Authorization: Bearer TOKEN).",
                      headers={"WWW-Authenticate": 'Bearer realm="sozialgraph"'})
    if access is not Access.EDITOR:
        raise Problem(403, "Dieses Zugriffstoken darf nur lesen, nicht ändern.")
    return access
