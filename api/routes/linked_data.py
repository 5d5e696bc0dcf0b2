"""Every IRI minted with the configured base, served at the IRI's path (linked data).

`https://sozialgraph.example/id/offer/of-1` is answered at `/id/offer/of-1`: HTML for browsers, Turtle,
JSON-LD, N-Triples or RDF/XML by `Accept`, or by the suffixes `.ttl`, `.jsonld`, `.nt`, `.rdf`. Registered
last, because with a base path of `/` the route matches every path the other routers left.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response
from pyoxigraph import NamedNode

from api.auth import access_of
from api.context import context
from api.entity import Entity, describe
from api.errors import Problem
from api.negotiation import best_match
from api.rdf_formats import GRAPH_ALIASES, GRAPH_MEDIA_TYPES, SUFFIXES, content_type
from api.response_cache import CachedAnswer
from api.sparql_results import graph_bytes
from api.web import render

OFFER = ["text/html", *GRAPH_MEDIA_TYPES, *GRAPH_ALIASES]


def _describe(request: Request, iri: str) -> Entity | None:
    try:
        node_checked = NamedNode(iri)
    except ValueError as error:
        raise Problem(404, f"{iri[:200]} ist keine gültige IRI.") from error
    return describe(context(request).store, node_checked.value, access_of(request).internal)


def _find(request: Request, rest: str) -> tuple[Entity, str | None]:
    ctx = context(request)
    entity = _describe(request, ctx.base_uri + rest)
    if entity is not None:
        return entity, None
    for suffix, media in SUFFIXES.items():
        if rest.endswith(suffix):
            entity = _describe(request, ctx.base_uri + rest.removesuffix(suffix))
            if entity is not None:
                return entity, media
    raise Problem(404, f"Zu {ctx.base_uri + rest} gibt es keine Angaben.")


async def entity_response(request: Request, rest: str) -> Response:
    """The answer for one entity path, from the cache while the data has not changed since it was made.

    A cached answer is sent straight from the event loop; a new one is made in the thread pool, because the
    store may be a remote SPARQL server (network waits) and pyoxigraph releases the GIL while it evaluates.
    """
    ctx = context(request)
    key = (rest, access_of(request), request.headers.get("accept", ""))
    cached = ctx.pages.get(key)
    if cached is not None:
        return Response(cached.body, media_type=cached.media_type, headers=dict(cached.headers))
    state = ctx.pages.state()
    response = await run_in_threadpool(_fresh_response, request, rest)
    headers = tuple((name, value) for name, value in response.headers.items()
                    if name in ("vary",))
    ctx.pages.put(key, CachedAnswer(bytes(response.body), response.media_type or "", headers), state)
    return response


def _fresh_response(request: Request, rest: str) -> Response:
    entity, forced = _find(request, rest)
    media = forced or best_match(request.headers.get("accept"), OFFER)
    if media is None:
        raise Problem(406, f"Lieferbar: text/html, {', '.join(GRAPH_MEDIA_TYPES)}.")
    if media == "text/html":
        response: Response = render(request, "entity.html", {"entity": entity, "title": entity.label})
    else:
        media = GRAPH_ALIASES.get(media, media)
        response = Response(graph_bytes(entity.triples, GRAPH_MEDIA_TYPES[media]), media_type=content_type(media))
    if forced is None:
        response.headers["Vary"] = "Accept"
    return response


def router_for(base_path: str) -> APIRouter:
    router = APIRouter(tags=["Linked Data"])
    prefix = base_path if base_path.endswith("/") else base_path + "/"

    @router.get(prefix + "{rest:path}", summary="Entität (HTML oder RDF nach Accept bzw. Endung)",
                responses={200: {"content": {m: {} for m in ["text/html", *GRAPH_MEDIA_TYPES]}}})
    @router.head(prefix + "{rest:path}", include_in_schema=False)
    async def entity(request: Request, rest: str) -> Response:
        # The IRI is rebuilt from the path as sent: ids are percent-encoded in IRIs (ä -> %C3%A4), and the
        # decoded `rest` would no longer match them.
        raw = request.scope.get("raw_path") or request.url.path.encode()
        path = raw.decode("ascii", errors="replace")
        encoded = path[len(prefix):] if path.startswith(prefix) else rest
        if not encoded:
            raise Problem(404, "Hier gibt es keine Entität; die Übersicht ist unter /.")
        return await entity_response(request, encoded)

    return router
