"""Social spaces from a GeoJSON FeatureCollection: the `spaces` table plus GeoSPARQL geometry in CRS84.

German cities publish their districts in ETRS89 / UTM (EPSG:25832 west of 12°E, EPSG:25833 east of it), often
with the legacy GeoJSON `crs` member; GeoSPARQL's default for a WKT literal without CRS is CRS84 (lon lat), so
every geometry is reprojected on the way in and stored in one system.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import shapely
import shapely.errors
import shapely.validation
from pyoxigraph import Literal, NamedNode, Triple
from pyproj import CRS, Transformer
from pyproj.exceptions import CRSError
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from loaders.convert import WKT, Converted, TableConverter, entity_iri
from loaders.spreadsheets import RawTable
from loaders.tables import TABLES
from sozialgraph.errors import InputError
from sozialgraph.namespaces import GEO, RDF

FIELDS = ("id", "name", "level", "parent", "code")
REQUIRED = ("id", "name", "level")
AREA_TYPES = ("Polygon", "MultiPolygon")
CRS84 = CRS.from_user_input("OGC:CRS84")
WKT_DECIMALS = 7
"""Degrees to 7 decimals are about 1 cm: well below what a district boundary means."""

# shapely (GEOS) explains invalid geometry in English; planners read German.
_REASONS = {
    "Self-intersection": "Selbstüberschneidung",
    "Ring Self-intersection": "Ring überschneidet sich selbst",
    "Too few points in geometry component": "zu wenige Punkte",
    "Hole lies outside shell": "Loch liegt außerhalb der Außengrenze",
    "Nested holes": "verschachtelte Löcher",
    "Interior is disconnected": "Inneres ist nicht zusammenhängend",
    "Nested shells": "verschachtelte Außengrenzen",
    "Duplicate Rings": "doppelte Ringe",
    "Invalid Coordinate": "ungültige Koordinate",
    "Ring is not closed": "Ring ist nicht geschlossen",
}


@dataclass(frozen=True)
class Feature:
    index: int
    identifier: str

    def where(self, display_name: str, field: str | None = None) -> str:
        text = f"{display_name}, Feature {self.index}"
        if self.identifier:
            text += f" (Id '{self.identifier}')"
        return text + (f", Feld '{field}'" if field else "")


def looks_like_geojson(path: Path, kind: str | None) -> bool:
    """`.geojson` always; a `.json` file only when the caller said `--kind spaces` and it is a FeatureCollection."""
    suffix = path.suffix.casefold()
    if suffix == ".geojson":
        return True
    if kind != "spaces" or suffix not in (".json", ".txt", ""):
        return False
    head = path.read_bytes()[:4096].decode("utf-8", errors="replace")
    return head.lstrip("\ufeff \t\r\n").startswith("{") and "FeatureCollection" in head


def read_spaces_geojson(path: Path, display_name: str, converter: TableConverter, into: Converted,
                        crs_option: str | None = None) -> None:
    """Convert every feature (all or nothing) into `into`, the same triples a spaces.csv row gives plus geometry."""
    document = _parse(path, display_name)
    source_crs = _source_crs(document, display_name, crs_option)
    transformer = None if source_crs is None else Transformer.from_crs(source_crs, CRS84, always_xy=True)
    features = document.get("features")
    if not isinstance(features, list):
        raise InputError(display_name, "'features' fehlt oder ist keine Liste")
    table = TABLES["spaces"]
    raw = RawTable(display_name, table, list(FIELDS))
    geometries: list[tuple[Feature, BaseGeometry | None]] = []
    seen: dict[str, int] = {}
    unknown: set[str] = set()
    for index, item in enumerate(features, start=1):
        feature, row = _properties(item, index, display_name, unknown)
        if feature.identifier in seen:
            raise InputError(feature.where(display_name, "id"),
                             f"die Id kommt doppelt vor (schon in Feature {seen[feature.identifier]})")
        seen[feature.identifier] = index
        raw.rows.append((index, row))
        geometries.append((feature, _geometry(item, feature, display_name, transformer, source_crs is None)))
    if unknown:
        into.warnings.append(f"{display_name}: Eigenschaft(en) {', '.join(sorted(unknown))} unbekannt und "
                             f"ignoriert (bekannt: {', '.join(FIELDS)})")
    by_index = {feature.index: feature for feature, _ in geometries}
    first_reference = len(into.references)
    try:
        converter.convert(raw, into)
    except InputError as error:
        feature = by_index.get(error.row or 0, Feature(error.row or 0, ""))
        raise InputError(feature.where(display_name, error.column), error.problem, value=error.value,
                         allowed=error.allowed) from error
    for reference in into.references[first_reference:]:
        # References are checked later, against the store; name the feature, not a row, when one is unknown.
        reference.file = by_index[reference.row or 0].where(display_name, reference.column)
        reference.row = None
        reference.column = None
    for feature, geometry in geometries:
        if geometry is not None:
            into.public.extend(geometry_triples(entity_iri(converter.base, table.kind, feature.identifier), geometry))


def geometry_triples(subject: NamedNode, geometry: BaseGeometry) -> list[Triple]:
    node = NamedNode(subject.value + "#geometry")
    text = shapely.to_wkt(geometry, rounding_precision=WKT_DECIMALS, trim=True)
    return [
        Triple(subject, GEO.hasGeometry, node),
        Triple(node, RDF.type, GEO.Geometry),
        Triple(node, GEO.asWKT, Literal(text, datatype=WKT)),
    ]


def _parse(path: Path, display_name: str) -> dict[str, Any]:
    try:
        document = json.loads(path.read_bytes().decode("utf-8-sig"))
    except UnicodeDecodeError as error:
        raise InputError(display_name, "die Datei ist nicht UTF-8-kodiert") from error
    except json.JSONDecodeError as error:
        raise InputError(display_name, f"kein gültiges JSON ({error.msg}, Spalte {error.colno})",
                         row=error.lineno) from error
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
        found = document.get("type") if isinstance(document, dict) else type(document).__name__
        raise InputError(display_name, "GeoJSON muss eine FeatureCollection sein", value=str(found),
                         allowed=["FeatureCollection"])
    return document


def _source_crs(document: Mapping[str, Any], display_name: str, option: str | None) -> CRS | None:
    """The CRS of the coordinates, or None for CRS84 (RFC 7946's only CRS)."""
    named = _crs_member(document.get("crs"), display_name)
    if named is not None and option is not None and not _crs(named, display_name).equals(_crs(option, "--crs")):
        raise InputError(display_name, f"die Datei nennt das Koordinatensystem '{named}', --crs aber '{option}'; "
                         "bitte nur eines angeben")
    chosen = named or option
    if chosen is None:
        return None
    crs = _crs(chosen, display_name if named else "--crs")
    if crs.equals(CRS84) or crs.to_epsg() == 4326:
        return None  # GeoJSON writes lon, lat even when it names EPSG:4326
    return crs


def _crs_member(member: object, display_name: str) -> str | None:
    if member is None:
        return None
    properties = member.get("properties") if isinstance(member, dict) else None
    if isinstance(properties, dict):
        if isinstance(properties.get("name"), str):
            return str(properties["name"])
        if isinstance(properties.get("code"), int | str):
            return f"EPSG:{properties['code']}"
    raise InputError(display_name, "das Feld 'crs' ist nicht lesbar",
                     allowed=['{"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::25832"}}'])


def _crs(text: str, where: str) -> CRS:
    try:
        return CRS.from_user_input(text)
    except CRSError as error:
        raise InputError(where, "unbekanntes Koordinatensystem", value=text,
                         allowed=["EPSG:25832", "EPSG:25833", "EPSG:4326", "urn:ogc:def:crs:EPSG::25832"]) from error


def _properties(item: object, index: int, display_name: str, unknown: set[str]) -> tuple[Feature, dict[str, str]]:
    if not isinstance(item, dict) or item.get("type") != "Feature":
        raise InputError(Feature(index, "").where(display_name), "ist kein GeoJSON-Feature",
                         allowed=['{"type": "Feature", "properties": {…}, "geometry": {…}}'])
    properties = item.get("properties")
    if properties is None:
        properties = {}
    if not isinstance(properties, dict):
        raise InputError(Feature(index, "").where(display_name, "properties"), "muss ein Objekt sein")
    if "id" not in properties and isinstance(item.get("id"), str | int):
        properties = {**properties, "id": item["id"]}
    identifier = properties.get("id")
    feature = Feature(index, str(identifier) if isinstance(identifier, str | int) else "")
    row: dict[str, str] = {}
    for name, value in properties.items():
        if name not in FIELDS:
            unknown.add(name)
            continue
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise InputError(feature.where(display_name, name), "muss Text oder eine Zahl sein",
                             value=json.dumps(value, ensure_ascii=False))
        row[name] = str(value).strip()
    for name in REQUIRED:
        if not row.get(name):
            raise InputError(feature.where(display_name, name), "Pflichtangabe fehlt",
                             allowed=[f"Eigenschaften {', '.join(REQUIRED)} (Pflicht), parent, code"])
    return feature, row


def _geometry(item: Mapping[str, Any], feature: Feature, display_name: str, transformer: Transformer | None,
              lon_lat: bool) -> BaseGeometry | None:
    """The feature's area in CRS84, or None when the feature has no geometry (a space without a shape)."""
    data = item.get("geometry")
    if data is None:
        return None
    where = feature.where(display_name, "geometry")
    if not isinstance(data, dict) or data.get("type") not in AREA_TYPES:
        found = data.get("type") if isinstance(data, dict) else type(data).__name__
        raise InputError(where, "ein Raum braucht eine Fläche", value=str(found), allowed=list(AREA_TYPES))
    try:
        geometry = shape(data)
    except (ValueError, TypeError, AttributeError, IndexError, KeyError,
            shapely.errors.GEOSException) as error:
        raise InputError(where, f"Geometrie nicht lesbar ({error})") from error
    if geometry.is_empty:
        raise InputError(where, "Geometrie ist leer")
    if not geometry.is_valid:
        raise InputError(where, f"ungültige Geometrie: {_reason(shapely.validation.explain_validity(geometry))}")
    if transformer is not None:
        geometry = shapely.transform(geometry, lambda xy: _project(transformer, xy))
    west, south, east, north = geometry.bounds
    if west < -180 or east > 180 or south < -90 or north > 90:
        hint = " – die Koordinaten sehen projiziert aus; mit --crs das System angeben" if lon_lat else ""
        raise InputError(where, f"Koordinaten außerhalb von Längengrad ±180 / Breitengrad ±90{hint}",
                         allowed=["GeoJSON in WGS84 (lon, lat)", "crs-Angabe oder --crs EPSG:25832 / EPSG:25833"])
    return geometry


def _project(transformer: Transformer, xy: np.ndarray) -> np.ndarray:
    x, y = transformer.transform(xy[:, 0], xy[:, 1])
    return np.column_stack([x, y])


def _reason(explanation: str) -> str:
    match = re.match(r"^([^\[]+)(\[.*\])?$", explanation)
    if not match:
        return explanation
    text = match.group(1).strip()
    return _REASONS.get(text, text) + (f" bei {match.group(2)}" if match.group(2) else "")
