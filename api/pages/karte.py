"""Karte: the spaces of a level as a Leaflet map, coloured by a saved query or an indicator, with offers as points.

The page only holds the form; `static/karte.js` fetches `/api/map/spaces` and `/api/map/offers`. Background tiles
are off unless `SOZIALGRAPH_TILE_URL` names a tile server (an intranet may have none, and no third-party host is
contacted by default).
"""

from __future__ import annotations

import os

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from api.context import context
from api.routes.map import DEFAULT_COLOUR, DEFAULT_LEVEL, INDICATOR_PREFIX, indicators, map_queries
from api.web import NavItem, render
from sozialgraph.vocabulary import code_list

router = APIRouter(include_in_schema=False)
NAV = NavItem(38, "Karte", "/karte")
TILE_URL = "SOZIALGRAPH_TILE_URL"
TILE_ATTRIBUTION = "SOZIALGRAPH_TILE_ATTRIBUTION"


@router.get("/karte", response_class=HTMLResponse)
def karte(request: Request, level: str = DEFAULT_LEVEL, colour: str = DEFAULT_COLOUR,
          target_group: str = "") -> HTMLResponse:
    ctx = context(request)
    levels = [(code.notation, code.label_de) for code in code_list("space-level").codes.values()]
    colourings = [(query.name, query.summary.split(" – ")[0], "target_group" in {p.name for p in query.params})
                  for query in map_queries(ctx)]
    colourings += [(INDICATOR_PREFIX + item.notation, f"Indikator: {item.label}", False)
                   for item in indicators(ctx).values() if item.observations]
    groups = [(code.notation, code.label_de) for code in code_list("target-group").codes.values()]
    return render(request, "karte.html", {
        "title": "Karte",
        "levels": levels, "level": level,
        "colourings": colourings, "colour": colour,
        "groups": groups, "target_group": target_group,
        "tile_url": os.environ.get(TILE_URL, ""),
        "tile_attribution": os.environ.get(TILE_ATTRIBUTION, ""),
    })
