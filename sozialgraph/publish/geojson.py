"""The social spaces as GeoJSON (RFC 7946: WGS 84 longitude/latitude), with the planners' columns as
properties. Spaces without a geometry are features with `"geometry": null`, so the file lists every space."""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pyoxigraph import Literal, NamedNode

from sozialgraph.publish.files import Written, write_text
from sozialgraph.publish.queries import select
from sozialgraph.publish.subset import PublicGraph
from sozialgraph.publish.tables import Table

SPACES_GEOJSON = "geo/spaces.geojson"
_CRS = re.compile(r"^\s*<([^>]+)>\s*(.*)$", re.DOTALL)
_WGS84_LON_LAT = {"http://www.opengis.net/def/crs/OGC/1.3/CRS84", "http://www.opengis.net/def/crs/OGC/1.3/CRS84/"}


if TYPE_CHECKING:
    from pyproj import Transformer
    from shapely.geometry.base import BaseGeometry


@cache
def _to_lon_lat(crs: str) -> Transformer:
    from pyproj import Transformer

    # GeoSPARQL names a CRS by IRI (…/def/crs/EPSG/0/25832); pyproj reads the authority and code from it, and
    # keeps the CRS's own axis order on input, as GeoSPARQL WKT does (EPSG:4326 is latitude first).
    authority, _, code = crs.rstrip("/").rsplit("/", 2)[-3:]
    source = f"{authority.rsplit('/', 1)[-1]}:{code}" if authority else crs
    return Transformer.from_crs(source, "OGC:CRS84")


def geometry_from_wkt(text: str) -> BaseGeometry | None:
    """A WGS 84 (lon, lat) shape from a GeoSPARQL WKT literal, or None if it cannot be read."""
    import shapely  # imported here: most publications have no geometry, and shapely takes a while to load
    from shapely import wkt as shapely_wkt
    from shapely.errors import ShapelyError

    crs = None
    match = _CRS.match(text)
    if match:
        crs, text = match.group(1), match.group(2)
    try:
        shape = shapely_wkt.loads(text)
    except (ShapelyError, ValueError):
        return None
    if crs and crs not in _WGS84_LON_LAT:
        try:
            transformer = _to_lon_lat(crs)
            shape = shapely.transform(shape, lambda x, y: transformer.transform(x, y), interleaved=False)
        except Exception:  # pyproj raises several types for an unknown CRS
            return None
    return shape


def write_spaces_geojson(root: Path, graph: PublicGraph, spaces: Table) -> tuple[Written, int]:
    """Returns the file and how many features carry a geometry."""
    shapes: dict[str, BaseGeometry] = {}
    geometries: dict[str, Any] = {}
    for row in select(graph.store, "space-geometries"):
        entity, wkt = row.get("entity"), row.get("wkt")
        if isinstance(entity, NamedNode) and isinstance(wkt, Literal) and entity.value not in shapes:
            shape = geometry_from_wkt(wkt.value)
            if shape is not None:
                shapes[entity.value] = shape
    if shapes:
        from shapely.geometry import mapping

        geometries = {iri: mapping(shape) for iri, shape in shapes.items()}
    features = []
    with_shape = 0
    for iri, columns in spaces.rows():
        with_shape += iri in shapes
        features.append({
            "type": "Feature",
            "id": iri,
            "geometry": geometries.get(iri),
            "properties": {**columns, "iri": iri},
        })
    collection = {"type": "FeatureCollection", "features": features}
    text = json.dumps(collection, ensure_ascii=False, indent=1) + "\n"
    return write_text(root, SPACES_GEOJSON, text), with_shape
