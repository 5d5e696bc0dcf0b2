"""`/api/map/spaces` and `/api/map/offers`: GeoJSON for the Karte page, coloured by a saved query or an indicator.

A saved query colours the map when it is tagged `Karte` and has a `level` parameter and a `social_space` column: the
value of a space is the number of result rows for it (coverage gaps, overlaps; no row = 0). An indicator colours it
by its latest value (no observation = "keine Angabe").
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import shapely
from fastapi import APIRouter, Request
from fastapi.responses import Response
from pyoxigraph import Literal, NamedNode
from shapely.geometry import mapping
from shapely.geometry.base import BaseGeometry

from api.auth import access_of
from api.context import AppContext, context
from api.errors import Problem
from api.map_classes import MISSING_COLOUR, MISSING_LABEL, class_of, classify, german_number
from sozialgraph.catalog import SavedQuery
from sozialgraph.errors import SozialgraphError
from sozialgraph.vocabulary import code_list

router = APIRouter(prefix="/api/map", tags=["Karte"])

_RQ = Path(__file__).parent.parent / "rq"
SPACES = (_RQ / "map-spaces.rq").read_text(encoding="utf-8")
INDICATOR = (_RQ / "map-indicator.rq").read_text(encoding="utf-8")
INDICATORS = (_RQ / "map-indicators.rq").read_text(encoding="utf-8")
OFFERS = (_RQ / "map-offers.rq").read_text(encoding="utf-8")
INDICATOR_PREFIX = "indikator:"
DEFAULT_LEVEL = "sozialraum"
DEFAULT_COLOUR = "coverage-gaps"
GEOJSON = "application/geo+json"
MAP_TAG = "Karte"


@dataclass(frozen=True)
class Indicator:
    notation: str
    label: str
    unit: str
    observations: int


def map_queries(ctx: AppContext) -> list[SavedQuery]:
    """Saved queries that colour the map: tagged `Karte`, taking a level and answering with rows per social space."""
    return [query for query in ctx.catalog.queries()
            if MAP_TAG in query.tags and any(param.name == "level" for param in query.params)
            and "?social_space" in query.text]


def indicators(ctx: AppContext) -> dict[str, Indicator]:
    found: dict[str, Indicator] = {}
    for row in ctx.store.select(INDICATORS).rows:
        notation, label, unit, count = (row.get(k) for k in ("notation", "label", "unit", "observations"))
        if isinstance(notation, Literal):
            found[notation.value] = Indicator(
                notation.value, label.value if isinstance(label, Literal) else notation.value,
                unit.value if isinstance(unit, Literal) else "", int(count.value) if isinstance(count, Literal) else 0)
    return found


def level_code(value: str) -> NamedNode:
    levels = code_list("space-level")
    code = levels.lookup(value)
    if code is None:
        raise Problem(400, f"Die Raumebene '{value}' gibt es nicht. Erlaubt: {', '.join(levels.allowed())}")
    return code.iri


def wkt_geometry(text: str) -> BaseGeometry | None:
    """A GeoSPARQL WKT literal in CRS84, with or without the leading CRS IRI; None if it cannot be read."""
    body = text.strip()
    if body.startswith("<"):
        body = body.partition(">")[2].strip()
    try:
        return shapely.from_wkt(body)
    except shapely.errors.GEOSException:
        return None


def _short(summary: str) -> str:
    return summary.split(" – ")[0].strip()


def _query_values(request: Request) -> dict[str, str]:
    values: dict[str, str] = {}
    for key, value in request.query_params.multi_items():
        if key in ("level", "colour"):
            continue
        if key in values:
            raise Problem(400, f"Der Parameter '{key}' ist mehrfach angegeben.")
        if value:
            values[key] = value
    return values


def _colour_values(request: Request, ctx: AppContext, level: str, colour: str,
                   include_internal: bool) -> tuple[dict[str, float], float | None, str, str]:
    """space id -> value, the value of a space without one (None = unknown), the legend title and the unit."""
    extra = _query_values(request)
    if colour.startswith(INDICATOR_PREFIX):
        notation = colour[len(INDICATOR_PREFIX):]
        known = indicators(ctx)
        if notation not in known:
            raise Problem(400, f"Den Indikator '{notation}' gibt es nicht. Erlaubt: "
                               f"{', '.join(INDICATOR_PREFIX + n for n in sorted(known))}")
        if extra:
            raise Problem(400, f"Für einen Indikator gibt es keine weiteren Parameter ('{next(iter(extra))}'). "
                               "Parameter: level, colour")
        indicator = known[notation]
        bound = {"_indicator": code_list("indicator").codes[notation].iri, "_level": level_code(level)}
        values: dict[str, float] = {}
        periods: set[str] = set()
        for row in ctx.store.select(INDICATOR, [bound], include_internal=include_internal).rows:
            space, value, period = row.get("social_space"), row.get("value"), row.get("period")
            if isinstance(space, Literal) and isinstance(value, Literal):
                try:
                    values[space.value] = float(value.value)
                except ValueError:
                    continue
                if isinstance(period, Literal):
                    periods.add(period.value)
        when = f" ({', '.join(sorted(periods))})" if periods else ""
        return values, None, f"{indicator.label}{when}", indicator.unit
    queries = {query.name: query for query in map_queries(ctx)}
    if colour not in queries:
        choices = [*sorted(queries), INDICATOR_PREFIX + "<Indikator>"]
        raise Problem(400, f"Die Färbung '{colour}' gibt es nicht. Erlaubt: {', '.join(choices)}")
    try:
        result = ctx.catalog.run(ctx.store, colour, {**extra, "level": level}, include_internal=include_internal)
    except SozialgraphError as error:
        raise Problem(400, error.message) from error
    counts = Counter(str(row.get("social_space")) for row in result.rows)
    title = f"{_short(queries[colour].summary)}: Anzahl"
    return {space: float(count) for space, count in counts.items()}, 0.0, title, ""


@router.get("/spaces", summary="Räume einer Ebene als GeoJSON, gefärbt nach Abfrage oder Indikator",
            description="`level` = Raumebene (sozialraum, stadtteil, …); `colour` = Name einer gespeicherten "
                        "Abfrage mit Parameter `level` (Wert = Zahl der Ergebniszeilen je Raum) oder "
                        "`indikator:<Code>` (letzter Wert). Weitere Parameter gehen an die Abfrage "
                        "(z. B. `target_group`). Die Antwort enthält die Legende (`legend`).",
            responses={200: {"content": {GEOJSON: {}}}})
def spaces(request: Request, level: str = DEFAULT_LEVEL, colour: str = DEFAULT_COLOUR) -> Response:
    ctx = context(request)
    internal = access_of(request).internal
    level_iri = level_code(level)
    values, fallback, title, unit = _colour_values(request, ctx, level, colour, internal)
    rows = ctx.store.select(SPACES, [{"_level": level_iri}], include_internal=internal).rows
    shown: dict[str, float | None] = {}
    for row in rows:
        identifier = row.get("social_space")
        if isinstance(identifier, Literal) and isinstance(row.get("wkt"), Literal):
            shown[identifier.value] = values.get(identifier.value, fallback)
    classes = classify([value for value in shown.values() if value is not None])
    features: list[dict[str, Any]] = []
    without_area: list[str] = []
    for row in rows:
        space, identifier, label, wkt = (row.get(k) for k in ("space", "social_space", "label", "wkt"))
        if not isinstance(identifier, Literal):
            continue
        name = label.value if isinstance(label, Literal) else identifier.value
        geometry = wkt_geometry(wkt.value) if isinstance(wkt, Literal) else None
        if geometry is None or geometry.is_empty:
            without_area.append(name)
            continue
        value = shown.get(identifier.value)
        chosen = class_of(value, classes)
        features.append({"type": "Feature", "id": identifier.value, "geometry": mapping(geometry), "properties": {
            "id": identifier.value, "name": name, "value": value,
            "value_text": MISSING_LABEL if value is None else german_number(value) + (f" {unit}" if unit else ""),
            "colour": chosen.colour if chosen else MISSING_COLOUR,
            "href": ctx.local_path(space.value) if isinstance(space, NamedNode) else None,
        }})
    legend = {"title": title, "unit": unit, "classes": [c.as_dict() for c in classes],
              "missing": {"farbe": MISSING_COLOUR, "text": MISSING_LABEL}
              if any(f["properties"]["value"] is None for f in features) else None}
    body = {"type": "FeatureCollection", "level": level, "colour": colour, "legend": legend,
            "without_area": without_area, "features": features}
    return Response(json.dumps(body, ensure_ascii=False), media_type=GEOJSON)


@router.get("/offers", summary="Angebote mit Koordinaten als GeoJSON-Punkte (ohne Token nur öffentliche)",
            responses={200: {"content": {GEOJSON: {}}}})
def offers(request: Request) -> Response:
    ctx = context(request)
    features: list[dict[str, Any]] = []
    without_point = 0
    for row in ctx.store.select(OFFERS, include_internal=access_of(request).internal).rows:
        offer, identifier, label, wkt = (row.get(k) for k in ("offer", "id", "label", "wkt"))
        if not isinstance(identifier, Literal):
            continue
        geometry = wkt_geometry(wkt.value) if isinstance(wkt, Literal) else None
        if geometry is None or geometry.geom_type != "Point":
            without_point += 1
            continue
        features.append({"type": "Feature", "id": identifier.value, "geometry": mapping(geometry), "properties": {
            "id": identifier.value, "name": label.value if isinstance(label, Literal) else identifier.value,
            "href": ctx.local_path(offer.value) if isinstance(offer, NamedNode) else None,
        }})
    body = {"type": "FeatureCollection", "without_point": without_point, "features": features}
    return Response(json.dumps(body, ensure_ascii=False), media_type=GEOJSON)
