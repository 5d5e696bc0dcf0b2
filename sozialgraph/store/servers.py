"""Where the query, update and Graph Store endpoints of the SPARQL servers we know live, given a base URL."""

from __future__ import annotations

from dataclasses import dataclass

from sozialgraph.errors import SozialgraphError


@dataclass(frozen=True)
class Endpoints:
    query: str
    update: str
    store: str


# Paths relative to the base URL the user gives: the server root for Oxigraph and Virtuoso, the dataset URL for
# Fuseki (http://host:3030/DATASET), the repository URL for GraphDB (http://host:7200/repositories/REPO).
# Virtuoso answers updates and Graph Store writes only to an authenticated user, on its `-auth` endpoints.
_PATHS: dict[str, tuple[str, str, str]] = {
    "oxigraph": ("query", "update", "store"),
    "virtuoso": ("sparql", "sparql-auth", "sparql-graph-crud-auth"),
    "fuseki": ("query", "update", "data"),
    "graphdb": ("", "statements", "rdf-graphs/service"),
}
SERVER_KINDS = tuple(_PATHS)


def endpoints_for(kind: str, base_url: str) -> Endpoints:
    paths = _PATHS.get(kind.casefold())
    if paths is None:
        raise SozialgraphError(f"unbekannte Server-Art '{kind}'. Erlaubt: {', '.join(SERVER_KINDS)}")
    if not base_url.startswith(("http://", "https://")):
        raise SozialgraphError(f"Die Server-Adresse '{base_url}' muss mit http:// oder https:// beginnen.")
    base = base_url.rstrip("/")
    query, update, store = (f"{base}/{path}" if path else base for path in paths)
    return Endpoints(query, update, store)
