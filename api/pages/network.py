"""Netzwerk: who works with whom across departments, committees, providers and plans, drawn with Cytoscape.js.

The page is a frame; the graph comes from `GET /api/network` (the same Cytoscape.js elements as
`sozialgraph network --format json`), with the address of each node's entity page added as `href`.
"""

from __future__ import annotations

import json

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from api.auth import access_of
from api.context import context
from api.errors import Problem
from api.response_cache import CachedAnswer
from api.web import NavItem, render
from sozialgraph.errors import SozialgraphError
from sozialgraph.network import PROJECTIONS, analyse, build_network
from sozialgraph.network.build import check_projection
from sozialgraph.network.export import to_cytoscape

router = APIRouter()
NAV = NavItem(35, "Netzwerk", "/netzwerk")
MEDIA = "application/json"


@router.get("/netzwerk", response_class=HTMLResponse, include_in_schema=False)
def network_page(request: Request) -> HTMLResponse:
    return render(request, "network.html", {"title": "Netzwerk", "projections": PROJECTIONS})


@router.get("/api/network", tags=["Netzwerk"], summary="Netzwerk als Cytoscape.js-Elemente")
def network_data(request: Request, projection: str = Query(
        "bipartite", description="bipartite (Akteure und Pläne) oder actors (nur Akteure; gemeinsame Pläne als "
                                 "Kanten)")) -> Response:
    """Knoten (Akteure, Pläne) mit Art, Handlungsfeldern, Vermittlerrolle (Betweenness), Gemeinschaft, Silo-Markierung
    und Link zur Eintragsseite; Kanten mit Art und Gewicht; dazu Legende, Handlungsfelder und eine Zusammenfassung.
    Ohne Token nur öffentliche Daten."""
    try:
        check_projection(projection)
    except SozialgraphError as error:
        raise Problem(400, error.message) from error
    ctx = context(request)
    internal = access_of(request).internal
    key = ("network", projection, internal)
    cached = ctx.pages.get(key)
    if cached is None:
        state = ctx.pages.state()
        graph = build_network(ctx.store, projection, include_internal=internal)
        data = to_cytoscape(graph, analyse(graph))
        for node in data["elements"]["nodes"]:  # type: ignore[index]
            node["data"]["href"] = ctx.local_path(node["data"]["iri"])
        cached = CachedAnswer(json.dumps(data, ensure_ascii=False).encode("utf-8"), MEDIA, ())
        ctx.pages.put(key, cached, state)
    return Response(cached.body, media_type=cached.media_type, headers={"Cache-Control": "no-store"})
